"""Municipalities side by side: which indicators have municipal series, a ranking of every
municipality of the county with the county and the median, and one municipality's figures.

Reads only published observations. No HTML here; the ranked bar chart is drawn by
`lagesbild.indicators.charts.ranked_bar_chart`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from lagesbild.core.models import Area, AreaLevel
from lagesbild.core.numbers import format_number, get_unit
from lagesbild.indicators.models import Indicator, Observation, Statistic
from lagesbild.indicators.presenters import format_pp, format_unit
from lagesbild.indicators.selectors import breakdown_label
from lagesbild.indicators.stats import period_sort_key

# An indicator is compared across municipalities when at least this many have a value (one
# municipality's own series, e.g. Stockholm's districts, is not a comparison).
MIN_MUNICIPALITIES = 3


def municipal_indicators() -> list[Indicator]:
    """Indicators of the plan in force with published values for several municipalities, in the
    plan's catalogue order, each placed by its membership (once, under its first goal)."""
    from django.db.models import Count, Q

    from lagesbild.indicators.selectors import current_plan, plan_indicators

    compared = set(
        Indicator.objects.annotate(
            municipalities=Count(
                "observations__area",
                filter=Q(
                    observations__published=True,
                    observations__area__level=AreaLevel.MUNICIPALITY,
                ),
                distinct=True,
            )
        )
        .filter(municipalities__gte=MIN_MUNICIPALITIES)
        .values_list("id", flat=True)
    )
    plan = current_plan()
    if plan is None:
        return []
    seen: set[int] = set()
    found = []
    for indicator in plan_indicators(plan=plan):
        if indicator.pk in compared and indicator.pk not in seen:
            seen.add(indicator.pk)
            found.append(indicator)
    return found


@dataclass
class RankRow:
    area: Area | None
    label: str
    value: Decimal | None
    kind: str  # "municipality" | "county" | "median"
    rank: int | None = None
    observation: Observation | None = None


@dataclass
class Ranking:
    indicator: Indicator
    period: str
    series_label: str  # which breakdown the ranking shows ("Totalt" or e.g. "Kvinnor")
    rows: list[RankRow] = field(default_factory=list)  # municipalities, ranked
    county: RankRow | None = None
    median: RankRow | None = None
    missing: list[Area] = field(default_factory=list)  # municipalities without a value

    @property
    def all_rows(self) -> list[RankRow]:
        """Municipalities, county and median together, by value (for the chart)."""
        extra = [r for r in (self.county, self.median) if r is not None and r.value is not None]
        rows = [r for r in self.rows if r.value is not None] + extra
        return sorted(rows, key=lambda r: r.value, reverse=self.indicator.direction != "down")

    def row_for(self, code: str) -> RankRow | None:
        return next((r for r in self.rows if r.area is not None and r.area.code == code), None)


def _county_of(municipalities: list[Area]) -> Area | None:
    parents = {m.parent_id for m in municipalities if m.parent_id}
    return Area.objects.filter(pk__in=parents).first() if len(parents) == 1 else None


