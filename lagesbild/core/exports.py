"""Downloads are inert: no cell Lägesbild writes can become a live formula (OWASP CSV injection).

A text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets. In CSV such a text gets a leading apostrophe (`'=SUM(1)`), which
spreadsheets show but do not evaluate; a text that already begins with an apostrophe gets a
second one, so `csv_cell_read` gives back exactly what was written (the register's export →
import round trip is lossless). In XLSX every text is stored as a string (data type `s`, never
`f`) and a risky one is marked with quotePrefix, so it stays text even after editing in Excel.
Numbers stay numbers: an int, Decimal or float is written as it is (-5 is a number, not a
formula), and so is a text that is nothing but a number (`-1,5`, `-1 613`).
"""

from __future__ import annotations

import re
from decimal import Decimal

RISKY = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9][0-9 \u00a0]*(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")


def is_risky(text: str) -> bool:
    """True for a text a spreadsheet would read as a formula."""
    return text.startswith(RISKY) and not _NUMBER.fullmatch(text)


def csv_cell(value):
    """One value for csv.writer: numbers unchanged, risky (or apostrophe-led) texts escaped."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    if is_risky(text) or (text.startswith("'") and _escaped(text[1:])):
        return "'" + text
    return text


def _escaped(rest: str) -> bool:
    return is_risky(rest) or (rest.startswith("'") and _escaped(rest[1:]))


def csv_row(values) -> list:
    return [csv_cell(v) for v in values]


def csv_dict(row: dict) -> dict:
    return {k: csv_cell(v) for k, v in row.items()}


def csv_cell_read(text: str) -> str:
    """The inverse of `csv_cell` for a text read back from a Lägesbild CSV."""
    if text.startswith("'") and _escaped(text[1:]):
        return text[1:]
    return text


def xlsx_cell_inert(cell) -> None:
    """Make one openpyxl cell inert: a formula-looking text becomes a quoted string."""
    value = cell.value
    if not isinstance(value, str):
        return
    if cell.data_type != "s":
        cell.data_type = "s"  # openpyxl turns every '=…' text into a formula ('f')
    if is_risky(value):
        cell.quotePrefix = True


def workbook_inert(wb) -> None:
    """Make every cell of a workbook inert; call just before saving a workbook for download."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                xlsx_cell_inert(cell)
