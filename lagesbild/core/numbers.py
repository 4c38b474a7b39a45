"""Swedish number formatting and parsing (pure Python, no Django).

Conventions (Språkrådet / SCB style for published statistics):

* Thousands are grouped in threes with a space: ``1 613``, ``12 345``. Four-digit numbers are
  grouped too, so a table column reads the same all the way down. By default the space is a
  normal space (U+0020) so plain text and tests read naturally; ``nbsp=True`` puts a no-break
  space (U+00A0) in *every* space of the returned string (the groups and the space before a
  unit word) so a line never breaks inside a figure in HTML or Word.
* Decimal comma: ``6,9``; ``2,29``; ``0,93``. Decimals are never grouped.
* Minus sign is U+2212 ``−``, not the hyphen. A value that rounds to zero is printed without a
  sign (``−0,4`` with 0 decimals is ``0``, never ``−0``).
* Rounding is ROUND_HALF_UP (``2,5`` → ``3``, ``−2,5`` → ``−3``), the convention of Swedish
  official statistics, not Python's default banker's rounding.
* A missing value (``None``) is printed as an en dash ``–`` (U+2013), as in SCB tables.
* ``float`` is refused (``TypeError``): published figures are exact decimals, and a float has
  already lost that. Pass ``Decimal`` (or ``int``).

Units (the indicator catalogue's ``unit`` field) are described in :data:`UNITS`.

``parse_decimal`` reads figures typed by people or copied from reports. It accepts exactly one
optional sign (``-``, ``−`` or ``+``), an integer part that is either ungrouped (``1613``) or
grouped in threes with single spaces (``1 613``; normal, no-break or narrow no-break space),
at most one decimal separator (``,`` or ``.``, both meaning the decimal point) followed by at
least one digit, and an optional trailing ``%`` (the number is returned as is: ``25%`` → 25).
``.`` is always a decimal point, so ``1.613`` is one point six one three, never 1 613, and
``1.613,5`` (two separators) is refused rather than guessed. Only ASCII digits 0–9 count.
Surrounding whitespace is ignored; an en dash ``–`` is *not* a minus sign (it means "missing").
Everything else raises ``ValueError("Ogiltigt tal: '…'")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "MINUS",
    "MISSING",
    "NBSP",
    "UNITS",
    "Unit",
    "format_number",
    "format_percent",
    "format_pp",
    "format_unit",
    "get_unit",
    "parse_decimal",
    "round_half_up",
    "to_decimal",
]

MINUS = "\u2212"
"""The minus sign used in published figures."""
NBSP = "\u00a0"
"""No-break space, used for every space when ``nbsp=True``."""
MISSING = "\u2013"
"""En dash, printed for a missing value."""


@dataclass(frozen=True)
class Unit:
    """How values of one unit are written and compared.

    ``suffix`` follows the number (with a space), ``default_decimals`` is used when a caller does
    not give decimals, ``change_kind`` names what a difference between two values is measured in
    and ``relative_change`` says whether a change in percent of the earlier value is meaningful
    (counts and rates: yes; shares: never – a change in a share is in percentage points; bounded
    scales: no).
    """

    key: str
    label: str
    suffix: str
    default_decimals: int
    change_kind: str
    relative_change: bool


UNITS: dict[str, Unit] = {
    u.key: u
    for u in (
        Unit("percent", "procent", "procent", 0, "procentenheter", False),
        Unit("count", "antal", "", 0, "antal", True),
        Unit("mean_0_10", "medelvärde, skala 0–10", "", 1, "skalsteg", False),
        Unit("rate_per_100k", "per 100 000 invånare", "per 100 000 invånare", 2, "per_100k", True),
        Unit("index_0_100", "index 0–100", "", 0, "indexenheter", False),
    )
}


def get_unit(unit: str | Unit) -> Unit:
    """Return the :class:`Unit` for a key such as ``"percent"``; ``ValueError`` if unknown."""
    if isinstance(unit, Unit):
        return unit
    try:
        return UNITS[unit]
    except (KeyError, TypeError):
        raise ValueError(f"Okänd enhet: {unit!r}") from None


def to_decimal(value: Decimal | int) -> Decimal:
    """``int``/``Decimal`` → finite ``Decimal``. ``float``, ``bool`` and others: ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(
            f"Förväntade Decimal eller int, fick {type(value).__name__} ({value!r}); "
            "använd Decimal för publicerade värden"
        )
    d = Decimal(value)
    if not d.is_finite():
        raise ValueError(f"Ogiltigt tal: '{value}'")
    return d


def round_half_up(value: Decimal | int, decimals: int) -> Decimal:
    """Round to ``decimals`` places, halves away from zero (ROUND_HALF_UP); never ``-0``."""
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"Ogiltigt antal decimaler: {decimals!r}")
    d = to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if d.is_zero():
        d = abs(d)  # drop the sign of a negative zero, keep the exponent
    return d


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(groups)


