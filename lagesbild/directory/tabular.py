"""The register as rows: one format for CSV, XLSX, the demo file and the reporting round.

Lists are written with `|` between items (`vinr|heder`), areas by code (`0182|0180-JARVA`),
dates as ISO (`2025-11-30`), yes/no as `ja`/`nej`. Reading validates every row before anything is
written; a problem names the file, the row and the column, in Swedish.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from lagesbild.core.exports import csv_cell_read, csv_dict, workbook_inert
from lagesbild.core.models import Area, Organisation
from lagesbild.core.yamlschema import ConfigError, Problem
from lagesbild.directory.models import (
    OrganiserKind,
    PerpetratorGroup,
    Provision,
    SupportService,
    TargetGroup,
)
from lagesbild.strategy.models import ViolenceType

COLUMNS = [
    "key",
    "name",
    "organiser_kind",
    "organiser_name",
    "organisation",
    "provision",
    "referral_only",
    "exposed_to",
    "perpetrator_of",
    "perpetrator_groups",
    "target_groups",
    "age_min",
    "age_max",
    "areas",
    "phone",
    "web",
    "email",
    "address",
    "opening_hours",
    "languages",
    "valid_from",
    "valid_to",
    "verified_on",
    "verified_by",
    "description",
    "note",
]
REQUIRED = ["key", "name", "organiser_kind", "organiser_name", "provision", "areas"]
SEP = "|"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegisterImportError(ConfigError):
    """Problems in a register file; nothing has been written."""


@dataclass
class ServiceRow:
    """One validated row, ready to be written."""

    line: int
    key: str
    name: str
    organiser_kind: str
    organiser_name: str
    organisation: Organisation | None
    provision: str
    referral_only: bool
    exposed_to: list[ViolenceType]
    perpetrator_of: list[ViolenceType]
    perpetrator_groups: list[str]
    target_groups: list[str]
    age_min: int | None
    age_max: int | None
    areas: list[Area]
    phone: str = ""
    web: str = ""
    email: str = ""
    address: str = ""
    opening_hours: str = ""
    languages: list[str] = field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    verified_on: date | None = None
    verified_by: str = ""
    description: str = ""
    note: str = ""

    SCALARS = (
        "name",
        "organiser_kind",
        "organiser_name",
        "organisation",
        "provision",
        "referral_only",
        "perpetrator_groups",
        "target_groups",
        "age_min",
        "age_max",
        "phone",
        "web",
        "email",
        "address",
        "opening_hours",
        "languages",
        "valid_from",
        "valid_to",
        "verified_on",
        "description",
        "note",
    )


# ---------------------------------------------------------------------------------------- reading


def read_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV or XLSX file as (row number in the file, {column: text})."""
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data, file_name: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of an uploaded file (bytes or an UploadedFile), read as XLSX or CSV by its name.

    The file is checked before it is opened (lagesbild.core.uploads): size, zip bomb, macros,
    row and cell limits. Any refusal is a RegisterImportError; nothing has been written."""
    from lagesbild.core.uploads import CFB_SIGNATURE, MACRO_SUFFIXES, UploadRefused, upload_read

    try:
        data = upload_read(data)
        spreadsheet = file_name.lower().endswith((".xlsx", *MACRO_SUFFIXES))
        if spreadsheet or data[:2] == b"PK" or data[:8] == CFB_SIGNATURE:
            return read_xlsx(data, file_name)
        return read_csv(data, file_name)
    except UploadRefused as exc:
        raise RegisterImportError([Problem(file_name, None, "", exc.message)]) from None


def read_csv(data: bytes | str, file_name: str = "fil.csv") -> list[tuple[int, dict[str, str]]]:
    from lagesbild.core.uploads import UploadRefused, csv_rows

    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RegisterImportError(
                [Problem(file_name, None, "", f"filen är inte UTF-8 ({exc.reason})")]
            ) from None
    else:
        text = data
    if "\x00" in text:
        raise RegisterImportError(
            [Problem(file_name, None, "", "filen innehåller NUL-tecken och är ingen textfil")]
        )
    # Leading comment lines ('# …') are allowed; row numbers still count them.
    skip, start = 0, 0
    while True:
        end = text.find("\n", start)
        line = text[start : len(text) if end < 0 else end + 1]
        if not line.lstrip().startswith("#") or end < 0:
            break
        skip, start = skip + 1, end + 1
    body = text[start:]
    sample = "\n".join(body.split("\n", 2)[:2])
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        rows = list(csv_rows(body, delimiter=delimiter, first_line=skip + 1))
    except UploadRefused as exc:
        raise RegisterImportError([Problem(file_name, None, "", exc.message)]) from None
    if not rows:
        raise RegisterImportError([Problem(file_name, None, "", "filen är tom")])
    return _rows_with_header(rows, file_name, first_line=skip + 1, unescape=True)


def read_xlsx(data: bytes, file_name: str = "fil.xlsx") -> list[tuple[int, dict[str, str]]]:
    from lagesbild.core.uploads import UploadRefused, cell_check, rows_capped, xlsx_open

    rows = []
    try:
        wb = xlsx_open(data, file_name)
        try:
            if not wb.worksheets:
                raise UploadRefused("arbetsboken har inga blad")
            ws = wb.worksheets[0]
            for n, row in enumerate(rows_capped(ws.iter_rows(values_only=True)), start=1):
                texts = ["" if v is None else _cell_text(v) for v in row]
                for i, text in enumerate(texts, start=1):
                    cell_check(text, where=f"Rad {n}, kolumn {i}")
                rows.append(texts)
        finally:
            wb.close()
    except UploadRefused as exc:
        raise RegisterImportError([Problem(file_name, None, "", exc.message)]) from None
    except Exception:  # noqa: BLE001 - a malformed sheet fails lazily, while rows are read
        raise RegisterImportError(
            [Problem(file_name, None, "", "bladet går inte att läsa; spara om filen som .xlsx")]
        ) from None
    if not rows:
        raise RegisterImportError([Problem(file_name, None, "", "bladet är tomt")])
    return _rows_with_header(rows, f"{file_name}, blad '{ws.title}'", first_line=1)


def _cell_text(value) -> str:
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows_with_header(rows, file_name: str, first_line: int, *, unescape: bool = False):
    """Rows as dicts by header; `unescape`: undo the CSV export's formula escape. Leading
    spaces and trailing whitespace go; a leading tab or CR stays (it is part of a value the
    export wrote, so the round trip gives it back)."""
    read = csv_cell_read if unescape else str
    header = [h.strip() for h in rows[0]]
    problems = []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing:
        problems.append(
            Problem(file_name, first_line, "", f"kolumner saknas: {', '.join(missing)}")
        )
    if unknown:
        problems.append(
            Problem(file_name, first_line, "", f"okända kolumner: {', '.join(unknown)}")
        )
    if problems:
        raise RegisterImportError(problems)
    out = []
    for offset, row in enumerate(rows[1:], start=1):
        if not any(str(c).strip() for c in row):
            continue
        values = {
            h: (read(str(row[i]).lstrip(" ").rstrip()) if i < len(row) else "")
            for i, h in enumerate(header)
        }
        values.pop("", None)
        out.append((first_line + offset, values))
    return out


class _Lookups:
    """Everything a row refers to, fetched once."""

    def __init__(self):
        self.areas = {a.code: a for a in Area.objects.all()}
        self.types = {v.key: v for v in ViolenceType.objects.all()}
        self.orgs = {o.key: o for o in Organisation.objects.all()}


def validate_rows(rows: list[tuple[int, dict[str, str]]], file_name: str) -> list[ServiceRow]:
    """Check every row; raise RegisterImportError with all problems, or return the rows."""
    lookups = _Lookups()
    problems: list[Problem] = []
    out: list[ServiceRow] = []
    seen: dict[str, int] = {}
    for line, values in rows:
        row_problems: list[Problem] = []

        def bad(column: str, message: str, line=line, row_problems=row_problems) -> None:
            row_problems.append(Problem(file_name, line, column, message))

        for column in REQUIRED:
            if not values.get(column, ""):
                bad(column, "värde saknas")
        key = values.get("key", "")
        if key:
            if not _is_slug(key):
                bad("key", "nyckeln får bara innehålla a–z, 0–9 och bindestreck")
            elif key in seen:
                bad("key", f"nyckeln finns redan på rad {seen[key]}")
            else:
                seen[key] = line
        organiser_kind = _choice(values, "organiser_kind", OrganiserKind, bad)
        provision = _choice(values, "provision", Provision, bad)
        organisation = None
        if values.get("organisation"):
            organisation = lookups.orgs.get(values["organisation"])
            if organisation is None:
                bad("organisation", f"okänd organisation '{values['organisation']}'")
        exposed = _refs(values, "exposed_to", lookups.types, "våldstyp", bad)
        perpetrator = _refs(values, "perpetrator_of", lookups.types, "våldstyp", bad)
        areas = _refs(values, "areas", lookups.areas, "områdeskod", bad)
        perpetrator_groups = _choices(values, "perpetrator_groups", PerpetratorGroup, bad)
        target_groups = _choices(values, "target_groups", TargetGroup, bad)
        age_min = _int(values, "age_min", bad)
        age_max = _int(values, "age_max", bad)
        if age_min is not None and age_max is not None and age_min > age_max:
            bad("age_max", f"högsta ålder ({age_max}) är lägre än lägsta ålder ({age_min})")
        if not exposed and not perpetrator and values.get("key"):
            bad("exposed_to", "ange minst en våldstyp i exposed_to eller perpetrator_of")
        if perpetrator and not perpetrator_groups:
            bad("perpetrator_groups", "ange vilken grupp som utövar våld (t.ex. narstaende)")
        web = values.get("web", "")
        if web:
            try:
                URLValidator(schemes=["http", "https"])(web)
            except ValidationError:
                bad("web", f"'{web}' är ingen giltig webbadress (börja med https://)")
        email = values.get("email", "")
        if email:
            try:
                EmailValidator()(email)
            except ValidationError:
                bad("email", f"'{email}' är ingen giltig e-postadress")
        valid_from = _date(values, "valid_from", bad)
        valid_to = _date(values, "valid_to", bad)
        if valid_from and valid_to and valid_from > valid_to:
            bad("valid_to", "slutdatum före startdatum")
        verified_on = _date(values, "verified_on", bad)
        referral = values.get("referral_only", "").lower()
        if referral not in {"", "ja", "nej", "true", "false", "1", "0"}:
            bad("referral_only", "skriv ja eller nej")
        for column, limit in _max_lengths().items():  # the column sizes, on every database
            if len(values.get(column, "")) > limit:
                bad(column, f"högst {limit} tecken (här {len(values[column])})")
        if row_problems:
            problems.extend(row_problems)
            continue
        out.append(
            ServiceRow(
                line=line,
                key=key,
                name=values["name"],
                organiser_kind=organiser_kind,
                organiser_name=values["organiser_name"],
                organisation=organisation,
                provision=provision,
                referral_only=referral in {"ja", "true", "1"},
                exposed_to=exposed,
                perpetrator_of=perpetrator,
                perpetrator_groups=perpetrator_groups,
                target_groups=target_groups,
                age_min=age_min,
                age_max=age_max,
                areas=areas,
                phone=values.get("phone", ""),
                web=web,
                email=email,
                address=values.get("address", ""),
                opening_hours=values.get("opening_hours", ""),
                languages=_list(values.get("languages", "")),
                valid_from=valid_from,
                valid_to=valid_to,
                verified_on=verified_on,
                verified_by=values.get("verified_by", ""),
                description=values.get("description", ""),
                note=values.get("note", ""),
            )
        )
    if problems:
        raise RegisterImportError(problems)
    return out


def _max_lengths() -> dict[str, int]:
    """Each text column's limit, from the model: PostgreSQL refuses a longer value with an
    error and SQLite stores it silently, so the import checks it first."""
    fields = {
        f.name: f.max_length for f in SupportService._meta.fields if getattr(f, "max_length", 0)
    }
    fields["verified_by"] = fields.pop("verified_by_name")
    return {c: fields[c] for c in COLUMNS if c in fields}


def _is_slug(text: str) -> bool:
    return all(c.isascii() and (c.isalnum() and c == c.lower() or c == "-") for c in text)


def _list(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split(SEP) if p.strip()]


def _choice(values, column, choices, bad) -> str:
    value = values.get(column, "")
    if value and value not in choices.values:
        bad(column, f"'{value}' är inte ett tillåtet värde ({', '.join(choices.values)})")
    return value


def _choices(values, column, choices, bad) -> list[str]:
    items = _list(values.get(column, ""))
    for item in items:
        if item not in choices.values:
            bad(column, f"'{item}' är inte ett tillåtet värde ({', '.join(choices.values)})")
    return items


def _refs(values, column, table, what, bad) -> list:
    out = []
    for item in _list(values.get(column, "")):
        obj = table.get(item)
        if obj is None:
            bad(column, f"okänd {what} '{item}'")
        else:
            out.append(obj)
    return out


def _int(values, column, bad) -> int | None:
    text = values.get(column, "")
    if not text:
        return None
    if not text.isdigit() or int(text) > 130:
        bad(column, f"'{text}' är ingen ålder i hela år (0–130)")
        return None
    return int(text)


def _date(values, column, bad) -> date | None:
    text = values.get(column, "")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        bad(column, f"'{text}' är inget datum (skriv ÅÅÅÅ-MM-DD)")
        return None


# ---------------------------------------------------------------------------------------- writing


def service_to_row(service: SupportService) -> dict[str, str]:
    """One service as export row; expects exposed_to, perpetrator_of and areas prefetched."""

    def d(value):
        return value.isoformat() if value else ""

    return {
        "key": service.key,
        "name": service.name,
        "organiser_kind": service.organiser_kind,
        "organiser_name": service.organiser_name,
        "organisation": service.organisation.key if service.organisation_id else "",
        "provision": service.provision,
        "referral_only": "ja" if service.referral_only else "nej",
        "exposed_to": SEP.join(sorted(v.key for v in service.exposed_to.all())),
        "perpetrator_of": SEP.join(sorted(v.key for v in service.perpetrator_of.all())),
        "perpetrator_groups": SEP.join(service.perpetrator_groups),
        "target_groups": SEP.join(service.target_groups),
        "age_min": "" if service.age_min is None else str(service.age_min),
        "age_max": "" if service.age_max is None else str(service.age_max),
        "areas": SEP.join(sorted(a.code for a in service.areas.all())),
        "phone": service.phone,
        "web": service.web,
        "email": service.email,
        "address": service.address,
        "opening_hours": service.opening_hours,
        "languages": SEP.join(service.languages),
        "valid_from": d(service.valid_from),
        "valid_to": d(service.valid_to),
        "verified_on": d(service.verified_on),
        "verified_by": service.verifier,
        "description": service.description,
        "note": service.note,
    }


def row_to_dict(row: ServiceRow) -> dict[str, str]:
    """A validated row in export form, to compare with `service_to_row`."""

    def d(value):
        return value.isoformat() if value else ""

    return {
        "key": row.key,
        "name": row.name,
        "organiser_kind": row.organiser_kind,
        "organiser_name": row.organiser_name,
        "organisation": row.organisation.key if row.organisation else "",
        "provision": row.provision,
        "referral_only": "ja" if row.referral_only else "nej",
        "exposed_to": SEP.join(sorted(v.key for v in row.exposed_to)),
        "perpetrator_of": SEP.join(sorted(v.key for v in row.perpetrator_of)),
        "perpetrator_groups": SEP.join(row.perpetrator_groups),
        "target_groups": SEP.join(row.target_groups),
        "age_min": "" if row.age_min is None else str(row.age_min),
        "age_max": "" if row.age_max is None else str(row.age_max),
        "areas": SEP.join(sorted(a.code for a in row.areas)),
        "phone": row.phone,
        "web": row.web,
        "email": row.email,
        "address": row.address,
        "opening_hours": row.opening_hours,
        "languages": SEP.join(row.languages),
        "valid_from": d(row.valid_from),
        "valid_to": d(row.valid_to),
        "verified_on": d(row.verified_on),
        "verified_by": row.verified_by,
        "description": row.description,
        "note": row.note,
    }


def rows_to_csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    # CRLF as RFC 4180: a field with a CR or LF is then always quoted
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_dict(r) for r in rows)  # inert cells; read_csv undoes the escape
    return buf.getvalue().encode("utf-8")


def rows_download(rows: list[dict[str, str]], fmt: str, file_stem: str):
    """An HTTP download of register rows as ``xlsx`` or (otherwise) CSV."""
    from django.http import HttpResponse

    if fmt == "xlsx":
        response = HttpResponse(rows_to_xlsx(rows), content_type=XLSX_MIME)
    else:
        fmt = "csv"
        response = HttpResponse(rows_to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{fmt}"'
    return response


def rows_to_xlsx(rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Stödregister"
    ws.append(COLUMNS)
    for row in rows:
        ws.append([row[c] for c in COLUMNS])
    ws.freeze_panes = "A2"
    workbook_inert(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
