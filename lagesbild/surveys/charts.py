"""A horizontal bar chart of index values per municipality, as accessible SVG.

Drawn with matplotlib's object API like `lagesbild.indicators.charts` (same palette and SVG
title/desc);
the page always puts the data table next to it.
"""

from __future__ import annotations

import io
from decimal import Decimal

from lagesbild.indicators.charts import PALETTE, _accessible_svg, _swedish


def bar_chart(
    *,
    labels: list[str],
    values: list[Decimal],
    title: str,
    description: str,
    reference: tuple[str, Decimal] | None = None,
) -> str:
    """Bars 0–100, highest first as given; an optional reference line (e.g. the county median)."""
    from matplotlib.figure import Figure

    height = max(2.4, 0.28 * len(labels) + 1.0)
    fig = Figure(figsize=(7.5, height), dpi=110)
    ax = fig.subplots()
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, [float(v) for v in values], color=PALETTE[0], height=0.7)
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Index 0–100")
    for y, v in zip(ys, values, strict=True):
        ax.text(float(v) + 1, y, _swedish(float(v), 0), va="center", fontsize=8)
    if reference is not None:
        label, value = reference
        ax.axvline(float(value), color=PALETTE[1], linestyle="--", linewidth=2)
        ax.text(float(value) + 1, ys[0] + 0.6 if ys else 0, label, color="#8a3b00", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return _accessible_svg(buf.getvalue(), title, description)
