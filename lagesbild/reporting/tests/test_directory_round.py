"""The support register in the reporting round: municipalities look over their entries, the
coordinator approves, and only then does the register change (with the approval as reason)."""

from __future__ import annotations

import datetime as dt
import html
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from lagesbild.directory.models import SupportService
from lagesbild.directory.tabular import COLUMNS, read_csv, rows_to_csv, rows_to_xlsx
from lagesbild.reporting import services
from lagesbild.reporting.models import Submission
from lagesbild.reporting.tests.conftest import logged_in
from lagesbild.strategy.models import ActionPlan

REASON = "Godkänd inrapportering 2026 från Nacka kommun"


def _upload(client, sub, rows, name="nacka.csv", fmt="csv"):
    data = rows_to_xlsx(rows) if fmt == "xlsx" else rows_to_csv(rows)
    return client.post(
        f"/rapportering/2026/{sub.pk}/stodregister/ladda-upp/",
        {"version": sub.version, "file": SimpleUploadedFile(name, data)},
    )


def _downloaded(client, sub) -> list[dict[str, str]]:
    r = client.get(f"/rapportering/2026/{sub.pk}/stodregister.csv")
    assert r.status_code == 200
    assert 'filename="stodregister-2026-nacka-kommun.csv"' in r["Content-Disposition"]
    return [values for _line, values in read_csv(r.content)]


def _page(client, sub) -> str:
    r = client.get(f"/rapportering/2026/{sub.pk}/")
    assert r.status_code == 200
    return html.unescape(r.content.decode())


def test_opening_a_round_can_ask_the_municipalities_about_the_register(directory_round):
    d = directory_round
    asked = Submission.objects.filter(round=d.round, kind="directory")
    assert sorted(asked.values_list("organisation__key", flat=True)) == [
        "nacka-kommun",  # entries and an account
        "solna-kommun",  # entries, no account
        "stockholms-stad",  # entries and an account
    ]  # "ny-kommun" has neither; state agencies and "Länets kommuner" are not municipalities
    assert set(asked.values_list("state", "measure")) == {("utkast", None)}
    assert d.round.include_directory
    # The measures are asked as without the register.
    measure_subs = Submission.objects.filter(round=d.round, kind="measure").count()
    plan = ActionPlan.objects.get(key="handlingsplan-2024-2027")
    other = services.round_open(
        year=2025, plan=plan, opens_on=dt.date(2025, 11, 1), closes_on=dt.date(2026, 1, 31)
    )
    assert other.submissions.count() == measure_subs  # default: no register submissions
    assert not other.submissions.filter(kind="directory").exists()


def test_the_coordinator_ticks_the_register_box_on_the_round_form(directory_round, coordinator):
    client = logged_in(coordinator)
    form = client.get("/rapportering/ny-omgang/").content.decode()
    assert "Be kommunerna se över stödregistret" in form and 'name="include_directory"' in form
    plan = ActionPlan.objects.get(key="handlingsplan-2024-2027")
    base = {
        "plan": plan.pk,
        "opens_on": "2027-11-01",
        "closes_on": "2028-01-31",
        "include_end_of_plan": "auto",
    }
    assert client.post("/rapportering/ny-omgang/", {**base, "year": 2027}).status_code == 302
    assert not Submission.objects.filter(round__year=2027, kind="directory").exists()
    r = client.post("/rapportering/ny-omgang/", {**base, "year": 2025, "include_directory": "on"})
    assert r.status_code == 302
    assert Submission.objects.filter(round__year=2025, kind="directory").count() == 3


