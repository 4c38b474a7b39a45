"""View models for pages and reports: a series as stats Points, headline figures, chart data.

Keeps display logic out of views and templates; no HTML here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagesbild.core.numbers import format_pp as _format_pp
from lagesbild.core.numbers import format_unit as _format_unit
from lagesbild.core.numbers import get_unit
from lagesbild.indicators.charts import ChartLine, line_chart
from lagesbild.indicators.models import Indicator, Observation, Qualifier, Statistic
from lagesbild.indicators.selectors import IndicatorTable, Series, indicator_table
from lagesbild.indicators.stats import Point, change, periods_between, trend


def format_unit(value, unit, decimals=None) -> str:
    """`core.numbers.format_unit` with the unit word in the current language ("39 per cent"
    under /en/); the number keeps the Swedish notation the site uses."""
    from django.utils.translation import gettext

    text = _format_unit(value, unit, decimals)
    suffix = get_unit(unit).suffix
    if value is not None and suffix and text.endswith(suffix):
        text = text[: -len(suffix)] + gettext(suffix)
    return text


def format_pp(delta, decimals: int = 0) -> str:
    """`core.numbers.format_pp` with "procentenheter" in the current language."""
    from django.utils.translation import gettext

    text = _format_pp(delta, decimals)
    for word in ("procentenheter", "procentenhet"):
        if text.endswith(word):
            translated = gettext("procentenheter")
            if word == "procentenhet" and translated.endswith("points"):
                translated = translated[:-1]
            return text[: -len(word)] + translated
    return text


def qualified(text: str, qualifier: str) -> str:
    """A formatted value with its qualifier word in the current language: "minst 634",
    "cirka 1 600" ("at least 634" under /en/). An exact value (qualifier "") is unchanged."""
    if not qualifier or not text or text in ("–", ".."):
        return text
    return f"{Qualifier(qualifier).label} {text}"


CHANGE_WORDS = {
    "up": gettext_lazy("ökning"),
    "down": gettext_lazy("minskning"),
    "unchanged": gettext_lazy("oförändrat"),
}
ARROWS = {"up": "↑", "down": "↓", "unchanged": "→"}


def to_point(obs: Observation) -> Point:
    flags = set()
    if obs.revised:
        flags.add("revised")
    if obs.provisional:
        flags.add("provisional")
    if obs.too_few_cases:
        flags.add("too_few_cases")
    if obs.value is None and not obs.too_few_cases:
        flags.add("missing")
    if obs.qualifier and obs.value is not None:
        flags.add(obs.qualifier)  # "at_least" / "approximately"
    return Point(
        period=obs.period,
        value=obs.value,
        numerator=obs.numerator,
        denominator=obs.denominator,
        flags=frozenset(flags),
        missing_reason=obs.missing_reason,
    )


def series_points(series: Series) -> list[Point]:
    return [to_point(o) for o in series.points.values()]


@dataclass
class Headline:
    series_label: str
    latest_period: str | None
    latest_text: str
    change_text: str
    change_direction: str | None  # up/down/unchanged
    arrow: str
    assessment: str  # "i önskad riktning" / "i motsatt riktning" / ""
    has_rows: bool = True
    # A newer figure that is still preliminary (e.g. approved in a reporting round that is
    # open): shown beside the headline, never compared with a final one.
    preliminary_period: str | None = None
    preliminary_text: str = ""

    @property
    def picked_series(self) -> str:
        """The series the headline picked, when it is not the total (else "")."""
        return "" if self.series_label == _("Totalt") else self.series_label


def headline(indicator: Indicator, table: IndicatorTable) -> Headline | None:
    """Latest value and change of the first county series (the report's leading line)."""
    main = next((s for s in table.series if s.statistic == Statistic.VALUE), None)
    if main is None:
        return None
    points = series_points(main)
    final = [p for p in points if "provisional" not in p.flags]
    preliminary = [p for p in points if "provisional" in p.flags and p.value is not None]
    newest_final = max((p.sort_key for p in final if p.value is not None), default=None)
    newer = [p for p in preliminary if newest_final is None or p.sort_key > newest_final]
    pre_period, pre_text = None, ""
    if final and newer:
        # Change and assessment compare final figures only: a preliminary figure (a year
        # still being reported) against a full year would read as a fall that did not happen.
        newest = max(newer, key=lambda p: p.sort_key)
        pre_period = newest.period
        pre_text = qualified(
            format_unit(newest.value, indicator.unit, indicator.decimals),
            newest.qualifier,
        )
        points = final
    tr = trend(
        points,
        decimals=indicator.decimals,
        small_number_threshold=indicator.small_number_threshold,
    )
    if tr.latest is None:
        return Headline(main.label, None, "–", "", None, "", "", True, pre_period, pre_text)
    latest_text = qualified(
        format_unit(tr.latest.value, indicator.unit, indicator.decimals),
        tr.latest.qualifier,
    )
    change_text, direction, assessment = "", None, ""
    # a lower bound or an approximate value is never the base of a computed change
    if tr.previous is not None and not tr.change_is_qualified:
        ch = change(tr.previous, tr.latest, indicator.unit, indicator.decimals)
        direction = ch.direction
        unit = get_unit(indicator.unit)
        if ch.direction == "unchanged":
            change_text = _("oförändrat jämfört med %(p)s") % {"p": ch.period_from}
        elif unit.change_kind == "procentenheter":
            change_text = (
                _("%(pp)s upp sedan %(p)s") if ch.direction == "up" else _("%(pp)s ned sedan %(p)s")
            ) % {"pp": format_pp(abs(ch.absolute)), "p": ch.period_from}
        else:
            amount = format_unit(abs(ch.absolute), indicator.unit, indicator.decimals)
            change_text = _("%(change)s med %(amount)s sedan %(p)s") % {
                "change": CHANGE_WORDS[ch.direction],
                "amount": amount,
                "p": ch.period_from,
            }
        if indicator.direction != "none" and ch.direction != "unchanged":
            good = ch.direction == indicator.direction
            assessment = _("i önskad riktning") if good else _("i motsatt riktning mot den önskade")
    return Headline(
        main.label,
        tr.latest.period,
        latest_text,
        change_text,
        direction,
        ARROWS.get(direction or "", ""),
        assessment,
        True,
        pre_period,
        pre_text,
    )


def chart_periods(table: IndicatorTable) -> list[str]:
    """Every period from the first to the last, so that gaps in a series show as gaps."""
    if not table.periods:
        return []
    return periods_between(table.periods[0], table.periods[-1])


def chart_lines(table: IndicatorTable, limit: int = 7) -> list[ChartLine]:
    """The lines of a series chart, aligned with `chart_periods(table)`. A municipal indicator
    draws the county's own series (and medians), not one line per municipality: those are
    compared in the ranked bar chart."""
    from lagesbild.core.models import AreaLevel

    periods = chart_periods(table)
    series = [s for s in table.series if not _is_municipal(s, AreaLevel.MUNICIPALITY)]
    if not series:
        series = table.series
    labels = [s.label for s in series]
    lines = []
    for s in series[:limit]:
        label = s.label
        if labels.count(label) > 1:  # same breakdown in several areas: name the area
            label = f"{label}, {s.area_name}"
        lines.append(
            ChartLine(
                label,
                [s.points[p].value if p in s.points else None for p in periods],
                kind="median" if s.statistic == Statistic.MEDIAN else "value",
            )
        )
    return lines


def _is_municipal(series, level: str) -> bool:
    first = next(iter(series.points.values()), None)
    return first is not None and first.area.level == level


def chart_axis(indicator: Indicator) -> dict:
    """Axis of a series chart: from zero for every unit; bounded scales to their top."""
    return {
        "y_from_zero": True,
        "y_max": {"mean_0_10": 10.0, "index_0_100": 100.0}.get(indicator.unit),
    }


def series_chart_drawn(table: IndicatorTable, lines: list[ChartLine] | None = None) -> bool:
    """Whether the indicator page and the explorer draw a series chart: two periods or more
    and a value to draw (``lines``: the table's `chart_lines`, when the caller has them)."""
    lines = chart_lines(table) if lines is None else lines
    return len(table.periods) >= 2 and any(v is not None for line in lines for v in line.values)


def series_chart_svg(indicator: Indicator, table: IndicatorTable) -> str | None:
    """The series chart of an indicator page and of the explorer (same drawing for both),
    drawn once for what it shows: cached under a digest of everything drawn (periods, lines
    with their values, texts, axis) and the language, so the indicator page and an unfiltered
    explorer share one drawing and a changed value is a new one."""
    import hashlib

    from django.utils.translation import get_language

    lines = chart_lines(table)
    if not series_chart_drawn(table, lines):
        return None
    drawing = {
        "periods": chart_periods(table),
        "lines": lines,
        "title": indicator.display_name,
        "description": chart_description(indicator, table),
        "unit_label": str(indicator.get_unit_display()),
        "decimals": indicator.decimals,
        **chart_axis(indicator),
    }
    digest = hashlib.sha256(repr((get_language(), sorted(drawing.items()))).encode()).hexdigest()
    key = f"chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = line_chart(**drawing).decode("utf-8")
        cache.set(key, svg, 24 * 3600)
    return svg


def chart_description(indicator: Indicator, table: IndicatorTable) -> str:
    parts = []
    for s in table.series:
        values = [
            f"{p}: {format_unit(s.points[p].value, indicator.unit, indicator.decimals)}"
            for p in table.periods
            if p in s.points and s.points[p].value is not None
        ]
        if values:
            parts.append(f"{s.label} – " + "; ".join(values))
    return ". ".join(parts) + "." if parts else _("Diagrammet saknar värden.")


__all__ = ["Headline", "headline", "indicator_table", "series_chart_svg", "to_point"]
