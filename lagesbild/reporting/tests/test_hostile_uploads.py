"""Hostile files to every upload: a zip bomb, an oversize file, an .xlsm with macros and a
malformed sheet each get a clear Swedish 400 in under a second, and nothing is stored."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from lagesbild.reporting.tests.conftest import logged_in

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx() -> bytes:
    wb = Workbook()
    wb.active.append(["key", "name"])
    wb.active.append(["a", "b"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, body in (add or {}).items():
            z.writestr(name, body)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A real workbook whose sheet XML unpacks to 60 MB (a few hundred KB packed)."""
    padding = b" " * (60 * 1024 * 1024)
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + padding + b"</sheetData></worksheet>"
    )
    return _rewrite(_xlsx(), {"xl/worksheets/sheet1.xml": sheet})


def oversize() -> bytes:
    return os.urandom(6 * 1024 * 1024)  # incompressible, over the 5 MB limit


def xlsm() -> bytes:
    data = _xlsx()
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return _rewrite(data, {"[Content_Types].xml": types}, {"xl/vbaProject.bin": b"\xd0\xcf" * 64})


def malformed() -> bytes:
    return _rewrite(_xlsx(), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c r="})


HOSTILE = {
    "zip-bomb": (zip_bomb, "f.xlsx", "packas upp till"),
    "oversize-xlsx": (oversize, "f.xlsx", "högst 5 MB"),
    "oversize-csv": (oversize, "f.csv", "högst 5 MB"),
    "xlsm": (xlsm, "f.xlsm", "makron"),
    "macros-named-xlsx": (xlsm, "f.xlsx", "makro"),
    "malformed-sheet": (malformed, "f.xlsx", "går"),
}


def _row_counts() -> dict[str, int]:
    """Rows in every table except sessions and login bookkeeping: nothing may be stored."""
    skip = {"django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"}
    with connection.cursor() as cur:
        counts = {}
        for table in connection.introspection.table_names():
            if table not in skip:
                cur.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cur.fetchone()[0]
    return counts


def _post(client, url, data: bytes, name: str, **fields):
    before = _row_counts()
    start = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile(name, data, XLSX), **fields})
    elapsed = time.perf_counter() - start
    assert _row_counts() == before, "nothing is stored"
    return response, elapsed


@pytest.fixture(scope="module")
def files():
    return {kind: (make(), name, text) for kind, (make, name, text) in HOSTILE.items()}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_register_import_refuses_hostile_files(files, directory_round, coordinator, kind):
    data, name, text = files[kind]
    response, elapsed = _post(
        logged_in(coordinator), "/stod/hantera/import/", data, name, reason="Test"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert text in body and "Traceback" not in body
    assert len(response.content) < 100_000 and elapsed < 1.0


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_register_upload_in_the_round_refuses_hostile_files(files, directory_round, kind):
    d = directory_round
    sub = d.sub(d.nacka)
    data, name, text = files[kind]
    response, elapsed = _post(
        logged_in(d.reporter_nacka),
        f"/rapportering/2026/{sub.pk}/stodregister/ladda-upp/",
        data,
        name,
        version=sub.version,
    )
    assert response.status_code == 400
    body = response.content.decode()
    # the form refuses what is not .csv/.xlsx or too large before the file is read at all
    assert text in body or "Ladda upp en CSV- eller XLSX-fil" in body or "större än 5 MB" in body
    assert len(response.content) < 100_000 and elapsed < 1.0


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_reporting_upload_refuses_hostile_files(files, directory_round, kind):
    d = directory_round
    data, name, text = files[kind]
    response, elapsed = _post(
        logged_in(d.reporter_nacka), "/rapportering/2026/ladda-upp/", data, name
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "inget har ändrats" in body and "Traceback" not in body
    if kind != "oversize-csv":
        assert text in body
    assert len(response.content) < 100_000 and elapsed < 1.0


def test_an_oversized_cell_is_never_echoed(directory_round, coordinator):
    """A CSV cell larger than the cell limit is refused with its length, not its content."""
    huge = "A" * 200_000
    data = f"key,name\nx,{huge}\n".encode()
    response, _elapsed = _post(
        logged_in(coordinator), "/stod/hantera/import/", data, "f.csv", reason="Test"
    )
    assert response.status_code == 400
    assert len(response.content) < 50_000
    assert "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" not in (
        response.content.decode()
    )


def test_a_csv_with_too_many_rows_is_refused(directory_round, coordinator, settings):
    settings.LAGESBILD_UPLOAD_MAX_ROWS = 50
    data = ("key,name\n" + "x,y\n" * 100).encode()
    response, _elapsed = _post(
        logged_in(coordinator), "/stod/hantera/import/", data, "f.csv", reason="Test"
    )
    assert response.status_code == 400
    assert "fler än 50 rader" in response.content.decode()


def test_survey_upload_has_a_size_limit(coordinator):
    response, _elapsed = _post(logged_in(coordinator), "/enkat/hantera/", oversize(), "enkat.yaml")
    # the survey form's field is called "fil"
    response = logged_in(coordinator).post(
        "/enkat/hantera/", {"fil": SimpleUploadedFile("enkat.yaml", oversize())}
    )
    assert response.status_code == 400
    assert "högst 5 MB" in response.content.decode()


def test_openpyxl_reads_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