def municipal_ranking(*, indicator: Indicator, period: str | None = None) -> Ranking | None:
    """Every municipality's value in one period (the newest with municipal values), ranked
    best first by the desired direction (largest first when there is none), with the county
    and the median.

    One series is ranked: the total when there is one, otherwise the first breakdown in the
    catalogue's order; `series_label` says which. The median is the national median when the
    source gives one for the same period and breakdown, otherwise the median of the county's
    municipalities (its label says which).
    """
    from lagesbild.directory.selectors import municipalities as county_municipalities

    qs = Observation.objects.filter(
        indicator=indicator, published=True, area__level=AreaLevel.MUNICIPALITY
    ).select_related("area")
    municipal = list(qs.filter(statistic=Statistic.VALUE))
    if not municipal:
        return None
    keys = sorted({o.breakdown_key for o in municipal}, key=lambda k: (k != "", k))
    key = keys[0]
    if period is None:
        period = max(
            (o.period for o in municipal if o.breakdown_key == key),
            key=lambda p: (period_sort_key(p)[0], p),
        )
    chosen = [o for o in municipal if o.breakdown_key == key and o.period == period]
    breakdown = chosen[0].breakdown if chosen else {}
    munis = county_municipalities(county=_county_of([o.area for o in chosen]))
    by_code = {o.area.code: o for o in chosen}
    ranking = Ranking(indicator, period, breakdown_label(breakdown))
    for m in munis or [o.area for o in chosen]:
        o = by_code.get(m.code)
        if o is None or o.value is None:
            ranking.missing.append(m)
            continue
        ranking.rows.append(RankRow(m, m.name, o.value, "municipality", observation=o))
    reverse = indicator.direction != "down"
    ranking.rows.sort(key=lambda r: (-r.value if reverse else r.value, r.label))
    previous, rank = None, 0
    for i, row in enumerate(ranking.rows, start=1):
        if row.value != previous:
            rank = i
        row.rank, previous = rank, row.value
    county = _county_of([r.area for r in ranking.rows])
    if county is not None:
        o = (
            Observation.objects.filter(
                indicator=indicator,
                published=True,
                area=county,
                period=period,
                breakdown_key=key,
                statistic=Statistic.VALUE,
            )
            .select_related("area")
            .first()
        )
        if o is not None and o.value is not None:
            ranking.county = RankRow(county, county.name, o.value, "county", observation=o)
    national = (
        Observation.objects.filter(
            indicator=indicator,
            published=True,
            period=period,
            breakdown_key=key,
            statistic=Statistic.MEDIAN,
        )
        .exclude(value=None)
        .first()
    )
    if national is not None:
        ranking.median = RankRow(None, _("Medianen i riket"), national.value, "median")
    elif len(ranking.rows) >= 3:
        value = Decimal(statistics.median([r.value for r in ranking.rows]))
        ranking.median = RankRow(None, _("Medianen för länets kommuner"), value, "median")
    return ranking


def value_text(indicator: Indicator, value: Decimal | None) -> str:
    return format_unit(value, indicator.unit, indicator.decimals) if value is not None else "–"


def difference_text(indicator: Indicator, diff: Decimal) -> str:
    """A difference in the indicator's unit: procentenheter for shares."""
    unit = get_unit(indicator.unit)
    sign = "+" if diff > 0 else ""
    if unit.change_kind == "procentenheter":
        return sign + format_pp(diff, indicator.decimals)
    return sign + format_number(diff, indicator.decimals)


def compare_cue(indicator: Indicator, diff: Decimal | None) -> str:
    """A key of `web.presenters.COMPARISONS`: better/worse/same than a reference value, by the
    indicator's desired direction ("neutral" when it has none)."""
    if diff is None:
        return "unknown"
    if diff == 0:
        return "same"
    if indicator.direction == "none":
        return "neutral"
    return "better" if (diff > 0) == (indicator.direction == "up") else "worse"


@dataclass
class MunicipalFigure:
    indicator: Indicator
    ranking: Ranking
    row: RankRow
    value: str
    reference_label: str  # the county, or the median when the county has no value
    reference: str
    difference: str
    cue: str


def municipality_figures(*, municipality: Area) -> list[MunicipalFigure]:
    """The municipality's newest value of every municipal indicator against the county (or,
    when the county has no value, the median), for the indicators where it has a value."""
    out = []
    for ind in municipal_indicators():
        ranking = municipal_ranking(indicator=ind)
        row = ranking.row_for(municipality.code) if ranking else None
        if row is None:
            continue
        reference = ranking.county or ranking.median
        diff = Decimal(row.value) - Decimal(reference.value) if reference else None
        out.append(
            MunicipalFigure(
                ind,
                ranking,
                row,
                value_text(ind, row.value),
                reference.label if reference else "–",
                value_text(ind, reference.value if reference else None),
                difference_text(ind, diff) if diff is not None else "–",
                compare_cue(ind, diff),
            )
        )
    return out
