"""Background builds, published editions, errata and vintages of the status report.

Every view against every role; no report view renders a document; the walk-through of issue 12
(publish 2025 → a new round changes the data → the public report stays byte-identical → a
corrected edition 2 with errata → ``?as_published=2025`` gives edition 1's figures).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from lagesbild.reporting.models import ReportingRound, Submission, SubmissionState
from lagesbild.statusreport import document as document_module
from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.edition_selectors import document_of
from lagesbild.statusreport.edition_services import (
    PublishError,
    build_request,
    edition_publish,
)
from lagesbild.statusreport.errata import errata_between
from lagesbild.statusreport.models import BuildState, ReportBuild, ReportEdition
from lagesbild.statusreport.serialize import SerialiseError, dumps, loads
from lagesbild.statusreport.tests.conftest import APPROVED_TEXT, DRAFT_TEXT

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter_polisen", "coordinator", "admin"]
EXTS = ["html", "pdf", "docx", "xlsx"]


def _client(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _files(client, year: int, prefix: str = "") -> dict[str, bytes]:
    base = prefix or f"/rapport/{year}/"
    out = {}
    for ext in EXTS:
        response = client.get(f"{base}lagesrapport-{year}.{ext}")
        assert response.status_code == 200, ext
        out[ext] = _body(response)
    return out


# --- the document model as JSON ---------------------------------------------------------------


def test_a_report_survives_json_exactly(small_report):
    document = report_build(year=2025, chart_formats=("svg",))
    text = json.dumps(dumps(document))
    again = loads(json.loads(text), types=document_module)
    assert again == document
    assert any(isinstance(c.value, Decimal) for t in again.tables() for r in t.body_rows for c in r)
    assert again.charts() and again.charts()[0].svg == document.charts()[0].svg


def test_stored_documents_load_when_the_report_gains_or_loses_fields(small_report):
    from dataclasses import dataclass, field

    document = report_build(year=2025, chart_formats=())
    data = dumps(document, drop_bytes=True)
    data["removed_since"] = "ignored"

    @dataclass
    class Report(document_module.Report):
        isbn: str = ""
        extra: list = field(default_factory=list)

    types = {**vars(document_module), "Report": Report}
    again = loads(data, types=types)
    assert again.isbn == "" and again.title == document.title
    assert len(again.tables()) == len(document.tables())
    with pytest.raises(SerialiseError, match="Okänd typ"):
        loads({"_type": "Nothing"}, types=document_module)
    with pytest.raises(SerialiseError, match="saknar fälten"):
        loads({"_type": "Footnote"}, types=document_module)


# --- builds in the background ----------------------------------------------------------------


def test_a_coordinators_draft_build_stores_four_files_and_shows_progress(
    client, small_report, coordinator
):
    client.force_login(coordinator)
    response = client.post("/rapport/2025/utkast/bygg/")
    assert response.status_code == 302
    build = ReportBuild.objects.get()
    assert build.state == BuildState.DONE and (build.step, build.steps) == (4, 4)
    assert set(build.files) == {"html", "pdf", "docx", "xlsx", "page"}
    assert build.requested_by == coordinator and build.finished_at and not build.error
    status = client.get(f"/rapport/2025/bygge/{build.pk}/").content.decode()
    assert "hx-get" not in status  # finished: polling stops
    assert f"/rapport/2025/bygge/{build.pk}/lagesrapport-2025.pdf" in status
    draft = client.get("/rapport/2025/utkast/").content.decode()
    assert APPROVED_TEXT in draft and DRAFT_TEXT not in draft
    assert "htmx" in draft
    pdf = client.get(f"/rapport/2025/bygge/{build.pk}/lagesrapport-2025.pdf")
    assert _body(pdf)[:4] == b"%PDF"
    assert pdf["Cache-Control"] == "private, no-store"


def test_a_running_build_is_polled_and_shows_its_step(client, small_report, coordinator):
    build = ReportBuild.objects.create(
        year=2025, state=BuildState.RUNNING, step=2, steps=4, requested_by=coordinator
    )
    client.force_login(coordinator)
    html = client.get(f"/rapport/2025/bygge/{build.pk}/").content.decode()
    assert "bygger… 2/4" in html
    assert f'hx-get="/rapport/2025/bygge/{build.pk}/"' in html and 'hx-trigger="every 1s"' in html


def test_a_failed_build_says_why(client, small_report, coordinator, monkeypatch):
    def broken(document, fmt):
        raise RuntimeError("trasig skrivare")

    monkeypatch.setattr("lagesbild.statusreport.edition_services.render_report", broken)
    build = build_request(year=2025, user=coordinator)
    assert build.state == BuildState.FAILED and "trasig skrivare" in build.error
    client.force_login(coordinator)
    assert "trasig skrivare" in client.get(f"/rapport/2025/bygge/{build.pk}/").content.decode()


def test_the_database_queue_holds_a_build_until_the_worker_runs_it(
    settings, small_report, coordinator, monkeypatch
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    build = build_request(year=2025, user=coordinator)
    assert build.state == BuildState.QUEUED and build.files == {}
    # the worker closes connections it takes for stale between tasks; inside the test's
    # transaction (PostgreSQL) that would be the test's own connection
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    build.refresh_from_db()
    assert build.state == BuildState.DONE and set(build.files) >= set(EXTS)


# --- publishing ------------------------------------------------------------------------------


def test_before_the_first_edition_the_public_sees_not_yet_published(request, client, small_report):
    for role in ROLES:
        client.logout()
        c = _client(request, client, role)
        html = c.get("/rapport/2025/").content.decode()
        assert "inte publicerad ännu" in html
        assert APPROVED_TEXT not in html  # no live draft on the public page
        assert ("/rapport/2025/utkast/" in html) == (role == "coordinator")
        for ext in EXTS:
            assert c.get(f"/rapport/2025/lagesrapport-2025.{ext}").status_code == 404


def test_the_confirmation_page_summarises_what_will_be_frozen(client, small_report, coordinator):
    client.force_login(coordinator)
    html = client.get("/rapport/2025/publicera/").content.decode()
    assert "Bygg ett utkast och granska det först." in html
    assert "Publicera utgåva 1" not in html
    client.post("/rapport/2025/utkast/bygg/")
    build = ReportBuild.objects.get()
    doc = document_of(build)
    html = client.get("/rapport/2025/publicera/").content.decode()
    assert f"<dt>Tabeller</dt><dd>{len(doc.tables())}</dd>" in html
    assert f"<dt>Diagram</dt><dd>{len(doc.charts())}</dd>" in html
    drafted = sum(1 for p in doc.paragraphs() if p.editable and p.generated)
    assert drafted > 0 and f"{drafted} av " in html
    assert "öppen, stänger" in html or "stängd" in html
    assert "Publicera utgåva 1" in html
    response = client.post("/rapport/2025/publicera/", {})
    assert response.status_code == 302
    edition = ReportEdition.objects.get()
    assert (edition.year, edition.number, edition.published_by) == (2025, 1, coordinator)
    assert edition.plan_key == small_report.plan.key
    assert edition.observations.count() == len(build.observation_versions) > 0
    assert edition.document["title"] == doc.title


def test_publishing_is_refused_when_the_data_changed_since_the_draft(
    client, small_report, coordinator
):
    client.force_login(coordinator)
    client.post("/rapport/2025/utkast/bygg/")
    small_report.build.observation(small_report.share, "2024", 38)
    html = client.get("/rapport/2025/publicera/").content.decode()
    assert "Uppgifterna har ändrats sedan det senaste utkastet" in html
    client.post("/rapport/2025/publicera/", {})
    assert not ReportEdition.objects.exists()


def test_a_publication_whose_data_changes_while_it_builds_fails(small_report, coordinator):
    client_version = "något annat"
    build = build_request(
        year=2025, user=coordinator, publish=True, confirmed_version=client_version
    )
    assert build.state == BuildState.FAILED and "har ändrats" in build.error
    assert not ReportEdition.objects.exists()


def test_publish_command(small_report, coordinator, capsys):
    call_command("publish", "2025")
    assert "utgåva 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="inte den som rapporten"):
        call_command("publish", "2025", "--plan", "en-annan-plan")
    call_command("publish", "2025", "--plan", small_report.plan.key)
    assert list(ReportEdition.objects.values_list("number", flat=True)) == [1, 2]
    with pytest.raises(CommandError, match="ingen lägesrapport"):
        call_command("publish", "1999")


# --- roles -----------------------------------------------------------------------------------


def _urls(build: ReportBuild) -> dict[str, list[str]]:
    files = [f"lagesrapport-2025.{ext}" for ext in EXTS]
    return {
        "public": ["/rapport/", "/rapport/2025/", "/rapport/2025/utgava/1/"]
        + [f"/rapport/2025/{f}" for f in files]
        + [f"/rapport/2025/utgava/1/{f}" for f in files],
        "coordinator": [
            "/rapport/2025/utkast/",
            f"/rapport/2025/bygge/{build.pk}/",
            "/rapport/2025/publicera/",
            "/rapport/2025/redigera/",
            "/rapport/2025/redigera/stycke/?nyckel=ind:S1",
            "/rapport/2025/redigera/text/forord/0/",
        ]
        + [f"/rapport/2025/bygge/{build.pk}/{f}" for f in files],
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_report_view_for_every_role_renders_no_document(
    request, client, small_report, coordinator, role, monkeypatch
):
    """Builds and the edition are made first; then every renderer raises, and every report URL
    answers as the role may see it, from stored files."""
    edition_publish(year=2025, user=coordinator)
    build = build_request(year=2025, user=coordinator)

    def forbidden(*args, **kwargs):
        raise AssertionError("a report view rendered a document")

    from lagesbild.statusreport import edition_services
    from lagesbild.statusreport.render import docx, html, pdf, xlsx

    for module in (docx, html, pdf, xlsx):
        monkeypatch.setattr(module, "render", forbidden)
    monkeypatch.setattr(html, "body", forbidden)
    monkeypatch.setattr("lagesbild.statusreport.render.render_report", forbidden)
    monkeypatch.setattr(edition_services, "render_report", forbidden)
    c = _client(request, client, role)
    urls = _urls(build)
    for url in urls["public"]:
        response = c.get(url)
        assert response.status_code == 200, url
        _body(response)
    for url in urls["coordinator"]:
        response = c.get(url)
        _body(response)
        if role == "anonymous":
            assert response.status_code == 302 and "/konto/logga-in/" in response["Location"], url
        elif role == "coordinator":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url


@pytest.mark.parametrize("role", ["anonymous", "reporter_polisen", "admin"])
def test_only_the_coordinator_builds_and_publishes(request, client, small_report, role):
    c = _client(request, client, role)
    c.post("/rapport/2025/utkast/bygg/")
    c.post("/rapport/2025/publicera/", {})
    assert not ReportBuild.objects.exists() and not ReportEdition.objects.exists()


def test_draft_build_is_post_only(client, small_report, coordinator):
    client.force_login(coordinator)
    assert client.get("/rapport/2025/utkast/bygg/").status_code == 405
    assert not ReportBuild.objects.exists()


# --- errata ----------------------------------------------------------------------------------


def test_errata_name_each_changed_figure_from_and_to(small_report):
    old = report_build(year=2025, chart_formats=())
    small_report.build.observation(small_report.share, "2024", 40)
    new = report_build(year=2025, chart_formats=())
    errata = errata_between(old, new)
    assert errata, "a changed figure must be listed"
    assert all(e["before"] != e["after"] for e in errata)
    assert any("37" in e["before"] and "40" in e["after"] for e in errata)
    assert any("Tabell" in e["place"] and "2024" in e["place"] for e in errata)
    assert errata_between(new, new) == []


# --- the walk-through ------------------------------------------------------------------------


def test_walk_through_publish_change_correct_and_read_as_published(
    client, small_report, coordinator, reporter_polisen
):
    sr = small_report
    # 1. The coordinator builds a draft and publishes 2025.
    client.force_login(coordinator)
    client.post("/rapport/2025/utkast/bygg/")
    client.post("/rapport/2025/publicera/", {})
    first = ReportEdition.objects.get(year=2025, number=1)
    client.logout()
    page_before = client.get("/rapport/2025/").content
    files_before = _files(client, 2025)
    assert files_before["pdf"][:4] == b"%PDF"
    assert APPROVED_TEXT.encode() in page_before

    # 2. The 2026 round: an approved report, and a revised 2024 figure (37 → 40).
    rnd = ReportingRound.objects.create(
        year=2026, plan=sr.plan, opens_on=dt.date(2026, 11, 1), closes_on=dt.date(2027, 1, 15)
    )
    Submission.objects.create(
        round=rnd,
        measure=sr.annual,
        organisation=sr.polisen,
        state=SubmissionState.APPROVED,
        implementation_status="pagaende",
        narrative="<p>Godkänt i omgången 2026.</p>",
    )
    sr.build.observation(sr.share, "2024", 40)

    # 3. The public 2025 report and its four files are byte-identical.
    assert _files(client, 2025) == files_before
    page_after = client.get("/rapport/2025/").content
    assert page_after == page_before
    assert _files(client, 2025, "/rapport/2025/utgava/1/") == files_before

    # 4. A corrected edition 2: the errata are generated, edited, and shown.
    client.force_login(coordinator)
    client.post("/rapport/2025/utkast/bygg/")
    form = client.get("/rapport/2025/publicera/").context["formset"]
    generated = [f.initial for f in form.forms if f.initial]
    assert any(e["before"].startswith("37") and e["after"].startswith("40") for e in generated)
    data = {
        "rattelse-TOTAL_FORMS": str(len(generated) + 1),
        "rattelse-INITIAL_FORMS": str(len(generated)),
        "rattelse-MIN_NUM_FORMS": "0",
        "rattelse-MAX_NUM_FORMS": "1000",
    }
    for i, e in enumerate(generated):
        data.update({f"rattelse-{i}-{k}": e[k] for k in ("place", "before", "after")})
        data[f"rattelse-{i}-keep"] = "on"
        data[f"rattelse-{i}-note"] = "Reviderad uppgift från källan." if i == 0 else ""
    assert client.post("/rapport/2025/publicera/", data).status_code == 302
    second = ReportEdition.objects.get(year=2025, number=2)
    assert second.errata[0]["note"] == "Reviderad uppgift från källan."
    client.logout()
    page = client.get("/rapport/2025/").content.decode()
    assert "Rättelser i utgåva 2" in page and "Reviderad uppgift från källan." in page
    assert "Utgåva 2, publicerad" in page
    files_two = _files(client, 2025)
    assert files_two["html"] != files_before["html"]
    assert (
        "Rättelser" in files_two["html"].decode()
        and "Reviderad uppgift" in files_two["html"].decode()
    )
    # edition 1 stays downloadable, unchanged
    assert _files(client, 2025, "/rapport/2025/utgava/1/") == files_before
    assert "Det finns en senare utgåva" in client.get("/rapport/2025/utgava/1/").content.decode()

    # 5. ?as_published=2025 returns edition 1's figures; without it, today's.
    api = f"/api/v1/indicators/{sr.share.code}/observations"
    now = {o["period"]: o["value"] for o in client.get(api, {"area": "01"}).json()}
    then = {
        o["period"]: o["value"]
        for o in client.get(api, {"area": "01", "as_published": "2025"}).json()
    }
    assert now["2024"] == "40" and then["2024"] == "37"
    assert then["2025"] == now["2025"] == "39"
    two = client.get(api, {"area": "01", "as_published": "2025-2"}).json()
    assert {o["period"]: o["value"] for o in two}["2024"] == "40"
    assert client.get(api, {"as_published": "1999"}).status_code == 404
    assert client.get(api, {"as_published": "x"}).status_code == 422
    stat = client.get(api + ".jsonstat", {"area": "01", "as_published": "2025"}).json()
    assert "37" in json.dumps(stat)
    csv = client.get(f"/indikator/{sr.share.code}/data.csv", {"as_published": "2025"})
    assert csv.status_code == 200 and b"2024" in csv.content and b",37," in csv.content
    assert first.observations.filter(indicator_id=sr.share.pk).exists()

    # 6. The indicator page shows both where they differ.
    html = client.get(f"/indikator/{sr.share.code}/").content.decode()
    assert "publicerat i lägesrapporten 2025: 37" in html
    assert f"reviderat {dt.date.today().year}: 40" in html


def test_publish_errors_are_swedish(small_report):
    with pytest.raises(PublishError, match="inte den som rapporten"):
        edition_publish(year=2025, plan_key="saknas")


def test_the_public_report_page_is_served_from_the_cache_and_a_new_edition_shows_at_once(
    client, small_report, coordinator, django_assert_max_num_queries
):
    """Readers get the report page without rebuilding it (the whole page is cached under the
    data version); publishing an edition changes that version, so nobody reads a stale page."""
    first = client.get("/rapport/2025/").content.decode()
    assert "inte publicerad ännu" in first
    with django_assert_max_num_queries(2):  # the data version, nothing of the page itself
        assert client.get("/rapport/2025/").content.decode() == first

    client.force_login(coordinator)
    client.post("/rapport/2025/utkast/bygg/")
    client.post("/rapport/2025/publicera/", {})
    client.logout()
    published = client.get("/rapport/2025/").content.decode()
    assert "inte publicerad ännu" not in published and APPROVED_TEXT in published
    assert client.get("/rapport/2025/utgava/1/").content.decode().count(APPROVED_TEXT) >= 1
    with django_assert_max_num_queries(2):
        assert client.get("/rapport/2025/utgava/1/").status_code == 200
    assert client.get("/rapport/1999/").status_code == 404
    assert client.get("/rapport/2025/utgava/9/").status_code == 404
