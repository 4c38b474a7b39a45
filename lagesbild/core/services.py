"""Writes in core: memberships, and the admin access that follows the coordinator role.

A coordinator edits the configuration in /admin/. Django's admin needs staff status and model
permissions, so a coordinator membership gives the user `is_staff` and the group "Samordnare"
(view, add and change on the configuration models; never delete, never users or groups).
Removing the membership, or changing its role, takes both away again.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from lagesbild.core.models import Membership, Organisation, Role

COORDINATOR_GROUP = "Samordnare"

# The apps whose admin pages are the coordinator's configuration.
CONFIGURATION_APPS = (
    "strategy",
    "indicators",
    "core",
    "directory",
    "surveys",
    "statusreport",
    "reporting",
)

# Visible in the admin but not edited there: roles (who gets staff status, like auth.Group),
# figures and their provenance (every figure goes through observation_upsert with an ImportRun).
VIEW_ONLY = {"core.membership", "indicators.observation", "indicators.importrun"}


def _configuration_models() -> list[type]:
    """The models with an admin page in CONFIGURATION_APPS, and the models of their inlines."""
    models: dict[str, type] = {}
    for label in CONFIGURATION_APPS:
        for model in apps.get_app_config(label).get_models():
            if not admin.site.is_registered(model):
                continue
            models[model._meta.label_lower] = model
            for inline in admin.site.get_model_admin(model).inlines:
                models[inline.model._meta.label_lower] = inline.model
    return list(models.values())


def _actions(model) -> tuple[str, ...]:
    return ("view",) if model._meta.label_lower in VIEW_ONLY else ("view", "add", "change")


def coordinator_group_sync() -> Group:
    """The group "Samordnare" with exactly its permissions (created or corrected)."""
    group, _created = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    content_types = ContentType.objects.get_for_models(
        *_configuration_models(), for_concrete_models=False
    )
    allowed = {
        (ct.pk, f"{action}_{model._meta.model_name}")
        for model, ct in content_types.items()
        for action in _actions(model)
    }
    candidates = Permission.objects.filter(content_type__in=content_types.values())
    group.permissions.set([p for p in candidates if (p.content_type_id, p.codename) in allowed])
    return group


def membership_access_sync(*, user) -> None:
    """Staff status and the group follow the user's role: granted to a coordinator, taken back
    when the coordinator membership is removed or changed (a superuser keeps staff status)."""
    role = Membership.objects.filter(user=user).values_list("role", flat=True).first()
    if role == Role.COORDINATOR:
        user.groups.add(coordinator_group_sync())
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return
    group = Group.objects.filter(name=COORDINATOR_GROUP).first()
    if group is None or not user.groups.filter(pk=group.pk).exists():
        return  # the staff status, if any, was not given by a coordinator membership
    user.groups.remove(group)
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


@transaction.atomic
def membership_set(*, user, organisation: Organisation, role: str) -> Membership:
    """Give the user this organisation and role (one membership per user)."""
    membership, _created = Membership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    membership_access_sync(user=user)
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    user = membership.user
    membership.delete()
    membership_access_sync(user=user)
