"""Every role against every reporting view and every API endpoint."""

from __future__ import annotations

import pytest
from django.test import Client

from lagesbild.reporting import services
from lagesbild.reporting.tests.conftest import logged_in

ROLES = ["anonymous", "coordinator", "owner", "other_reporter", "admin", "no_role"]


def _client_for(role: str, users, django_user_model) -> Client:
    """A client logged in as ``role``: anonymous, a user without a role, or ``users()[role]``."""
    if role == "anonymous":
        return Client()
    if role == "no_role":
        user = django_user_model.objects.create_user("utan-roll", "u@example.org", "x")
        return logged_in(user)
    return logged_in(users()[role])


@pytest.fixture
def as_role(world, request, django_user_model):
    fixtures = {
        "coordinator": "coordinator",
        "owner": "reporter_kriminalvarden",
        "other_reporter": "reporter_polisen",
        "admin": "admin",
    }

    def users():
        return {role: request.getfixturevalue(name) for role, name in fixtures.items()}

    return lambda role: _client_for(role, users, django_user_model)


def _urls(world):
    pk = world.sub.pk
    return {
        "index": ("get", "/rapportering/"),
        "round": ("get", "/rapportering/2026/"),
        "workbook": ("get", "/rapportering/2026/mall.xlsx"),
        "upload": ("get", "/rapportering/2026/ladda-upp/"),
        "overview": ("get", "/rapportering/2026/oversikt/"),
        "round_open": ("get", "/rapportering/ny-omgang/"),
        "round_close": ("post", "/rapportering/2026/stang/"),
        "submission": ("get", f"/rapportering/2026/{pk}/"),
        "submission_save": ("post", f"/rapportering/2026/{pk}/"),
        "audit": ("get", f"/rapportering/2026/{pk}/historik/"),
        "comment": ("post", f"/rapportering/2026/{pk}/kommentar/"),
        "transition": ("post", f"/rapportering/2026/{pk}/overgang/skicka-in/"),
        "round_close_page": ("get", "/rapportering/2026/stang/"),
        "approve_page": ("get", f"/rapportering/2026/{pk}/godkann/"),
        "approve_many": ("post", "/rapportering/2026/godkann-flera/"),
        "submit_all": ("post", "/rapportering/2026/skicka-in-alla/"),
        "reminders_schedule": ("post", "/rapportering/2026/paminnelse/"),
        "settings": ("get", "/rapportering/installningar/"),
        "people": ("get", "/rapportering/personer/"),
        "person_invite": ("get", "/rapportering/personer/bjud-in/"),
        "person": ("get", f"/rapportering/personer/{_user_pk('kriminalvarden')}/"),
    }


def _user_pk(username: str) -> int:
    from django.contrib.auth.models import User

    return User.objects.get(username=username).pk


# What each POST of the matrix sends (the rest send nothing).
DATA = {
    "comment": {"text": "En kommentar"},
    "round_close": {"confirm": "ja"},
    "approve_many": {"submission": "1"},
}
COORDINATOR_ONLY_PAGE = {
    "coordinator": 200,
    "owner": 403,
    "other_reporter": 403,
    "admin": 200,
    "no_role": 403,
}
EVERY_REPORTING_ROLE = {
    "coordinator": 200,
    "owner": 200,
    "other_reporter": 200,
    "admin": 200,
    "no_role": 403,
}


