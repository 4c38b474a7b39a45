"""Downloads of an indicator's series: CSV (UTF-8 with BOM), XLSX and JSON-stat 2.0.

One contract for every format, as for the report's renderers:
`render_<format>(table: DownloadTable) -> (filename, mimetype, bytes)`. A DownloadTable is built
from published observations by `download_table()`; renderers never query the database.

Every file carries its metadata: source, unit, definition, the time each figure was imported
(retrieval from the source) and the time the file was made. Values are the exact decimals
stored, never rounded: CSV writes them as text ("6.9", or "6,9" with the Swedish variant), XLSX as
numbers, JSON-stat as JSON numbers written from the decimal text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from lagesbild.core.exports import csv_row, workbook_inert
from lagesbild.indicators.models import Indicator, Observation
from lagesbild.indicators.selectors import breakdown_label
from lagesbild.web.public import public_ref

# Status letters in JSON-stat (and the `flags` column of CSV/XLSX spells them out).
STATUS_CODES = {
    "provisional": "p",
    "revised": "r",
    "too_few_cases": "u",
    "missing": "m",
}

COLUMNS = [
    "indicator",
    "indicator_name",
    "area",
    "area_name",
    "period",
    "breakdown",
    "breakdown_label",
    "statistic",
    "value",
    "qualifier",
    "numerator",
    "denominator",
    "unit",
    "flags",
    "missing_reason",
    "source",
    "source_ref",
    "definition",
    "imported_at",
    "retrieved_at",
]


# Column names as a reader sees them: Swedish in Swedish downloads, English under /en/. The
# English names are the stable identifiers of COLUMNS (the API and JSON-stat use them too).
COLUMN_NAMES_SV = {
    "indicator": "indikator",
    "indicator_name": "indikatorns_namn",
    "area": "område",
    "area_name": "områdets_namn",
    "period": "period",
    "breakdown": "uppdelning",
    "breakdown_label": "uppdelningens_namn",
    "statistic": "mått",
    "value": "värde",
    "qualifier": "kvalificering",
    "numerator": "täljare",
    "denominator": "nämnare",
    "unit": "enhet",
    "flags": "flaggor",
    "missing_reason": "skäl_till_att_värde_saknas",
    "source": "källa",
    "source_ref": "källhänvisning",
    "definition": "definition",
    "imported_at": "importerad",
    "retrieved_at": "hämtad",
}


def column_names(language: str | None = None) -> list[str]:
    """The header row of a CSV or XLSX download in the current (or given) language."""
    from django.utils.translation import get_language

    language = language or get_language() or "sv"
    if language.startswith("sv"):
        return [COLUMN_NAMES_SV[c] for c in COLUMNS]
    return list(COLUMNS)


def decimal_text(value: Decimal | None) -> str | None:
    """Exact decimal as text without exponent or trailing zeros: Decimal('25.0000') → '25'."""
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


@dataclass
class Row:
    area: str
    area_name: str
    period: str
    period_sort: int
    breakdown: str
    breakdown_label: str
    statistic: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    flags: list[str]
    missing_reason: str
    source_ref: str
    imported_at: datetime | None
    qualifier: str = ""  # "minst"/"cirka" ("at least"/"approximately" under /en/); "" = exact


@dataclass
class DownloadTable:
    code: str
    name: str
    definition: str
    unit: str
    unit_label: str
    decimals: int
    source: str
    retrieved_at: datetime
    rows: list[Row] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def basename(self) -> str:
        """The code, and the filter when there is one: S6.1_omrade-01_2019-2024."""
        parts = [self.code]
        f = self.filters
        parts += [f"{key}-{f[key]}" for key in ("omrade", "uppdelning") if f.get(key)]
        if f.get("fran") or f.get("till"):
            parts.append(f"{f.get('fran', '')}-{f.get('till', '')}".strip("-"))
        text = "_".join(parts).replace("/", "-")
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", text)


def download_table(
    *, indicator: Indicator, observations, filters: dict[str, str] | None = None
) -> DownloadTable:
    """Collect published observations (already filtered by the caller) and their metadata."""
    rows = []
    for o in observations:
        o: Observation
        rows.append(
            Row(
                area=o.area.code,
                area_name=o.area.name,
                period=o.period,
                period_sort=o.period_sort,
                breakdown=o.breakdown_key,
                breakdown_label=str(breakdown_label(o.breakdown)),
                statistic=o.statistic,
                value=o.value,
                qualifier=o.qualifier_word,
                numerator=o.numerator,
                denominator=o.denominator,
                flags=o.flags,
                missing_reason=o.missing_reason,
                source_ref=public_ref(o.source_ref),
                imported_at=(o.import_run.finished_at or o.import_run.started_at)
                if o.import_run_id
                else None,
            )
        )
    return DownloadTable(
        code=indicator.code,
        name=indicator.display_name,
        definition=indicator.display_definition,
        unit=indicator.unit,
        unit_label=str(indicator.get_unit_display()),
        decimals=indicator.decimals,
        source=indicator.source,
        retrieved_at=timezone.now(),
        rows=rows,
        filters=filters or {},
    )


def _iso(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def _records(table: DownloadTable, number) -> list[list]:
    out = []
    for r in table.rows:
        out.append(
            [
                table.code,
                table.name,
                r.area,
                r.area_name,
                r.period,
                r.breakdown,
                r.breakdown_label,
                r.statistic,
                number(r.value),
                r.qualifier,
                number(r.numerator),
                number(r.denominator),
                table.unit,
                ",".join(r.flags),
                r.missing_reason,
                table.source,
                r.source_ref,
                table.definition,
                _iso(r.imported_at),
                _iso(table.retrieved_at),
            ]
        )
    return out


def render_csv(table: DownloadTable, *, swedish: bool = False) -> tuple[str, str, bytes]:
    """CSV in UTF-8 with a BOM. `swedish`: semicolons and decimal comma (Excel in Swedish)."""

    def number(value):
        text = decimal_text(value)
        if text is None:
            return ""
        return text.replace(".", ",") if swedish else text

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if swedish else ",", lineterminator="\r\n")
    writer.writerow(csv_row(column_names()))
    writer.writerows(csv_row(r) for r in _records(table, number))  # inert cells
    suffix = "-semikolon" if swedish else ""
    return (
        f"{table.basename}{suffix}.csv",
        "text/csv; charset=utf-8",
        ("\ufeff" + buf.getvalue()).encode("utf-8"),
    )


def render_xlsx(table: DownloadTable) -> tuple[str, str, bytes]:
    """XLSX: the sheet "Data" (one row per observation) and "Metadata" (source, unit, …)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.table import Table, TableStyleInfo

    def number(value):
        if value is None:
            return None
        value = Decimal(value).normalize()
        return int(value) if value == value.to_integral_value() else value

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(column_names())
    for rec in _records(table, number):
        ws.append(rec)
    if table.rows:
        ref = f"A1:{ws.cell(row=1, column=len(COLUMNS)).column_letter}{len(table.rows) + 1}"
        t = Table(displayName="Observationer", ref=ref)
        t.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        ws.add_table(t)
    ws.freeze_panes = "A2"
    meta = wb.create_sheet("Metadata")
    for key, value in metadata_pairs(table):
        meta.append([key, value])
    meta.column_dimensions["A"].width = 28
    meta.column_dimensions["B"].width = 100
    workbook_inert(wb)  # no text becomes a formula
    buf = io.BytesIO()
    wb.save(buf)
    return (
        f"{table.basename}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        buf.getvalue(),
    )


