"""View models for the public dashboards: overview rows, explorer footnotes, median comparison.

No HTML here. Every assessment has a symbol AND a word, so nothing is told by colour alone.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagesbild.core.numbers import format_number, get_unit
from lagesbild.indicators import presenters as ind_presenters
from lagesbild.indicators.models import Indicator, Observation, Statistic
from lagesbild.indicators.presenters import format_pp, format_unit
from lagesbild.indicators.selectors import IndicatorTable

# key → (symbol, word). The symbol is decoration (aria-hidden); the word carries the meaning.
ASSESSMENTS = {
    "good": ("✓", gettext_lazy("i önskad riktning")),
    "bad": ("✗", gettext_lazy("i motsatt riktning")),
    "unchanged": ("=", gettext_lazy("oförändrat")),
    "neutral": ("•", gettext_lazy("ingen önskad riktning")),
    "unknown": ("…", gettext_lazy("för få värden för en jämförelse")),
    "nodata": ("–", gettext_lazy("inga publicerade värden")),
}


@dataclass
class OverviewRow:
    indicator: Indicator
    headline: ind_presenters.Headline | None
    assessment: str  # a key of ASSESSMENTS

    @property
    def symbol(self) -> str:
        return ASSESSMENTS[self.assessment][0]

    @property
    def word(self) -> str:
        return str(ASSESSMENTS[self.assessment][1])


def assess(indicator: Indicator, headline: ind_presenters.Headline | None) -> str:
    """Whether the latest change moves in the indicator's desired direction."""
    if headline is None or headline.latest_period is None:
        return "nodata"
    if headline.change_direction is None:
        return "unknown"
    if headline.change_direction == "unchanged":
        return "unchanged"
    if indicator.direction == "none":
        return "neutral"
    return "good" if headline.change_direction == indicator.direction else "bad"


def overview_row(indicator: Indicator, table: IndicatorTable) -> OverviewRow:
    head = ind_presenters.headline(indicator, table)
    return OverviewRow(indicator, head, assess(indicator, head))


def assessment_counts(rows: list[OverviewRow]) -> list[tuple[str, str, str, int]]:
    """[(key, symbol, word, count)] in a fixed order, only the keys that occur."""
    counts = Counter(r.assessment for r in rows)
    return [(k, s, str(w), counts[k]) for k, (s, w) in ASSESSMENTS.items() if counts[k]]


@dataclass
class Footnote:
    number: int
    period: str
    series: str
    texts: list[str] = field(default_factory=list)


def footnotes(
    indicator: Indicator, table: IndicatorTable, previous: dict[int, list[Decimal]]
) -> tuple[list[Footnote], dict[int, int]]:
    """Numbered footnotes for each flagged observation (revised, provisional, too few cases).

    `previous` maps an observation id to its earlier published values (oldest first). Returns
    the footnotes and {observation id: footnote number} for the table cells.
    """
    notes: list[Footnote] = []
    numbers: dict[int, int] = {}
    for s in table.series:
        for period in table.periods:
            o: Observation | None = s.points.get(period)
            if o is None:
                continue
            texts = []
            if o.revised:
                earlier = previous.get(o.pk) or []
                if earlier:
                    shown = ", ".join(
                        format_unit(v, indicator.unit, indicator.decimals) for v in earlier
                    )
                    texts.append(
                        _("Uppgiften är reviderad; tidigare publicerat värde: %(v)s.")
                        % {"v": shown}
                    )
                else:
                    texts.append(_("Uppgiften är reviderad."))
            if o.provisional:
                texts.append(_("Uppgiften är preliminär."))
            if o.too_few_cases:
                texts.append(_("För få fall för att redovisa en andel."))
            if o.value is None and o.missing_reason:
                texts.append(o.missing_reason)
            if o.public_note:  # an internal note (the coordinators' own) is never shown
                texts.append(o.public_note)
            if texts:
                n = len(notes) + 1
                notes.append(Footnote(n, period, s.label, texts))
                numbers[o.pk] = n
    return notes, numbers


@dataclass
class Comparison:
    label: str
    cells: list[tuple[str, tuple[str, str, str] | None]]  # (text, cue) per period


