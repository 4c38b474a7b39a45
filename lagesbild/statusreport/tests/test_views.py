"""Every status report view against every role, and the coordinator's editing without JS."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from lagesbild.statusreport.models import OverrideAction, ParagraphOverride, ReportText
from lagesbild.statusreport.tests.conftest import APPROVED_TEXT, DRAFT_TEXT

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter_polisen", "coordinator", "admin"]
EDIT_KEY = "ind:S1:"


def _client(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


PUBLIC = [
    ("statusreport:index", []),
    ("statusreport:detail", [2025]),
    ("statusreport:download", [2025, 2025, "html"]),
    ("statusreport:download", [2025, 2025, "xlsx"]),
    ("statusreport:download", [2025, 2025, "docx"]),
    ("statusreport:download", [2025, 2025, "pdf"]),
]
EDIT = [
    ("statusreport:edit_index", [2025], ""),
    ("statusreport:edit_paragraph", [2025], f"?nyckel={EDIT_KEY}"),
    ("statusreport:edit_text", [2025, "forord", 0], ""),
    ("statusreport:edit_text", [2025, "sammanfattning", 1], ""),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,args", PUBLIC)
def test_public_pages_for_every_role(request, client, small_report, role, name, args):
    response = _client(request, client, role).get(reverse(name, args=args))
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    if name == "statusreport:detail":
        html = body.decode()
        assert APPROVED_TEXT in html and DRAFT_TEXT not in html
        assert 'data-generated="true"' in html
        assert "lagesrapport-2025.pdf" in html
        assert ('href="/rapport/2025/redigera/"' in html) == (role == "coordinator")
        assert ("Granska utkastet" in html) == (role == "coordinator")
    if args and args[-1] == "pdf":
        assert body[:4] == b"%PDF"
        assert response["Content-Disposition"] == 'attachment; filename="lagesrapport-2025.pdf"'


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,args,query", EDIT)
def test_edit_pages_are_for_the_coordinator_only(
    request, client, small_report, role, name, args, query
):
    url = reverse(name, args=args) + query
    response = _client(request, client, role).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/")
    elif role == "coordinator":
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["anonymous", "reporter_polisen", "admin"])
def test_nobody_but_the_coordinator_can_post_edits(request, client, small_report, role):
    c = _client(request, client, role)
    url = reverse("statusreport:edit_paragraph", args=[2025])
    c.post(url, {"nyckel": EDIT_KEY, "action": "save", "text": "Intrång"})
    c.post(reverse("statusreport:edit_text", args=[2025, "forord", 0]), {"text": "Intrång"})
    assert not ParagraphOverride.objects.exists()
    assert not ReportText.objects.exists()


def test_unknown_year_and_format(client, small_report):
    assert client.get("/rapport/2019/").status_code == 404
    assert client.get("/rapport/2025/lagesrapport-2025.exe").status_code == 404
    assert client.get("/rapport/2025/lagesrapport-2024.pdf").status_code == 404


def test_coordinator_accepts_edits_replaces_and_resets(client, small_report, coordinator):
    client.force_login(coordinator)
    url = reverse("statusreport:edit_paragraph", args=[2025])
    page = client.get(url, {"nyckel": EDIT_KEY}).content.decode()
    assert "ökade från 37 procent 2024 till 39 procent 2025" in page
    assert 'name="action" value="accept"' in page

    r = client.post(url, {"nyckel": EDIT_KEY, "action": "accept"})
    assert r.status_code == 302 and r["Location"].startswith("/rapport/2025/#")
    o = ParagraphOverride.objects.get(year=2025, key=EDIT_KEY)
    assert o.action == OverrideAction.ACCEPTED and "2 procentenheter" in o.text
    assert o.updated_by == coordinator
    detail = client.get("/rapport/2025/").content.decode()
    assert f'<p data-key="{EDIT_KEY}">' in detail  # no longer marked generated

    draft = o.draft
    client.post(url, {"nyckel": EDIT_KEY, "action": "save", "text": draft + " Det är glädjande."})
    o.refresh_from_db()
    assert o.action == OverrideAction.EDITED and o.text.endswith("Det är glädjande.")

    client.post(
        url, {"nyckel": EDIT_KEY, "action": "save", "text": "Helt egen text om kontaktförbud."}
    )
    o.refresh_from_db()
    assert o.action == OverrideAction.REPLACED
    assert "Helt egen text om kontaktförbud." in client.get("/rapport/2025/").content.decode()

    r = client.post(url, {"nyckel": EDIT_KEY, "action": "save", "text": "  "})
    assert r.status_code == 200 and "Skriv en text" in r.content.decode()

    client.post(url, {"nyckel": EDIT_KEY, "action": "reset"})
    assert not ParagraphOverride.objects.exists()
    detail = client.get("/rapport/2025/").content.decode()
    assert f'data-generated="true" data-key="{EDIT_KEY}"' in detail


def test_unknown_paragraph_key(client, small_report, coordinator):
    client.force_login(coordinator)
    url = reverse("statusreport:edit_paragraph", args=[2025])
    assert client.get(url, {"nyckel": "ind:FINNS-INTE:"}).status_code == 404


def test_coordinator_writes_foreword_and_summary(client, small_report, coordinator):
    client.force_login(coordinator)
    summary_url = reverse("statusreport:edit_text", args=[2025, "sammanfattning", 1])
    form = client.get(summary_url).content.decode()
    assert "Sämre än medianen i riket: Andel beviljade kontaktförbud" in form  # pre-filled
    client.post(summary_url, {"text": "Kontaktförbuden ökar.\n\nMen ligger under riket."})
    client.post(
        reverse("statusreport:edit_text", args=[2025, "forord", 0]), {"text": "Vårt förord."}
    )
    client.post(
        reverse("statusreport:edit_text", args=[2025, "utvecklingsomraden", 1]),
        {"text": "Fler kontaktförbud\nBättre uppföljning"},
    )
    html = client.get("/rapport/2025/").content.decode()
    assert '<p data-key="forord">Vårt förord.</p>' in html
    assert "Men ligger under riket." in html
    assert "<li>Bättre uppföljning</li>" in html
    assert ReportText.objects.get(kind="forord").updated_by == coordinator
    client.post(reverse("statusreport:edit_text", args=[2025, "forord", 0]), {"text": ""})
    assert not ReportText.objects.filter(kind="forord").exists()


def test_edit_text_rejects_bad_kind_or_goal(client, small_report, coordinator):
    client.force_login(coordinator)
    assert client.get("/rapport/2025/redigera/text/annat/1/").status_code == 404
    assert client.get("/rapport/2025/redigera/text/forord/1/").status_code == 404
    assert client.get("/rapport/2025/redigera/text/sammanfattning/9/").status_code == 404


def test_downloads_are_rebuilt_when_data_changes(client, small_report, coordinator):
    from openpyxl import load_workbook

    url = "/rapport/2025/lagesrapport-2025.xlsx"
    first = load_workbook(io.BytesIO(client.get(url).content))
    small_report.build.observation(small_report.share, "2022", 28)
    second = load_workbook(io.BytesIO(client.get(url).content))
    header = [c.value for c in second["Tabell 1"][4]]
    assert "2022" in header and "2022" not in [c.value for c in first["Tabell 1"][4]]


def test_downloads_are_rebuilt_when_the_configuration_changes(client, small_report):
    url = "/rapport/2025/lagesrapport-2025.html"
    assert "Andel beviljade kontaktförbud" in client.get(url).content.decode()
    indicator = small_report.share
    indicator.name = "Andel kontaktförbud som beviljats"
    indicator.save()
    body = client.get(url).content.decode()
    assert "Andel kontaktförbud som beviljats" in body


def test_report_of_an_open_round_is_marked_preliminary(client, small_report):
    from lagesbild.reporting.models import ReportingRound

    rnd = ReportingRound.objects.get(year=2025)
    rnd.closed = False
    rnd.save()
    index = client.get("/rapport/").content.decode()
    assert "preliminär: myndigheternas rapportering för året pågår" in index
    detail = client.get("/rapport/2025/").content.decode()
    assert "Preliminär rapport." in detail
    rnd.closed = True
    rnd.save()
    assert "preliminär" not in client.get("/rapport/").content.decode()
    assert "Preliminär rapport." not in client.get("/rapport/2025/").content.decode()


def test_the_public_report_page_is_built_once_per_report_version(
    client, coordinator, small_report, monkeypatch
):
    from lagesbild.statusreport import views

    builds = []
    real = views.report_build
    monkeypatch.setattr(views, "report_build", lambda **kw: builds.append(1) or real(**kw))
    url = reverse("statusreport:detail", args=[2025])
    first = client.get(url)
    assert client.get(url).content == first.content
    assert len(builds) == 1
    ReportText.objects.create(year=2025, kind="forord", goal_number=0, text="Ett nytt förord.")
    assert "Ett nytt förord." in client.get(url).content.decode()
    assert len(builds) == 2
    client.force_login(coordinator)  # the coordinator's page has edit links: never cached
    client.get(url)
    client.get(url)
    assert len(builds) == 4