def metadata_pairs(table: DownloadTable) -> list[tuple[str, str]]:
    pairs = [
        (_("Indikator"), f"{table.code} {table.name}"),
        (_("Definition"), table.definition or "–"),
        (_("Enhet"), f"{table.unit_label} ({table.unit})"),
        (_("Decimaler"), str(table.decimals)),
        (_("Källa"), table.source),
        (_("Hämtad"), _iso(table.retrieved_at)),
        (
            _("Importerad från källan"),
            _("Kolumnen imported_at anger när varje värde hämtades från källan.").replace(
                "imported_at", column_names()[COLUMNS.index("imported_at")]
            ),
        ),
        (
            _("Flaggor"),
            _(
                "provisional = preliminär, revised = reviderad, too_few_cases = för få fall, "
                "missing = uppgift saknas"
            ),
        ),
        (
            _("Kvalificering"),
            _(
                "Kolumnen kvalificering anger när värdet är en nedre gräns (minst) eller "
                "ungefärligt (cirka); tom betyder ett exakt värde."
            ),
        ),
    ]
    for key, value in table.filters.items():
        pairs.append((_("Urval: %(key)s") % {"key": key}, value))
    return pairs


def jsonstat(table: DownloadTable) -> dict:
    """A JSON-stat 2.0 dataset (sparse value and status) with the metadata in note/extension.

    Dimensions: indicator × area × period × breakdown × statistic × contents, where contents
    (the metric) is value, numerator or denominator. Status letters: p preliminär, r reviderad,
    u för få fall, m uppgift saknas; several are joined ("pr").
    """
    areas: dict[str, str] = {}
    periods: dict[str, int] = {}
    breakdowns: dict[str, str] = {}
    statistics: dict[str, str] = {}
    for r in table.rows:
        areas.setdefault(r.area, r.area_name)
        periods.setdefault(r.period, r.period_sort)
        breakdowns.setdefault(r.breakdown or "_T", r.breakdown_label)
        statistics.setdefault(r.statistic, r.statistic)
    period_ids = sorted(periods, key=lambda p: (periods[p], p))
    contents = ["value", "numerator", "denominator"]
    dims = {
        "indicator": [table.code],
        "area": list(areas),
        "period": period_ids,
        "breakdown": list(breakdowns),
        "statistic": list(statistics),
        "contents": contents,
    }
    ids = list(dims)
    size = [len(v) for v in dims.values()]
    pos = {d: {c: i for i, c in enumerate(v)} for d, v in dims.items()}
    strides = []
    acc = 1
    for n in reversed(size):
        strides.insert(0, acc)
        acc *= n

    def flat(**coords) -> int:
        return sum(pos[d][coords[d]] * strides[i] for i, d in enumerate(ids))

    value: dict[str, object] = {}
    status: dict[str, str] = {}
    for r in table.rows:
        base = {
            "indicator": table.code,
            "area": r.area,
            "period": r.period,
            "breakdown": r.breakdown or "_T",
            "statistic": r.statistic,
        }
        for c, v in (
            ("value", r.value),
            ("numerator", r.numerator),
            ("denominator", r.denominator),
        ):
            if v is not None:
                value[str(flat(**base, contents=c))] = _ExactNumber(v)
        letters = "".join(STATUS_CODES[f] for f in STATUS_CODES if f in r.flags)
        if letters:
            status[str(flat(**base, contents="value"))] = letters
    stat_labels = {"value": _("värde"), "median": _("medianen i riket")}
    return {
        "version": "2.0",
        "class": "dataset",
        "label": f"{table.code} {table.name}",
        "source": table.source,
        "updated": _iso(table.retrieved_at),
        "note": [
            _("Definition: %(d)s") % {"d": table.definition or "–"},
            _("Enhet: %(u)s") % {"u": table.unit_label},
            _("Status: p = preliminär, r = reviderad, u = för få fall, m = uppgift saknas."),
            *(
                [_("Kvalificering: minst = en undre gräns, cirka = ett ungefärligt värde.")]
                if any(r.qualifier for r in table.rows)
                else []
            ),
        ],
        "id": ids,
        "size": size,
        "role": {"time": ["period"], "geo": ["area"], "metric": ["contents"]},
        "dimension": {
            "indicator": {
                "label": _("Indikator"),
                "category": {"index": {table.code: 0}, "label": {table.code: table.name}},
            },
            "area": {
                "label": _("Område"),
                "category": {"index": _index(dims["area"]), "label": areas},
            },
            "period": {
                "label": _("Period"),
                "category": {"index": _index(period_ids), "label": {p: p for p in period_ids}},
            },
            "breakdown": {
                "label": _("Uppdelning"),
                "category": {"index": _index(dims["breakdown"]), "label": breakdowns},
            },
            "statistic": {
                "label": _("Mått"),
                "category": {
                    "index": _index(dims["statistic"]),
                    "label": {s: str(stat_labels.get(s, s)) for s in dims["statistic"]},
                },
            },
            "contents": {
                "label": _("Innehåll"),
                "category": {
                    "index": _index(contents),
                    "label": {
                        "value": _("värde"),
                        "numerator": _("täljare"),
                        "denominator": _("nämnare"),
                    },
                    "unit": {
                        "value": {"label": table.unit_label, "decimals": table.decimals},
                        "numerator": {"label": _("antal"), "decimals": 0},
                        "denominator": {"label": _("antal"), "decimals": 0},
                    },
                },
            },
        },
        "value": value,
        "status": status,
        "extension": {
            "lagesbild": {
                "indicator": table.code,
                "unit": table.unit,
                "definition": table.definition,
                "retrieved_at": _iso(table.retrieved_at),
                "imported_at": {
                    str(flat(**_coords(table, r), contents="value")): _iso(r.imported_at)
                    for r in table.rows
                },
                "filters": table.filters,
                "status_codes": {v: k for k, v in STATUS_CODES.items()},
                # "minst"/"cirka" by the value's index, as in the tidy files' qualifier column
                "qualifier": {
                    str(flat(**_coords(table, r), contents="value")): r.qualifier
                    for r in table.rows
                    if r.qualifier
                },
            }
        },
    }


