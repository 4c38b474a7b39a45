"""The report's charts: one per indicator with a national median, drawn with matplotlib's object
API (never pyplot), imported only when a chart is drawn.

Rules every chart keeps: the county (or the area the indicator follows) and the national median
have the same colour, marker and line style in every chart and legend (``AREA_STYLE``,
``MEDIAN_STYLE``; breakdown groups get the next colours of the palette); a gap in the data is a
gap in the line (no segment across a missing period); a series with a single period is drawn as
a dot, and a chart with a single period as bars.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lagesbild.indicators.charts import PALETTE, finish_chart

AREA_STYLE = {"color": "#0072B2", "marker": "o", "linestyle": "-"}
MEDIAN_STYLE = {"color": "#555555", "marker": "s", "linestyle": "--"}
GROUP_STYLES = [
    {"color": c, "marker": m, "linestyle": ls}
    for c, m, ls in zip(
        PALETTE[1:], ["^", "D", "v", "P", "X", "s"], ["-.", ":", "-", "--", "-."], strict=False
    )
]


@dataclass
class ChartSeries:
    label: str
    values: list[Decimal | None]  # aligned with the chart's periods
    median: bool = False


def segments(values: list[Decimal | None]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive present values: a missing period breaks the line."""
    out: list[list[tuple[int, float]]] = []
    run: list[tuple[int, float]] = []
    for x, v in enumerate(values):
        if v is None:
            if run:
                out.append(run)
            run = []
        else:
            run.append((x, float(v)))
    if run:
        out.append(run)
    return out


def styles(series: list[ChartSeries]) -> list[dict]:
    """The style of each series: the area and the median always the same."""
    out, group = [], 0
    for i, s in enumerate(series):
        if s.median:
            out.append(MEDIAN_STYLE)
        elif i == 0:
            out.append(AREA_STYLE)
        else:
            out.append(GROUP_STYLES[group % len(GROUP_STYLES)])
            group += 1
    return out


def report_chart(
    *,
    periods: list[str],
    series: list[ChartSeries],
    title: str,
    description: str,
    unit_label: str,
    decimals: int = 0,
    fmt: str = "svg",
    y_from_zero: bool = True,
) -> bytes:
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.hashsalt"] = "lagesbild-lagesrapport"
    fig = Figure(figsize=(7.0, 3.0), dpi=110)
    ax = fig.subplots()
    xs = list(range(len(periods)))
    st = styles(series)
    if len(periods) == 1:
        width = 0.8 / max(len(series), 1)
        for i, (s, style) in enumerate(zip(series, st, strict=True)):
            if s.values[0] is None:
                continue
            ax.bar(
                [i * width],
                [float(s.values[0])],
                width=width * 0.9,
                color=style["color"],
                label=s.label,
                hatch="//" if s.median else None,
                edgecolor="white",
            )
        ax.set_xticks([width * (len(series) - 1) / 2], periods)
    else:
        for s, style in zip(series, st, strict=True):
            first = True
            for run in segments(s.values):
                ax.plot(
                    [p[0] for p in run],
                    [p[1] for p in run],
                    label=s.label if first else None,
                    color=style["color"],
                    marker=style["marker"],
                    linestyle=style["linestyle"] if len(run) > 1 else "none",
                    linewidth=2,
                )
                first = False
        ax.set_xticks(xs, periods)
    return finish_chart(
        fig,
        ax,
        unit_label=unit_label,
        decimals=decimals,
        y_from_zero=y_from_zero,
        legend=len(series) > 1,
        fmt=fmt,
        title=title,
        description=description,
    )
