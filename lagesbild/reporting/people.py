"""Writes on people: the coordinator invites users, sets and removes memberships and
deactivates accounts on Lägesbild's own pages. Every change is written as a PeopleEvent (who,
when, what); memberships also keep their django-simple-history with the acting user.

An invited user gets an unusable password and an e-mail with a set-password link made with
Django's default token generator (the same link as "Glömt lösenordet?"); the link stops
working once the password is set. The invitation is sent by a background task after the commit.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from lagesbild.core.models import Membership, Organisation
from lagesbild.core.services import membership_access_sync
from lagesbild.reporting.models import NotificationSettings, PeopleEvent
from lagesbild.reporting.notifications import base_url, email_render
from lagesbild.reporting.services import ReportingError
from lagesbild.reporting.tasks import email_send, enqueue_after_commit


def _event(*, actor, user, action: str, detail: str = "") -> PeopleEvent:
    return PeopleEvent.objects.create(actor=actor, user=user, action=action, detail=detail)


def set_password_link(user: User, base: str = "") -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{(base or base_url()).rstrip('/')}{path}"


@transaction.atomic
def person_invite(
    *,
    actor,
    email: str,
    first_name: str = "",
    last_name: str = "",
    organisation: Organisation,
    role: str,
    language: str = "sv",
    base: str = "",
) -> User:
    """Create the account (user name = the e-mail address), its membership, and send the
    invitation after the commit. An address already in use is refused."""
    email = email.strip().lower()
    if not email:
        raise ReportingError(_("Ange en e-postadress."))
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ReportingError(
            _("Det finns redan ett konto med e-postadressen %(e)s.") % {"e": email}
        )
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    NotificationSettings.objects.create(user=user, language=language)
    membership_set_by(actor=actor, user=user, organisation=organisation, role=role, event=False)
    _event(
        actor=actor,
        user=user,
        action=PeopleEvent.Action.INVITED,
        detail=_("%(org)s, %(role)s, %(email)s")
        % {
            "org": organisation.name,
            "role": Membership(role=role).get_role_display(),
            "email": email,
        },
    )
    invitation_send(actor=actor, user=user, base=base)
    return user


@transaction.atomic
def membership_set_by(
    *, actor, user: User, organisation: Organisation, role: str, event: bool = True
) -> Membership:
    """Give the user this organisation and role (one membership per user), audited."""
    membership = Membership.objects.filter(user=user).first() or Membership(user=user)
    membership.organisation = organisation
    membership.role = role
    membership._history_user = actor
    membership._change_reason = _("Ändrat på sidan Personer")
    membership.save()
    membership_access_sync(user=user)
    if event:
        _event(
            actor=actor,
            user=user,
            action=PeopleEvent.Action.MEMBERSHIP_SET,
            detail=f"{organisation.name}, {membership.get_role_display()}",
        )
    return membership


@transaction.atomic
def membership_remove_by(*, actor, user: User) -> None:
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    if membership is None:
        raise ReportingError(_("Användaren har inget medlemskap."))
    detail = f"{membership.organisation.name}, {membership.get_role_display()}"
    membership._history_user = actor
    membership._change_reason = _("Borttaget på sidan Personer")
    membership.delete()
    membership_access_sync(user=user)
    _event(actor=actor, user=user, action=PeopleEvent.Action.MEMBERSHIP_REMOVED, detail=detail)


@transaction.atomic
def person_set_active(*, actor, user: User, active: bool, reason: str = "") -> None:
    """Deactivate (or reactivate) an account. Nobody deactivates themselves."""
    if user.pk == actor.pk and not active:
        raise ReportingError(_("Du kan inte avaktivera ditt eget konto."))
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    _event(
        actor=actor,
        user=user,
        action=PeopleEvent.Action.REACTIVATED if active else PeopleEvent.Action.DEACTIVATED,
        detail=reason.strip(),
    )


@transaction.atomic
def notification_settings_set(*, user: User, language: str, kinds: dict[str, bool]) -> None:
    prefs, _created = NotificationSettings.objects.get_or_create(user=user)
    prefs.language = language
    prefs.kinds = {k: bool(v) for k, v in kinds.items()}
    prefs.save()
    on = ", ".join(k for k, v in sorted(kinds.items()) if v) or "–"
    _event(actor=user, user=user, action=PeopleEvent.Action.SETTINGS, detail=f"{language}; {on}")


def invitation_send(*, actor, user: User, base: str = "") -> None:
    """Send (again) the invitation with a fresh set-password link, from the queue."""
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    subject, body = email_render(
        user=user,
        name="invitation",
        context={
            "link": set_password_link(user, base),
            "inviter": actor.get_full_name() or actor.get_username(),
            "organisation": membership.organisation if membership else None,
            **({"base_url": base.rstrip("/")} if base else {}),
        },
    )
    enqueue_after_commit(email_send, subject, body, [user.email])
