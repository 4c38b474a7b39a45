"""Appendix: per municipality, the support behind the coverage figures, from the register
snapshot that is their provenance. Printed only when the coordinator has declared the register
publishable (``ReportMetadata.register_appendix``): a demo register is invented and never is."""

from __future__ import annotations

from lagesbild.core.numbers import MISSING
from lagesbild.directory.models import Provision
from lagesbild.directory.selectors import TARGETS as REGISTER_TARGETS
from lagesbild.statusreport.document import Cell, Section

APPENDIX_TITLE = "Bilaga: Stöd per kommun"
REGISTER_PROVISIONS = ((Provision.OWN.value, "egen regi"), (Provision.AGREEMENT.value, "avtal"))


class Appendix:
    def register_appendix(self) -> Section | None:
        snap = self.d.register_snapshot
        meta = self.d.metadata
        if snap is None or meta is None or not meta.register_appendix:
            return None
        on = f"{snap.as_of:%Y-%m-%d}"
        columns = [(vt, t) for vt in self.d.violence_types for t in REGISTER_TARGETS]
        header = [
            [Cell("Kommun", header=True)]
            + [
                Cell(f"{vt}, {self.value_label('target', t).lower()}", header=True)
                for vt, t in columns
            ]
        ]
        body = []
        for m in self.d.register_municipalities:
            cells = snap.coverage.get(m.code, {})
            row = [Cell(m.name, header=True)]
            for vt, t in columns:
                kinds = [
                    label
                    for provision, label in REGISTER_PROVISIONS
                    if cells.get(f"{vt.key}/{t}/{provision}")
                ]
                row.append(Cell(" och ".join(kinds) if kinds else MISSING))
            body.append(row)
        sec = Section(APPENDIX_TITLE, 1, "bilaga-stod-per-kommun")
        sec.blocks.append(
            self.generated(
                f"Tabellen visar vilket stöd till våldsutsatta barn och vuxna som varje kommun i "
                f"{self.d.strategy.area.name} har enligt stödregistret per {on}: i egen regi, "
                "genom avtal med andra kommuner (avtalssamverkan) eller inget (–).",
                "bilaga:stod-per-kommun",
            )
        )
        table = self.new_table(
            f"Stöd till våldsutsatta per kommun, våldstyp och målgrupp enligt stödregistret "
            f"per {on}.",
            f"Stödregistret per {on} (ögonblicksbild med {snap.service_count} verksamheter)",
            header,
            body,
            [
                "Egen regi: kommunens egen verksamhet. Avtal: avtalssamverkan mellan kommuner. "
                "–: inget stöd i registret.",
                "Barn: verksamheter som tar emot personer under 18 år. Vuxna: verksamheter "
                "utan övre åldersgräns.",
            ],
        )
        table.landscape = True
        sec.blocks.append(table)
        return sec
