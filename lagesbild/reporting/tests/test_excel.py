"""The Excel round trip: the workbook, a correct upload, and every bad case leaving nothing written."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from lagesbild.reporting import excel, services
from lagesbild.reporting.models import (
    Submission,
    SubmissionState,
    SubmissionValue,
)
from lagesbild.reporting.tests.conftest import logged_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, year=2026) -> bytes:
    r = client.get(f"/rapportering/{year}/mall.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"] == XLSX
    return r.content


def upload(client, data: bytes, name="rapportering.xlsx", year=2026):
    return client.post(
        f"/rapportering/{year}/ladda-upp/", {"file": SimpleUploadedFile(name, data, XLSX)}
    )


def edit(data: bytes, fn) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    fn(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def value_row(ws, code: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 3).value == code:
            return r
    raise AssertionError(code)


def fill_correctly(wb):
    subs = wb["Inrapporteringar"]
    subs["E2"] = "Pågående"
    subs["F2"] = "Programmen fortsätter.\n\nSe https://www.kriminalvarden.se/."
    ws = wb["Värden"]
    ws.cell(value_row(ws, "M2.10-antal"), 9).value = 12
    ws.cell(value_row(ws, "M2.10-andel"), 9).value = "6,9"
    ws.cell(value_row(ws, "M2.10-skede"), 10).value = "Finns inte uppdelat per skede"


def snapshot():
    """Everything an upload could change, including history rows."""
    subs = list(
        Submission.objects.order_by("pk").values_list(
            "pk", "state", "implementation_status", "narrative_source", "version"
        )
    )
    values = list(
        SubmissionValue.objects.order_by("pk").values_list("pk", "value", "missing_reason", "note")
    )
    return (
        subs,
        values,
        Submission.history.count(),
        SubmissionValue.history.count(),
    )


# ---------------------------------------------------------------- the workbook


def test_workbook_holds_the_reporters_due_submissions_locked_and_labelled(
    world, reporter_kriminalvarden
):
    wb = load_workbook(io.BytesIO(download(logged_in(reporter_kriminalvarden))))
    assert wb.sheetnames == ["Instruktioner", "Inrapporteringar", "Värden", "Metadata"]
    meta = dict(wb["Metadata"].iter_rows(values_only=True))
    assert meta["organisation"] == "kriminalvarden" and meta["år"] == 2026
    assert wb["Metadata"].sheet_state == "veryHidden"
    subs = wb["Inrapporteringar"]
    assert [c.value for c in subs[1]] == excel.SUB_HEADERS
    assert [subs.cell(r, 1).value for r in range(2, subs.max_row + 1)] == ["2.10"]  # not 1.6
    assert subs.protection.sheet is True
    assert subs["A2"].protection.locked is True and subs["E2"].protection.locked is False
    ws = wb["Värden"]
    assert [c.value for c in ws[1]] == excel.VAL_HEADERS
    assert sorted(ws.cell(r, 3).value for r in range(2, ws.max_row + 1)) == [
        "M2.10-andel",
        "M2.10-antal",
        "M2.10-skede",
    ]
    assert ws.protection.sheet and ws["C2"].protection.locked and not ws["I2"].protection.locked
    # What a reporter sees: bold shaded headers, the cells to fill in yellow and wrapped.
    for sheet in (subs, ws):
        assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith(excel.HEADER_FILL)
    assert subs["E2"].fill.fgColor.rgb.endswith(excel.OPEN_FILL)
    assert ws["I2"].fill.fgColor.rgb.endswith(excel.OPEN_FILL)
    assert ws["C2"].fill.fill_type is None and ws["C2"].alignment.wrap_text
    from openpyxl.styles.fonts import DEFAULT_FONT  # the workbook's font, not a nameless one

    for c in (subs["A1"], subs["E2"], ws["C2"], ws["I2"]):
        assert (c.font.name, c.font.sz) == (DEFAULT_FONT.name, DEFAULT_FONT.sz)
    kinds = {(dv.type, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert ("whole", "0", None) in kinds and ("decimal", "0", "100") in kinds
    assert subs.data_validations.dataValidation[0].type == "list"
    # The percent cell says, as it is selected, to write 45 and not "45 %".
    andel = f"I{value_row(ws, 'M2.10-andel')}"
    prompts = [
        dv.prompt
        for dv in ws.data_validations.dataValidation
        if any(andel in str(r) for r in dv.sqref.ranges) and dv.showInputMessage
    ]
    assert prompts == ["Skriv talet utan procenttecken: 45, inte 45 %."]
    info = " ".join(str(c.value) for c in wb["Instruktioner"]["A"] if c.value)
    assert "45, inte 45 %" in info


def test_correct_upload_updates_drafts_and_reporter_still_submits(world, reporter_kriminalvarden):
    client = logged_in(reporter_kriminalvarden)
    r = upload(client, edit(download(client), fill_correctly))
    assert r.status_code == 302, r.content.decode()[:2000]
    sub = world.sub
    assert sub.state == SubmissionState.DRAFT
    assert sub.implementation_status == "pagaende"
    assert '<a href="https://www.kriminalvarden.se/"' in sub.narrative
    values = {v.indicator.code: v for v in sub.values.all()}
    assert values["M2.10-antal"].value == Decimal(12)
    assert values["M2.10-andel"].value == Decimal("6.9")
    assert values["M2.10-skede"].missing_reason == "Finns inte uppdelat per skede"
    h = values["M2.10-antal"].history.latest("history_date")
    assert h.history_user == reporter_kriminalvarden and "Excelfil" in h.history_change_reason
    services.submission_transition(submission=sub, user=reporter_kriminalvarden, action="skicka-in")
    assert world.sub.state == SubmissionState.SUBMITTED


def test_uploading_the_same_file_twice_changes_nothing_the_second_time(
    world, reporter_kriminalvarden
):
    client = logged_in(reporter_kriminalvarden)
    data = edit(download(client), fill_correctly)
    assert upload(client, data).status_code == 302
    before = snapshot()
    # The workbook's booked version is now stale, but nothing differs: accepted, no writes.
    assert upload(client, data).status_code == 302
    assert snapshot() == before


# ---------------------------------------------------------------- every bad case


def _make_bad(kind: str, world, data: bytes) -> bytes:
    def cell(sheet, ref, value):
        def fn(wb):
            fill_correctly(wb)
            wb[sheet][ref] = value

        return fn

    def value_of(code, value):
        def fn(wb):
            fill_correctly(wb)
            ws = wb["Värden"]
            ws.cell(value_row(ws, code), 9).value = value

        return fn

    if kind == "not-xlsx":
        return b"Det h\xe4r \xe4r ingen arbetsbok, bara text.\n"
    if kind == "zip-not-xlsx":
        buf = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hej.txt", "hej")
        return buf.getvalue()
    if kind == "too-big":
        return data + b"\0" * (5 * 1024 * 1024)
    if kind == "password":
        return excel.CFB_SIGNATURE + b"\0" * 1024
    if kind == "wrong-type-text":
        return edit(data, value_of("M2.10-antal", "tolv"))
    if kind == "wrong-type-date":
        import datetime as dt

        return edit(data, value_of("M2.10-antal", dt.datetime(2026, 1, 1)))
    if kind == "percent-out-of-range":
        return edit(data, value_of("M2.10-andel", 120))
    if kind == "percent-formatted":

        def as_excel_stores_45_percent(wb):
            fill_correctly(wb)
            ws = wb["Värden"]
            cell = ws.cell(value_row(ws, "M2.10-andel"), 9)
            cell.value = 0.45  # what Excel keeps when a Swedish user types "45 %"
            cell.number_format = "0%"

        return edit(data, as_excel_stores_45_percent)
    if kind == "negative-count":
        return edit(data, value_of("M2.10-antal", -4))
    if kind == "fractional-count":
        return edit(data, value_of("M2.10-antal", "2,5"))
    if kind == "unknown-measure":
        return edit(data, cell("Värden", "A2", "9.99"))
    if kind == "unknown-measure-sheet1":
        return edit(data, cell("Inrapporteringar", "A2", "9.99"))
    if kind == "someone-elses-measure":  # 1.6 is in the plan, but not Kriminalvården's
        return edit(data, cell("Värden", "A2", "1.6"))
    if kind == "someone-elses-measure-sheet1":
        return edit(data, cell("Inrapporteringar", "A2", "1.6"))
    if kind == "unknown-indicator":
        return edit(data, cell("Värden", "C2", "X-FINNS-INTE"))
    if kind == "locked-cell":
        return edit(data, cell("Värden", "D2", "Ett annat namn"))
    if kind == "locked-measure-text":
        return edit(data, cell("Inrapporteringar", "C2", "Ny text"))
    if kind == "locked-area":
        return edit(data, cell("Värden", "F2", "0180"))
    if kind == "header":
        return edit(data, cell("Värden", "I1", "Siffra"))
    if kind == "duplicate-row":

        def dup(wb):
            fill_correctly(wb)
            ws = wb["Värden"]
            ws.append([c.value for c in ws[2]])

        return edit(data, dup)
    if kind == "formula":
        return edit(data, value_of("M2.10-antal", "=5+7"))
    if kind == "value-and-reason":

        def both(wb):
            fill_correctly(wb)
            ws = wb["Värden"]
            ws.cell(value_row(ws, "M2.10-antal"), 10).value = "saknas"

        return edit(data, both)
    if kind == "bad-status":
        return edit(data, cell("Inrapporteringar", "E2", "Nästan klar"))
    if kind == "other-organisation":
        return edit(data, cell("Metadata", "B2", "polisen"))
    if kind == "other-year":
        return edit(data, cell("Metadata", "B3", 2025))
    if kind == "missing-sheet":

        def drop(wb):
            del wb["Metadata"]

        return edit(data, drop)
    raise AssertionError(kind)


BAD = {
    "not-xlsx": "Filen: filen är inte en Excel-arbetsbok (.xlsx)",
    "zip-not-xlsx": "Filen: filen är inte en Excel-arbetsbok (.xlsx) som går att läsa",
    "too-big": "den får vara högst 5 MB",
    "password": "lösenordsskyddad (krypterad)",
    "wrong-type-text": "Bladet 'Värden', rad {antal}, kolumn I (Värde): 'tolv' är inte ett tal",
    "wrong-type-date": "Bladet 'Värden', rad {antal}, kolumn I (Värde): '2026-01-01 00:00:00' är inte ett tal",
    "percent-out-of-range": "Bladet 'Värden', rad {andel}, kolumn I (Värde): en andel i procent ska vara mellan 0 och 100, inte 120",
    "percent-formatted": "Bladet 'Värden', rad {andel}, kolumn I (Värde): cellen är formaterad som procent (0,45 = 45 %); skriv talet 45 utan procentformat",
    "negative-count": "Bladet 'Värden', rad {antal}, kolumn I (Värde): ett antal kan inte vara negativt",
    "fractional-count": "Bladet 'Värden', rad {antal}, kolumn I (Värde): ett antal ska vara ett heltal, inte 2,5",
    "unknown-measure": "Bladet 'Värden', rad 2, kolumn A (Åtgärd): okänd åtgärd '9.99'",
    "unknown-measure-sheet1": "Bladet 'Inrapporteringar', rad 2, kolumn A (Åtgärd): okänd åtgärd '9.99'",
    "someone-elses-measure": "Bladet 'Värden', rad 2, kolumn A (Åtgärd): åtgärd 1.6 för 'Kriminalvården' finns inte bland dina inrapporteringar",
    "someone-elses-measure-sheet1": "Bladet 'Inrapporteringar', rad 2, kolumn A (Åtgärd): åtgärd 1.6 för 'Kriminalvården' finns inte bland dina inrapporteringar för 2026",
    "unknown-indicator": "Bladet 'Värden', rad 2, kolumn C (Indikator): okänd indikatorkod 'X-FINNS-INTE'",
    "locked-cell": "Bladet 'Värden', rad 2, kolumn D (Indikatorns namn): cellen är låst och har ändrats",
    "locked-measure-text": "Bladet 'Inrapporteringar', rad 2, kolumn C (Åtgärdens text): cellen är låst",
    "locked-area": "Bladet 'Värden', rad 2, kolumn F (Område): område, period eller uppdelning är låsta",
    "header": "Bladet 'Värden', rad 1, kolumn I: rubriken ska vara 'Värde', inte 'Siffra'",
    "duplicate-row": "kolumn A: raden är en dubblett av rad 2",
    "formula": "Bladet 'Värden', rad {antal}, kolumn I: cellen innehåller en formel",
    "value-and-reason": "kolumn J (Skäl om värde saknas): ange antingen ett värde eller ett skäl",
    "bad-status": "Bladet 'Inrapporteringar', rad 2, kolumn E (Genomförande): 'Nästan klar' är inte ett genomförande",
    "other-organisation": "Bladet 'Metadata', rad 2, kolumn B: arbetsboken gäller Polismyndigheten, inte Kriminalvården",
    "other-year": "Bladet 'Metadata', rad 3, kolumn B: arbetsboken gäller rapporteringsåret 2025, inte 2026",
    "missing-sheet": "Bladet 'Metadata': bladet saknas",
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_upload_is_rejected_whole_with_a_swedish_error_and_nothing_changes(
    world, reporter_kriminalvarden, kind
):
    client = logged_in(reporter_kriminalvarden)
    data = download(client)
    ws = load_workbook(io.BytesIO(data))["Värden"]
    rows = {"antal": value_row(ws, "M2.10-antal"), "andel": value_row(ws, "M2.10-andel")}
    bad = _make_bad(kind, world, data)
    before = snapshot()
    r = upload(client, bad)
    assert r.status_code == 400
    body = r.content.decode()
    assert "Filen lästes inte in – inget har ändrats" in body
    from html import unescape

    assert BAD[kind].format(**rows) in unescape(body)
    assert snapshot() == before


def test_a_sheet_naming_thousands_of_indicator_codes_gets_the_same_answer(
    world, reporter_kriminalvarden
):
    """However many codes a sheet names, each is checked against the catalogue's codes: the
    template's own are found and each unknown one is named."""
    client = logged_in(reporter_kriminalvarden)

    def many(wb):
        fill_correctly(wb)
        ws = wb["Värden"]
        template = [c.value for c in ws[2]]
        for n in range(600):
            ws.append([*template[:2], f"X-{n:04d}", *template[3:]])

    before = snapshot()
    r = upload(client, edit(download(client), many))
    assert r.status_code == 400
    from html import unescape

    body = unescape(r.content.decode())
    assert "okänd indikatorkod 'X-0000'" in body and "okänd indikatorkod 'X-0599'" in body
    assert "okänd indikatorkod 'M2.10" not in body  # the template's own rows are known
    assert snapshot() == before


