"""Brå "Handlagda brott", table 300 (``300La-2025.xlsx``, ``300Rn03-2025.xlsx``, …).

Layout of the 2025 files (see tests/payloads/bra_handlagda_tabell300_La_2025_preview_trimmed.json):
a title row, then a header row ``Lagrum | Brottstyp | Handlagda brott, totalt | Utredda brott |
Direktavskrivna brott | Lagföringsprocent (%) | Personuppklaringsprocent (%)``, then data rows.
The header row is found by its content, columns by their (stripped) names.

A row whose ``Brottstyp`` does not start with "Mot " is a crime (headline) row; the "Mot …" rows
below it are breakdowns of that crime (victim sex, age, relation, …) until the next crime row.
The sub-rows' own ``Lagrum`` text is kept but not used as the crime key: in the real file it can
differ from the headline's (``… mord eller dråp`` vs ``… mord och dråp``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..base import (
    SEX_BOYS,
    SEX_GIRLS,
    SEX_MEN,
    SEX_WOMEN,
    ParseError,
    Problems,
    Source,
    cell_text,
    excel_number,
    normalize_header,
    open_xlsx,
)

MAIN_SHEET = "Samtliga handlagda brott"
INFO_SHEET = "Information"
DASHES = {"-", "\u2212", "\u2013", "\u2014"}  # "Streck (−) innebär att värdet är noll."
MISSING_MARKS = {"..", "x", "X", "×"}

#: Brå region code → (name, area code). Only Rn03 = Region Stockholm is documented in
#: SOURCES.md; the other names follow the public catalogue of Brå files that was found (see the
#: module docs). The parser cross-checks the region named in each file's title against this.
REGIONS: dict[str, tuple[str, str]] = {
    "La": ("Hela landet", "00"),
    "Rn01": ("Region Nord", "PR-NORD"),
    "Rn02": ("Region Mitt", "PR-MITT"),
    "Rn03": ("Region Stockholm", "PR-STHLM"),
    "Rn04": ("Region Öst", "PR-OST"),
    "Rn05": ("Region Väst", "PR-VAST"),
    "Rn06": ("Region Syd", "PR-SYD"),
    "Rn07": ("Region Bergslagen", "PR-BERGSLAGEN"),
}

# header name (normalized, commas dropped) → field
_COLUMNS = {
    "lagrum": "lagrum",
    "brottstyp": "brottstyp",
    "handlagda brott totalt": "handled_total",
    "utredda brott": "investigated",
    "direktavskrivna brott": "written_off",
    "lagföringsprocent (%)": "lagforingsprocent",
    "personuppklaringsprocent (%)": "personuppklaringsprocent",
}
_HEADERS = {
    "lagrum": "Lagrum",
    "brottstyp": "Brottstyp",
    "handled_total": "Handlagda brott, totalt",
    "investigated": "Utredda brott",
    "written_off": "Direktavskrivna brott",
    "lagforingsprocent": "Lagföringsprocent (%)",
    "personuppklaringsprocent": "Personuppklaringsprocent (%)",
}
_COUNTS = ("handled_total", "investigated", "written_off")
_PERCENTS = ("lagforingsprocent", "personuppklaringsprocent")


@dataclass
class BraFile:
    """What the file name says: ``300Rn03-2025.xlsx`` → table 300, Rn03, 2025."""

    table: str
    region_code: str
    region_name: str
    area: str
    year: int


@dataclass
class BraRow:
    row: int  # Excel row number
    crime: str  # the headline row's Lagrum (stripped)
    crime_label: str  # the headline row's Brottstyp without ", totalt"
    breakdown: dict[str, str]
    handled_total: int
    investigated: int
    written_off: int
    lagforingsprocent: Decimal | None
    personuppklaringsprocent: Decimal | None
    lagrum: str = ""  # this row's own Lagrum text (stripped)
    brottstyp: str = ""  # this row's own Brottstyp text (stripped)
    missing: dict[str, str] = field(default_factory=dict)  # column → symbol, e.g. ".."


@dataclass
class BraInfo:
    lines: list[str]
    first_published: str | None = None
    last_updated: str | None = None
    corrections: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class BraTable:
    file: str
    table: str
    year: int
    region_code: str
    region_name: str
    area: str
    sheet: str
    title: str | None
    rows: list[BraRow]
    info: BraInfo | None
    footnotes: list[str] = field(default_factory=list)


_FILENAME = re.compile(r"(?P<table>\d{3})(?P<region>La|Rn\d{2})-(?P<year>\d{4})\.xlsx?$", re.I)


def detect_file(filename: str, area_codes: dict[str, str] | None = None) -> BraFile | None:
    """Table, region and year from a Brå file name; None when the name does not match."""
    m = _FILENAME.search(Path(filename).name)
    if not m:
        return None
    code = m["region"][:1].upper() + m["region"][1:].lower()
    if code not in REGIONS:
        return None
    name, area = REGIONS[code]
    if area_codes and code in area_codes:
        area = area_codes[code]
    return BraFile(m["table"], code, name, area, int(m["year"]))


def parse(
    source: Source,
    *,
    file: str | None = None,
    sheet: str = MAIN_SHEET,
    area_codes: dict[str, str] | None = None,
) -> BraTable:
    """Parse a Brå table-300 workbook. ``area_codes`` overrides :data:`REGIONS` area codes."""
    wb, name = open_xlsx(source, file)
    try:
        return _parse(wb, name, sheet, area_codes)
    finally:
        wb.close()


def _parse(wb, name: str, sheet: str, area_codes) -> BraTable:
    p = Problems(name)
    meta = detect_file(name, area_codes)
    if meta is None:
        p.add(
            None,
            None,
            "filnamnet följer inte Brås mönster, t.ex. 300La-2025.xlsx eller "
            "300Rn03-2025.xlsx (tabell, område och år läses ur namnet)",
        )
    if sheet not in wb.sheetnames:
        p.add(None, None, f"bladet '{sheet}' saknas (bladen heter: {', '.join(wb.sheetnames)})")
    p.raise_if_any()

    rows_iter = wb[sheet].iter_rows(values_only=True)
    title = None
    header = None
    for excel_row, values in enumerate(rows_iter, start=1):
        texts = [cell_text(v) for v in values]
        if "Brottstyp" in texts and "Personuppklaringsprocent (%)" in texts:
            header = (excel_row, texts)
            break
        if title is None and any(texts):
            title = next(t for t in texts if t)
        if excel_row >= 50:
            break
    if header is None:
        raise ParseError.single(name, f"Hittar ingen rubrikrad med 'Brottstyp' i bladet '{sheet}'")
    header_row, header_texts = header
    columns: dict[str, int] = {}
    for idx, text in enumerate(header_texts):
        key = _COLUMNS.get(normalize_header(text).replace(",", ""))
        if key and key not in columns:
            columns[key] = idx
    for key, label in _HEADERS.items():
        if key not in columns:
            p.add(header_row, label, f"kolumnen saknas i rubrikraden i bladet '{sheet}'")
    p.raise_if_any()
    _check_title(title, meta, p)

    out: list[BraRow] = []
    footnotes: list[str] = []
    seen: dict[tuple, int] = {}
    current: tuple[str, str] | None = None
    for excel_row, values in enumerate(rows_iter, start=header_row + 1):
        get = _getter(values)
        lagrum, brottstyp = cell_text(get(columns["lagrum"])), cell_text(get(columns["brottstyp"]))
        numbers = [get(columns[k]) for k in _COUNTS + _PERCENTS]
        if not any(cell_text(v) for v in numbers):
            if lagrum or brottstyp:
                footnotes.append(" ".join(t for t in (lagrum, brottstyp) if t))
            continue
        if not brottstyp:
            p.add(excel_row, "Brottstyp", "saknas på en rad med värden")
            continue
        counts = {k: _count(get(columns[k]), excel_row, _HEADERS[k], p) for k in _COUNTS}
        missing: dict[str, str] = {}
        percents = {
            k: _percent(get(columns[k]), excel_row, _HEADERS[k], p, missing, k) for k in _PERCENTS
        }
        if brottstyp.casefold().startswith("mot "):
            if current is None:
                p.add(excel_row, "Brottstyp", f"'{brottstyp}' står före första brottsraden")
                continue
            breakdown = parse_brottstyp(brottstyp)
        else:
            current = (lagrum or brottstyp, re.sub(r",\s*totalt$", "", brottstyp, flags=re.I))
            breakdown = {}
        if None in counts.values():
            continue
        if counts["handled_total"] != counts["investigated"] + counts["written_off"]:
            p.add(
                excel_row,
                "Handlagda brott, totalt",
                f"{counts['handled_total']} är inte summan av utredda ({counts['investigated']}) "
                f"och direktavskrivna ({counts['written_off']})",
            )
        key = (current[0], current[1], tuple(sorted(breakdown.items())))
        if key in seen:
            p.add(excel_row, "Brottstyp", f"'{brottstyp}' finns redan på rad {seen[key]}")
        seen[key] = excel_row
        out.append(
            BraRow(
                row=excel_row,
                crime=current[0],
                crime_label=current[1],
                breakdown=breakdown,
                lagrum=lagrum,
                brottstyp=brottstyp,
                missing=missing,
                **counts,
                **percents,
            )
        )
    if not out and not p:
        p.add(None, None, f"bladet '{sheet}' har inga datarader under rubrikraden")
    p.raise_if_any()
    return BraTable(
        file=name,
        table=meta.table,
        year=meta.year,
        region_code=meta.region_code,
        region_name=meta.region_name,
        area=meta.area,
        sheet=sheet,
        title=title,
        rows=out,
        info=_info(wb) if INFO_SHEET in wb.sheetnames else None,
        footnotes=footnotes,
    )


def _getter(values: tuple):
    def get(idx: int) -> Any:
        return values[idx] if idx < len(values) else None

    return get


def _count(value: Any, row: int, column: str, p: Problems) -> int | None:
    text = cell_text(value)
    if text in DASHES:
        return 0
    if not text:
        p.add(row, column, "värde saknas")
        return None
    try:
        number = excel_number(value)
    except ValueError:
        p.add(row, column, f"'{text}' är inte ett tal")
        return None
    if number != number.to_integral_value() or number < 0:
        p.add(row, column, f"'{text}' är inte ett antal (icke-negativt heltal)")
        return None
    return int(number)


def _percent(value: Any, row: int, column: str, p: Problems, missing: dict, key: str):
    text = cell_text(value)
    if text in DASHES:
        return Decimal(0)
    if not text or text in MISSING_MARKS:
        missing[key] = text or "tom"
        return None
    try:
        number = excel_number(value)
    except ValueError:
        p.add(row, column, f"'{text}' är inte ett tal")
        return None
    if not 0 <= number <= 100:
        p.add(row, column, f"{text} ligger inte mellan 0 och 100")
        return None
    return number


def _check_title(title: str | None, meta: BraFile, p: Problems) -> None:
    """The title names the area and year; catch a renamed or mislabelled file."""
    if not title:
        return
    low = title.casefold()
    years = re.findall(r"\b(?:19|20)\d{2}\b", title)
    if years and int(years[-1]) != meta.year:
        p.add(1, None, f"titeln gäller {years[-1]} men filnamnet säger {meta.year}: '{title}'")
    named = {
        code
        for code, (region, _) in REGIONS.items()
        if code != "La"
        and re.search(rf"\b{re.escape(region.split()[-1].casefold())}\b", low)
        and "region" in low
    }
    if "hela landet" in low:
        named.add("La")
    if named and meta.region_code not in named:
        p.add(
            1,
            None,
            f"titeln gäller {', '.join(REGIONS[c][0] for c in sorted(named))} men filnamnet "
            f"säger {meta.region_code} ({meta.region_name}): '{title}'",
        )


# --- Brottstyp → breakdown ----------------------------------------------------------------------

_SUBJECTS = [
    ("kvinna/flicka", {"sex": "kvinnor-flickor"}),
    ("man/pojke", {"sex": "man-pojkar"}),
    ("kvinna", {"sex": SEX_WOMEN}),
    ("man", {"sex": SEX_MEN}),
    ("flicka", {"sex": SEX_GIRLS}),
    ("pojke", {"sex": SEX_BOYS}),
    ("barn", {}),
    ("person", {}),
    ("grupp", {"target": "grupp"}),
]
_AGES = [
    (re.compile(r"under (\d+) år"), lambda m: f"under-{m[1]}"),
    (re.compile(r"(\d+)\s*[-–]\s*(\d+) år"), lambda m: f"{m[1]}-{m[2]}"),
    (re.compile(r"(\d+) år (?:eller|och) äldre"), lambda m: f"{m[1]}+"),
]
_QUALIFIERS = {
    "närstående genom parrelation": ("relation", "parrelation"),
    "närstående genom släktskap/familj": ("relation", "familj"),
    "annan sorts relation eller bekantskap": ("relation", "annan-relation"),
    "obekanta": ("relation", "obekant"),
    "obekant": ("relation", "obekant"),
    "obekant med offret": ("relation", "obekant"),
    "bekant med offret": ("relation", "bekant"),
    "med användning av skjutvapen": ("weapon", "skjutvapen"),
    "utan användning av skjutvapen": ("weapon", "ej-skjutvapen"),
    "internetrelaterat": ("internet", "ja"),
    "ej internetrelaterat": ("internet", "nej"),
    "utomhus": ("place", "utomhus"),
    "inomhus": ("place", "inomhus"),
}


def parse_brottstyp(label: str) -> dict[str, str]:
    """``"Mot kvinna 18 år eller äldre, närstående genom parrelation"`` →
    ``{"sex": "kvinnor", "age": "18+", "relation": "parrelation"}``.

    Unrecognised parts are kept verbatim under ``"detalj"`` so nothing is silently lost.
    """
    text = re.sub(r"\s+", " ", label).strip()
    parts = [s.strip() for s in text.split(",")]
    head = parts[0]
    out: dict[str, str] = {}
    details: list[str] = []
    low = head.casefold()
    if low.startswith("mot "):
        rest = low[4:].strip()
        for word, dims in _SUBJECTS:
            if rest == word or rest.startswith(word + " "):
                out.update(dims)
                rest = rest[len(word) :].strip()
                break
        else:
            details.append(head)
            rest = ""
        if rest:
            for pattern, fmt in _AGES:
                m = pattern.fullmatch(rest)
                if m:
                    out["age"] = fmt(m)
                    break
            else:
                details.append(head)
    else:
        details.append(head)
    for part in parts[1:]:
        q = _QUALIFIERS.get(part.casefold())
        if q and q[0] not in out:
            out[q[0]] = q[1]
        elif part:
            details.append(part)
    if details:
        out["detalj"] = "; ".join(details)
    return out


# --- Information sheet ----------------------------------------------------------------------------


def _info(wb) -> BraInfo:
    lines = []
    for values in wb[INFO_SHEET].iter_rows(values_only=True):
        text = " ".join(cell_text(v) for v in values if cell_text(v))
        if text:
            lines.append(text)
    info = BraInfo(lines=lines)
    for line in lines:
        m = re.match(r"Första publicering:\s*(\d{4}-\d{2}-\d{2})", line)
        if m:
            info.first_published = m[1]
        m = re.match(r"Senaste uppdatering:\s*(\d{4}-\d{2}-\d{2})", line)
        if m:
            info.last_updated = m[1]
        if re.match(r"Statistiken har korrigerats", line):
            info.corrections.append(line)
    return info
