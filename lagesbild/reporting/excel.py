"""The Excel round trip: a workbook with the user's due submissions, and its upload.

`workbook_build` writes three visible sheets (Instruktioner, Inrapporteringar, Värden) and a
very hidden sheet Metadata naming the organisation, the year and each submission's version.
Key columns, texts and headers are locked (sheet protection without password: it guards
against slips, not against intent, so the upload checks every locked cell again).

`upload_parse` checks the whole file before anything is written and raises UploadRejected with
every problem, each naming sheet, row, column and problem in Swedish. `upload_apply` then
writes all changes in one transaction through `services.submission_update`.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from lagesbild.core.exports import workbook_inert
from lagesbild.core.models import Organisation
from lagesbild.core.uploads import (  # noqa: F401 - CFB_SIGNATURE kept for callers
    CFB_SIGNATURE,
    UploadRefused,
    shorten,
    upload_read,
    xlsx_check,
)
from lagesbild.indicators.models import Indicator
from lagesbild.indicators.services import parse_breakdown
from lagesbild.reporting import access
from lagesbild.reporting.models import (
    ImplementationStatus,
    ReportingRound,
    Submission,
    SubmissionValue,
)
from lagesbild.reporting.services import ValueInput, submission_update
from lagesbild.reporting.validation import ValueProblem, check_unit, format_exact, parse_value

if TYPE_CHECKING:  # openpyxl is imported where a workbook is made or read (quick start)
    from openpyxl.worksheet.datavalidation import DataValidation

FORMAT = "lagesbild-rapportering-1"

SUBMISSIONS = "Inrapporteringar"
VALUES = "Värden"
META = "Metadata"
INFO = "Instruktioner"

SUB_HEADERS = ["Åtgärd", "Organisation", "Åtgärdens text", "Läge", "Genomförande", "Beskrivning"]
SUB_EDITABLE = {"Genomförande", "Beskrivning"}
VAL_HEADERS = [
    "Åtgärd",
    "Organisation",
    "Indikator",
    "Indikatorns namn",
    "Enhet",
    "Område",
    "Period",
    "Uppdelning",
    "Värde",
    "Skäl om värde saknas",
    "Anmärkning",
]
VAL_EDITABLE = {"Värde", "Skäl om värde saknas", "Anmärkning"}

STATUS_BY_LABEL = {str(label): value for value, label in ImplementationStatus.choices}
LABEL_BY_STATUS = {value: label for label, value in STATUS_BY_LABEL.items()}
UNIT_LABEL = {
    "percent": "procent (0–100)",
    "count": "antal (heltal, 0 eller mer)",
    "rate_per_100k": "per 100 000 invånare",
    "mean_0_10": "medelvärde 0–10",
    "index_0_100": "index 0–100",
}
HEADER_FILL = "DDE4EE"  # fill colours (openpyxl PatternFill "solid")
OPEN_FILL = "FFF7D6"


@dataclass(frozen=True)
class UploadError:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [f"Bladet '{self.sheet}'"] if self.sheet else ["Filen"]
        if self.row:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn {self.column}")
        return f"{', '.join(where)}: {shorten(self.message, 500)}"


class UploadRejected(Exception):
    def __init__(self, errors: list[UploadError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def _col(headers: list[str], name: str) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(headers.index(name) + 1)} ({name})"


def _user_org(user) -> Organisation | None:
    m = access.membership(user)
    return m.organisation if m else None


def due_submissions(*, user, round: ReportingRound):
    return (
        access.own_submissions(user)
        .filter(round=round, measure__isnull=False)
        .select_related("measure", "organisation")
        .order_by("measure__sort_key", "organisation__name")
    )


def _breakdown_text(bd: dict) -> str:
    return ";".join(f"{k}={bd[k]}" for k in sorted(bd))


def _value_text(value: Decimal | None):
    if value is None:
        return None
    value = Decimal(value).normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# ---------------------------------------------------------------- download


def workbook_build(*, user, round: ReportingRound) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    org = _user_org(user)
    subs = list(
        due_submissions(user=user, round=round).prefetch_related(
            Prefetch("values", SubmissionValue.objects.select_related("indicator", "area"))
        )
    )
    wb = Workbook()
    _register_styles(wb)
    info = wb.active
    info.title = INFO
    lines = [
        f"Rapportering {round.year} – {org.name if org else ''}",
        f"Sista dag: {round.closes_on:%Y-%m-%d}",
        "",
        "Fyll i de gula cellerna. Övriga celler och rubriker är låsta och får inte ändras.",
        "Bladet Inrapporteringar: genomförande och en beskrivning per åtgärd. Skriv stycken "
        "åtskilda av en tomrad; länkar skrivs som adresser (https://…).",
        "Bladet Värden: ett värde per rad. Decimalkomma går bra. Procent 0–100, antal som heltal.",
        "Skriv procent som ett tal utan procenttecken: 45, inte 45 % (Excel sparar 45 % som "
        "0,45, och en cell formaterad som procent tas inte emot).",
        "Lämnas ett värde tomt ska skälet anges i kolumnen 'Skäl om värde saknas'.",
        "Skriv värden, inte formler. Ladda upp filen under Rapportering i Lägesbild; "
        "den kontrolleras i sin helhet innan något sparas. Skicka sedan in i Lägesbild.",
    ]
    for i, line in enumerate(lines, start=1):
        info.cell(row=i, column=1, value=line)
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 120
    info.protection.sheet = True

    ws = wb.create_sheet(SUBMISSIONS)
    _headers(ws, SUB_HEADERS, [10, 24, 60, 16, 22, 90])
    for r, sub in enumerate(subs, start=2):
        row = [
            sub.measure.code,
            sub.organisation.name,
            sub.measure.text,
            sub.get_state_display(),
            LABEL_BY_STATUS.get(sub.implementation_status, None),
            sub.narrative_source or None,
        ]
        _row(ws, r, row, SUB_HEADERS, SUB_EDITABLE)
    status_dv = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_BY_LABEL) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Genomförande",
        error="Välj ett av alternativen i listan.",
    )
    ws.add_data_validation(status_dv)
    if subs:
        status_dv.add(f"E2:E{len(subs) + 1}")

    wv = wb.create_sheet(VALUES)
    _headers(wv, VAL_HEADERS, [10, 24, 26, 60, 24, 12, 10, 28, 14, 40, 40])
    r = 2
    ranges: dict[str, list[str]] = {}
    for sub in subs:
        for v in sub.values.all():
            row = [
                sub.measure.code,
                sub.organisation.name,
                v.indicator.code,
                v.indicator.name,
                UNIT_LABEL.get(v.indicator.unit, v.indicator.unit),
                v.area.code,
                v.period,
                _breakdown_text(v.breakdown) or None,
                _value_text(v.value),
                v.missing_reason or None,
                v.note or None,
            ]
            _row(wv, r, row, VAL_HEADERS, VAL_EDITABLE)
            ranges.setdefault(v.indicator.unit, []).append(f"I{r}")
            r += 1
    for unit, cells in ranges.items():
        dv = _unit_validation(unit)
        if dv is not None:
            wv.add_data_validation(dv)
            for c in cells:
                dv.add(c)

    meta = wb.create_sheet(META)
    meta.append(["format", FORMAT])
    meta.append(["organisation", org.key if org else ""])
    meta.append(["år", round.year])
    meta.append(["skapad", timezone.now().isoformat(timespec="seconds")])
    meta.append(["användare", user.get_username()])
    meta.append(["inrapportering", "version"])
    for sub in subs:
        meta.append([f"{sub.measure.code}|{sub.organisation.key}", sub.version])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.properties.title = f"Rapportering {round.year}"
    wb.properties.subject = f"{FORMAT};{org.key if org else ''};{round.year}"
    wb.properties.creator = "Lägesbild"
    wb.active = 1
    workbook_inert(wb)  # no text (a name, a reason) becomes a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Cell styles, registered once per workbook (`_register_styles`): a cell takes one by name, which
# copies the registered style's ids. Setting font, fill, alignment and protection on each cell
# made openpyxl hash four new style objects per cell (about 0.1 ms each): half of a small
# template's build, in the request of every agency contact at the deadline.
HEADER_STYLE = "Lägesbild rubrik"
LOCKED_STYLE = "Lägesbild låst"
OPEN_STYLE = "Lägesbild ifyllnad"


def _register_styles(wb) -> None:
    from copy import copy

    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection
    from openpyxl.styles.fonts import DEFAULT_FONT

    def font(bold: bool = False) -> Font:  # the workbook's own font: a style's Font() names none
        f = copy(DEFAULT_FONT)
        f.b = bold
        return f

    body = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    wb.add_named_style(NamedStyle(HEADER_STYLE, font=font(bold=True), fill=header_fill))
    wb.add_named_style(NamedStyle(LOCKED_STYLE, font=font(), alignment=body))
    wb.add_named_style(
        NamedStyle(
            OPEN_STYLE,
            font=font(),
            alignment=body,
            protection=Protection(locked=False),
            fill=PatternFill("solid", fgColor=OPEN_FILL),
        )
    )


def _headers(ws, headers: list[str], widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for c, (name, width) in enumerate(zip(headers, widths, strict=True), start=1):
        ws.cell(row=1, column=c, value=name).style = HEADER_STYLE
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _row(ws, r: int, values: list, headers: list[str], editable: set[str]) -> None:
    for c, (name, value) in enumerate(zip(headers, values, strict=True), start=1):
        cell = ws.cell(row=r, column=c, value=value)
        cell.style = OPEN_STYLE if name in editable else LOCKED_STYLE
        if isinstance(value, str):
            cell.data_type = "s"  # never let a text such as '=…' be read as a formula


def _unit_validation(unit: str) -> DataValidation | None:
    from openpyxl.worksheet.datavalidation import DataValidation

    common = {"allow_blank": True, "showErrorMessage": True, "errorTitle": "Värde"}
    if unit == "count":
        return DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0",
            error="Ett antal är ett heltal, 0 eller mer.", **common,
        )  # fmt: skip
    if unit == "percent":
        return DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100",
            error="Värdet ska vara mellan 0 och 100, utan procenttecken.",
            showInputMessage=True, promptTitle="Procent",
            prompt="Skriv talet utan procenttecken: 45, inte 45 %.", **common,
        )  # fmt: skip
    if unit == "index_0_100":
        return DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100",
            error="Värdet ska vara mellan 0 och 100.", **common,
        )  # fmt: skip
    if unit == "mean_0_10":
        return DataValidation(
            type="decimal", operator="between", formula1="0", formula2="10",
            error="Värdet ska vara mellan 0 och 10.", **common,
        )  # fmt: skip
    if unit == "rate_per_100k":
        return DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0",
            error="Värdet kan inte vara negativt.", **common,
        )  # fmt: skip
    return None


# ---------------------------------------------------------------- upload


@dataclass
class SubmissionChange:
    submission: Submission
    implementation_status: str
    narrative_source: str
    values: dict[int, ValueInput] = field(default_factory=dict)


@dataclass
class UploadPlan:
    changes: list[SubmissionChange]
    unchanged: int

    @property
    def changed_values(self) -> int:
        return sum(len(c.values) for c in self.changes)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def upload_parse(*, upload, user, round: ReportingRound) -> UploadPlan:
    if round.closed and not access.can_upload(user, round):
        # Before anything else: every draft would otherwise be reported as unchangeable.
        raise UploadRejected(
            [
                UploadError(
                    "",
                    None,
                    "",
                    f"omgången {round.year} är stängd och tar inte emot ändringar; kontakta "
                    "samordnaren om något behöver rättas",
                )
            ]
        )
    try:  # size, zip bomb, macros: checked before openpyxl sees the file
        data = upload_read(upload)
        xlsx_check(data, getattr(upload, "name", "") or "")
    except UploadRefused as exc:
        raise UploadRejected([UploadError("", None, "", exc.message)]) from None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise UploadRejected(
            [UploadError("", None, "", "filen är inte en Excel-arbetsbok (.xlsx) som går att läsa")]
        )
    errors: list[UploadError] = []
    for name in (META, SUBMISSIONS, VALUES):
        if name not in wb.sheetnames:
            errors.append(
                UploadError(name, None, "", "bladet saknas; använd mallen från Lägesbild")
            )
    if errors:
        raise UploadRejected(errors)

    meta = {_text(r[0]): r[1] for r in wb[META].iter_rows(values_only=True) if r and r[0]}
    org = _user_org(user)
    if _text(meta.get("format")) != FORMAT:
        errors.append(UploadError(META, 1, "B", "arbetsboken är inte en Lägesbild-mall"))
    if _text(meta.get("organisation")) != (org.key if org else ""):
        other = Organisation.objects.filter(key=_text(meta.get("organisation"))).first()
        errors.append(
            UploadError(
                META,
                2,
                "B",
                f"arbetsboken gäller {other.name if other else 'en annan organisation'}, "
                f"inte {org.name if org else 'din organisation'}",
            )
        )
    if _text(meta.get("år")) != str(round.year):
        errors.append(
            UploadError(
                META,
                3,
                "B",
                f"arbetsboken gäller rapporteringsåret {_text(meta.get('år')) or 'okänt'}, "
                f"inte {round.year}",
            )
        )
    if errors:
        raise UploadRejected(errors)
    versions = {_text(k): v for k, v in meta.items()}

    for name in (SUBMISSIONS, VALUES):
        for row in wb[name].iter_rows():
            for cell in row:
                if cell.data_type == "f" or (
                    cell.data_type != "s"
                    and isinstance(cell.value, str)
                    and cell.value.startswith("=")
                ):
                    errors.append(
                        UploadError(
                            name,
                            cell.row,
                            cell.column_letter,
                            "cellen innehåller en formel; skriv in värdet i stället",
                        )
                    )
    if errors:
        raise UploadRejected(errors)

    subs = {
        (s.measure.code, s.organisation.name): s
        for s in due_submissions(user=user, round=round).prefetch_related(
            "values__indicator", "values__area"
        )
    }

    @functools.cache
    def measure_codes() -> set[str]:  # for an error message only: no query for a good file
        return {code for code, _org in subs} | set(
            round.plan.measures.values_list("code", flat=True)
        )

    changes: dict[int, SubmissionChange] = {}

    # ---- Inrapporteringar
    ws = wb[SUBMISSIONS]
    errors += _check_headers(ws, SUB_HEADERS, SUBMISSIONS)
    seen: dict[tuple, int] = {}
    if not errors:
        for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            row = list(row) + [None] * (len(SUB_HEADERS) - len(row))
            if all(_text(v) == "" for v in row[: len(SUB_HEADERS)]):
                continue
            code, org_name = _text(row[0]), _text(row[1])
            key = (code, org_name)
            if key in seen:
                errors.append(
                    UploadError(SUBMISSIONS, r, "A", f"raden är en dubblett av rad {seen[key]}")
                )
                continue
            seen[key] = r
            sub = subs.get(key)
            if sub is None:
                if code not in measure_codes():
                    msg = f"okänd åtgärd '{code}'"
                else:
                    msg = (
                        f"åtgärd {code} för '{org_name}' finns inte bland dina inrapporteringar "
                        f"för {round.year}"
                    )
                errors.append(UploadError(SUBMISSIONS, r, _col(SUB_HEADERS, "Åtgärd"), msg))
                continue
            locked = {"Åtgärdens text": sub.measure.text, "Läge": sub.get_state_display()}
            for name, expected in locked.items():
                if _text(row[SUB_HEADERS.index(name)]) != _text(expected):
                    errors.append(
                        UploadError(
                            SUBMISSIONS,
                            r,
                            _col(SUB_HEADERS, name),
                            "cellen är låst och har ändrats; återställ den eller ladda ner mallen igen",
                        )
                    )
            status_label = _text(row[4])
            status = sub.implementation_status
            if status_label:
                if status_label not in STATUS_BY_LABEL:
                    errors.append(
                        UploadError(
                            SUBMISSIONS,
                            r,
                            _col(SUB_HEADERS, "Genomförande"),
                            f"'{status_label}' är inte ett genomförande; välj ett av "
                            + ", ".join(STATUS_BY_LABEL),
                        )
                    )
                else:
                    status = STATUS_BY_LABEL[status_label]
            elif sub.implementation_status:
                status = ""
            narrative = row[5]
            if narrative is not None and not isinstance(narrative, str):
                narrative = _text(narrative)
            narrative = (narrative or "").strip()
            changes[sub.pk] = SubmissionChange(sub, status, narrative)

    # ---- Värden
    wv = wb[VALUES]
    header_errors = _check_headers(wv, VAL_HEADERS, VALUES)
    errors += header_errors
    if not header_errors:
        # The codes only: whole Indicator objects of every plan period cost more than the check.
        indicators = set(Indicator.objects.values_list("code", flat=True))
        seen_vals: dict[tuple, int] = {}
        value_index = VAL_HEADERS.index("Värde")
        # Cells, not values only: a value's number format tells how Excel stored what was typed.
        for r, cells in enumerate(wv.iter_rows(min_row=2), start=2):
            row = [c.value for c in cells] + [None] * (len(VAL_HEADERS) - len(cells))
            if all(_text(v) == "" for v in row[: len(VAL_HEADERS)]):
                continue
            cols = dict(zip(VAL_HEADERS, row, strict=False))
            value_format = cells[value_index].number_format if len(cells) > value_index else ""
            code, org_name = _text(cols["Åtgärd"]), _text(cols["Organisation"])
            sub = subs.get((code, org_name))
            if sub is None:
                msg = (
                    f"okänd åtgärd '{code}'"
                    if code not in measure_codes()
                    else f"åtgärd {code} för '{org_name}' finns inte bland dina inrapporteringar"
                )
                errors.append(UploadError(VALUES, r, _col(VAL_HEADERS, "Åtgärd"), msg))
                continue
            ind_code = _text(cols["Indikator"])
            if ind_code not in indicators:
                errors.append(
                    UploadError(
                        VALUES,
                        r,
                        _col(VAL_HEADERS, "Indikator"),
                        f"okänd indikatorkod '{ind_code}'",
                    )
                )
                continue
            try:
                bd_key = _breakdown_text(parse_breakdown(_text(cols["Uppdelning"])))
            except ValueError as exc:
                errors.append(UploadError(VALUES, r, _col(VAL_HEADERS, "Uppdelning"), str(exc)))
                continue
            area_code, period = _text(cols["Område"]), _text(cols["Period"])
            key = (sub.pk, ind_code, area_code, period, bd_key)
            if key in seen_vals:
                errors.append(
                    UploadError(VALUES, r, "A", f"raden är en dubblett av rad {seen_vals[key]}")
                )
                continue
            seen_vals[key] = r
            sv = next(
                (
                    v
                    for v in sub.values.all()
                    if v.indicator.code == ind_code
                    and v.area.code == area_code
                    and v.period == period
                    and v.breakdown_key == bd_key
                ),
                None,
            )
            if sv is None:
                if not any(v.indicator.code == ind_code for v in sub.values.all()):
                    msg = f"indikatorn {ind_code} följs inte upp i åtgärd {code}"
                    column = _col(VAL_HEADERS, "Indikator")
                else:
                    msg = (
                        "område, period eller uppdelning är låsta och har ändrats; "
                        "återställ raden eller ladda ner mallen igen"
                    )
                    column = _col(VAL_HEADERS, "Område")
                errors.append(UploadError(VALUES, r, column, msg))
                continue
            for name, expected in (
                ("Indikatorns namn", sv.indicator.name),
                ("Enhet", UNIT_LABEL.get(sv.indicator.unit, sv.indicator.unit)),
            ):
                if _text(cols[name]) != _text(expected):
                    errors.append(
                        UploadError(
                            VALUES,
                            r,
                            _col(VAL_HEADERS, name),
                            "cellen är låst och har ändrats; återställ den eller ladda ner mallen igen",
                        )
                    )
            raw = cols["Värde"]
            value = None
            try:
                if hasattr(raw, "year") or isinstance(raw, bool):
                    raise ValueProblem(f"'{raw}' är inte ett tal (cellen har fel typ)")
                if isinstance(raw, int | float) and "%" in (value_format or ""):
                    raise ValueProblem(_percent_formatted(parse_value(raw)))
                value = parse_value(raw)
                if value is not None:
                    check_unit(sv.indicator.unit, value)
            except ValueProblem as exc:
                errors.append(UploadError(VALUES, r, _col(VAL_HEADERS, "Värde"), str(exc)))
                continue
            reason = _text(cols["Skäl om värde saknas"])
            if value is not None and reason:
                errors.append(
                    UploadError(
                        VALUES,
                        r,
                        _col(VAL_HEADERS, "Skäl om värde saknas"),
                        "ange antingen ett värde eller ett skäl till att det saknas, inte båda",
                    )
                )
                continue
            change = changes.get(sub.pk) or changes.setdefault(
                sub.pk,
                SubmissionChange(sub, sub.implementation_status, sub.narrative_source),
            )
            change.values[sv.pk] = ValueInput(value, reason, _text(cols["Anmärkning"]))

    # ---- drop what is unchanged; refuse changes to locked submissions or stale versions
    final: list[SubmissionChange] = []
    unchanged = 0
    for change in changes.values():
        sub = change.submission
        vals = {v.pk: v for v in sub.values.all()}
        change.values = {
            pk: vi for pk, vi in change.values.items() if not _same_value(vals[pk], vi)
        }
        differs = (
            change.values
            or change.implementation_status != sub.implementation_status
            or change.narrative_source.strip() != sub.narrative_source.strip()
        )
        if not differs:
            unchanged += 1
            continue
        where = seen.get((sub.measure.code, sub.organisation.name))
        if not access.can_edit(user, sub):
            errors.append(
                UploadError(
                    SUBMISSIONS,
                    where,
                    "",
                    f"åtgärd {sub.measure.code} ({sub.organisation.name}) är "
                    f"{sub.get_state_display().lower()} och kan inte ändras",
                )
            )
            continue
        booked = versions.get(f"{sub.measure.code}|{sub.organisation.key}")
        if booked is not None and _text(booked) != str(sub.version):
            errors.append(
                UploadError(
                    SUBMISSIONS,
                    where,
                    "",
                    f"åtgärd {sub.measure.code} ({sub.organisation.name}) har ändrats i "
                    "Lägesbild efter att mallen laddades ner; ladda ner en ny mall så att "
                    "ingen ändring skrivs över",
                )
            )
            continue
        final.append(change)
    if errors:
        raise UploadRejected(errors)
    return UploadPlan(final, unchanged)


def _percent_formatted(stored: Decimal) -> str:
    """Excel keeps '45 %' as 0.45 with a percent format; saying so beats a silent 0.45."""
    shown = format_exact(stored * 100)
    return (
        f"cellen är formaterad som procent ({format_exact(stored)} = {shown} %); "
        f"skriv talet {shown} utan procentformat"
    )


def _same_value(sv, vi: ValueInput) -> bool:
    if (sv.value is None) != (vi.value is None):
        return False
    if sv.value is not None and Decimal(sv.value) != vi.value:
        return False
    return (sv.missing_reason, sv.note) == (vi.missing_reason, vi.note)


def _check_headers(ws, headers: list[str], sheet: str) -> list[UploadError]:
    from openpyxl.utils import get_column_letter

    errors = []
    actual = [c.value for c in ws[1]][: len(headers)]
    actual += [None] * (len(headers) - len(actual))
    for i, (want, got) in enumerate(zip(headers, actual, strict=True), start=1):
        if _text(got) != want:
            errors.append(
                UploadError(
                    sheet,
                    1,
                    get_column_letter(i),
                    f"rubriken ska vara '{want}', inte '{_text(got)}'; rubrikerna är låsta",
                )
            )
    return errors


@transaction.atomic
def upload_apply(*, plan: UploadPlan, user, file_name: str = "") -> int:
    reason = f"Uppladdad Excelfil {file_name}".strip()
    for change in plan.changes:
        submission_update(
            submission=change.submission,
            user=user,
            version=change.submission.version,  # as checked: a save in between is a conflict
            implementation_status=change.implementation_status,
            narrative_source=change.narrative_source,
            values=change.values,
            reason=reason,
        )
    return len(plan.changes)
