"""Reminders: one e-mail per person per run, listing all of that person's unsubmitted work."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from lagesbild.core.models import Membership, Role
from lagesbild.reporting.access import UNSUBMITTED_STATES
from lagesbild.reporting.models import ReportingDelegate, ReportingRound, Submission


@dataclass
class Reminder:
    user: User
    submissions: list[Submission]


def reminders_due(*, today: dt.date, days: int) -> list[Reminder]:
    """People with unsubmitted work in open rounds that close within `days` days from today."""
    rounds = ReportingRound.objects.filter(
        closed=False,
        opens_on__lte=today,
        closes_on__gte=today,
        closes_on__lte=today + dt.timedelta(days=days),
    )
    subs = (
        Submission.objects.filter(round__in=rounds, state__in=UNSUBMITTED_STATES)
        .select_related("round", "measure", "organisation")
        .order_by("round__year", "measure__sort_key", "organisation__name")
    )
    reporters_of: dict[int, set[int]] = defaultdict(set)  # organisation → organisations reporting
    for d in ReportingDelegate.objects.all():
        reporters_of[d.organisation_id].add(d.delegate_id)
    members: dict[int, list[User]] = defaultdict(list)
    for m in Membership.objects.filter(role=Role.REPORTER, user__is_active=True).select_related(
        "user"
    ):
        if m.user.email:
            members[m.organisation_id].append(m.user)
    per_user: dict[int, Reminder] = {}
    for sub in subs:
        for org_id in {sub.organisation_id, *reporters_of[sub.organisation_id]}:
            for user in members[org_id]:
                per_user.setdefault(user.pk, Reminder(user, [])).submissions.append(sub)
    return sorted(per_user.values(), key=lambda r: r.user.username)


def reminders_send(*, today: dt.date, days: int, base_url: str = "", dry_run: bool = False) -> int:
    reminders = reminders_due(today=today, days=days)
    if dry_run:
        return len(reminders)
    messages = []
    for r in reminders:
        body = render_to_string(
            "reporting/reminder_email.txt",
            {"user": r.user, "submissions": r.submissions, "today": today, "base_url": base_url},
        )
        closes = min(s.round.closes_on for s in r.submissions)
        n = len(r.submissions)
        subject = ngettext(
            "Påminnelse: %(n)s inrapportering ska skickas in senast %(date)s",
            "Påminnelse: %(n)s inrapporteringar ska skickas in senast %(date)s",
            n,
        ) % {"n": n, "date": f"{closes:%Y-%m-%d}"}
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [r.user.email]))
    with get_connection() as connection:
        connection.send_messages(messages)
    return len(messages)
