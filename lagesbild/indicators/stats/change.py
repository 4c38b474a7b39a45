"""The change between two points of a series.

Comparisons use the values *as published*: each value is rounded (ROUND_HALF_UP) to the
indicator's decimals first, so a text that quotes "från 37 till 39 procent" also says "2
procentenheter" and never contradicts its own figures. The unrounded difference is kept in
``absolute_exact``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from lagesbild.core.numbers import Unit, get_unit, round_half_up

from .points import Point

__all__ = ["Change", "change", "direction_of"]

_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Change:
    """From ``value_from`` (period ``period_from``) to ``value_to`` (``period_to``).

    * ``absolute`` – ``value_to − value_from`` of the published (rounded) values, in the unit
      named by ``kind``: ``"procentenheter"`` for shares, ``"antal"`` for counts,
      ``"skalsteg"`` for a 0–10 mean, ``"per_100k"`` for rates, ``"indexenheter"`` for an index.
    * ``relative_percent`` – the change in percent of ``value_from``, only for counts and rates
      (``None`` for shares, means and indexes, and when ``value_from`` is 0). Unrounded.
    * ``direction`` – ``"up"``, ``"down"`` or ``"unchanged"`` (published values equal).
    """

    period_from: str
    period_to: str
    value_from: Decimal
    value_to: Decimal
    absolute: Decimal
    absolute_exact: Decimal
    kind: str
    relative_percent: Decimal | None
    direction: str
    unit: str
    decimals: int


def direction_of(delta: Decimal) -> str:
    return "up" if delta > 0 else "down" if delta < 0 else "unchanged"


def change(a: Point, b: Point, unit: str | Unit, decimals: int | None = None) -> Change:
    """The change from ``a`` to ``b`` (``a`` must be the earlier period).

    ``decimals`` defaults to the unit's default (percent 0, count 0, mean_0_10 1,
    rate_per_100k 2, index_0_100 0); pass the indicator's own decimals.
    """
    u = get_unit(unit)
    places = u.default_decimals if decimals is None else decimals
    if a.value is None or b.value is None:
        missing = a.period if a.value is None else b.period
        raise ValueError(f"Förändring kan inte beräknas: värde saknas för {missing}")
    if a.sort_key >= b.sort_key:
        raise ValueError(f"Perioden {a.period!r} måste ligga före {b.period!r}")
    va, vb = round_half_up(a.value, places), round_half_up(b.value, places)
    with localcontext(_CONTEXT):
        absolute = vb - va
        exact = b.value - a.value
        relative = absolute * 100 / va if u.relative_change and va != 0 else None
    return Change(
        period_from=a.period,
        period_to=b.period,
        value_from=va,
        value_to=vb,
        absolute=absolute,
        absolute_exact=exact,
        kind=u.change_kind,
        relative_percent=relative,
        direction=direction_of(absolute),
        unit=u.key,
        decimals=places,
    )
