"""A coordinator membership opens /admin/ for configuration; removing it closes it again."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from lagesbild.core.models import Membership, Organisation, Role
from lagesbild.core.services import COORDINATOR_GROUP, membership_delete, membership_set


def _org() -> Organisation:
    return Organisation.objects.get_or_create(
        key="lansstyrelsen", defaults={"name": "Länsstyrelsen Stockholm", "kind": "state_agency"}
    )[0]


def _perms(user: User) -> set[str]:
    return User.objects.get(pk=user.pk).get_all_permissions()


def test_coordinator_membership_gives_staff_and_configuration_permissions(db):
    user = User.objects.create_user("ny-samordnare", "s@example.org", "x")
    assert not user.is_staff
    membership_set(user=user, organisation=_org(), role=Role.COORDINATOR)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=COORDINATOR_GROUP).exists()
    perms = _perms(user)
    for app_model in (
        "strategy.measure",
        "strategy.goal",
        "strategy.developmentarea",  # edited inline on the action plan
        "indicators.indicator",
        "core.organisation",
        "directory.supportservice",
        "statusreport.reporttext",
        "reporting.reportinground",
        "reporting.reportingdelegate",
    ):
        app, model = app_model.split(".")
        for action in ("view", "add", "change"):
            assert f"{app}.{action}_{model}" in perms, (action, app_model)
    assert "surveys.view_survey" in perms
    # Figures, provenance and roles are visible, not editable; nothing may be deleted;
    # users and groups are not the coordinator's.
    assert "indicators.view_observation" in perms
    assert "indicators.change_observation" not in perms
    assert "indicators.add_importrun" not in perms
    assert "core.change_membership" not in perms
    assert not any(p.split(".")[1].startswith("delete_") for p in perms)
    assert not any(p.startswith("auth.") for p in perms)


def test_changing_or_removing_the_coordinator_membership_takes_staff_away(db):
    user = User.objects.create_user("ny-samordnare", "s@example.org", "x")
    membership_set(user=user, organisation=_org(), role=Role.COORDINATOR)
    membership_set(user=user, organisation=_org(), role=Role.REPORTER)
    user.refresh_from_db()
    assert not user.is_staff and _perms(user) == set()

    membership = membership_set(user=user, organisation=_org(), role=Role.COORDINATOR)
    user.refresh_from_db()
    assert user.is_staff
    membership_delete(membership=membership)
    user.refresh_from_db()
    assert not user.is_staff and _perms(user) == set()
    assert not Membership.objects.filter(user=user).exists()


def test_a_reporter_membership_leaves_staff_set_by_hand_alone(db):
    user = User.objects.create_user("utvecklare", "u@example.org", "x", is_staff=True)
    membership_set(user=user, organisation=_org(), role=Role.REPORTER)
    user.refresh_from_db()
    assert user.is_staff


def test_memberships_made_and_removed_in_the_admin_follow_the_role(db, admin):
    user = User.objects.create_user("ny-samordnare", "s@example.org", "x")
    client = Client()
    client.force_login(admin)
    r = client.post(
        "/admin/core/membership/add/",
        {"user": user.pk, "organisation": _org().pk, "role": Role.COORDINATOR},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    user.refresh_from_db()
    assert user.is_staff and "strategy.change_measure" in _perms(user)

    membership = Membership.objects.get(user=user)
    r = client.post(f"/admin/core/membership/{membership.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert not user.is_staff and _perms(user) == set()


def test_coordinator_reaches_the_admin_and_a_reporter_does_not(db, coordinator, reporter_polisen):
    client = Client()
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/strategy/measure/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403

    client.force_login(reporter_polisen)
    r = client.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/login/")
