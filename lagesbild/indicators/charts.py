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


@dataclass
class ChartLine:
    label: str
    values: list[Decimal | None]  # aligned with the chart's periods


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
) -> bytes:
    """Draw a line chart; returns SVG (with title/desc) or PNG bytes."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    # Same data, same SVG: matplotlib otherwise salts its element ids at random.
    matplotlib.rcParams["svg.hashsalt"] = "lagesbild-lagesrapport"
    fig = Figure(figsize=(7.5, 3.6), dpi=110)
    ax = fig.subplots()
    xs = list(range(len(periods)))
    for i, line in enumerate(lines):
        pts = [(x, float(v)) for x, v in zip(xs, line.values, strict=False) if v is not None]
        if not pts:
            continue
        ax.plot(
            [p[0] for p in pts],
            [p[1] for p in pts],
            label=line.label,
            color=PALETTE[i % len(PALETTE)],
            marker=MARKERS[i % len(MARKERS)],
            linestyle=STYLES[i % len(STYLES)],
            linewidth=2,
        )
    ax.set_xticks(xs, periods)
    ax.set_ylabel(unit_label)
    if y_from_zero:
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: _swedish(v, decimals if decimals else 0))
    )
    ax.grid(axis="y", color="#cccccc", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    if len(lines) > 1:
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
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