# Expected status per (view, role). 302 for anonymous is the redirect to the login page.
EXPECTED = {
    "index": {
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 200,
        "admin": 200,
        "no_role": 403,
    },
    "round": {
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 200,
        "admin": 200,
        "no_role": 403,
    },
    "workbook": {
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 200,
        "admin": 200,
        "no_role": 403,
    },
    "upload": {
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 200,
        "admin": 200,
        "no_role": 403,
    },
    "overview": {
        "coordinator": 200,
        "owner": 403,
        "other_reporter": 403,
        "admin": 200,
        "no_role": 403,
    },
    "round_open": {
        "coordinator": 200,
        "owner": 403,
        "other_reporter": 403,
        "admin": 200,
        "no_role": 403,
    },
    # Closing: the coordinator's POST closes the round and goes back to the overview.
    "round_close": {
        "coordinator": 302,
        "owner": 403,
        "other_reporter": 403,
        "admin": 302,
        "no_role": 403,
    },
    "submission": {
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 404,
        "admin": 200,
        "no_role": 403,
    },
    "submission_save": {
        "coordinator": 400,
        "owner": 400,
        "other_reporter": 404,
        "admin": 400,
        "no_role": 403,
    },
    "audit": {
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 404,
        "admin": 200,
        "no_role": 403,
    },
    "comment": {
        "coordinator": 302,
        "owner": 302,
        "other_reporter": 404,
        "admin": 302,
        "no_role": 403,
    },
    # A draft that is not complete: the move is refused with a message (302 back to the page).
    "transition": {
        "coordinator": 302,
        "owner": 302,
        "other_reporter": 404,
        "admin": 302,
        "no_role": 403,
    },
    "round_close_page": COORDINATOR_ONLY_PAGE,
    # the approval's confirmation page is the coordinator's; a reporter learns nothing
    "approve_page": COORDINATOR_ONLY_PAGE,
    # nothing submitted to approve: back to the overview with a message
    "approve_many": {
        "coordinator": 302,
        "owner": 403,
        "other_reporter": 403,
        "admin": 302,
        "no_role": 403,
    },
    # each user's own drafts only; the page says what was and was not sent in
    "submit_all": EVERY_REPORTING_ROLE,
    "reminders_schedule": {
        "coordinator": 302,
        "owner": 403,
        "other_reporter": 403,
        "admin": 302,
        "no_role": 403,
    },
    "settings": EVERY_REPORTING_ROLE,
    "people": COORDINATOR_ONLY_PAGE,
    "person_invite": COORDINATOR_ONLY_PAGE,
    "person": COORDINATOR_ONLY_PAGE,
}


def _request_as(client, method, url, view, role, expected):
    """One cell of a role matrix: anonymous users are sent to the login page; every other role
    gets the status the matrix names."""
    data = DATA.get(view, {})
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/?next=")
    else:
        assert response.status_code == expected[view][role], (view, role)
    return response


@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(world, as_role, view, role):
    method, url = _urls(world)[view]
    _request_as(as_role(role), method, url, view, role, EXPECTED)
    if view == "round_close":
        world.round.refresh_from_db()
        assert world.round.closed == (EXPECTED[view].get(role) == 302), role


def test_other_reporter_never_sees_the_submission_in_lists(world, reporter_polisen):
    client = logged_in(reporter_polisen)
    body = client.get("/rapportering/2026/").content.decode()
    assert f"/rapportering/2026/{world.sub.pk}/" not in body
    assert f"/rapportering/2026/{world.police_sub.pk}/" in body
    assert client.get("/rapportering/").status_code == 200


def test_other_reporter_cannot_comment_or_move_even_by_guessing(world, reporter_polisen):
    client = logged_in(reporter_polisen)
    for action in services.TRANSITIONS:
        r = client.post(f"/rapportering/2026/{world.sub.pk}/overgang/{action}/", {"comment": "x"})
        assert r.status_code == 404
    assert world.sub.comments.count() == 0


def test_reporter_cannot_approve_own_submission_through_the_view(world, reporter_kriminalvarden):
    from lagesbild.reporting.tests.test_workflow import fill

    fill(world, reporter_kriminalvarden)
    client = logged_in(reporter_kriminalvarden)
    assert client.post(f"/rapportering/2026/{world.sub.pk}/overgang/skicka-in/").status_code == 302
    assert world.sub.state == "inskickad"
    r = client.post(f"/rapportering/2026/{world.sub.pk}/overgang/godkann/")
    assert r.status_code == 403
    assert world.sub.state == "inskickad"


def test_submission_in_another_year_url_is_404(world, reporter_kriminalvarden):
    client = logged_in(reporter_kriminalvarden)
    assert client.get(f"/rapportering/2025/{world.sub.pk}/").status_code == 404


API = ["/api/v1/goals", "/api/v1/measures", "/api/v1/indicators"]


