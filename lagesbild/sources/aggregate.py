"""Computed series: a county value from municipality and district answers, and the national
median across areas of the same level. Both are written through the import pipeline, so they get
an ImportRun, history and revisions like any imported figure (docs/importers.md, "Aggregering").

County value, the Öppna jämförelser way: every listed area (a municipality, or a city district
where the municipality answers per district) contributes its answer. An answer is the area's
numerator/denominator when both are stored; otherwise a yes/no share (value 100 or 0 for a
percent indicator, 1 or 0 otherwise) counts as 1 or 0 yes out of 1 answer. The county value is
``sum(yes) / sum(answers) × 100`` (:func:`lagesbild.indicators.stats.aggregate_share`), stored
with the numerator, the denominator and ``respondents`` = the number of areas that answered.
Areas without an answer (missing value) are left out and named in the note.

National median: :func:`lagesbild.indicators.stats.median` over all published values of one
level (e.g. every municipality) for the period, one per breakdown, stored as
``statistic="median"`` for area ``00``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from lagesbild.core.models import Area, AreaLevel
from lagesbild.indicators.models import Indicator, Observation, Statistic, Unit
from lagesbild.indicators.stats import aggregate_share, median

from .base import ParseError, Problem
from .pipeline import Catalogue, Importer, Record

COUNTRY = "00"


@dataclass
class Part:
    area: str
    yes: Decimal
    answers: Decimal


@dataclass
class CountyValue:
    breakdown: dict[str, str]
    share: Decimal
    numerator: Decimal
    denominator: Decimal
    respondents: int
    parts: list[Part]
    missing: list[str] = field(default_factory=list)


def _answer(obs: Observation, unit: str) -> tuple[Decimal, Decimal] | None:
    if obs.numerator is not None and obs.denominator is not None:
        return Decimal(obs.numerator), Decimal(obs.denominator)
    if obs.value is None:
        return None
    full = Decimal(100) if unit == Unit.PERCENT else Decimal(1)
    v = Decimal(obs.value)
    if v == full:
        return Decimal(1), Decimal(1)
    if v == 0:
        return Decimal(0), Decimal(1)
    raise ValueError(
        f"{obs.area.code} {obs.period}: värdet {v.normalize()} är varken ja ({full}) eller nej "
        "(0) och täljare/nämnare saknas"
    )


def listed_areas(*, indicator: Indicator, period: str, county: Area) -> list[Area]:
    """The county's municipalities; a municipality with district answers is replaced by them."""
    with_data = set(
        Observation.objects.filter(indicator=indicator, period=period, published=True).values_list(
            "area_id", flat=True
        )
    )
    out: list[Area] = []
    for kommun in county.children.filter(level=AreaLevel.MUNICIPALITY).order_by("code"):
        districts = [
            d
            for d in kommun.children.filter(level=AreaLevel.DISTRICT).order_by("code")
            if d.pk in with_data
        ]
        out.extend(districts or [kommun])
    return out


def county_values(
    *, indicator: Indicator, period: str, county: Area, areas: list[Area] | None = None
) -> list[CountyValue]:
    areas = (
        areas
        if areas is not None
        else listed_areas(indicator=indicator, period=period, county=county)
    )
    if not areas:
        raise ValueError(f"{county.name} har inga kommuner eller stadsdelar att räkna samman")
    obs = (
        Observation.objects.filter(
            indicator=indicator,
            period=period,
            statistic=Statistic.VALUE,
            published=True,
            area__in=areas,
        )
        .select_related("area")
        .order_by("breakdown_key", "area__code")
    )
    by_key: dict[str, list[Observation]] = defaultdict(list)
    for o in obs:
        by_key[o.breakdown_key].append(o)
    out = []
    codes = [a.code for a in areas]
    for _key, items in sorted(by_key.items()):
        parts, seen = [], set()
        for o in items:
            ans = _answer(o, indicator.unit)
            if ans is None:
                continue
            seen.add(o.area.code)
            parts.append(Part(o.area.code, *ans))
        if not parts:
            continue
        agg = aggregate_share((p.yes, p.answers) for p in parts)
        out.append(
            CountyValue(
                breakdown=dict(items[0].breakdown),
                share=agg.share,
                numerator=agg.numerator,
                denominator=agg.denominator,
                respondents=len(parts),
                parts=parts,
                missing=[c for c in codes if c not in seen],
            )
        )
    return out