def test_upload_is_atomic_when_one_of_several_rows_is_bad(world, reporter_kriminalvarden):
    """Good rows next to a bad one are not written either."""
    client = logged_in(reporter_kriminalvarden)

    def mixed(wb):
        fill_correctly(wb)
        ws = wb["Värden"]
        ws.cell(value_row(ws, "M2.10-andel"), 9).value = 101

    before = snapshot()
    assert upload(client, edit(download(client), mixed)).status_code == 400
    assert snapshot() == before


def test_changes_to_a_submitted_submission_are_refused(world, reporter_kriminalvarden):
    client = logged_in(reporter_kriminalvarden)
    data = download(client)
    assert upload(client, edit(data, fill_correctly)).status_code == 302
    services.submission_transition(
        submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
    )
    fresh = download(client)

    def change(wb):
        ws = wb["Värden"]
        ws.cell(value_row(ws, "M2.10-antal"), 9).value = 99

    before = snapshot()
    r = upload(client, edit(fresh, change))
    assert r.status_code == 400
    assert "är inskickad och kan inte ändras" in r.content.decode()
    assert snapshot() == before


def test_workbook_made_stale_by_a_web_edit_is_refused(world, reporter_kriminalvarden):
    client = logged_in(reporter_kriminalvarden)
    data = download(client)
    sub = world.sub
    services.submission_update(
        submission=sub, user=reporter_kriminalvarden, version=sub.version, narrative_source="Webb"
    )
    before = snapshot()
    r = upload(client, edit(data, fill_correctly))
    assert r.status_code == 400
    assert "har ändrats i Lägesbild efter att mallen laddades ner" in r.content.decode()
    assert snapshot() == before


