"""Login, throttling (django-axes), password reset by e-mail, optional OIDC, reminders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from lagesbild.reporting.oidc import BACKEND, apply, oidc_settings

PASSWORD = "lösenord-för-test"


def test_login_page_is_swedish_and_logs_in(reporter_kriminalvarden):
    client = Client()
    body = client.get("/konto/logga-in/").content.decode()
    assert "<h1>Logga in</h1>" in body and 'for="id_password">Lösenord' in body
    r = client.post("/konto/logga-in/", {"username": "kriminalvarden", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/rapportering/"
    assert client.get("/rapportering/").status_code == 200
    r = client.post("/konto/logga-ut/")
    assert r.status_code == 302
    assert client.get("/rapportering/").status_code == 302


def test_wrong_password_gives_a_swedish_error(reporter_kriminalvarden):
    r = Client().post("/konto/logga-in/", {"username": "kriminalvarden", "password": "fel"})
    assert r.status_code == 200
    assert "Fel användarnamn eller lösenord" in r.content.decode()


def test_sixth_failed_login_is_refused_even_with_the_right_password(reporter_kriminalvarden):
    client = Client()
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [
        client.post(
            "/konto/logga-in/", {"username": "kriminalvarden", "password": "fel"}
        ).status_code
        for _ in range(5)
    ]
    # Four ordinary failures; the fifth reaches the limit and the lockout page says so.
    assert statuses == [200, 200, 200, 200, 429]
    r = client.post("/konto/logga-in/", {"username": "kriminalvarden", "password": PASSWORD})
    assert r.status_code == 429
    assert "Inloggningen är spärrad" in r.content.decode()
    assert client.get("/rapportering/").status_code == 302  # not logged in


def test_password_reset_by_email_in_swedish(reporter_kriminalvarden):
    client = Client()
    assert "Återställ lösenordet" in client.get("/konto/losenord/").content.decode()
    r = client.post("/konto/losenord/", {"email": "kriminalvarden@example.org"})
    assert r.status_code == 302 and r["Location"] == "/konto/losenord/skickat/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt lösenord till Lägesbild"
    assert "Välj ett nytt lösenord" in message.body
    link = next(line for line in message.body.splitlines() if "/konto/losenord/" in line)
    path = link.split("testserver", 1)[1]
    r = client.get(path, follow=True)
    assert "Välj nytt lösenord" in r.content.decode()
    form_url = r.redirect_chain[-1][0]
    r = client.post(
        form_url,
        {"new_password1": "ett-nytt-langt-losen-42", "new_password2": "ett-nytt-langt-losen-42"},
    )
    assert r.status_code == 302 and r["Location"] == "/konto/losenord/klart/"
    reporter_kriminalvarden.refresh_from_db()
    assert reporter_kriminalvarden.check_password("ett-nytt-langt-losen-42")


OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "lagesbild",
    "OIDC_RP_CLIENT_SECRET": "hemlig",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.org/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.org/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.org/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.org/jwks",
}


def test_oidc_is_off_by_default(db):
    assert oidc_settings({}) == {"OIDC_ENABLED": False}
    assert settings.OIDC_ENABLED is False
    assert "mozilla_django_oidc" not in settings.INSTALLED_APPS
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS
    assert "OpenID Connect" not in Client().get("/konto/logga-in/").content.decode()


def test_oidc_is_on_when_the_environment_says_so():
    values = oidc_settings(OIDC_ENV)
    assert values["OIDC_ENABLED"] is True
    assert values["OIDC_RP_CLIENT_ID"] == "lagesbild"
    assert values["OIDC_OP_TOKEN_ENDPOINT"] == "https://idp.example.org/token"
    assert values["OIDC_CREATE_USER"] is False
    namespace = {"INSTALLED_APPS": ["a"], "AUTHENTICATION_BACKENDS": ["b"]}
    apply(namespace, OIDC_ENV)
    assert namespace["INSTALLED_APPS"] == ["a", "mozilla_django_oidc"]
    assert namespace["AUTHENTICATION_BACKENDS"] == ["b", BACKEND]
    from lagesbild.reporting.oidc_backend import MembershipOIDCBackend  # importable

    assert MembershipOIDCBackend


def test_oidc_half_configured_is_an_error():
    env = dict(OIDC_ENV)
    del env["OIDC_OP_JWKS_ENDPOINT"]
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_JWKS_ENDPOINT"):
        oidc_settings(env)


# ---------------------------------------------------------------- reminders


def test_reminders_one_email_per_person_listing_all_their_work(world, django_user_model):
    from lagesbild.core.models import Membership
    from lagesbild.reporting.services import round_open

    # A second round-worth of work for Kriminalvården: 2.9 (end of plan) requested in 2027 too.
    extra = django_user_model.objects.create_user("krim2", "krim2@example.org", "x")
    Membership.objects.create(user=extra, organisation=world.kriminalvarden, role="reporter")
    storsthlm = django_user_model.objects.create_user("storsthlm", "s@example.org", "x")
    Membership.objects.create(user=storsthlm, organisation=world.storsthlm, role="reporter")
    world.round.delete()
    round_open(
        year=2027,
        plan=world.plan,
        opens_on=dt.date(2027, 11, 1),
        closes_on=dt.date(2028, 1, 31),
    )
    mail.outbox.clear()
    call_command("remind", "--days", "10", "--date", "2028-01-25", stdout=open("/dev/null", "w"))
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Kriminalvården has two submissions (2.10, 2.9): still one e-mail per person.
    assert recipients == [
        "krim2@example.org",
        "kriminalvarden@example.org",
        "polisen@example.org",
        "s@example.org",  # Storsthlm reports for Länets kommuner (2.9)
    ]
    krim = next(m for m in mail.outbox if m.to == ["kriminalvarden@example.org"])
    assert "Åtgärd 2.10" in krim.body and "Åtgärd 2.9" in krim.body
    assert krim.subject.startswith("Påminnelse: 2 inrapporteringar")
    assert "samordnare" not in " ".join(recipients)


def test_no_reminders_too_early_or_for_submitted_work(world, reporter_kriminalvarden):
    from lagesbild.reporting.models import Submission

    mail.outbox.clear()
    call_command("remind", "--days", "7", "--date", "2026-12-01", stdout=open("/dev/null", "w"))
    assert mail.outbox == []
    Submission.objects.filter(pk=world.sub.pk).update(state="inskickad")
    call_command("remind", "--days", "7", "--date", "2027-01-28", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [["polisen@example.org"]]


def test_reminder_subject_is_singular_for_one_submission(world, reporter_kriminalvarden):
    mail.outbox.clear()
    call_command("remind", "--days", "7", "--date", "2027-01-28", stdout=open("/dev/null", "w"))
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["kriminalvarden@example.org"] == (
        "Påminnelse: 1 inrapportering ska skickas in senast 2027-01-31"
    )
    out = io.StringIO()
    call_command("remind", "--days", "7", "--date", "2027-01-28", "--dry-run", stdout=out)
    assert "kriminalvarden@example.org: 1 inrapportering\n" in out.getvalue()