@pytest.mark.parametrize("role", ROLES)
def test_api_never_shows_draft_or_submitted_values(world, as_role, role, reporter_kriminalvarden):
    from lagesbild.reporting.tests.test_workflow import fill

    fill(world, reporter_kriminalvarden, count="4711")
    services.submission_transition(
        submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
    )
    client = as_role(role)
    for url in API:
        assert client.get(url).status_code == 200
    for code in ("M2.10-antal", "M2.10-andel", "M2.10-skede"):
        r = client.get(f"/api/v1/indicators/{code}/observations")
        assert r.status_code == 200
        assert r.json() == []
    assert "4711" not in client.get("/indikator/M2.10-antal/").content.decode()


def test_coordinator_opens_a_round_through_the_page(world, coordinator):
    client = logged_in(coordinator)
    r = client.post(
        "/rapportering/ny-omgang/",
        {
            "year": 2027,
            "plan": world.plan.pk,
            "opens_on": "2027-11-01",
            "closes_on": "2028-01-31",
            "include_end_of_plan": "auto",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/rapportering/2027/"
    body = client.get("/rapportering/2027/oversikt/").content.decode()
    assert "2.9" in body and "Länets kommuner" in body


def test_overview_shows_state_and_days_left(world, coordinator):
    import datetime as dt

    from django.utils import timezone

    body = logged_in(coordinator).get("/rapportering/2026/oversikt/").content.decode()
    days = (dt.date(2027, 1, 31) - timezone.localdate()).days
    assert "Utkast" in body
    if days >= 0:
        assert f"{days} dagar kvar" in body or f"{days} dag kvar" in body
    else:
        assert "försenad" in body
    assert "Kriminalvården" in body and "Polismyndigheten" in body


def test_coordinator_closes_the_round_from_the_overview(world, coordinator):
    from django.utils import timezone

    client = logged_in(coordinator)
    body = client.get("/rapportering/2026/oversikt/").content.decode()
    assert 'href="/rapportering/2026/stang/"' in body and "Stäng omgången" in body
    # The confirmation page lists what is still missing; GET or a POST without the
    # confirmation closes nothing.
    page = client.get("/rapportering/2026/stang/")
    body = page.content.decode()
    assert page.status_code == 200 and "csrfmiddlewaretoken" in body
    assert 'name="confirm" value="ja"' in body
    assert "Kriminalvården" in body and "inte godkända" in body
    assert f"/rapportering/2026/{world.sub.pk}/" in body
    assert "Sista dag är 2027-01-31" in body or world.round.closes_on < timezone.localdate()
    assert client.post("/rapportering/2026/stang/").status_code == 200
    world.round.refresh_from_db()
    assert not world.round.closed

    r = client.post("/rapportering/2026/stang/", {"confirm": "ja"}, follow=True)
    assert r.redirect_chain == [("/rapportering/2026/oversikt/", 302)]
    body = r.content.decode()
    assert "Omgången 2026 är stängd." in body
    assert f"Omgången stängdes {timezone.localdate():%Y-%m-%d}." in body
    assert 'href="/rapportering/2026/stang/"' not in body and "Stäng omgången" not in body
    world.round.refresh_from_db()
    assert world.round.closed and world.round.closed_at is not None
    assert world.round.history.first().history_user == coordinator

    # Closing again is refused with a message, and changes nothing.
    closed_at = world.round.closed_at
    body = client.post("/rapportering/2026/stang/", {"confirm": "ja"}, follow=True).content.decode()
    assert "Omgången är redan stängd." in body
    world.round.refresh_from_db()
    assert world.round.closed_at == closed_at


def test_close_needs_the_csrf_token(world, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.post("/rapportering/2026/stang/", {"confirm": "ja"}).status_code == 403
    world.round.refresh_from_db()
    assert not world.round.closed


def test_after_closing_a_reporter_can_no_longer_save_or_submit(
    world, reporter_kriminalvarden, coordinator
):
    from lagesbild.reporting.tests.test_workflow import fill

    fill(world, reporter_kriminalvarden)  # complete, so submitting would otherwise succeed
    reporter = logged_in(reporter_kriminalvarden)
    sub = world.sub
    assert "Skicka in" in reporter.get(f"/rapportering/2026/{sub.pk}/").content.decode()

    close = logged_in(coordinator).post("/rapportering/2026/stang/", {"confirm": "ja"})
    assert close.status_code == 302
    page = reporter.get(f"/rapportering/2026/{sub.pk}/").content.decode()
    assert "Skicka in" not in page
    assert "Omgången stängdes" in reporter.get("/rapportering/2026/").content.decode()
    r = reporter.post(
        f"/rapportering/2026/{sub.pk}/",
        {"version": sub.version, "implementation_status": "pagaende", "narrative_source": "Nytt"},
    )
    assert r.status_code == 403
    assert reporter.post(f"/rapportering/2026/{sub.pk}/overgang/skicka-in/").status_code == 403
    sub.refresh_from_db()
    assert sub.state == "utkast" and sub.narrative_source != "Nytt"


# ---------------------------------------------------------------- support register submissions
# The same roles against a municipality's support register submission (directory_round):
# "owner" is Nacka kommun's reporter, "other_reporter" Stockholms stad's, who has a register
# submission of its own in the same round.


@pytest.fixture
def as_directory_role(directory_round, coordinator, admin, django_user_model):
    def users():
        return {
            "coordinator": coordinator,
            "owner": directory_round.reporter_nacka,
            "other_reporter": directory_round.reporter_stockholm,
            "admin": admin,
        }

    return lambda role: _client_for(role, users, django_user_model)


def _directory_urls(directory_round):
    pk = directory_round.sub(directory_round.nacka).pk
    base = f"/rapportering/2026/{pk}"
    return {
        "submission": ("get", f"{base}/"),
        "submission_save": ("post", f"{base}/"),
        "download_csv": ("get", f"{base}/stodregister.csv"),
        "download_xlsx": ("get", f"{base}/stodregister.xlsx"),
        "upload": ("post", f"{base}/stodregister/ladda-upp/"),
        "audit": ("get", f"{base}/historik/"),
        "comment": ("post", f"{base}/kommentar/"),
        "transition": ("post", f"{base}/overgang/skicka-in/"),
    }


_SEES = {"coordinator": 200, "owner": 200, "other_reporter": 404, "admin": 200, "no_role": 403}
DIRECTORY_EXPECTED = {
    "submission": _SEES,
    # A register submission is changed by uploading a file, not through the measure form.
    "submission_save": {**_SEES, "coordinator": 405, "owner": 405, "admin": 405},
    "download_csv": _SEES,
    "download_xlsx": _SEES,
    # Without a file the upload is refused (400) and nothing is stored.
    "upload": {**_SEES, "coordinator": 400, "owner": 400, "admin": 400},
    "audit": _SEES,
    "comment": {**_SEES, "coordinator": 302, "owner": 302, "admin": 302},
    # Nothing to change: a register submission may be sent in without a file.
    "transition": {**_SEES, "coordinator": 302, "owner": 302, "admin": 302},
}


@pytest.mark.parametrize("view", list(DIRECTORY_EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_directory_role_matrix(directory_round, as_directory_role, view, role):
    method, url = _directory_urls(directory_round)[view]
    response = _request_as(as_directory_role(role), method, url, view, role, DIRECTORY_EXPECTED)
    sub = directory_round.sub(directory_round.nacka)
    submitted = view == "transition" and DIRECTORY_EXPECTED[view].get(role) == 302
    assert sub.state == ("inskickad" if submitted else "utkast"), role
    assert sub.directory_rows == []
    if role == "other_reporter" and method == "get":
        assert "nacka" not in response.content.decode().lower()


def test_other_municipality_never_sees_the_register_submission(directory_round):
    d = directory_round
    client = logged_in(d.reporter_stockholm)
    body = client.get("/rapportering/2026/").content.decode()
    assert f"/rapportering/2026/{d.sub(d.nacka).pk}/" not in body
    assert f"/rapportering/2026/{d.sub(d.stockholm).pk}/" in body
    for action in services.TRANSITIONS:
        r = client.post(
            f"/rapportering/2026/{d.sub(d.nacka).pk}/overgang/{action}/", {"comment": "x"}
        )
        assert r.status_code == 404
    assert d.sub(d.nacka).comments.count() == 0
