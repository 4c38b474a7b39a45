"""Shares from counts, aggregation of shares, median and quartiles – exact, in ``Decimal``.

All arithmetic runs in a fixed decimal context (28 significant digits, ROUND_HALF_EVEN for the
last digit), independent of the caller's context. Sums, the median and the quartiles are exact
(they only divide by 2 or 4); a share such as 1/3 is exact to 28 significant digits. Rounding for
publication happens only when formatting (ROUND_HALF_UP, see ``lagesbild.core.numbers``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from lagesbild.core.numbers import to_decimal

__all__ = [
    "AggregateShare",
    "Quartiles",
    "aggregate_share",
    "median",
    "quartiles",
    "share_from_counts",
]

_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
_HUNDRED = Decimal(100)


def share_from_counts(numerator: Decimal | int, denominator: Decimal | int) -> Decimal:
    """``numerator / denominator * 100`` in percent, e.g. ``(39, 100)`` → ``Decimal("39")``.

    Raises ``ValueError`` when the denominator is 0 or negative, the numerator is negative, or
    the numerator exceeds the denominator (a share cannot pass 100 percent).
    """
    num, den = to_decimal(numerator), to_decimal(denominator)
    if den <= 0:
        raise ValueError(f"Nämnaren måste vara större än 0 (fick {den})")
    if num < 0:
        raise ValueError(f"Täljaren kan inte vara negativ (fick {num})")
    if num > den:
        raise ValueError(f"Täljaren ({num}) är större än nämnaren ({den})")
    with localcontext(_CONTEXT):
        return num * _HUNDRED / den


@dataclass(frozen=True)
class AggregateShare:
    """A share computed from summed counts. ``denominator`` is the total number of respondents
    (or cases) behind it, ``parts`` the number of parts summed."""

    share: Decimal
    numerator: Decimal
    denominator: Decimal
    parts: int


def aggregate_share(
    parts: Iterable[tuple[Decimal | int | None, Decimal | int | None]],
) -> AggregateShare:
    """Combine parts (e.g. municipalities) into one share: ``sum(num) / sum(den) * 100``.

    Percentages are never averaged: a part with 10 respondents weighs a tenth of one with 100.
    Every part needs both counts – a part with a missing count raises ``ValueError`` (the
    aggregate would silently describe a different population). A part may be ``(0, 0)``; the
    total denominator may not be 0.
    """
    num_total = den_total = Decimal(0)
    n = 0
    with localcontext(_CONTEXT):
        for i, part in enumerate(parts):
            num, den = part
            if num is None or den is None:
                raise ValueError(f"Del {i + 1} saknar täljare eller nämnare")
            num, den = to_decimal(num), to_decimal(den)
            if num < 0 or den < 0 or num > den:
                raise ValueError(f"Del {i + 1} har ogiltiga tal: {num}/{den}")
            num_total += num
            den_total += den
            n += 1
    if n == 0:
        raise ValueError("Inga delar att räkna samman")
    if den_total == 0:
        raise ValueError("Summan av nämnarna är 0 – andelen kan inte beräknas")
    return AggregateShare(share_from_counts(num_total, den_total), num_total, den_total, n)


def _sorted_values(values: Iterable[Decimal | int | None], what: str) -> list[Decimal]:
    out = []
    for v in values:
        if v is None:
            raise ValueError(f"{what}: värden saknas (None) – filtrera bort saknade värden först")
        out.append(to_decimal(v))
    if not out:
        raise ValueError(f"{what}: inga värden")
    return sorted(out)


def median(values: Iterable[Decimal | int]) -> Decimal:
    """Exact median; with an even count the mean of the two middle values.

    Used for "medianen i riket": the median over all areas of the same level. ``ValueError``
    for no values or a ``None`` among them.
    """
    xs = _sorted_values(values, "Median")
    n, mid = len(xs), len(xs) // 2
    if n % 2:
        return xs[mid]
    with localcontext(_CONTEXT):
        return (xs[mid - 1] + xs[mid]) / 2


@dataclass(frozen=True)
class Quartiles:
    q1: Decimal
    median: Decimal
    q3: Decimal

    def __iter__(self):
        return iter((self.q1, self.median, self.q3))


def quartiles(values: Sequence[Decimal | int] | Iterable[Decimal | int]) -> Quartiles:
    """First quartile, median and third quartile by the *inclusive* method.

    Same definition as ``statistics.quantiles(data, n=4, method="inclusive")`` (and Excel's
    ``KVARTIL.INK``/``QUARTILE.INC``, R type 7): with the n sorted values at positions
    0 … n−1, quartile k sits at position k·(n−1)/4, interpolated linearly between neighbours.
    The middle one equals :func:`median`. One value gives that value three times.
    """
    xs = _sorted_values(values, "Kvartiler")
    m = len(xs) - 1
    out = []
    with localcontext(_CONTEXT):
        for k in (1, 2, 3):
            j, delta = divmod(k * m, 4)
            if delta == 0:
                out.append(xs[j])
            else:
                out.append((xs[j] * (4 - delta) + xs[j + 1] * delta) / 4)
    return Quartiles(*out)
