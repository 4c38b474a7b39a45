"""Pure statistics for indicator series, with units (no Django, no database).

See ``docs/statistics.md``. Everything is exact ``Decimal`` arithmetic; rounding for publication
is ROUND_HALF_UP (``lagesbild.core.numbers``).

* :mod:`.points` – periods (``"2024"``, ``"2024/2025"``), :class:`Point`, :class:`Revision`,
  :func:`is_small`.
* :mod:`.change` – :func:`change` between two points (procentenheter for shares).
* :mod:`.aggregate` – :func:`share_from_counts`, :func:`aggregate_share`, :func:`median`,
  :func:`quartiles`.
* :mod:`.trend` – :func:`trend`: latest/previous, extremes, gaps, worsening streaks.
"""

from .aggregate import (
    AggregateShare,
    Quartiles,
    aggregate_share,
    median,
    quartiles,
    share_from_counts,
)
from .change import Change, change, direction_of
from .points import (
    FLAGS,
    Point,
    Revision,
    is_small,
    next_period,
    period_kind,
    period_label,
    period_range_label,
    period_sort_key,
    periods_between,
)
from .trend import DIRECTIONS, Trend, trend

__all__ = [
    "DIRECTIONS",
    "FLAGS",
    "AggregateShare",
    "Change",
    "Point",
    "Quartiles",
    "Revision",
    "Trend",
    "aggregate_share",
    "change",
    "direction_of",
    "is_small",
    "median",
    "next_period",
    "period_kind",
    "period_label",
    "period_range_label",
    "period_sort_key",
    "periods_between",
    "quartiles",
    "share_from_counts",
    "trend",
]