def test_another_organisations_reporter_cannot_use_the_workbook(
    world, reporter_kriminalvarden, reporter_polisen
):
    data = edit(download(logged_in(reporter_kriminalvarden)), fill_correctly)
    before = snapshot()
    r = upload(logged_in(reporter_polisen), data)
    assert r.status_code == 400
    assert "arbetsboken gäller Kriminalvården, inte Polismyndigheten" in r.content.decode()
    assert snapshot() == before


def test_a_closed_round_takes_no_upload_and_says_so(world, reporter_kriminalvarden, coordinator):
    client = logged_in(reporter_kriminalvarden)
    data = edit(download(client), fill_correctly)
    services.round_close(round=world.round, user=coordinator)
    before = snapshot()
    r = upload(client, data)
    assert r.status_code == 403
    body = r.content.decode()
    assert "Omgången är stängd och tar inte emot ändringar" in body
    assert "kan inte ändras" not in body and 'enctype="multipart/form-data"' not in body
    assert snapshot() == before
    # The service says the same before looking at the file.
    with pytest.raises(excel.UploadRejected) as exc:
        excel.upload_parse(upload=data, user=reporter_kriminalvarden, round=world.round)
    assert [str(e) for e in exc.value.errors] == [
        "Filen: omgången 2026 är stängd och tar inte emot ändringar; kontakta samordnaren om "
        "något behöver rättas"
    ]
    # Neither the round page nor the upload page offers the upload.
    assert "/rapportering/2026/ladda-upp/" not in client.get("/rapportering/2026/").content.decode()
    page = client.get("/rapportering/2026/ladda-upp/")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' not in page.content.decode()
    assert "Omgången är stängd" in page.content.decode()


def test_an_open_round_offers_the_upload(world, reporter_kriminalvarden, coordinator):
    client = logged_in(reporter_kriminalvarden)
    assert "/rapportering/2026/ladda-upp/" in client.get("/rapportering/2026/").content.decode()
    services.round_close(round=world.round, user=coordinator)
    # The coordinator may still edit drafts of a closed round (organisations without accounts).
    body = logged_in(coordinator).get("/rapportering/2026/").content.decode()
    assert "/rapportering/2026/ladda-upp/" in body
