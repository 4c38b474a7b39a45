"""Skolenkäten result workbooks → observations.

Which index feeds which indicator is set in the indicator catalogue: ``source_codes:
{skolenkaten: [trygghet]}`` (the index name as a slug). An index in the file that no indicator
names is skipped and counted (a workbook has many indices; the strategy follows a few).

Area: the row's Kommunkod. Breakdown: the respondent group (``elever-ak8`` →
``school_year=ak8``, ``elever-gy2`` → ``school_year=gy2``, staff and guardians →
``respondent_group=…``) and, for school rows, ``skolenhet=<code>``; each key must be one of the
indicator's breakdowns. An index left blank because fewer than 5 answered becomes a missing value
flagged ``too_few_cases``; "Antal svarande" is kept as ``respondents``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..pipeline import Catalogue, Importer, Record
from .parse import TOO_FEW, parse

GROUPS = {
    "elever-ak5": {"school_year": "ak5"},
    "elever-ak8": {"school_year": "ak8"},
    "elever-ak9": {"school_year": "ak9"},
    "elever-gy2": {"school_year": "gy2"},
}


def group_breakdown(group: str) -> dict[str, str]:
    return dict(GROUPS.get(group, {"respondent_group": group}))


class SkolenkatImporter(Importer):
    key = "skolenkaten"
    source = "Skolinspektionen, Skolenkäten"

    def __init__(self, path: Path, *, period: str | None = None):
        super().__init__(path)
        self.period = period
        self._rows = 0

    def rows_seen(self) -> int | None:
        return self._rows

    def records(self, catalogue: Catalogue) -> Iterator[Record]:
        result = parse(self.path, file=self.file_name, period=self.period)
        by_index = catalogue.by_source_code("skolenkaten")
        cells = result.cells()
        self._rows = len(cells)
        self.total = len(cells)
        if result.period is None:
            from ..base import ParseError

            raise ParseError.single(
                self.file_name, "året står inte i filnamnet; ange det med --period 2024"
            )
        unknown: set[str] = set()
        for row in result.rows:
            for cell in row.cells:
                slug = cell.dims["indicator"]
                indicators = by_index.get(slug)
                if not indicators:
                    unknown.add(cell.labels.get("indicator", slug))
                    self.skipped += 1
                    continue
                breakdown = group_breakdown(cell.dims["group"])
                if "skolenhet" in cell.dims:
                    breakdown["skolenhet"] = cell.dims["skolenhet"]
                too_few = cell.status == TOO_FEW
                for ind in indicators:
                    yield Record(
                        indicator=ind.code,
                        area=cell.dims["kommun"],
                        period=result.period,
                        breakdown=breakdown,
                        value=cell.value,
                        respondents=row.respondents,
                        row=row.row,
                        column=cell.labels.get("indicator"),
                        status=(cell.status or "")[:16],
                        too_few_cases=too_few,
                        missing_reason=(
                            "Färre än 5 svarande; Skolinspektionen redovisar inget index"
                            if too_few
                            else ("Index saknas i Skolenkäten" if cell.value is None else "")
                        ),
                        source_ref=f"Skolenkäten {result.period}, {row.sheet} rad {row.row}",
                    )
        if unknown:
            self.warnings.append(
                "index utan indikator i katalogen (source_codes: {skolenkaten: [...]}) hoppades "
                f"över: {', '.join(sorted(unknown))}"
            )
