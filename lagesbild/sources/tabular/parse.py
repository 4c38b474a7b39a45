"""Generic tidy CSV/XLSX: one row per value.

Columns (header names, case-insensitive; Swedish aliases in brackets): ``indicator`` [indikator],
``area`` [område], ``period`` [år], ``value`` [värde], optional ``numerator`` [täljare],
``denominator`` [nämnare], ``respondents`` [svarande, antal svarande], ``status`` or ``flags``
[flaggor], ``statistic`` [mått] (``value`` or ``median``, empty = value), ``qualifier``
[kvalificering] (``minst``/``at_least`` or ``cirka``/``approx``, empty = exact), ``note``
[anmärkning] and ``source_ref`` [källhänvisning]. Any other column is a breakdown dimension (``sex``, ``age``, …); an empty breakdown
cell means "all" and is left out of ``TidyRow.breakdown``.

CSV is streamed line by line (a file of a million rows is never held in memory). Encoding (UTF-8
with or without BOM, else Windows-1252), delimiter (``;`` or ``,``) and decimal separator are
detected and reported as :class:`Detected`. Row problems do not stop the stream: each
:class:`TidyRow` carries its own ``problems`` and the importer decides; structural problems
(encoding, missing columns) raise :class:`~lagesbild.sources.base.ParseError` at once.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..base import (
    MAX_PROBLEMS,
    ParseError,
    Problem,
    cell_text,
    column_letter,
    normalize_header,
    open_xlsx,
    parse_decimal_text,
)

ROLES = {
    "indicator": "indicator",
    "indikator": "indicator",
    "area": "area",
    "område": "area",
    "period": "period",
    "år": "period",
    "value": "value",
    "värde": "value",
    "numerator": "numerator",
    "täljare": "numerator",
    "denominator": "denominator",
    "nämnare": "denominator",
    "respondents": "respondents",
    "svarande": "respondents",
    "antal svarande": "respondents",
    "status": "status",
    "flags": "status",
    "flaggor": "status",
    "statistic": "statistic",
    "mått": "statistic",
    "note": "note",
    "anmärkning": "note",
    "source_ref": "source_ref",
    "källhänvisning": "source_ref",
    "qualifier": "qualifier",
    "kvalificering": "qualifier",
}
STATISTICS = {"value": "value", "värde": "value", "median": "median"}
#: The words of the ``qualifier`` column (case-insensitive) → ``indicators.models.Qualifier``.
QUALIFIERS = {
    "minst": "at_least",
    "at_least": "at_least",
    "at least": "at_least",
    "cirka": "approximately",
    "ca": "approximately",
    "ca.": "approximately",
    "approx": "approximately",
    "approximately": "approximately",
}
QUALIFIER_HELP = "tillåtna: minst eller cirka, på engelska at_least eller approx; tomt = exakt"


def parse_qualifier(text: str) -> str | None:
    """``"Minst"`` → ``"at_least"``; ``""`` → ``""``; an unknown word → None."""
    text = (text or "").strip()
    if not text:
        return ""
    return QUALIFIERS.get(text.casefold())


REQUIRED = ("indicator", "area", "period", "value")
_ROLE_SET = frozenset(ROLES.values())
PERIOD = re.compile(
    r"\d{4}(/\d{2}|/\d{4}|-\d{4}|M\d{2}|K[1-4]|Q[1-4]|H[12]|-\d{2}(-\d{2})?)?", re.IGNORECASE
)
SAMPLE_ROWS = 2000
_CHUNK = 1 << 20
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UTF8_SWEDISH = re.compile(rb"\xc3[\xa5\xa4\xb6\x85\x84\x96\xa9]")
_COMMA_NUMBER = re.compile(r"-?\d+,\d+")
_POINT_NUMBER = re.compile(r"-?\d+\.\d+")


@dataclass(frozen=True)
class Detected:
    encoding: str | None  # "utf-8-sig", "utf-8" or "cp1252"; None for xlsx
    delimiter: str | None  # ";" or ","; None for xlsx
    decimal: str | None  # "," or "."; None for xlsx (cells are numbers)
    format: str = "csv"
    decimal_seen: bool = True  # False: no decimals in the sample, both separators accepted

    def describe(self) -> str:
        if self.format == "xlsx":
            return "Excel-arbetsbok (.xlsx)"
        enc = {"utf-8-sig": "UTF-8 med BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252"}
        sep = {";": "semikolon", ",": "komma"}
        dec = {",": "komma", ".": "punkt"}
        guess = "" if self.decimal_seen else " (antaget, inga decimaltal i början av filen)"
        return (
            f"teckenkodning {enc.get(self.encoding or '', self.encoding)}, avgränsare "
            f"{sep.get(self.delimiter or '', self.delimiter)}, decimaltecken "
            f"{dec.get(self.decimal or '', self.decimal)}{guess}"
        )


@dataclass(slots=True)
class TidyRow:
    row: int  # 1-based, the header is row 1
    indicator: str
    area: str
    period: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    respondents: int | None = None
    status: str | None = None
    breakdown: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    statistic: str = "value"
    note: str = ""
    source_ref: str = ""
    qualifier: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class TidyValidation:
    detected: Detected
    rows: int
    rows_with_problems: int
    problem_count: int
    problems: list[Problem]  # the first MAX_PROBLEMS

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class TidyReader:
    """Detects the format on construction; iterate for :class:`TidyRow` (streams each time)."""

    def __init__(
        self, path: str | os.PathLike, *, file: str | None = None, sheet: str | None = None
    ):
        self.path = Path(path)
        self.file = file or self.path.name
        self.sheet = sheet
        if self.path.suffix.casefold() in (".xlsx", ".xlsm"):
            self.detected = Detected(None, None, None, format="xlsx", decimal_seen=False)
            self.columns = self._xlsx_header()
        else:
            encoding = detect_encoding(self.path, self.file)
            delimiter, columns = self._csv_header(encoding)
            self.columns = columns
            decimal, seen = self._detect_decimal(encoding, delimiter)
            self.detected = Detected(encoding, delimiter, decimal, "csv", seen)
        self.roles = self._roles()
        self._idx = {role: i for i, (role, _) in enumerate(self.roles) if role in _ROLE_SET}
        self._breakdown_cols = [
            (i, name) for i, (role, name) in enumerate(self.roles) if role == "breakdown"
        ]
        self._column_names = {
            role: self.columns[i].strip() for i, (role, _) in enumerate(self.roles)
        }

    def __iter__(self) -> Iterator[TidyRow]:
        if self.detected.format == "xlsx":
            return self._iter_xlsx()
        return self._iter_csv()

    # --- header and detection -----------------------------------------------------------------

    def _csv_header(self, encoding: str) -> tuple[str, list[str]]:
        with self.path.open(encoding=encoding, newline="") as fh:
            sample = fh.read(64 * 1024)
        if not sample.strip():
            raise ParseError.single(self.file, "filen är tom")
        lines = sample.splitlines(keepends=True)
        if len(lines) > 1 and len(sample) == 64 * 1024:
            lines = lines[:-1]  # the last line may be cut off
        head = "".join(lines[:50])
        candidates = []
        try:
            candidates.append(csv.Sniffer().sniff(head, delimiters=";,").delimiter)
        except csv.Error:
            pass
        first = lines[0]
        by_count = sorted(";,", key=lambda d: -first.count(d))
        candidates += [d for d in by_count if d not in candidates]
        best = None
        for delimiter in candidates:
            header = next(csv.reader([first], delimiter=delimiter), [])
            while header and not header[-1].strip():
                header.pop()  # "a;b;c;" – a trailing delimiter, common in Excel exports
            roles = {ROLES.get(normalize_header(h)) for h in header}
            missing = [r for r in REQUIRED if r not in roles]
            if not missing:
                return delimiter, header
            if best is None or len(missing) < len(best[2]):
                best = (delimiter, header, missing)
        raise ParseError(
            [
                Problem(
                    self.file,
                    1,
                    None,
                    f"rubrikraden saknar kolumnen/kolumnerna {', '.join(best[2])} "
                    f"(hittade: {', '.join(h.strip() for h in best[1]) or 'inga'}; "
                    "avgränsaren ska vara semikolon eller komma)",
                )
            ]
        )

    def _detect_decimal(self, encoding: str, delimiter: str) -> tuple[str, bool]:
        cols = [
            i
            for i, h in enumerate(self.columns)
            if ROLES.get(normalize_header(h)) in ("value", "numerator", "denominator")
        ]
        comma = point = 0
        with self.path.open(encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            next(reader, None)
            for n, record in enumerate(reader):
                if n >= SAMPLE_ROWS:
                    break
                for i in cols:
                    if i < len(record):
                        text = record[i].strip()
                        comma += bool(_COMMA_NUMBER.fullmatch(text))
                        point += bool(_POINT_NUMBER.fullmatch(text))
        default = "," if delimiter == ";" else "."
        if comma or point:
            return ("," if comma > point else "." if point > comma else default), True
        return default, False

    def _xlsx_header(self) -> list[str]:
        wb, _ = open_xlsx(self.path, self.file)
        try:
            ws = self._worksheet(wb)
            first = next(ws.iter_rows(max_row=1, values_only=True), ())
        finally:
            wb.close()
        header = [cell_text(v) for v in first]
        while header and not header[-1]:
            header.pop()
        return header

    def _worksheet(self, wb):
        if self.sheet is None:
            return wb.worksheets[0]
        if self.sheet not in wb.sheetnames:
            raise ParseError.single(
                self.file,
                f"bladet '{self.sheet}' saknas (bladen heter: {', '.join(wb.sheetnames)})",
            )
        return wb[self.sheet]

    def _roles(self) -> list[tuple[str, str]]:
        """Per column: (role, name). Breakdown columns get role "breakdown"."""
        problems = []
        out: list[tuple[str, str]] = []
        used: dict[str, str] = {}
        seen_names: dict[str, int] = {}
        for i, raw in enumerate(self.columns):
            name = normalize_header(raw)
            letter = column_letter(i)
            if not name:
                problems.append(Problem(self.file, 1, letter, "kolumnen saknar rubrik"))
                out.append(("skip", ""))
                continue
            if name in seen_names:
                problems.append(
                    Problem(
                        self.file,
                        1,
                        raw.strip(),
                        f"rubriken finns två gånger "
                        f"(kolumn {column_letter(seen_names[name])} och {letter})",
                    )
                )
            seen_names[name] = i
            role = ROLES.get(name, "breakdown")
            if role != "breakdown":
                if role in used:
                    problems.append(
                        Problem(
                            self.file,
                            1,
                            raw.strip(),
                            f"betyder samma sak som kolumnen '{used[role]}'",
                        )
                    )
                used[role] = raw.strip()
            out.append((role, name))
        missing = [r for r in REQUIRED if r not in used]
        if missing:
            problems.append(
                Problem(
                    self.file,
                    1,
                    None,
                    f"rubrikraden saknar kolumnen/kolumnerna {', '.join(missing)}",
                )
            )
        if problems:
            raise ParseError(problems)
        return out

    # --- rows ---------------------------------------------------------------------------------

    def _iter_csv(self) -> Iterator[TidyRow]:
        d = self.detected
        decimal = d.decimal if d.decimal_seen else None
        width = len(self.columns)
        with self.path.open(encoding=d.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=d.delimiter)
            next(reader, None)
            fast = self._fast_csv_row(decimal)
            for row_no, record in enumerate(reader, start=2):
                if len(record) == width:
                    row = fast(row_no, record)
                    if row is not None:
                        yield row
                        continue
                if not any(f.strip() for f in record):
                    continue
                row = self._row(row_no, record, decimal)
                if len(record) > width and not any(f.strip() for f in record[width:]):
                    record = record[:width]
                if len(record) != width:
                    hint = ""
                    if d.delimiter == "," and len(record) > width:
                        hint = (
                            "; med komma som avgränsare måste tal med decimalkomma stå inom "
                            'citattecken ("12,5")'
                        )
                    row.problems.insert(
                        0,
                        Problem(
                            self.file,
                            row_no,
                            None,
                            f"raden har {len(record)} fält men rubriken har {width}{hint}",
                        ),
                    )
                yield row

    def _fast_csv_row(self, decimal: str | None):
        """The fast path for a complete, valid CSV row: ``fast(row_no, fields)`` → TidyRow or None.

        It makes the same checks as :meth:`_row` and gives the same row, but caches what a file
        repeats (a period's check, a number's ``Decimal`` per distinct text and column) and builds
        no error text. It returns None for any row it is not sure of – a problem, a blank or
        unusual cell – and that row goes through :meth:`_row`, which writes the errors. So every
        error message comes from one place, and the fast path only ever accepts rows that
        :meth:`_row` accepts without a problem (tests compare the two).
        """
        idx = self._idx
        i_ind, i_area, i_period = idx["indicator"], idx["area"], idx["period"]
        i_status, i_stat = idx.get("status"), idx.get("statistic")
        i_note, i_ref = idx.get("note"), idx.get("source_ref")
        i_qual = idx.get("qualifier")
        i_value, i_num, i_den, i_resp = (idx.get(role) for role in _NUMERIC_ROLES)
        values: dict[str, Any] = {}  # per column: raw cell → its valid number (or None)
        nums: dict[str, Any] = {}
        dens: dict[str, Any] = {}
        resps: dict[str, Any] = {}
        breakdown_cols = self._breakdown_cols
        periods: dict[str, str] = {}  # raw cell → period, for valid periods only
        missing = object()

        def number(i: int | None, cache: dict, role: str, fields: list[str]) -> Any:
            """The cell's number (None when the column is absent or the cell blank), or missing."""
            if i is None:
                return None
            raw = fields[i]
            hit = cache.get(raw, missing)
            if hit is not missing:
                return hit
            if not raw.strip():
                v = None
            else:
                try:
                    v = _number(raw, decimal)
                except ValueError:
                    return missing
                if role != "value" and v < 0:
                    return missing
                if role == "respondents":
                    if v != v.to_integral_value():
                        return missing
                    v = int(v)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[raw] = v
            return v

        def fast(row_no: int, fields: list[str]) -> TidyRow | None:
            indicator = fields[i_ind].strip()
            area = fields[i_area].strip()
            if not indicator or not area:
                return None
            raw = fields[i_period]
            period = periods.get(raw)
            if period is None:
                period = raw.strip()
                if not period or not PERIOD.fullmatch(period):
                    return None
                if len(periods) >= _CACHE_LIMIT:
                    periods.clear()
                periods[raw] = period
            status = (fields[i_status].strip() or None) if i_status is not None else None
            if i_stat is None:
                statistic = "value"
            else:
                statistic = fields[i_stat].strip()
                statistic = STATISTICS.get(statistic.casefold() if statistic else "value")
                if statistic is None:
                    return None
            source_ref = fields[i_ref].strip() if i_ref is not None else ""
            if len(source_ref) > 300:
                return None
            value = values.get(fields[i_value], missing) if i_value is not None else None
            if value is missing:
                value = number(i_value, values, "value", fields)
                if value is missing:
                    return None
            if value is None and not status:
                return None
            numerator = nums.get(fields[i_num], missing) if i_num is not None else None
            if numerator is missing:
                numerator = number(i_num, nums, "numerator", fields)
                if numerator is missing:
                    return None
            denominator = dens.get(fields[i_den], missing) if i_den is not None else None
            if denominator is missing:
                denominator = number(i_den, dens, "denominator", fields)
                if denominator is missing:
                    return None
            respondents = number(i_resp, resps, "respondents", fields)
            if respondents is missing:
                return None
            qualifier = ""
            if i_qual is not None and fields[i_qual].strip():
                qualifier = parse_qualifier(fields[i_qual])
                if not qualifier or value is None:  # unknown word, or a word without a value
                    return None
            breakdown = {}
            for i, name in breakdown_cols:
                t = fields[i].strip()
                if t:
                    breakdown[name] = t
            return TidyRow(
                row_no,
                indicator,
                area,
                period,
                value,
                numerator,
                denominator,
                respondents,
                status,
                breakdown,
                [],
                statistic,
                fields[i_note].strip() if i_note is not None else "",
                source_ref,
                qualifier,
            )

        return fast

    def _iter_xlsx(self) -> Iterator[TidyRow]:
        wb, _ = open_xlsx(self.path, self.file)
        try:
            ws = self._worksheet(wb)
            for row_no, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
                if not any(cell_text(v) for v in values):
                    continue
                yield self._row(row_no, list(values), None, excel=True)
        finally:
            wb.close()

    def _row(self, row_no: int, fields: list[Any], decimal: str | None, excel=False) -> TidyRow:
        n = len(fields)
        idx = self._idx
        text = _text if excel else _csv_text

        def get(role: str) -> Any:
            i = idx.get(role)
            return fields[i] if i is not None and i < n else None

        problems: list[Problem] = []
        col = self._column_names

        def bad(role: str, message: str) -> None:
            problems.append(Problem(self.file, row_no, col.get(role, role), message))

        breakdown: dict[str, str] = {}
        for i, name in self._breakdown_cols:
            if i < n:
                t = text(fields[i])
                if t:
                    breakdown[name] = t
        indicator = text(get("indicator"))
        area = _area(get("area")) if excel else text(get("area"))
        period_raw = get("period")
        period = "" if isinstance(period_raw, dt.date) else text(period_raw)
        status = text(get("status")) or None
        statistic_text = text(get("statistic"))
        statistic = STATISTICS.get(statistic_text.casefold() if statistic_text else "value")
        if statistic is None:
            bad("statistic", f"okänt mått '{statistic_text}' (tillåtna: value, median)")
            statistic = "value"
        qualifier_text = text(get("qualifier"))
        qualifier = parse_qualifier(qualifier_text)
        if qualifier is None:
            bad("qualifier", f"okänd kvalificering '{qualifier_text}' ({QUALIFIER_HELP})")
            qualifier = ""
        source_ref = text(get("source_ref"))
        if len(source_ref) > 300:
            bad("source_ref", "källhänvisningen är längre än 300 tecken")
        if not indicator:
            bad("indicator", "saknas")
        if not area:
            bad("area", "saknas")
        if isinstance(period_raw, dt.date):
            bad(
                "period", "är ett datum i Excel; skriv perioden som text (t.ex. 2024 eller 2024M01)"
            )
        elif not period:
            bad("period", "saknas")
        elif not PERIOD.fullmatch(period):
            bad("period", f"'{period}' är inte en period (t.ex. 2024, 2024/2025, 2024M01, 2024K1)")
        numbers: dict[str, Decimal | None] = {}
        for role in _NUMERIC_ROLES:
            raw = get(role)
            if raw is None or (type(raw) is str and not raw.strip()):
                numbers[role] = None
                continue
            try:
                numbers[role] = _number(raw, decimal)
            except ValueError:
                sep = f" (decimaltecken är '{decimal}')" if decimal else ""
                bad(role, f"'{text(raw)}' är inte ett tal{sep}")
                numbers[role] = None
        if numbers["value"] is None and not text(get("value")) and not status:
            bad("value", "värde saknas och ingen status anger varför")
        if qualifier and numbers["value"] is None and not problems:
            bad("qualifier", f"'{qualifier_text}' står på en rad utan värde")
        for role in _COUNT_ROLES:
            v = numbers[role]
            if v is not None and v < 0:
                bad(role, f"{v} får inte vara negativt")
                numbers[role] = None
        respondents = numbers["respondents"]
        if respondents is not None and respondents != respondents.to_integral_value():
            bad("respondents", f"{respondents} är inte ett heltal")
            respondents = None
        return TidyRow(
            row=row_no,
            indicator=indicator,
            area=area,
            period=period,
            value=numbers["value"],
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
            respondents=int(respondents) if respondents is not None else None,
            status=status,
            breakdown=breakdown,
            problems=problems,
            statistic=statistic,
            note=text(get("note")),
            source_ref=source_ref,
            qualifier=qualifier,
        )


