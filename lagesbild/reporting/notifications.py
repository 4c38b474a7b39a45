"""E-mail about reporting: who is told what, in their language, unless they opted out.

Every message goes through `notification_send`: the recipient's NotificationSettings decide
whether they want the kind (`NOTIFICATIONS_ON_BY_DEFAULT`; the digest is asked for) and the
language (templates `reporting/email/<sv|en>/<kind>_subject.txt` and `<kind>.txt`). Each sent
message is logged as a SentNotification; for reminders and the digest the log's unique
(user, kind, day) makes them go out at most once per person and day, even when two runs
overlap. Sending happens in background tasks (tasks.py), enqueued after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from lagesbild.core.models import Membership, Role
from lagesbild.reporting.models import (
    ONCE_A_DAY,
    NotificationKind,
    NotificationSettings,
    ReportingDelegate,
    SentNotification,
)

EMAIL_LANGUAGES = ("sv", "en")


def notification_settings(user) -> NotificationSettings:
    """The user's settings (unsaved defaults when they never chose)."""
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user)


def coordinators() -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            role=Role.COORDINATOR, user__is_active=True
        ).select_related("user")
        if m.user.email
    ]


def organisation_contacts(organisation_ids: Iterable[int]) -> list[User]:
    """The reporters of these organisations and of the organisations that report for them."""
    ids = set(organisation_ids)
    ids |= set(
        ReportingDelegate.objects.filter(organisation_id__in=ids).values_list(
            "delegate_id", flat=True
        )
    )
    return [
        m.user
        for m in Membership.objects.filter(
            role=Role.REPORTER, user__is_active=True, organisation_id__in=ids
        )
        .select_related("user")
        .order_by("user__username")
        if m.user.email
    ]


def base_url() -> str:
    return getattr(settings, "LAGESBILD_BASE_URL", "").rstrip("/")


def email_render(*, user: User, name: str, context: dict) -> tuple[str, str]:
    """(subject, body) of e-mail ``name`` in the user's language (Swedish unless English)."""
    language = notification_settings(user).language
    language = language if language in EMAIL_LANGUAGES else "sv"
    context = {"user": user, "base_url": base_url(), **context}
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"reporting/email/{language}/{name}_subject.txt", context).split()
        )
        body = render_to_string(f"reporting/email/{language}/{name}.txt", context)
    return subject, body


def notification_send(*, user: User, kind: str, context: dict, day: dt.date | None = None) -> bool:
    """Send one e-mail of ``kind`` to ``user`` if they want it; True if it was sent."""
    if not user.is_active or not user.email:
        return False
    prefs = notification_settings(user)
    if not prefs.wants(kind):
        return False
    subject, body = email_render(user=user, name=kind, context=context)
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            SentNotification.objects.create(user=user, kind=kind, day=day, subject=subject[:300])
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    except IntegrityError:
        if kind in ONCE_A_DAY:
            return False  # already sent today
        raise
    return True


def notifications_send(*, users: Iterable[User], kind: str, context: dict) -> int:
    seen, n = set(), 0
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        n += notification_send(user=user, kind=kind, context=context)
    return n


def submission_notice(*, submission, kind: str, comment: str = "") -> int:
    """Submitted → the coordinators; returned (with the reason) or approved → the
    organisation's contacts."""
    context = {"submission": submission, "comment": comment}
    if kind == NotificationKind.SUBMITTED:
        users = coordinators()
    else:
        users = organisation_contacts([submission.organisation_id])
    if kind == NotificationKind.RETURNED:
        context["value_comments"] = list(
            submission.comments.filter(value__isnull=False)
            .select_related("value__indicator", "value__area")
            .order_by("-created_at")[:50]
        )
    return notifications_send(users=users, kind=kind, context=context)


def digest_send(*, now: dt.datetime | None = None) -> int:
    """The coordinators' daily summary (only to those who asked for it): what was sent in
    during the last day, and per open round how many wait for review and how many are late."""
    from lagesbild.reporting.models import ReportingRound, Submission, SubmissionState

    now = now or timezone.now()
    today = timezone.localdate(now)
    since = now - dt.timedelta(days=1)
    rounds = []
    for rnd in ReportingRound.objects.filter(closed=False).order_by("year"):
        subs = Submission.objects.filter(round=rnd)
        states = defaultdict(int)
        for state in subs.values_list("state", flat=True):
            states[state] += 1
        unsubmitted = states[SubmissionState.DRAFT] + states[SubmissionState.RETURNED]
        rounds.append(
            {
                "round": rnd,
                "to_review": states[SubmissionState.SUBMITTED],
                "late": unsubmitted if rnd.closes_on < today else 0,
                "unsubmitted": unsubmitted,
                "new": list(
                    subs.filter(submitted_at__gte=since, state=SubmissionState.SUBMITTED)
                    .select_related("measure", "organisation")
                    .order_by("measure__sort_key", "organisation__name")
                ),
            }
        )
    if not rounds:
        return 0
    n = 0
    for user in coordinators():
        n += notification_send(
            user=user,
            kind=NotificationKind.DIGEST,
            context={"rounds": rounds, "today": today},
            day=today,
        )
    return n