def test_a_municipality_looks_over_its_entries_and_the_coordinator_approves(
    directory_round, coordinator
):
    d = directory_round
    sub = d.sub(d.nacka)
    reporter = logged_in(d.reporter_nacka)

    # The reporter finds it in the round's list and opens it.
    listing = reporter.get("/rapportering/2026/").content.decode()
    assert f"/rapportering/2026/{sub.pk}/" in listing and "Stödregistret" in listing
    assert f"/rapportering/2026/{d.sub(d.stockholm).pk}/" not in listing
    page = _page(reporter, sub)
    assert "Stödregistret – Nacka kommun, 2026" in page
    assert "Ingen fil är uppladdad" in page

    # Download: exactly the organisation's own entries, as CSV and as Excel.
    rows = _downloaded(reporter, sub)
    assert sorted(r["key"] for r in rows) == ["nacka-barn", "nacka-vuxna"]
    xlsx = reporter.get(f"/rapportering/2026/{sub.pk}/stodregister.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == COLUMNS
    assert sorted(sheet.cell(row=i, column=1).value for i in (2, 3)) == rows_keys(rows)

    vuxna = next(r for r in rows if r["key"] == "nacka-vuxna")
    old_phone = vuxna["phone"]
    history_before = SupportService.objects.get(key="nacka-vuxna").history.count()

    # A bad file: every problem named by row and column, and nothing stored.
    bad = [dict(r) for r in rows]
    bad[0]["age_min"] = "tolv"
    bad[1]["web"] = "inte en adress"
    solna = {**rows[1], "key": "solna-vuxna"}  # another municipality's entry
    r = _upload(reporter, sub, [*bad, solna], name="fel.csv")
    assert r.status_code == 400
    text = html.unescape(r.content.decode())
    assert "Filen lästes inte in – inget har sparats" in text
    assert "fel.csv rad 2, fält 'age_min': 'tolv' är ingen ålder i hela år (0–130)" in text
    assert "fel.csv rad 3, fält 'web': 'inte en adress' är ingen giltig webbadress" in text
    sub.refresh_from_db()
    assert sub.directory_rows == [] and sub.directory_file_name == "" and sub.version == 1
    r = _upload(reporter, sub, [solna], name="annan.csv")
    assert r.status_code == 400
    assert "annan.csv rad 2, fält 'key': verksamheten hör till en annan organisation" in (
        html.unescape(r.content.decode())
    )
    sub.refresh_from_db()
    assert sub.directory_rows == [] and sub.version == 1

    # A good Excel file: stored on the submission, the register untouched.
    vuxna["phone"] = "08-718 80 00"
    new = {
        **vuxna,
        "key": "nacka-kvinnojour",
        "name": "Nacka kvinnojour",
        "organisation": "",
        "phone": "08-123 45 67",
    }
    r = _upload(reporter, sub, [*rows, new], name="nacka.xlsx", fmt="xlsx")
    assert r.status_code == 302, html.unescape(r.content.decode())
    sub.refresh_from_db()
    assert sub.directory_file_name == "nacka.xlsx" and len(sub.directory_rows) == 3
    assert sub.version == 2
    assert SupportService.objects.get(key="nacka-vuxna").phone == old_phone
    assert not SupportService.objects.filter(key="nacka-kvinnojour").exists()
    page = _page(reporter, sub)
    assert "1 nya, 1 ändrade, 1 oförändrade." in page
    assert "Nacka kvinnojour" in page and "phone" in page
    assert "Oförändrad" in page and "Ändrad" in page and "Ny" in page

    # Submit; the coordinator returns it, the reporter submits again, the coordinator approves.
    assert reporter.post(f"/rapportering/2026/{sub.pk}/overgang/skicka-in/").status_code == 302
    sub.refresh_from_db()
    assert sub.state == "inskickad"
    coord = logged_in(coordinator)
    r = coord.post(
        f"/rapportering/2026/{sub.pk}/overgang/atersand/", {"comment": "Stämmer jourens nummer?"}
    )
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.state == "atersand"
    assert SupportService.objects.get(key="nacka-vuxna").phone == old_phone
    assert reporter.post(f"/rapportering/2026/{sub.pk}/overgang/skicka-in/").status_code == 302
    assert "Godkänn" in _page(coord, sub)
    assert (
        coord.post(f"/rapportering/2026/{sub.pk}/overgang/godkann/", {"confirm": "ja"}).status_code
        == 302
    )
    sub.refresh_from_db()
    assert sub.state == "godkand" and sub.approved_by == coordinator

    # Now the register has changed, and its history says why and who.
    changed = SupportService.objects.get(key="nacka-vuxna")
    assert changed.phone == "08-718 80 00"
    latest = changed.history.first()
    assert latest.history_change_reason == REASON and latest.history_user == coordinator
    assert changed.history.count() == history_before + 1
    created = SupportService.objects.get(key="nacka-kvinnojour")
    assert created.organisation == d.nacka and created.phone == "08-123 45 67"
    assert created.history.first().history_change_reason == REASON
    unchanged = SupportService.objects.get(key="nacka-barn")
    assert unchanged.history.first().history_change_reason != REASON
    # Another municipality's entries are untouched.
    assert SupportService.objects.get(key="solna-vuxna").history.count() == 1


def rows_keys(rows):
    return sorted(r["key"] for r in rows)


def test_nothing_to_change_marks_the_entries_as_checked_on_approval(directory_round, coordinator):
    d = directory_round
    sub = d.sub(d.stockholm)
    reporter = logged_in(d.reporter_stockholm)
    before = {s.key: s.verified_on for s in SupportService.objects.filter(organisation=d.stockholm)}
    assert before
    assert reporter.post(f"/rapportering/2026/{sub.pk}/overgang/skicka-in/").status_code == 302
    sub.refresh_from_db()
    assert sub.state == "inskickad"  # no file needed: "nothing to change"
    assert (
        logged_in(coordinator)
        .post(f"/rapportering/2026/{sub.pk}/overgang/godkann/", {"confirm": "ja"})
        .status_code
        == 302
    )
    sub.refresh_from_db()
    assert sub.state == "godkand"
    today = timezone.localdate()
    for service in SupportService.objects.filter(key__in=before):
        assert service.verified_on == today
        assert service.verified_by == coordinator
        assert service.history.first().history_change_reason == (
            "Godkänd inrapportering 2026 från Stockholms stad"
        )
    # Nacka's entries are not touched by Stockholm's approval.
    assert SupportService.objects.get(key="nacka-vuxna").verified_by is None


def test_approval_is_all_or_nothing_when_the_register_changed_meanwhile(
    directory_round, coordinator
):
    """The rows are checked again on approval: an entry that now belongs to someone else stops
    the approval, and nothing is written."""
    d = directory_round
    sub = d.sub(d.nacka)
    reporter = logged_in(d.reporter_nacka)
    rows = _downloaded(reporter, sub)
    rows[0]["phone"] = "08-1"
    new = {**rows[1], "key": "nacka-ny", "name": "Ny verksamhet", "organisation": ""}
    assert _upload(reporter, sub, [*rows, new]).status_code == 302
    assert reporter.post(f"/rapportering/2026/{sub.pk}/overgang/skicka-in/").status_code == 302
    # Meanwhile the key is taken by a service of another organisation.
    taken = SupportService.objects.get(key="solna-vuxna")
    taken.pk, taken.id, taken.key = None, None, "nacka-ny"
    taken.organisation = d.solna
    taken.save()
    coord = logged_in(coordinator)
    page = _page(coord, sub)
    assert "Den uppladdade filen stämmer inte längre med stödregistret." in page
    r = coord.post(f"/rapportering/2026/{sub.pk}/overgang/godkann/", {"confirm": "ja"}, follow=True)
    text = html.unescape(r.content.decode())
    assert "Inrapporteringen kan inte godkännas." in text
    assert "verksamheten hör till en annan organisation" in text
    sub.refresh_from_db()
    assert sub.state == "inskickad" and not sub.transitions.filter(to_state="godkand").exists()
    assert SupportService.objects.get(key=rows[0]["key"]).phone != "08-1"


def test_upload_only_while_editable_and_only_on_register_submissions(directory_round, coordinator):
    d = directory_round
    sub = d.sub(d.nacka)
    reporter = logged_in(d.reporter_nacka)
    rows = _downloaded(reporter, sub)
    measure_sub = Submission.objects.filter(round=d.round, kind="measure").first()
    coord = logged_in(coordinator)
    assert coord.get(f"/rapportering/2026/{measure_sub.pk}/stodregister.csv").status_code == 404
    r = coord.post(
        f"/rapportering/2026/{measure_sub.pk}/stodregister/ladda-upp/",
        {"version": measure_sub.version, "file": SimpleUploadedFile("a.csv", rows_to_csv(rows))},
    )
    assert r.status_code == 404
    # A stale version is a conflict; nothing stored.
    stale = _upload(reporter, sub, rows)
    assert stale.status_code == 302
    sub.refresh_from_db()
    r = reporter.post(
        f"/rapportering/2026/{sub.pk}/stodregister/ladda-upp/",
        {"version": 1, "file": SimpleUploadedFile("b.csv", rows_to_csv(rows))},
    )
    assert r.status_code == 409 and "Krock – inget sparades" in r.content.decode()
    assert Submission.objects.get(pk=sub.pk).directory_file_name == "nacka.csv"
    # Submitted: the reporter can no longer upload.
    assert reporter.post(f"/rapportering/2026/{sub.pk}/overgang/skicka-in/").status_code == 302
    sub.refresh_from_db()
    assert _upload(reporter, sub, rows, name="sen.csv").status_code == 403
    assert Submission.objects.get(pk=sub.pk).directory_file_name == "nacka.csv"
    # The detail page takes no POST for a register submission.
    assert reporter.post(f"/rapportering/2026/{sub.pk}/", {}).status_code == 405


def test_reminder_and_overview_name_the_register_submission(directory_round, coordinator):
    from django.core import mail
    from django.core.management import call_command

    d = directory_round
    mail.outbox.clear()
    call_command("remind", "--days", "10", "--date", "2027-01-25", stdout=io.StringIO())
    nacka = next(m for m in mail.outbox if m.to == ["nacka@example.org"])
    assert "Stödregistret (Nacka kommun), utkast, sista dag 2027-01-31" in nacka.body
    assert f"/rapportering/2026/{d.sub(d.nacka).pk}/" in nacka.body

    coord = logged_in(coordinator)
    body = coord.get("/rapportering/2026/oversikt/?vy=matris").content.decode()
    assert "Stödregistret: kommunernas inrapporteringar" in body
    listing = coord.get("/rapportering/2026/oversikt/").content.decode()
    for org in (d.nacka, d.solna, d.stockholm):
        assert f"/rapportering/2026/{d.sub(org).pk}/" in body
        assert f"/rapportering/2026/{d.sub(org).pk}/" in listing