def national_medians(
    *, indicator: Indicator, period: str, level: str
) -> list[tuple[dict[str, str], Decimal, int]]:
    obs = Observation.objects.filter(
        indicator=indicator,
        period=period,
        statistic=Statistic.VALUE,
        published=True,
        area__level=level,
        value__isnull=False,
        too_few_cases=False,
    ).order_by("breakdown_key")
    groups: dict[str, list[Observation]] = defaultdict(list)
    for o in obs:
        groups[o.breakdown_key].append(o)
    return [
        (dict(items[0].breakdown), median(Decimal(o.value) for o in items), len(items))
        for _key, items in sorted(groups.items())
    ]


class AggregateImporter(Importer):
    """Writes computed values through the pipeline (provenance, history, revisions)."""

    key = "aggregate"

    def __init__(
        self,
        *,
        indicator: str,
        period: str,
        county: str | None = "01",
        level: str | None = AreaLevel.MUNICIPALITY,
        areas: list[str] | None = None,
    ):
        super().__init__(None)
        self.indicator_code = indicator
        self.period = period
        self.county_code = county
        self.level = level
        self.area_codes = areas
        self.source = f"Lägesbild, beräknat ur {indicator} {period}"
        self.file_name = ""
        self._n = 0

    def rows_seen(self) -> int | None:
        return self._n

    def records(self, catalogue: Catalogue) -> Iterator[Record]:
        name = f"aggregate {self.indicator_code}"
        indicator = catalogue.indicators.get(self.indicator_code)
        if indicator is None:
            raise ParseError.single(
                name, f"indikatorn '{self.indicator_code}' finns inte i indikatorkatalogen"
            )
        out: list[Record] = []
        if self.county_code:
            county = Area.objects.filter(code=self.county_code).first()
            if county is None:
                raise ParseError.single(name, f"området '{self.county_code}' finns inte")
            areas = None
            if self.area_codes:
                found = {a.code: a for a in Area.objects.filter(code__in=self.area_codes)}
                unknown = [c for c in self.area_codes if c not in found]
                if unknown:
                    raise ParseError.single(name, f"okända områden: {', '.join(unknown)}")
                areas = [found[c] for c in self.area_codes]
            try:
                values = county_values(
                    indicator=indicator, period=self.period, county=county, areas=areas
                )
            except ValueError as exc:
                raise ParseError([Problem(name, None, None, str(exc))]) from None
            for v in values:
                note = (
                    f"Beräknat som summan av ja-svar ({v.numerator.normalize()}) delat med "
                    f"summan av svar ({v.denominator.normalize()}) från {v.respondents} "
                    f"kommuner/stadsdelar: {', '.join(p.area for p in v.parts)}."
                )
                if v.missing:
                    note += f" Utan svar: {', '.join(v.missing)}."
                out.append(
                    Record(
                        indicator=indicator.code,
                        area=county.code,
                        period=self.period,
                        breakdown=v.breakdown,
                        value=v.share,
                        numerator=v.numerator,
                        denominator=v.denominator,
                        respondents=v.respondents,
                        source_ref="Lägesbild: summa ja-svar / summa svar (Öppna jämförelser)",
                        note=note,
                    )
                )
        if self.level:
            try:
                medians = national_medians(
                    indicator=indicator, period=self.period, level=self.level
                )
            except ValueError as exc:
                raise ParseError([Problem(name, None, None, str(exc))]) from None
            label = AreaLevel(self.level).label
            for breakdown, value, n in medians:
                out.append(
                    Record(
                        indicator=indicator.code,
                        area=COUNTRY,
                        period=self.period,
                        breakdown=breakdown,
                        value=value,
                        statistic=Statistic.MEDIAN,
                        source_ref=f"Lägesbild: median av {n} områden på nivån {label}",
                        note=f"Median av {n} värden ({label}).",
                    )
                )
        if not out:
            raise ParseError.single(
                name, f"inga publicerade värden för {indicator.code} {self.period} att räkna på"
            )
        self._n = len(out)
        yield from out
