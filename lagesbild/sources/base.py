"""Shared types for the source parsers: cells, problems and the one error they raise.

Nothing here touches the ORM. Parsers return plain dataclasses; the importer layer decides what to
write. Every parser validates its whole input and raises ONE :class:`ParseError` listing all
problems (at most :data:`MAX_PROBLEMS`), never half a result.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

MAX_PROBLEMS = 100

#: Shared breakdown vocabulary (see docs/data-format.md, `observations.csv`).
SEX_TOTAL = "totalt"
SEX_WOMEN = "kvinnor"
SEX_MEN = "man"
SEX_GIRLS = "flickor"
SEX_BOYS = "pojkar"

Source = bytes | bytearray | str | os.PathLike


@dataclass
class Cell:
    """One value of a statistical table.

    ``dims`` maps a dimension id to a category code, ``labels`` the same ids to category labels.
    ``status`` is kept apart from ``value``: a missing value usually has a status saying why, but a
    status (a data note) may also sit on a cell that has a value.
    """

    dims: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)
    value: Decimal | None = None
    status: str | None = None
    unit: str | None = None
    decimals: int | None = None


@dataclass(frozen=True)
class Problem:
    """One validation problem, located the way a user sees the file.

    ``row`` is 1-based as in Excel or a text editor; ``column`` is a header name or a column
    letter. ``row_label``/``column_label`` let JSON sources say "post 3, fält 'value'".
    """

    file: str
    row: int | None
    column: str | None
    message: str
    row_label: str = "rad"
    column_label: str = "kolumn"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" {self.row_label} {self.row}"
        if self.column:
            where += f", {self.column_label} '{self.column}'"
        return f"{where}: {self.message}"


class ParseError(Exception):
    """Raised once per input with every problem found (capped at :data:`MAX_PROBLEMS`)."""

    def __init__(self, problems: Iterable[Problem], total: int | None = None):
        items = list(problems)
        self.total = max(total if total is not None else len(items), len(items))
        self.problems: list[Problem] = items[:MAX_PROBLEMS]
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [str(p) for p in self.problems]
        rest = self.total - len(self.problems)
        if rest > 0:
            lines.append(f"… och {rest} problem till (visar de första {len(self.problems)})")
        return "\n".join(lines)

    @classmethod
    def single(cls, file: str, message: str, row: int | None = None, column: str | None = None):
        return cls([Problem(file, row, column, message)])


class Problems:
    """Collects problems for one file; ``raise_if_any`` raises the single ParseError."""

    def __init__(self, file: str, row_label: str = "rad", column_label: str = "kolumn"):
        self.file = file
        self.row_label = row_label
        self.column_label = column_label
        self.items: list[Problem] = []
        self.total = 0

    def add(
        self, row: int | None, column: str | None, message: str, *, file: str | None = None
    ) -> None:
        """Record a problem; ``file`` overrides the display name (e.g. "x.xlsx, bladet 'A'")."""
        self.total += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(
                Problem(file or self.file, row, column, message, self.row_label, self.column_label)
            )

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            raise ParseError(self.items, self.total)


# --- reading -------------------------------------------------------------------------------------


def read_source(source: Source, file: str | None = None) -> tuple[bytes, str]:
    """Return ``(bytes, display name)``. Bytes are content; ``str``/``PathLike`` are paths."""
    if isinstance(source, bytes | bytearray):
        return bytes(source), file or "<data>"
    path = Path(source)
    name = file or path.name
    try:
        return path.read_bytes(), name
    except OSError as exc:
        raise ParseError.single(name, f"filen kan inte läsas: {exc.strerror or exc}") from None


def decode_json(data: bytes, file: str) -> Any:
    """Decode UTF-8 (optional BOM) JSON; errors become a ParseError naming file and position."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError.single(
            file, f"filen är inte giltig UTF-8 (byte {exc.start + 1}: {exc.reason})"
        ) from None
    if not text.strip():
        raise ParseError.single(file, "filen är tom")
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ParseError(
            [
                Problem(
                    file,
                    exc.lineno,
                    None,
                    f"ogiltig JSON vid tecken {exc.colno} (position {exc.pos}): "
                    f"{_json_reason(exc.msg)}",
                )
            ]
        ) from None
    except ValueError as exc:  # NaN/Infinity
        raise ParseError.single(file, f"ogiltig JSON: {exc}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"'{name}' är inte tillåtet i JSON")


_JSON_REASONS = {
    "Expecting value": "väntade ett värde",
    "Expecting ',' delimiter": "väntade ','",
    "Expecting ':' delimiter": "väntade ':'",
    "Unterminated string starting at": "strängen tar aldrig slut",
    "Expecting property name enclosed in double quotes": "väntade ett fältnamn inom citattecken",
    "Extra data": "extra data efter JSON-dokumentet",
    "Invalid control character at": "otillåtet kontrolltecken",
}


def _json_reason(msg: str) -> str:
    for en, sv in _JSON_REASONS.items():
        if msg.startswith(en):
            return f"{sv} (filen kan vara avkortad)" if en == "Expecting value" else sv
    return msg


# --- numbers -------------------------------------------------------------------------------------


def json_number(value: Any) -> Decimal:
    """A JSON number (already decoded with ``parse_float=Decimal``) or numeric string → Decimal.

    Raises ``ValueError`` for booleans, non-finite numbers and anything non-numeric.
    """
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip()
        if not _PLAIN_NUMBER.fullmatch(text):
            raise ValueError
        return Decimal(text)
    raise ValueError


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def excel_number(value: Any) -> Decimal:
    """A number from an Excel cell: floats exactly as stored (``Decimal(str(float))``)."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError
        return Decimal(str(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return parse_decimal_text(value, None)
    raise ValueError


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


def parse_decimal_text(text: str, decimal: str | None) -> Decimal:
    """Parse a number written by a person or a spreadsheet.

    ``decimal`` is ``","`` or ``"."``; ``None`` accepts either (but not both). Spaces and
    no-break spaces are accepted as thousands separators; the Unicode minus (−) as a minus.
    Raises ``ValueError`` on anything else.
    """
    t = text.strip().replace("\u2212", "-").translate(_SPACES)
    if not t:
        raise ValueError
    if decimal is None:
        if "," in t and "." in t:
            raise ValueError
        t = t.replace(",", ".")
    elif decimal == ",":
        if "." in t:
            raise ValueError
        t = t.replace(",", ".")
    elif "," in t:
        raise ValueError
    if not re.fullmatch(r"[+-]?(\d+(\.\d+)?|\.\d+)", t):
        raise ValueError
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - regex guards this
        raise ValueError from None


def normalize_header(text: Any) -> str:
    """Header text for matching: trimmed, single spaces, case-folded."""
    if text is None:
        return ""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def column_letter(index: int) -> str:
    """0-based column index → Excel letter (0 → A, 26 → AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- Excel ---------------------------------------------------------------------------------------


def open_xlsx(source: Source, file: str | None = None):
    """Open an .xlsx read-only with cached values. Returns ``(workbook, display name)``.

    A path is streamed from disk; bytes are wrapped in memory. Old ``.xls`` files and anything
    that is not an Office Open XML workbook raise a ParseError.
    """
    import io
    import zipfile

    from openpyxl import load_workbook

    if isinstance(source, bytes | bytearray):
        name = file or "<data>"
        handle: Any = io.BytesIO(source)
        head = bytes(source[:8])
    else:
        path = Path(source)
        name = file or path.name
        try:
            with path.open("rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise ParseError.single(name, f"filen kan inte läsas: {exc.strerror or exc}") from None
        handle = path
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParseError.single(
            name, "filen är i det gamla Excel-formatet .xls; spara om den som .xlsx"
        )
    if not head.startswith(b"PK"):
        raise ParseError.single(name, "filen är inte en Excel-arbetsbok (.xlsx)")
    try:
        return load_workbook(handle, read_only=True, data_only=True), name
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ParseError.single(name, f"Excel-filen kan inte läsas: {exc}") from None
    except Exception as exc:  # openpyxl raises assorted errors on damaged files
        raise ParseError.single(name, f"Excel-filen kan inte läsas: {exc}") from None


def cell_text(value: Any) -> str:
    """A cell value as stripped text ('' for empty)."""
    if value is None:
        return ""
    return str(value).strip()
