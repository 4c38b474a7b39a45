"""The issue's walk-through on the real Stockholm configuration, with the Django test client."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from lagesbild.reporting.models import Submission, SubmissionState, SubmissionValue
from lagesbild.reporting.tests.test_excel import XLSX, snapshot

PASSWORD = "demo-lösen-för-test-2026"


def login(username: str) -> Client:
    client = Client()
    r = client.post("/konto/logga-in/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, f"{username} kunde inte logga in"
    return client


def post_file(client, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/rapportering/2026/ladda-upp/", {"file": SimpleUploadedFile("krim.xlsx", data, XLSX)}
    )


def edit(data: bytes, fn) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    fn(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rows_of(ws, measure: str):
    return [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == measure]


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DEMO_PASSWORD", PASSWORD)
    call_command("demo", stdout=io.StringIO())


def test_walkthrough(demo):
    sub = Submission.objects.get(
        round__year=2026, measure__code="2.10", organisation__key="kriminalvarden"
    )
    # 1. Kriminalvården's reporter logs in and downloads the workbook.
    krim = login("kriminalvarden")
    r = krim.get("/rapportering/2026/mall.xlsx")
    assert r.status_code == 200
    workbook = r.content
    measures = {c.value for c in load_workbook(io.BytesIO(workbook))["Inrapporteringar"]["A"][1:]}
    assert "2.10" in measures and "1.6" not in measures

    # 2. A broken copy: a clear error, nothing changes.
    def broken(wb):
        ws = wb["Värden"]
        ws.cell(rows_of(ws, "2.10")[0], 9).value = -5

    before = snapshot()
    r = post_file(krim, edit(workbook, broken))
    assert r.status_code == 400
    text = unescape(r.content.decode())
    assert "Filen lästes inte in – inget har ändrats" in text
    assert re.search(
        r"Bladet 'Värden', rad \d+, kolumn I \(Värde\): ett antal kan inte vara negativt", text
    )
    assert snapshot() == before

    # 3. A correct copy, then submit.
    def correct(wb):
        subs = wb["Inrapporteringar"]
        row = next(r for r in range(2, subs.max_row + 1) if subs.cell(r, 1).value == "2.10")
        subs.cell(row, 5).value = "Pågående"
        subs.cell(row, 6).value = "Behandlingsprogrammen fortsatte under 2026."
        ws = wb["Värden"]
        for n, r in enumerate(rows_of(ws, "2.10")):
            ws.cell(r, 9).value = 431 + n
            # far above last year's figures: the soft warning wants a comment
            ws.cell(r, 11).value = "Fler platser i programmen från 2026."

    r = post_file(krim, edit(workbook, correct))
    assert r.status_code == 302, unescape(r.content.decode())[-3000:]
    avbrutna = SubmissionValue.objects.get(submission=sub, indicator__code="M2.10-avbrutna")
    figure = avbrutna.value
    assert figure is not None
    r = krim.post(f"/rapportering/2026/{sub.pk}/overgang/skicka-in/", {"comment": ""})
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.state == SubmissionState.SUBMITTED
    # Submitted but not approved: not public.
    api = Client().get("/api/v1/indicators/M2.10-avbrutna/observations").json()
    assert "2026" not in [o["period"] for o in api]

    # 4. The coordinator returns it with a comment.
    coordinator = login("samordnare")
    assert "Inskickad" in coordinator.get("/rapportering/2026/oversikt/").content.decode()
    r = coordinator.post(
        f"/rapportering/2026/{sub.pk}/overgang/atersand/",
        {"comment": "Komplettera med antal påbörjade program."},
    )
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.state == SubmissionState.RETURNED
    page = krim.get(f"/rapportering/2026/{sub.pk}/").content.decode()
    assert "Komplettera med antal påbörjade program." in page

    # 5. Resubmit, approve: the value is on the indicator page and in the API.
    assert krim.post(f"/rapportering/2026/{sub.pk}/overgang/skicka-in/").status_code == 302
    assert (
        coordinator.post(
            f"/rapportering/2026/{sub.pk}/overgang/godkann/", {"confirm": "ja"}
        ).status_code
        == 302
    )
    sub.refresh_from_db()
    assert sub.state == SubmissionState.APPROVED
    api = Client().get("/api/v1/indicators/M2.10-avbrutna/observations").json()
    row = next(o for o in api if o["period"] == "2026")
    assert row["value"] == str(int(figure))
    page = Client().get("/indikator/M2.10-avbrutna/").content.decode()
    assert "2026" in page and str(int(figure)) in page
    measure_page = Client().get("/atgard/2.10/").content.decode()
    assert "Behandlingsprogrammen fortsatte under 2026." in measure_page

    # 6. Another agency's reporter: 404 on every one of those URLs, and not in its list.
    polisen = login("polisen")
    urls = [
        ("get", f"/rapportering/2026/{sub.pk}/"),
        ("post", f"/rapportering/2026/{sub.pk}/"),
        ("get", f"/rapportering/2026/{sub.pk}/historik/"),
        ("post", f"/rapportering/2026/{sub.pk}/kommentar/"),
        ("post", f"/rapportering/2026/{sub.pk}/overgang/skicka-in/"),
        ("post", f"/rapportering/2026/{sub.pk}/overgang/atersand/"),
        ("post", f"/rapportering/2026/{sub.pk}/overgang/godkann/"),
        ("post", f"/rapportering/2026/{sub.pk}/overgang/oppna-igen/"),
    ]
    for method, url in urls:
        assert getattr(polisen, method)(url, {"comment": "x", "text": "x"}).status_code in (
            403,
            404,
        ), url
    listing = polisen.get("/rapportering/2026/").content.decode()
    assert f"/rapportering/2026/{sub.pk}/" not in listing
    assert "Kriminalvården" not in listing
    workbook = load_workbook(io.BytesIO(polisen.get("/rapportering/2026/mall.xlsx").content))
    assert "Kriminalvården" not in {c.value for c in workbook["Inrapporteringar"]["B"]}
