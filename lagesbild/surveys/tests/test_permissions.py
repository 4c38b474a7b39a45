"""Every role against every survey view: anonymous, respondent link, reporter, coordinator, admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lagesbild.surveys import services
from lagesbild.surveys.models import Response, SurveyRound

from .conftest import FULL, SURVEY_FILE, token_for

MANAGE_GET = [
    "/enkat/hantera/",
    "/enkat/hantera/ny-omgang/",
    "/enkat/hantera/omgang/{round}/",
    "/enkat/hantera/svar/{response}/",
]
MANAGE_POST = [
    ("/enkat/hantera/omgang/{round}/paminn/", {}),
    ("/enkat/hantera/omgang/{round}/stang/", {}),
    ("/enkat/hantera/svar/{response}/", {"fraga": "styrdokument", "svar": "nej", "skal": "x"}),
    ("/enkat/hantera/ny-omgang/", {"enkat": "1", "titel": "T", "period": "2025"}),
]
RESULTS = [
    "/enkat/resultat/{round}/",
    "/enkat/resultat/{round}/kanslighet/",
    "/enkat/resultat/{round}/kommun/0114/",
]


@pytest.fixture
def setup(open_round):
    respondent = open_round.respondents.get(organisation__key="kommun-0114")
    response = services.response_save(respondent=respondent, answers=FULL, submit=True)
    return {
        "round": open_round.pk,
        "response": response.pk,
        "token": token_for(open_round, "kommun-0114"),
    }


def fill(path, ids):
    return path.format(**ids)


@pytest.fixture(params=["anonymous", "respondent", "reporter"])
def outsider(request, client, setup, reporter_polisen):
    if request.param == "respondent":
        assert client.get(f"/enkat/svar/{setup['token']}/").status_code == 200
    if request.param == "reporter":
        client.force_login(reporter_polisen)
    return request.param, client


def test_outsiders_cannot_manage(outsider, setup, mailoutbox):
    kind, client = outsider
    expected = 403 if kind == "reporter" else 302
    for path in MANAGE_GET:
        assert client.get(fill(path, setup)).status_code == expected, (kind, path)
    for path, data in MANAGE_POST:
        assert client.post(fill(path, setup), data).status_code == expected, (kind, path)
    upload = SimpleUploadedFile("e.yaml", SURVEY_FILE.read_bytes())
    assert client.post("/enkat/hantera/", {"fil": upload}).status_code == expected
    # nothing happened
    rnd = SurveyRound.objects.get(pk=setup["round"])
    assert rnd.is_open and SurveyRound.objects.count() == 1 and not mailoutbox
    assert Response.objects.get().answers == FULL


def test_outsiders_see_no_unpublished_results(outsider, setup):
    _kind, client = outsider
    for path in RESULTS:
        assert client.get(fill(path, setup)).status_code == 404, path


def test_outsiders_see_published_results(outsider, setup, catalogue):
    _kind, client = outsider
    rnd = SurveyRound.objects.get(pk=setup["round"])
    services.round_close(round=rnd, user=None)
    services.round_publish(round=rnd, index=rnd.survey.indices.get())
    for path in RESULTS + ["/enkat/"]:
        assert client.get(fill(path, setup)).status_code == 200, path


@pytest.fixture(params=["coordinator", "admin"])
def manager(request, client, coordinator, admin):
    client.force_login(coordinator if request.param == "coordinator" else admin)
    return client


def test_coordinator_and_admin_manage(manager, setup, mailoutbox):
    for path in MANAGE_GET:
        assert manager.get(fill(path, setup)).status_code == 200, path
    # results of an open round are not shown even to the coordinator (nothing final yet)
    assert manager.get(fill(RESULTS[0], setup)).status_code == 404
    assert manager.post(fill("/enkat/hantera/omgang/{round}/paminn/", setup)).status_code == 302
    assert len(mailoutbox) == 3  # the three who have not submitted
    assert manager.post(fill("/enkat/hantera/omgang/{round}/stang/", setup)).status_code == 302
    assert not SurveyRound.objects.get(pk=setup["round"]).is_open
    # closed, unpublished: the coordinator may preview
    page = manager.get(fill(RESULTS[0], setup))
    assert page.status_code == 200 and "Förhandsvisning" in page.content.decode()
    r = manager.post(
        fill("/enkat/hantera/svar/{response}/", setup),
        {"fraga": "styrdokument", "svar": "delvis", "skal": "Rättat efter samtal"},
    )
    assert r.status_code == 302
    assert Response.objects.get().answers["styrdokument"] == "delvis"
    r = manager.post(
        fill("/enkat/hantera/svar/{response}/", setup),
        {"fraga": "styrdokument", "svar": "nej", "skal": ""},
    )
    assert r.status_code == 400 and "skäl" in r.content.decode()
    assert Response.objects.get().answers["styrdokument"] == "delvis"


def test_wrong_and_expired_links(client, setup, coordinator):
    assert client.get("/enkat/svar/fel/").status_code == 404
    # a link stays tied to its round: after closing it shows the frozen answers only
    rnd = SurveyRound.objects.get(pk=setup["round"])
    services.round_close(round=rnd, user=coordinator)
    page = client.get(f"/enkat/svar/{setup['token']}/")
    assert page.status_code == 200 and "låsta" in page.content.decode()
    assert client.post(f"/enkat/svar/{setup['token']}/", {"spara": "1"}).status_code == 409
    # a deleted round's links are gone
    rnd.delete()
    assert client.get(f"/enkat/svar/{setup['token']}/").status_code == 404


def test_upload_with_errors_reports_lines_and_saves_nothing(client, coordinator, db):
    client.force_login(coordinator)
    bad = SURVEY_FILE.read_text(encoding="utf-8").replace("type: yes_no", "type: jaja", 1)
    upload = SimpleUploadedFile("trasig.yaml", bad.encode())
    r = client.post("/enkat/hantera/", {"fil": upload})
    assert r.status_code == 400
    text = r.content.decode()
    assert "trasig.yaml rad" in text and "Inget har sparats" in text
    from lagesbild.surveys.models import Survey

    assert not Survey.objects.exists()


def test_admin_pages_are_read_only(client, admin, setup, reporter_polisen):
    pages = [
        "/admin/surveys/survey/",
        "/admin/surveys/compositeindex/",
        "/admin/surveys/surveyround/",
        "/admin/surveys/responserevision/",
    ]
    for path in pages:
        assert client.get(path).status_code == 302  # anonymous → login
    client.force_login(reporter_polisen)
    for path in pages:
        assert client.get(path).status_code == 302  # not staff
    client.force_login(admin)
    for path in pages:
        assert client.get(path).status_code == 200
    assert client.get("/admin/surveys/surveyround/add/").status_code == 403
