"""`lagesbild demo`: the closed 2025 round, the open 2026 round, and the demo users."""

from __future__ import annotations

import io

from django.contrib.auth.models import User
from django.core.management import call_command

from lagesbild.reporting.demo import DEMO_USERS
from lagesbild.reporting.models import ReportingRound

NAMES = [
    "samordnare",
    "polisen",
    "aklagarmyndigheten",
    "kriminalvarden",
    "region-stockholm",
    "forsakringskassan",
    "arbetsformedlingen",
    "lansstyrelsen",
    "storsthlm",
    "stockholms-stad",
]


def test_demo_rounds_and_users(db, monkeypatch):
    assert not User.objects.exists()  # no demo users without the demo
    monkeypatch.setenv("LAGESBILD_DEMO_PASSWORD", "första-lösenordet")
    call_command("demo", stdout=io.StringIO())
    assert sorted(DEMO_USERS) == sorted(NAMES)
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(NAMES)
    coordinator = User.objects.get(username="samordnare")
    assert coordinator.membership.role == "coordinator"
    assert coordinator.membership.organisation.key == "lansstyrelsen"
    for name in NAMES[1:]:
        assert User.objects.get(username=name).membership.role == "reporter"
    assert User.objects.get(username="kriminalvarden").check_password("första-lösenordet")

    closed = ReportingRound.objects.get(year=2025)
    assert closed.closed and closed.submissions.filter(state="godkand").count() == 42
    assert closed.submissions.exclude(state="godkand").count() == 0
    open_ = ReportingRound.objects.get(year=2026)
    assert not open_.closed
    assert open_.submissions.count() > 0
    assert set(open_.submissions.values_list("state", flat=True)) == {"utkast"}
    assert open_.submissions.exclude(narrative_source="").count() == 3
    assert not open_.submissions.filter(measure__frequency="end_of_plan").exists()
    # The municipalities are asked about the support register too (Stockholms stad has an
    # account), without a measure.
    assert open_.include_directory
    register = open_.submissions.filter(kind="directory")
    assert list(register.values_list("organisation__key", "measure")) == [("stockholms-stad", None)]

    # Every run sets the passwords again; a random one is printed when none is given.
    User.objects.filter(username="polisen").update(is_active=False)
    monkeypatch.delenv("LAGESBILD_DEMO_PASSWORD")
    out = io.StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue().split("har lösenordet: ")[1].split()[0]
    polisen = User.objects.get(username="polisen")
    assert polisen.is_active and polisen.check_password(printed)
    assert not polisen.check_password("första-lösenordet")
    assert ReportingRound.objects.get(year=2026).submissions.count() == open_.submissions.count()


def test_demo_coordinator_logs_in_to_the_admin(stockholm, monkeypatch):
    """The README sends the coordinator to /admin/ for configuration: that must work."""
    from django.test import Client

    from lagesbild.reporting.demo import demo_users_load

    monkeypatch.setenv("LAGESBILD_DEMO_PASSWORD", "demo-lösenord")
    demo_users_load(io.StringIO())
    demo_users_load(io.StringIO())  # run again, as `lagesbild demo` may be

    client = Client()
    r = client.post("/konto/logga-in/", {"username": "samordnare", "password": "demo-lösenord"})
    assert r.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/strategy/measure/").status_code == 200
    measure = client.get("/admin/strategy/measure/").content.decode()
    assert "1.6" in measure

    reporter = Client()
    r = reporter.post("/konto/logga-in/", {"username": "polisen", "password": "demo-lösenord"})
    assert r.status_code == 302
    r = reporter.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/login/")
    assert reporter.get("/admin/strategy/measure/").status_code == 302