def median_comparison(indicator: Indicator, table: IndicatorTable) -> list[Comparison]:
    """Difference between each value series and the national median of the same breakdown.

    Shares differ in procentenheter; other units in the indicator's own unit.
    """
    medians = {
        tuple(sorted(s.breakdown.items())): s
        for s in table.series
        if s.statistic == Statistic.MEDIAN
    }
    unit = get_unit(indicator.unit)
    out = []
    for s in table.series:
        if s.statistic != Statistic.VALUE:
            continue
        m = medians.get(tuple(sorted(s.breakdown.items())))
        if m is None:
            continue
        cells = []
        for p in table.periods:
            a, b = s.points.get(p), m.points.get(p)
            if a is None or b is None or a.value is None or b.value is None:
                cells.append(("–", None))
                continue
            diff = Decimal(a.value) - Decimal(b.value)
            if unit.change_kind == "procentenheter":
                text = format_pp(diff, indicator.decimals)
            else:
                text = format_number(diff, indicator.decimals)
            cells.append((("+" if diff > 0 else "") + text, comparison_cue(indicator, diff)))
        out.append(Comparison(f"{s.label}, {s.area_name}", cells))
    return out


# A value against a reference (the county, the median): symbol AND word, by desired direction.
COMPARISONS = {
    "better": ("▲", gettext_lazy("bättre")),
    "worse": ("▼", gettext_lazy("sämre")),
    "same": ("=", gettext_lazy("lika")),
    "neutral": ("•", gettext_lazy("ingen önskad riktning")),
    "unknown": ("–", gettext_lazy("ingen jämförelse")),
}


def comparison_cue(indicator: Indicator, diff: Decimal | None) -> tuple[str, str, str]:
    """(key, symbol, word) for a difference against a reference value."""
    from lagesbild.web.municipal import compare_cue

    key = compare_cue(indicator, diff)
    symbol, word = COMPARISONS[key]
    return key, symbol, str(word)


def ranking_context(indicator: Indicator, ranking, own: str = "") -> dict:
    """The ranked bar chart (SVG) and its table for an indicator's municipalities."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    from lagesbild.indicators.charts import ranked_bar_chart
    from lagesbild.web.municipal import difference_text, value_text

    own_row = ranking.row_for(own) if own else None
    rows = ranking.all_rows

    title = _("%(name)s – kommunerna %(period)s") % {
        "name": indicator.display_name,
        "period": ranking.period,
    }
    description = "; ".join(f"{r.label}: {value_text(indicator, r.value)}" for r in rows)
    raw = "|".join(
        str(x)
        for x in (
            indicator.pk,
            ranking.period,
            own,
            description,
            ranking.median and ranking.median.label,
            get_language(),
        )
    )
    key = "ranking:" + hashlib.sha256(raw.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = ranked_bar_chart(
            labels=[r.label for r in rows if r.kind != "median"],
            values=[r.value for r in rows if r.kind != "median"],
            kinds=[r.kind for r in rows if r.kind != "median"],
            title=title,
            description=description,
            unit_label=str(indicator.get_unit_display()),
            decimals=indicator.decimals,
            highlight=own_row.label if own_row else None,
            median=ranking.median.value if ranking.median else None,
            median_label=ranking.median.label if ranking.median else "",
        ).decode("utf-8")
        cache.set(key, svg, 24 * 3600)
    table = []
    reference = ranking.county or ranking.median  # the county, else the median
    county = reference.value if reference else None
    for r in ranking.rows:
        diff = Decimal(r.value) - Decimal(county) if county is not None else None
        table.append(
            {
                "row": r,
                "value": value_text(indicator, r.value),
                "difference": difference_text(indicator, diff) if diff is not None else "–",
                "cue": comparison_cue(indicator, diff),
                "own": own_row is r,
            }
        )
    return {
        "ranking": ranking,
        "ranking_svg": svg,
        "ranking_title": title,
        "ranking_rows": table,
        "ranking_own": own_row,
        "reference_label": reference.label if reference else "",
        "county_text": value_text(indicator, ranking.county.value) if ranking.county else "–",
        "median_text": value_text(indicator, ranking.median.value) if ranking.median else "–",
    }