_NUMERIC_ROLES = ("value", "numerator", "denominator", "respondents")
_CACHE_LIMIT = 100_000  # distinct texts per cache of the CSV fast path; cleared when reached
_COUNT_ROLES = ("numerator", "denominator", "respondents")
_FAST_NUMBER = {
    ",": re.compile(r"-?\d+(?:,\d+)?"),
    ".": re.compile(r"-?\d+(?:\.\d+)?"),
}


def _csv_text(raw: str | None) -> str:
    return raw.strip() if raw else ""


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return cell_text(raw)


def _area(raw: Any) -> str:
    """Excel drops leading zeros of numeric codes: 1 → "01" (county), 180 → "0180" (kommun)."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < 10000:
        return str(raw).zfill(2 if raw < 100 else 4)
    return cell_text(raw)


def _number(raw: Any, decimal: str | None) -> Decimal:
    if type(raw) is str and decimal:
        t = raw.strip()
        if _FAST_NUMBER[decimal].fullmatch(t):
            return Decimal(t.replace(",", ".") if decimal == "," else t)
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    return parse_decimal_text(str(raw), decimal)


# --- encoding -------------------------------------------------------------------------------------


def detect_encoding(path: str | os.PathLike, file: str | None = None) -> str:
    """Stream the whole file once in 1 MiB chunks: ``utf-8-sig``, ``utf-8`` or ``cp1252``."""
    path = Path(path)
    name = file or path.name
    neither = "Filen är varken UTF-8 eller Windows-1252"
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8_ok, cp_ok, swedish_utf8 = True, True, False
    offset = 0
    first_bad = None
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ParseError.single(name, f"filen kan inte läsas: {exc.strerror or exc}") from None
    with fh:
        head = fh.read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise ParseError.single(name, f"{neither} (den är UTF-16; spara som UTF-8)")
        bom = head.startswith(codecs.BOM_UTF8)
        fh.seek(0)
        while chunk := fh.read(_CHUNK):
            m = _BINARY.search(chunk)
            if m:
                raise ParseError.single(
                    name,
                    f"{neither} (otillåtet styrtecken på byte {offset + m.start() + 1}; "
                    "är det en binärfil eller UTF-16?)",
                )
            if utf8_ok:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    utf8_ok = False
                    first_bad = offset + exc.start + 1
            if cp_ok:
                m = _CP1252_UNDEFINED.search(chunk)
                if m:
                    cp_ok = False
                    first_bad = first_bad or offset + m.start() + 1
            swedish_utf8 = swedish_utf8 or bool(_UTF8_SWEDISH.search(chunk))
            offset += len(chunk)
        if utf8_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
                first_bad = offset
    if utf8_ok:
        return "utf-8-sig" if bom else "utf-8"
    if bom or not cp_ok or swedish_utf8:
        why = "blandad teckenkodning" if (bom or swedish_utf8) and cp_ok else "ogiltiga tecken"
        raise ParseError.single(name, f"{neither} ({why}, första felet vid byte {first_bad})")
    return "cp1252"


# --- public functions -----------------------------------------------------------------------------


def open_tidy(path: str | os.PathLike, *, file: str | None = None, sheet: str | None = None):
    """A :class:`TidyReader`: ``reader.detected``, ``reader.columns``, ``for row in reader``."""
    return TidyReader(path, file=file, sheet=sheet)


def detect(path: str | os.PathLike, *, file: str | None = None) -> Detected:
    return TidyReader(path, file=file).detected


def iter_rows(
    path: str | os.PathLike, *, file: str | None = None, sheet: str | None = None
) -> Iterator[TidyRow]:
    """Stream :class:`TidyRow` objects. Structural problems raise ParseError immediately."""
    return iter(TidyReader(path, file=file, sheet=sheet))


def validate_all(
    path: str | os.PathLike, *, file: str | None = None, sheet: str | None = None
) -> TidyValidation:
    """Stream the file once; count rows and collect row problems (the first 100 are kept)."""
    reader = TidyReader(path, file=file, sheet=sheet)
    rows = bad_rows = total = 0
    problems: list[Problem] = []
    for row in reader:
        rows += 1
        if row.problems:
            bad_rows += 1
            total += len(row.problems)
            problems.extend(row.problems[: max(0, MAX_PROBLEMS - len(problems))])
    return TidyValidation(reader.detected, rows, bad_rows, total, problems)
