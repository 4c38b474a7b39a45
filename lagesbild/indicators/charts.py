"""Charts as accessible SVG (and PNG for Word), drawn with matplotlib.

A chart is never the only carrier of its figures: pages and reports put the data table next to it
and the SVG has <title> and <desc> for screen readers.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from html import escape

# matplotlib is imported inside the drawing functions: importing it costs about a second, and
# nothing on the path of loading the URLs or starting the CLI may pay that (issue: quick starts).
# Charts use the object API (Figure + its Agg canvas), never pyplot: pyplot keeps global state
# that threads of one worker would share.
# Colour-blind-safe palette (Okabe–Ito) with distinct markers and line styles, so that no series
# is told apart by colour alone.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
STYLES = ["-", "--", "-.", ":", "-", "--", "-."]
# The median has one style in every chart: dark grey, dotted, no marker; never a palette colour.
MEDIAN_STYLE = {
    "color": "#595959",
    "linestyle": (0, (1.5, 1.5)),
    "marker": "x",
    "markersize": 6,
    "linewidth": 2.2,
}
# Ranked bars: the municipalities in one blue, the county in black with hatching, the
# municipality the reader picked in orange with hatching and its name in bold (never colour
# alone: the county and the picked municipality also carry a pattern and a word).
BAR_COLOUR = "#0072B2"
COUNTY_COLOUR = "#1a1a1a"
HIGHLIGHT_COLOUR = "#D55E00"


@dataclass
class ChartLine:
    label: str
    values: list[Decimal | None]  # aligned with the chart's periods
    kind: str = "value"  # "value" | "median"


def _swedish(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text.replace("-", "−")


def line_chart(
    *,
    periods: list[str],
    lines: list[ChartLine],
    title: str,
    description: str,
    unit_label: str,
    decimals: int = 0,
    fmt: str = "svg",
    y_from_zero: bool = True,
    y_max: float | None = None,
) -> bytes:
    """Draw a line chart; returns SVG (with title/desc) or PNG bytes.

    The y-axis starts at zero (shares, counts, rates); `y_max` fixes the top of a bounded
    scale (0–10, 0–100). With `y_from_zero=False` the axis is cut and says so in its label.
    """
    import matplotlib
    from matplotlib.figure import Figure

    # Same data, same SVG: matplotlib otherwise salts its element ids at random.
    matplotlib.rcParams["svg.hashsalt"] = "lagesbild-lagesrapport"
    fig = Figure(figsize=(7.5, 3.6), dpi=110)
    ax = fig.subplots()
    xs = list(range(len(periods)))
    i = 0
    for line in lines:
        pts = [(x, float(v)) for x, v in zip(xs, line.values, strict=False) if v is not None]
        if not pts:
            continue
        if line.kind == "median":
            style = dict(MEDIAN_STYLE)
        else:
            style = {
                "color": PALETTE[i % len(PALETTE)],
                "marker": MARKERS[i % len(MARKERS)],
                "linestyle": STYLES[i % len(STYLES)],
                "linewidth": 2,
            }
            i += 1
        ax.plot([p[0] for p in pts], [p[1] for p in pts], label=line.label, **style)
    ax.set_xticks(xs, periods)
    return finish_chart(
        fig,
        ax,
        unit_label=unit_label,
        decimals=decimals,
        y_from_zero=y_from_zero,
        y_max=y_max,
        legend=len(lines) > 1,
        fmt=fmt,
        title=title,
        description=description,
    )


def finish_chart(
    fig,
    ax,
    *,
    unit_label: str,
    decimals: int,
    y_from_zero: bool,
    legend: bool,
    fmt: str,
    title: str,
    description: str,
    y_max: float | None = None,
) -> bytes:
    """The axes, grid and legend every chart of the site and the report shares, then the
    figure as SVG (with title and description) or PNG bytes. An axis that does not start at
    zero says so in its label."""
    from matplotlib.ticker import FuncFormatter

    ax.set_ylabel(unit_label)
    if y_from_zero:
        ax.set_ylim(bottom=0, top=y_max)
    else:
        ax.set_ylabel(f"{unit_label} ({_cut_word()})")
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: _swedish(v, decimals if decimals else 0))
    )
    ax.grid(axis="y", color="#cccccc", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    if legend:
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    data = buf.getvalue()
    if fmt == "svg":
        data = _accessible_svg(data.decode("utf-8"), title, description).encode("utf-8")
    return data


def _cut_word() -> str:
    from django.utils.translation import gettext

    return gettext("axeln börjar inte på noll")


def ranked_bar_chart(
    *,
    labels: list[str],
    values: list[Decimal],
    kinds: list[str],
    title: str,
    description: str,
    unit_label: str,
    decimals: int = 0,
    highlight: str | None = None,
    median_label: str = "",
    median: Decimal | None = None,
    fmt: str = "svg",
) -> bytes:
    """Horizontal bars, one per row in the given order, from zero, every bar labelled with its
    value. `kinds` marks "county" rows (black, hatched); `highlight` is the label drawn in
    orange, hatched and bold; the median is a vertical line in the median style."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    matplotlib.rcParams["svg.hashsalt"] = "lagesbild-lagesrapport"
    height = max(2.5, 0.26 * len(labels) + 1.0)
    fig = Figure(figsize=(7.5, height), dpi=110)
    ax = fig.subplots()
    ys = list(range(len(labels)))[::-1]
    top = max([float(v) for v in values] + [float(median or 0)] + [0]) or 1.0
    for y, label, value, kind in zip(ys, labels, values, kinds, strict=True):
        colour, hatch = BAR_COLOUR, None
        if kind == "county":
            colour, hatch = COUNTY_COLOUR, "///"
        if highlight and label == highlight:
            colour, hatch = HIGHLIGHT_COLOUR, "\\\\"
        ax.barh(y, float(value), color=colour, hatch=hatch, edgecolor="#ffffff", height=0.75)
        ax.text(
            float(value) + top * 0.01,
            y,
            _swedish(float(value), decimals),
            va="center",
            fontsize=7.5,
        )
    ax.set_yticks(ys, labels, fontsize=8)
    for tick, label, kind in zip(ax.get_yticklabels(), labels, kinds, strict=True):
        if kind == "county" or (highlight and label == highlight):
            tick.set_fontweight("bold")
    if median is not None:
        ax.axvline(
            float(median),
            **{k: v for k, v in MEDIAN_STYLE.items() if k not in ("marker", "markersize")},
        )
        ax.text(
            float(median),
            len(labels) - 0.4,
            median_label,
            fontsize=7.5,
            color=MEDIAN_STYLE["color"],
            ha="left",
        )
    ax.set_xlim(0, top * 1.15)
    ax.set_ylim(-0.6, len(labels) - 0.2)
    ax.set_xlabel(unit_label)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _swedish(v, 0)))
    ax.grid(axis="x", color="#cccccc", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    data = buf.getvalue()
    if fmt == "svg":
        data = _accessible_svg(data.decode("utf-8"), title, description).encode("utf-8")
    return data


def _accessible_svg(svg: str, title: str, description: str) -> str:
    svg = svg[svg.index("<svg") :]  # drop XML prolog and doctype for inline use
    uid = "c" + hashlib.sha1(f"{title}|{description}".encode()).hexdigest()[:10]
    head = f'<svg role="img" aria-labelledby="{uid}-t {uid}-d" focusable="false"'
    svg = svg.replace("<svg", head, 1)
    svg = re.sub(
        r"(<svg[^>]*>)",
        rf'\1<title id="{uid}-t">{escape(title)}</title>'
        rf'<desc id="{uid}-d">{escape(description)}</desc>',
        svg,
        count=1,
    )
    return svg
