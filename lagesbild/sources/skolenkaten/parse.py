"""Skolinspektionen Skolenkäten result workbooks (per kommun/school and respondent group).

Documented layout (SOURCES.md §4; no real file was available, the tests use a synthetic workbook
that mirrors it): the headers span several rows. The index names (``Trygghet``, ``Studiero``, …)
stand in the top header row, often as a merged cell over the index column and its question
columns; the row two below says ``Index`` over each index column. Identity columns (Kommunkod,
Kommun, Skolenhetskod, Skolenhet, Huvudman, Respondentgrupp, Antal svarande) are found by name in
any header row. Everything is located by header text, never by position.

An index cell is blank when fewer than 5 answered: the value is ``None`` with status
``"för få svarande"``; a real 0 stays 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..base import (
    Cell,
    ParseError,
    Problems,
    Source,
    cell_text,
    column_letter,
    excel_number,
    normalize_header,
    open_xlsx,
)

TOO_FEW = "för få svarande"
NO_VALUE = "värde saknas"
MIN_RESPONDENTS = 5

_IDENTITY = {
    "kommunkod": "kommun_code",
    "kommun-kod": "kommun_code",
    "kommunnummer": "kommun_code",
    "kommun": "kommun",
    "kommunnamn": "kommun",
    "skolenhetskod": "school_code",
    "skolenhet": "school",
    "skolenhetsnamn": "school",
    "skola": "school",
    "huvudman": "huvudman",
    "respondentgrupp": "group",
    "svarandegrupp": "group",
    "antal svarande": "respondents",
    "antal respondenter": "respondents",
}

_GROUPS = [
    (re.compile(r"(åk|årskurs)\s*5\b"), "elever-ak5"),
    (re.compile(r"(åk|årskurs)\s*8\b"), "elever-ak8"),
    (re.compile(r"(åk|årskurs)\s*9\b"), "elever-ak9"),
    (re.compile(r"gymnasie\w*\s*(år|åk|årskurs)\s*2\b|\bgy\s*2\b"), "elever-gy2"),
    (re.compile(r"pedagogisk personal|lärare"), "pedagogisk-personal"),
    (re.compile(r"vårdnadshavare"), "vardnadshavare"),
]


@dataclass
class SkolenkatRow:
    sheet: str
    row: int
    kommun_code: str | None
    kommun: str | None
    school_code: str | None
    school: str | None
    huvudman: str | None
    group: str
    group_label: str
    respondents: int | None
    cells: list[Cell] = field(default_factory=list)


@dataclass
class SkolenkatResult:
    file: str
    period: str | None
    indices: list[str]
    rows: list[SkolenkatRow]
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[Cell]:
        return [c for r in self.rows for c in r.cells]


def group_code(label: str) -> str:
    """``"Elever åk 8"`` → ``"elever-ak8"``; unknown groups get a slug of their label."""
    low = normalize_header(label)
    for pattern, code in _GROUPS:
        if pattern.search(low):
            return code
    return slug(label)


def slug(text: str) -> str:
    low = normalize_header(text).translate(str.maketrans("åäöéü", "aaoeu"))
    return re.sub(r"[^a-z0-9]+", "-", low).strip("-")


def parse(
    source: Source, *, file: str | None = None, sheet: str | None = None, period: str | None = None
) -> SkolenkatResult:
    """Parse every sheet with an ``Index`` header (or only ``sheet``).

    ``period`` defaults to the first year (20xx) in the file name; cells get ``dims["period"]``
    only when it is known.
    """
    wb, name = open_xlsx(source, file)
    try:
        if period is None:
            m = re.search(r"(20\d{2})", Path(name).name)
            period = m[1] if m else None
        if sheet is not None and sheet not in wb.sheetnames:
            raise ParseError.single(
                name, f"bladet '{sheet}' saknas (bladen heter: {', '.join(wb.sheetnames)})"
            )
        names = [sheet] if sheet else list(wb.sheetnames)
        p = Problems(name)
        rows: list[SkolenkatRow] = []
        indices: list[str] = []
        notes: list[str] = []
        found = False
        for sheet_name in names:
            got = _sheet(wb[sheet_name], sheet_name, name, period, p, rows, indices, notes)
            found = found or got
        if not found:
            where = f"bladet '{sheet}'" if sheet else "något blad"
            raise ParseError.single(
                name, f"Hittar ingen rubrikrad med 'Index' i {where} (är det en Skolenkät-fil?)"
            )
        p.raise_if_any()
        return SkolenkatResult(file=name, period=period, indices=indices, rows=rows, notes=notes)
    finally:
        wb.close()


def _sheet(ws, sheet, file, period, p: Problems, out: list, indices: list, notes: list) -> bool:
    it = ws.iter_rows(values_only=True)
    header_rows: list[list[Any]] = []
    index_row = None
    for excel_row, values in enumerate(it, start=1):
        header_rows.append(list(values))
        if any(normalize_header(v) == "index" for v in values):
            index_row = excel_row
            break
        if excel_row >= 15:
            return False
    if index_row is None:
        return False
    width = max(len(r) for r in header_rows)
    grid = [r + [None] * (width - len(r)) for r in header_rows]
    where = f"{file}, bladet '{sheet}'"

    ident: dict[str, int] = {}
    for r in grid:
        for col, v in enumerate(r):
            key = _IDENTITY.get(normalize_header(v))
            if key and key not in ident:
                ident[key] = col
    name_row = grid[index_row - 3] if index_row >= 3 else grid[0]
    index_cols: list[tuple[int, str]] = []
    current = None
    for col in range(width):
        text = cell_text(name_row[col])
        if col in ident.values():
            current = None
        elif text:
            current = text
        if normalize_header(grid[index_row - 1][col]) == "index":
            if current is None:
                p.add(index_row, column_letter(col), "'Index' utan indexnamn ovanför", file=where)
            else:
                index_cols.append((col, current))
    if "group" not in ident:
        p.add(index_row, None, "kolumnen 'Respondentgrupp' saknas i rubrikraderna", file=where)
    if "kommun_code" not in ident and "school_code" not in ident:
        p.add(index_row, None, "kolumnen 'Kommunkod' eller 'Skolenhetskod' saknas", file=where)
    if (
        not index_cols
        or "group" not in ident
        or not (ident.keys() & {"kommun_code", "school_code"})
    ):
        return True
    for _, n in index_cols:
        if n not in indices:
            indices.append(n)

    seen: dict[tuple, int] = {}
    for excel_row, values in enumerate(it, start=index_row + 1):

        def get(key: str, values=values) -> Any:
            col = ident.get(key)
            return values[col] if col is not None and col < len(values) else None

        filled = [v for v in values if cell_text(v)]
        if not filled:
            continue
        group_label = cell_text(get("group"))
        if not group_label and len(filled) == 1 and isinstance(filled[0], str):
            notes.append(cell_text(filled[0]))  # a note under the table
            continue
        kommun_code = _code(get("kommun_code"), 4, excel_row, "Kommunkod", p, where)
        school_code = _code(get("school_code"), 8, excel_row, "Skolenhetskod", p, where)
        if not (kommun_code or school_code):
            p.add(excel_row, "Kommunkod", "saknas (och Skolenhetskod saknas)", file=where)
            continue
        if not group_label:
            p.add(excel_row, "Respondentgrupp", "saknas", file=where)
            continue
        respondents = _respondents(get("respondents"), excel_row, p, where)
        group = group_code(group_label)
        key = (kommun_code, school_code, group)
        if key in seen:
            p.add(
                excel_row,
                "Respondentgrupp",
                f"samma enhet och grupp som rad {seen[key]}",
                file=where,
            )
            continue
        seen[key] = excel_row
        row = SkolenkatRow(
            sheet=sheet,
            row=excel_row,
            kommun_code=kommun_code,
            kommun=cell_text(get("kommun")) or None,
            school_code=school_code,
            school=cell_text(get("school")) or None,
            huvudman=cell_text(get("huvudman")) or None,
            group=group,
            group_label=group_label,
            respondents=respondents,
        )
        for col, index_name in index_cols:
            raw = values[col] if col < len(values) else None
            value, status = _index_value(raw, respondents, excel_row, index_name, p, where)
            dims = {"indicator": slug(index_name), "group": group}
            labels = {"indicator": index_name, "group": group_label}
            if kommun_code:
                dims["kommun"] = kommun_code
                labels["kommun"] = row.kommun or kommun_code
            if school_code:
                dims["skolenhet"] = school_code
                labels["skolenhet"] = row.school or school_code
            if period:
                dims["period"] = labels["period"] = period
            row.cells.append(
                Cell(dims=dims, labels=labels, value=value, status=status, unit="index")
            )
        out.append(row)
    return True


def _code(raw: Any, width: int, row: int, column: str, p: Problems, where: str) -> str | None:
    """Codes stored as numbers lose their leading zero in Excel (0180 → 180): pad them back."""
    if raw is None or cell_text(raw) == "":
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).zfill(width) if isinstance(raw, int) else cell_text(raw)
    if not re.fullmatch(rf"\d{{{width}}}", text):
        p.add(row, column, f"'{cell_text(raw)}' är inte en kod med {width} siffror", file=where)
        return None
    return text


def _respondents(raw: Any, row: int, p: Problems, where: str) -> int | None:
    if cell_text(raw) == "":
        return None
    try:
        n = excel_number(raw)
    except ValueError:
        p.add(row, "Antal svarande", f"'{cell_text(raw)}' är inte ett tal", file=where)
        return None
    if n < 0 or n != n.to_integral_value():
        p.add(row, "Antal svarande", f"'{cell_text(raw)}' är inte ett antal", file=where)
        return None
    return int(n)


def _index_value(raw, respondents, row, column, p, where) -> tuple[Decimal | None, str | None]:
    if cell_text(raw) == "":
        if respondents is not None and respondents >= MIN_RESPONDENTS:
            return None, NO_VALUE
        return None, TOO_FEW
    try:
        return excel_number(raw), None
    except ValueError:
        p.add(row, column, f"'{cell_text(raw)}' är inte ett tal", file=where)
        return None, None