def format_number(
    value: Decimal | int | None, decimals: int | None = None, *, nbsp: bool = False
) -> str:
    """Format a number the Swedish way: ``1 613``, ``6,9``, ``−3``; ``None`` → ``–``.

    ``decimals=None`` keeps the value's own decimals (``Decimal("6.90")`` → ``6,90``, an int has
    none); otherwise the value is rounded ROUND_HALF_UP to that many decimals.
    """
    if value is None:
        return MISSING
    if decimals is None:
        d = to_decimal(value)
        if d.as_tuple().exponent > 0:  # e.g. Decimal("1E+3")
            d = d.quantize(Decimal(1))
        if d.is_zero():
            d = abs(d)
    else:
        d = round_half_up(value, decimals)
    text = format(abs(d), "f")
    int_part, _, frac_part = text.partition(".")
    out = _group(int_part, NBSP if nbsp else " ")
    if frac_part:
        out += "," + frac_part
    return (MINUS + out) if d < 0 else out


def _with_suffix(number: str, suffix: str, nbsp: bool) -> str:
    if not suffix:
        return number
    text = f"{number} {suffix}"
    return text.replace(" ", NBSP) if nbsp else text


def format_percent(value: Decimal | int | None, decimals: int = 0, *, nbsp: bool = False) -> str:
    """``39`` → ``"39 procent"`` (the value is already in percent); ``None`` → ``–``."""
    if value is None:
        return MISSING
    return _with_suffix(format_number(value, decimals, nbsp=nbsp), "procent", nbsp)


def format_pp(delta: Decimal | int | None, decimals: int = 0, *, nbsp: bool = False) -> str:
    """A difference between two shares: ``"2 procentenheter"``, ``"1 procentenhet"``.

    Singular only when the printed figure is exactly ``1`` (``"1,0 procentenheter"`` is plural,
    as is ``"0 procentenheter"``). A negative delta keeps its sign: ``"−2 procentenheter"``.
    """
    if delta is None:
        return MISSING
    number = format_number(delta, decimals, nbsp=nbsp)
    word = "procentenhet" if number in ("1", MINUS + "1") else "procentenheter"
    return _with_suffix(number, word, nbsp)


def format_unit(
    value: Decimal | int | None,
    unit: str | Unit,
    decimals: int | None = None,
    *,
    nbsp: bool = False,
) -> str:
    """Format a value with its unit.

    ``percent`` → ``"39 procent"``, ``count`` → ``"1 613"``, ``mean_0_10`` → ``"6,9"``,
    ``rate_per_100k`` → ``"2,29 per 100 000 invånare"``, ``index_0_100`` → ``"72"``.
    ``decimals=None`` uses the unit's default (0, 0, 1, 2, 0). ``None`` → ``–`` (no unit word).
    """
    u = get_unit(unit)
    if value is None:
        return MISSING
    places = u.default_decimals if decimals is None else decimals
    return _with_suffix(format_number(value, places, nbsp=nbsp), u.suffix, nbsp)


_SPACES = " \u00a0\u202f"
_NUMBER_RE = re.compile(
    r"""
    (?P<sign>[-+\u2212])?
    (?P<int>[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)
    (?:[.,](?P<frac>[0-9]+))?
    (?:[ \u00a0\u202f]?%)?
    """,
    re.VERBOSE,
)


def parse_decimal(text: str) -> Decimal:
    """Parse a Swedish (or point-decimal) figure into an exact ``Decimal``.

    Accepts ``"6,9"``, ``"6.9"``, ``"1 613"``, ``"1\\u00a0613"``, ``"−3"``, ``"-3"``, ``"25%"``,
    ``" 25 % "``. The decimals are kept as written (``"6,90"`` → ``Decimal("6.90")``). Raises
    ``ValueError("Ogiltigt tal: '…'")`` for anything else, e.g. ``"abc"``, ``""``, ``"1,2,3"``,
    ``"1.613,5"``, ``"1 61"``, ``",5"``, ``"1e3"``. Non-strings raise ``TypeError``.
    """
    if not isinstance(text, str):
        raise TypeError(f"Ogiltigt tal: förväntade text, fick {type(text).__name__}")
    m = _NUMBER_RE.fullmatch(text.strip(_SPACES + "\t\n\r"))
    if m is None:
        raise ValueError(f"Ogiltigt tal: '{text}'")
    digits = re.sub(f"[{_SPACES}]", "", m["int"])
    literal = digits + (f".{m['frac']}" if m["frac"] else "")
    try:
        d = Decimal(literal)
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        raise ValueError(f"Ogiltigt tal: '{text}'")
    if m["sign"] in ("-", MINUS) and not d.is_zero():
        d = -d
    return d
