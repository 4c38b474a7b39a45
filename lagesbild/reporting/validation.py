"""Checks on reported figures, shared by the web form and the Excel upload.

`check_value(unit, raw)` reads what a person typed (decimal comma accepted, via
`lagesbild.core.numbers.parse_decimal`) and checks it against the indicator's unit. Errors are
Swedish sentences without location; the caller adds sheet, row and column.
"""

from __future__ import annotations

from decimal import Decimal

from lagesbild.core.numbers import parse_decimal

# Allowed range per unit (inclusive); None means unbounded.
UNIT_RANGES: dict[str, tuple[Decimal | None, Decimal | None]] = {
    "percent": (Decimal(0), Decimal(100)),
    "count": (Decimal(0), None),
    "rate_per_100k": (Decimal(0), None),
    "mean_0_10": (Decimal(0), Decimal(10)),
    "index_0_100": (Decimal(0), Decimal(100)),
}
INTEGER_UNITS = {"count"}


class ValueProblem(ValueError):
    """A reported value that cannot be accepted; the message is Swedish."""


def parse_value(raw) -> Decimal | None:
    """Text or a number from a form or a cell → Decimal, or None when empty."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem(f"'{raw}' är inte ett tal")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        # Excel stores numbers as binary floats; repr gives the shortest exact round trip.
        return Decimal(repr(raw))
    if isinstance(raw, Decimal):
        return raw
    if not isinstance(raw, str):
        raise ValueProblem(f"'{raw}' är inte ett tal")
    text = raw.strip()
    if not text:
        return None
    try:
        return parse_decimal(text)
    except ValueError:
        raise ValueProblem(f"'{text}' är inte ett tal (skriv till exempel 12 eller 6,9)")


def check_unit(unit: str, value: Decimal) -> None:
    low, high = UNIT_RANGES.get(unit, (None, None))
    if unit in INTEGER_UNITS and value != value.to_integral_value():
        raise ValueProblem(f"ett antal ska vara ett heltal, inte {format_exact(value)}")
    if low is not None and value < low:
        what = "ett antal" if unit == "count" else "värdet"
        raise ValueProblem(f"{what} kan inte vara negativt ({format_exact(value)})")
    if high is not None and value > high:
        if unit == "percent":
            raise ValueProblem(
                f"en andel i procent ska vara mellan 0 och 100, inte {format_exact(value)}"
            )
        raise ValueProblem(
            f"värdet ska vara mellan {format_exact(low)} och {format_exact(high)}, inte {format_exact(value)}"
        )


def check_value(unit: str, raw) -> Decimal | None:
    value = parse_value(raw)
    if value is not None:
        check_unit(unit, value)
    return value


def format_exact(value: Decimal | None) -> str:
    """A value exactly as stored (no rounding), with decimal comma and a true minus sign."""
    text = format(value.normalize(), "f") if value is not None else ""
    return text.replace(".", ",").replace("-", "\u2212")
