"""Who may edit the status report: the coordinator (core.Membership.role == coordinator)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from lagesbild.core.models import Role


def is_coordinator(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    from lagesbild.core.models import Membership

    try:
        return user.membership.role == Role.COORDINATOR
    except Membership.DoesNotExist:
        return False


def coordinator_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied("Bara samordnaren kan redigera lägesrapporten.")
        return view(request, *args, **kwargs)

    return wrapped