def _coords(table: DownloadTable, r: Row) -> dict[str, str]:
    return {
        "indicator": table.code,
        "area": r.area,
        "period": r.period,
        "breakdown": r.breakdown or "_T",
        "statistic": r.statistic,
    }


def _index(items: list[str]) -> dict[str, int]:
    return {c: i for i, c in enumerate(items)}


class _ExactNumber:
    """A decimal to be written as a bare JSON number with exactly its digits (see dumps_exact)."""

    __slots__ = ("text",)

    def __init__(self, value: Decimal):
        self.text = decimal_text(value)


_MARK = "\u0000num:"


def dumps_exact(obj) -> str:
    """json.dumps, writing decimals as JSON numbers with their exact digits (no float rounding)."""

    def default(o):
        if isinstance(o, _ExactNumber):
            return f"{_MARK}{o.text}\u0000"
        if isinstance(o, Decimal):
            return f"{_MARK}{decimal_text(o)}\u0000"
        raise TypeError(f"{type(o).__name__} kan inte skrivas som JSON")

    text = json.dumps(obj, ensure_ascii=False, default=default)
    return re.sub(r'"\\u0000num:(-?[0-9.]+)\\u0000"', r"\1", text)


def render_jsonstat(table: DownloadTable) -> tuple[str, str, bytes]:
    return (
        f"{table.basename}.json",
        "application/json; charset=utf-8",
        dumps_exact(jsonstat(table)).encode("utf-8"),
    )


