"""A series over time: latest and previous values, extremes, gaps and worsening streaks.

``trend(points, decimals=..., small_number_threshold=...)`` sorts the points by period and
splits them into

* *published* points – a value, and not too few cases (see :func:`is_small`);
* *small* periods – suppressed for too few cases (threshold or the source's flag);
* *missing* periods – a point without value, and every period absent between the first and the
  last point of the series (calendar years and school years alike advance one year at a time).

Everything else (latest, previous, min/max, highest/lowest, streaks) is computed on the
published points only, comparing values rounded as published when ``decimals`` is given
(exact values when it is ``None``). Ties for min/max go to the earliest period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from lagesbild.core.numbers import round_half_up

from .change import direction_of
from .points import Point, is_small, period_sort_key, periods_between

__all__ = ["DIRECTIONS", "Trend", "trend"]

DIRECTIONS = ("up", "down", "none")
"""Desired directions of an indicator (``none``: no desired direction)."""


@dataclass(frozen=True)
class Trend:
    points: tuple[Point, ...]
    """All points, sorted by period."""
    published: tuple[Point, ...]
    """Points with a value that are not too small, sorted by period."""
    decimals: int | None
    latest: Point | None
    previous: Point | None
    minimum: Point | None
    maximum: Point | None
    is_highest_since_start: bool
    """The latest value is strictly higher than every earlier published value (needs at least
    one earlier value)."""
    is_lowest_since_start: bool
    missing_periods: tuple[str, ...]
    small_periods: tuple[str, ...]

    @property
    def change_is_qualified(self) -> bool:
        """The latest change rests on a lower bound or an approximate value, so it is not
        computed (no change, no direction, no streak)."""
        return any(p is not None and p.qualifier for p in (self.latest, self.previous))

    @property
    def first_period(self) -> str | None:
        """First period with a published value."""
        return self.published[0].period if self.published else None

    @property
    def last_period(self) -> str | None:
        return self.published[-1].period if self.published else None

    def published_value(self, point: Point) -> Decimal:
        """The point's value as compared here (rounded when ``decimals`` is set)."""
        assert point.value is not None
        if self.decimals is None:
            return point.value
        return round_half_up(point.value, self.decimals)

    def consecutive_worsening(self, direction: str) -> int:
        """How many steps in a row, ending at the latest value, went against ``direction``.

        ``direction`` is the *desired* direction: ``"up"`` counts decreases, ``"down"`` counts
        increases, ``"none"`` always gives 0. A step is between two published values of
        consecutive periods; an unchanged value, an improvement, or a gap (missing or
        suppressed period) ends the streak. 2023→2024 down and 2024→2025 down with desired
        ``"up"`` → 2.
        """
        if direction not in DIRECTIONS:
            raise ValueError(f"Okänd riktning: {direction!r} (ska vara up, down eller none)")
        if direction == "none":
            return 0
        bad = "down" if direction == "up" else "up"
        count = 0
        pts = self.published
        for earlier, later in zip(reversed(pts[:-1]), reversed(pts[1:]), strict=True):
            (y0, k0), (y1, k1) = earlier.sort_key, later.sort_key
            if k0 != k1 or y1 != y0 + 1:
                break
            step = self.published_value(later) - self.published_value(earlier)
            if direction_of(step) != bad:
                break
            count += 1
        return count


def trend(
    points: Iterable[Point],
    *,
    decimals: int | None = None,
    small_number_threshold: int | Decimal | None = None,
) -> Trend:
    """Describe a series. Raises ``ValueError`` when a period occurs twice or calendar years and
    school years are mixed."""
    pts = tuple(sorted(points, key=lambda p: p.sort_key))
    seen: set[str] = set()
    for p in pts:
        if p.period in seen:
            raise ValueError(f"Perioden {p.period} förekommer två gånger i serien")
        seen.add(p.period)
    if len({p.sort_key[1] for p in pts}) > 1:
        raise ValueError("Serien blandar kalenderår och läsår")

    small = tuple(p.period for p in pts if is_small(p, small_number_threshold))
    published = tuple(p for p in pts if p.value is not None and p.period not in small)

    missing: list[str] = []
    if pts:
        for period in periods_between(pts[0].period, pts[-1].period):
            if period not in seen:
                missing.append(period)
        missing.extend(p.period for p in pts if p.value is None and p.period not in small)
        missing.sort(key=period_sort_key)

    def val(p: Point) -> Decimal:
        assert p.value is not None
        return p.value if decimals is None else round_half_up(p.value, decimals)

    latest = published[-1] if published else None
    previous = published[-2] if len(published) >= 2 else None
    minimum = min(published, key=val) if published else None  # min/max keep the first of ties
    maximum = max(published, key=val) if published else None
    earlier = published[:-1]
    highest = bool(earlier) and all(val(latest) > val(p) for p in earlier)
    lowest = bool(earlier) and all(val(latest) < val(p) for p in earlier)
    return Trend(
        points=pts,
        published=published,
        decimals=decimals,
        latest=latest,
        previous=previous,
        minimum=minimum,
        maximum=maximum,
        is_highest_since_start=highest,
        is_lowest_since_start=lowest,
        missing_periods=tuple(missing),
        small_periods=small,
    )
