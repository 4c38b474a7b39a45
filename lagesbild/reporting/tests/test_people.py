"""The coordinator's people pages: invite → set password → log in; memberships; deactivation;
every change audited."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from lagesbild.core.models import Membership, Organisation
from lagesbild.reporting.models import PeopleEvent
from lagesbild.reporting.tests.conftest import logged_in


def test_invited_user_sets_a_password_and_logs_in(
    world, coordinator, django_capture_on_commit_callbacks
):
    client = logged_in(coordinator)
    assert "Bjud in en person" in client.get("/rapportering/personer/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/rapportering/personer/bjud-in/",
            {
                "email": "Ny.Rapportor@Example.org",
                "first_name": "Ny",
                "last_name": "Rapportör",
                "organisation": world.kriminalvarden.pk,
                "role": "reporter",
                "language": "sv",
            },
        )
    assert r.status_code == 302
    user = User.objects.get(email="ny.rapportor@example.org")
    assert not user.has_usable_password() and user.is_active
    assert user.membership.organisation == world.kriminalvarden
    assert user.membership.role == "reporter"
    event = PeopleEvent.objects.get(user=user)
    assert (event.action, event.actor) == ("invited", coordinator)
    assert user.membership.history.first().history_user == coordinator

    (msg,) = mail.outbox
    assert msg.to == ["ny.rapportor@example.org"]
    assert msg.subject == "Inbjudan till Lägesbild"
    link = re.search(r"http://testserver(/konto/losenord/\S+/)", msg.body).group(1)

    visitor = Client()
    r = visitor.get(link, follow=True)
    assert r.status_code == 200
    set_url = r.redirect_chain[-1][0]
    r = visitor.post(
        set_url,
        {"new_password1": "ett långt nytt lösenord", "new_password2": "ett långt nytt lösenord"},
    )
    assert r.status_code == 302
    # the link works once
    assert 'name="new_password1"' not in Client().get(link, follow=True).content.decode()
    r = visitor.post(
        "/konto/logga-in/",
        {"username": "ny.rapportor@example.org", "password": "ett långt nytt lösenord"},
    )
    assert r.status_code == 302 and r["Location"] == "/rapportering/"
    page = visitor.get("/rapportering/2026/").content.decode()
    assert f"/rapportering/2026/{world.sub.pk}/" in page  # Kriminalvården's submission


def test_an_address_in_use_is_refused(world, coordinator, reporter_kriminalvarden):
    r = logged_in(coordinator).post(
        "/rapportering/personer/bjud-in/",
        {
            "email": "kriminalvarden@example.org",
            "organisation": world.kriminalvarden.pk,
            "role": "reporter",
            "language": "sv",
        },
    )
    assert r.status_code == 400
    assert "Det finns redan ett konto" in r.content.decode()


def test_membership_change_removal_and_deactivation_are_audited(
    world, coordinator, reporter_polisen
):
    client = logged_in(coordinator)
    url = f"/rapportering/personer/{reporter_polisen.pk}/"
    assert "Polismyndigheten" in client.get(url).content.decode()
    krim = Organisation.objects.get(key="kriminalvarden")
    assert (
        client.post(
            url, {"action": "medlemskap", "organisation": krim.pk, "role": "reporter"}
        ).status_code
        == 302
    )
    assert Membership.objects.get(user=reporter_polisen).organisation == krim
    assert client.post(url, {"action": "ta-bort-medlemskap"}).status_code == 302
    assert not Membership.objects.filter(user=reporter_polisen).exists()
    assert client.post(url, {"action": "avaktivera", "reason": "Slutat"}).status_code == 302
    reporter_polisen.refresh_from_db()
    assert not reporter_polisen.is_active
    actions = list(
        PeopleEvent.objects.filter(user=reporter_polisen)
        .order_by("at", "pk")
        .values_list("action", "actor__username", "detail")
    )
    assert actions == [
        ("membership_set", "samordnare", "Kriminalvården, Rapportör"),
        ("membership_removed", "samordnare", "Kriminalvården, Rapportör"),
        ("deactivated", "samordnare", "Slutat"),
    ]
    page = client.get(url).content.decode()
    assert "Avaktiverad" in page and "Slutat" in page
    # a deactivated user cannot log in
    r = Client().post("/konto/logga-in/", {"username": "polisen", "password": "lösenord-för-test"})
    assert r.status_code == 200
    assert client.post(url, {"action": "aktivera"}).status_code == 302
    reporter_polisen.refresh_from_db()
    assert reporter_polisen.is_active


def test_coordinator_cannot_deactivate_themselves(world, coordinator):
    client = logged_in(coordinator)
    r = client.post(
        f"/rapportering/personer/{coordinator.pk}/", {"action": "avaktivera"}, follow=True
    )
    assert "Du kan inte avaktivera ditt eget konto." in r.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_reporters_cannot_change_people(world, reporter_kriminalvarden, reporter_polisen):
    client = logged_in(reporter_kriminalvarden)
    url = f"/rapportering/personer/{reporter_polisen.pk}/"
    assert client.post(url, {"action": "avaktivera"}).status_code == 403
    assert (
        client.post("/rapportering/personer/bjud-in/", {"email": "x@example.org"}).status_code
        == 403
    )
    reporter_polisen.refresh_from_db()
    assert reporter_polisen.is_active


def test_the_invitation_can_be_sent_again_in_english(
    world, coordinator, django_capture_on_commit_callbacks
):
    client = logged_in(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/rapportering/personer/bjud-in/",
            {
                "email": "guest@example.org",
                "organisation": world.polisen.pk,
                "role": "reporter",
                "language": "en",
            },
        )
    user = User.objects.get(email="guest@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/rapportering/personer/{user.pk}/", {"action": "skicka-inbjudan"})
    assert r.status_code == 302
    assert [m.subject for m in mail.outbox] == ["Invitation to Lägesbild"] * 2
    assert "Polismyndigheten" in mail.outbox[1].body and "/konto/losenord/" in mail.outbox[1].body
