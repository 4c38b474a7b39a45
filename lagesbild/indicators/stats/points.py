"""Periods, data points, revisions and the small-numbers rule.

A period is either a calendar year ``"2024"`` or a school year ``"2024/2025"`` (the second year
must follow the first). School years sort by their start year, just after the calendar year
with the same number: ``"2024"`` < ``"2024/2025"`` < ``"2025"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from lagesbild.core.numbers import to_decimal

__all__ = [
    "FLAGS",
    "Point",
    "Revision",
    "is_small",
    "next_period",
    "period_kind",
    "period_label",
    "period_range_label",
    "period_sort_key",
    "periods_between",
]

FLAGS = frozenset(
    {"revised", "provisional", "too_few_cases", "missing", "at_least", "approximately"}
)
"""Flags a :class:`Point` may carry. ``at_least`` and ``approximately`` are the value's
qualifier (a lower bound, an approximate value): such a value is never the base of a change."""
QUALIFIER_FLAGS = ("at_least", "approximately")

_PERIOD_RE = re.compile(r"(\d{4})(?:/(\d{4}))?")


def period_sort_key(period: str) -> tuple[int, int]:
    """``"2024"`` → ``(2024, 0)``, ``"2024/2025"`` → ``(2024, 1)``; ``ValueError`` on garbage."""
    m = _PERIOD_RE.fullmatch(period) if isinstance(period, str) else None
    if m is None:
        raise ValueError(f"Ogiltig period: {period!r} (förväntade t.ex. '2024' eller '2024/2025')")
    start = int(m[1])
    if m[2] is None:
        return (start, 0)
    if int(m[2]) != start + 1:
        raise ValueError(
            f"Ogiltig period: {period!r} (läsåret ska omfatta två på varandra följande år)"
        )
    return (start, 1)


def period_kind(period: str) -> str:
    """``"year"`` for ``"2024"``, ``"school_year"`` for ``"2024/2025"``."""
    return "school_year" if period_sort_key(period)[1] else "year"


def next_period(period: str) -> str:
    """The following period of the same kind: ``"2024"`` → ``"2025"``, ``"2024/2025"`` →
    ``"2025/2026"``."""
    start, kind = period_sort_key(period)
    return f"{start + 1}/{start + 2}" if kind else str(start + 1)


def periods_between(first: str, last: str) -> list[str]:
    """All periods from ``first`` to ``last`` inclusive (same kind required)."""
    (a, ka), (b, kb) = period_sort_key(first), period_sort_key(last)
    if ka != kb:
        raise ValueError(f"Perioderna {first!r} och {last!r} är av olika slag (kalenderår/läsår)")
    if b < a:
        raise ValueError(f"Perioden {last!r} ligger före {first!r}")
    out, p = [first], first
    while p != last:
        p = next_period(p)
        out.append(p)
    return out


def period_label(period: str, *, prefix: bool = False) -> str:
    """The period as written in the report: ``"2024"``, ``"2024/2025"``.

    ``prefix=True`` adds the noun, for use right after a bare number where two figures would
    otherwise touch: ``"år 2024"``, ``"läsåret 2024/2025"``.
    """
    _, kind = period_sort_key(period)
    if not prefix:
        return period
    return f"läsåret {period}" if kind else f"år {period}"


def period_range_label(first: str, last: str) -> str:
    """``"2019–2025"`` (en dash); ``"2019/2020–2024/2025"``; a single period when equal."""
    period_sort_key(first)
    period_sort_key(last)
    return first if first == last else f"{first}\u2013{last}"


def _opt_decimal(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


@dataclass(frozen=True)
class Point:
    """One published value of a series.

    ``value`` is the figure as published (a percentage is 39, not 0.39); ``numerator`` and
    ``denominator`` are the counts behind a share or rate where known. ``int`` values are
    converted to ``Decimal``; ``float`` is refused. A point with ``value=None`` is missing
    (unless it is flagged ``too_few_cases``: then it was suppressed by the source).
    """

    period: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    flags: frozenset[str] = field(default_factory=frozenset)
    missing_reason: str = ""

    def __post_init__(self) -> None:
        period_sort_key(self.period)
        object.__setattr__(self, "value", _opt_decimal(self.value))
        object.__setattr__(self, "numerator", _opt_decimal(self.numerator))
        object.__setattr__(self, "denominator", _opt_decimal(self.denominator))
        flags = frozenset(self.flags)
        unknown = flags - FLAGS
        if unknown:
            raise ValueError(f"Okända flaggor för {self.period}: {', '.join(sorted(unknown))}")
        if "missing" in flags and self.value is not None:
            raise ValueError(f"Perioden {self.period} är flaggad som saknad men har ett värde")
        object.__setattr__(self, "flags", flags)

    @property
    def sort_key(self) -> tuple[int, int]:
        return period_sort_key(self.period)

    @property
    def is_missing(self) -> bool:
        """No value and not merely suppressed for too few cases."""
        return self.value is None and "too_few_cases" not in self.flags

    @property
    def qualifier(self) -> str:
        """ "at_least" or "approximately" for a lower bound or an approximate value, else ""."""
        return next((q for q in QUALIFIER_FLAGS if q in self.flags), "")


@dataclass(frozen=True)
class Revision:
    """A published value that was later changed (``old_value`` → ``new_value``)."""

    period: str
    old_value: Decimal
    new_value: Decimal
    reason: str = ""

    def __post_init__(self) -> None:
        period_sort_key(self.period)
        object.__setattr__(self, "old_value", to_decimal(self.old_value))
        object.__setattr__(self, "new_value", to_decimal(self.new_value))


def is_small(point: Point, threshold: int | Decimal | None) -> bool:
    """Whether a point rests on too few cases to be shown as a share.

    * ``threshold is None`` → never small (no rule configured) – except that a point the source
      itself flagged ``too_few_cases`` is always small.
    * the denominator is known → small when ``denominator < threshold`` (a denominator equal to
      the threshold is enough).
    * the denominator is unknown → not small: we cannot tell, and suppressing every value without
      a denominator would hide most published series. Flag such points ``too_few_cases``
      instead.
    """
    if "too_few_cases" in point.flags:
        return True
    if threshold is None:
        return False
    t = to_decimal(threshold)
    if t < 0:
        raise ValueError(f"Gränsen för få fall kan inte vara negativ: {threshold}")
    return point.denominator is not None and point.denominator < t
