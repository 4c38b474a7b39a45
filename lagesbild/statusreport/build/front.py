"""Front matter: the report's title data (from ReportMetadata), foreword, how the report was made
and how it can be used."""

from __future__ import annotations

from collections import OrderedDict

from lagesbild.indicators.models import IndicatorKind
from lagesbild.indicators.stats import period_range_label
from lagesbild.statusreport.build.base import period_key, text_paragraphs
from lagesbild.statusreport.document import BulletList, Paragraph, Report, Section
from lagesbild.statusreport.models import TextKind, text_key
from lagesbild.statusreport.narrative import join_list

_ORDINALS = {
    1: "första",
    2: "andra",
    3: "tredje",
    4: "fjärde",
    5: "femte",
    6: "sjätte",
    7: "sjunde",
    8: "åttonde",
    9: "nionde",
    10: "tionde",
}
USE_TEXT = (
    "Lägesrapporten är en årlig uppföljning av målsättningarna i strategin och de åtaganden som "
    "myndigheterna har förbundit sig till i handlingsplanen. Syftet är att ge en översikt av "
    "länets myndigheters arbete mot våldet, både på strategisk och operativ nivå, det gångna "
    "året."
)
USE_ITEMS = [
    "Synliggöra utvecklingsområden i det strategiska och operativa arbetet.",
    "Säkerställa att indikatorerna mäter det de ska mäta.",
    "Stödja arbete med ständiga förbättringar och göra det möjligt att omprioritera.",
    "Skapa en gemensam lägesbild som synliggör vinster med samverkan.",
    "Bidra till samsyn och delaktighet bland aktörer och/eller i samverkan.",
]
USE_AFTER = (
    "Resultaten kan användas för att kommunicera och visa vad aktörerna och myndigheterna i länet "
    "gör för att nå de strategiska målsättningarna och som underlag för vidare prioriteringar."
)


def _lower_first(text: str) -> str:
    return f"{text[:1].lower()}{text[1:]}"


class FrontMatter:
    def report(self) -> Report:
        d, s = self.d, self.d.strategy
        meta = d.metadata
        subtitle = f"för {_lower_first(s.title)}" + (
            f" och {_lower_first(d.plan.title)}" if d.plan else ""
        )
        return Report(
            year=self.year,
            title=f"Lägesrapport {self.year}",
            subtitle=subtitle,
            county=s.area.name,
            publisher=(meta.publisher if meta and meta.publisher else s.owner.name),
            published_year=(meta.published_year if meta and meta.published_year else self.year + 1),
            strategy=s.title,
            plan=d.plan.title if d.plan else "",
            report_number=meta.report_number if meta else "",
            isbn=meta.isbn if meta else "",
            contact=meta.contact if meta else "",
            cover_credit=meta.cover_credit if meta else "",
            full_title=meta.title if meta and meta.title else "",
        )

    def foreword(self) -> Section:
        sec = Section("Förord", 1, "forord")
        t = self.d.texts.get(text_key(TextKind.FOREWORD))
        if t is not None and t.text.strip():
            sec.blocks = [Paragraph(p, key="forord") for p in text_paragraphs(t.text)]
        else:
            sec.blocks = [
                Paragraph("Förordet har ännu inte skrivits.", key="forord", generated=True)
            ]
        return sec

    def method(self) -> Section:
        d, s = self.d, self.d.strategy
        sec = Section("Hur lägesrapporten har tagits fram", 1, "hur-rapporten-tagits-fram")
        n = self.year - s.period_start + 1
        ordinal = _ORDINALS.get(n, f"{n}:e")
        p1 = (
            f"Lägesrapporten för {self.year} är den {ordinal} uppföljningen av {s.title} "
            f"(hädanefter kallad Strategin)."
        )
        if d.plan:
            p1 += (
                f" Rapporten omfattar även uppföljningen av {d.plan.title} "
                "(hädanefter kallad Handlingsplanen)."
            )
        sec.blocks.append(self.generated(p1, "metod:strategi"))
        spans: OrderedDict[str, list[str]] = OrderedDict()
        for ind in d.indicators:
            if ind.kind != IndicatorKind.STRATEGY:
                continue
            periods = [o.period for o in d.observations.get(ind.pk, []) if o.value is not None]
            if periods:
                spans.setdefault(ind.source, []).extend(periods)
        parts = []
        for source, periods in spans.items():
            ordered = sorted(set(periods), key=period_key)
            parts.append(f"{source} ({period_range_label(ordered[0], ordered[-1])})")
        if parts:
            p2 = (
                "Strategiindikatorerna bygger på statistik från "
                + join_list(parts)
                + ". Tidsserierna redovisas från året innan strategin antogs "
                f"({d.first_period_year}) till och med {self.year}, där uppgifter finns. "
                "Rapporten redovisar bara publicerad officiell statistik och rapporter som "
                "samordnaren har granskat."
            )
            sec.blocks.append(self.generated(p2, "metod:kallor"))
        orgs = sorted(dict.fromkeys(sub.organisation.name for sub in d.submissions))
        if orgs:
            p3 = (
                f"De aktörer som rapporterat in resultat för handlingsplansåtaganden för "
                f"{self.year} års arbete är {join_list(orgs)}."
            )
        else:
            p3 = f"Ingen aktör har ännu fått en rapport för {self.year} godkänd."
        sec.blocks.append(self.generated(p3, "metod:aktorer"))
        return sec

    def use(self) -> Section:
        sec = Section("Hur lägesrapporten kan användas", 1, "hur-rapporten-kan-anvandas")
        sec.blocks = [
            self.generated(USE_TEXT, "anvandning:1"),
            BulletList(USE_ITEMS),
            self.generated(USE_AFTER, "anvandning:2"),
        ]
        return sec