def render_goal_zip(
    tables: list[DownloadTable], *, name: str, title: str
) -> tuple[str, str, bytes]:
    """ "Ladda ner allt för målet": a zip with each indicator's CSV and one XLSX workbook holding
    every indicator's rows (sheet "Data") and a metadata sheet (one row per indicator)."""
    import zipfile

    from openpyxl import Workbook

    def number(value):
        if value is None:
            return None
        value = Decimal(value).normalize()
        return int(value) if value == value.to_integral_value() else value

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(column_names())
    meta = wb.create_sheet("Metadata")
    meta.append([_("Innehåll"), title])
    meta.append([_("Hämtad"), _iso(timezone.now())])
    meta.append([])
    meta.append([_("Indikator"), _("Namn"), _("Enhet"), _("Källa"), _("Definition")])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for table in tables:
            for rec in _records(table, number):
                ws.append(rec)
            meta.append([table.code, table.name, table.unit_label, table.source, table.definition])
            csv_name, _mime, body = render_csv(table)
            zf.writestr(csv_name, body)
        xlsx = io.BytesIO()
        workbook_inert(wb)  # no text becomes a formula
        wb.save(xlsx)
        zf.writestr(f"{name}.xlsx", xlsx.getvalue())
    return f"{name}.zip", "application/zip", buf.getvalue()
