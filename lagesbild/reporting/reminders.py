"""Reminders: one e-mail per person and day, listing all of that person's unsubmitted work.

Sent by `lagesbild remind` (cron) or by a task the coordinator schedules on the round's page.
A person who turned reminders off gets none; a second run on the same day sends nothing to a
person who already got one (see notifications.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User

from lagesbild.core.models import Membership, Role
from lagesbild.reporting.access import UNSUBMITTED_STATES
from lagesbild.reporting.models import (
    NotificationKind,
    ReportingDelegate,
    ReportingRound,
    Submission,
)
from lagesbild.reporting.notifications import notification_send


@dataclass
class Reminder:
    user: User
    submissions: list[Submission]


def reminders_due(
    *, today: dt.date, days: int | None = None, round: ReportingRound | None = None
) -> list[Reminder]:
    """People with unsubmitted work in open rounds that close within `days` days from today
    (or in the given round, whatever its deadline)."""
    rounds = ReportingRound.objects.filter(closed=False, opens_on__lte=today)
    if round is not None:
        rounds = rounds.filter(pk=round.pk)
    else:
        rounds = rounds.filter(
            closes_on__gte=today, closes_on__lte=today + dt.timedelta(days=days or 0)
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


def reminders_send(
    *,
    today: dt.date,
    days: int | None = None,
    round: ReportingRound | None = None,
    dry_run: bool = False,
    base_url: str = "",
) -> int:
    """Send the reminders due; returns how many were sent (at most one per person and day)."""
    reminders = reminders_due(today=today, days=days, round=round)
    if dry_run:
        return len(reminders)
    n = 0
    for r in reminders:
        closes = min(s.round.closes_on for s in r.submissions)
        n += notification_send(
            user=r.user,
            kind=NotificationKind.REMINDER,
            context={
                "submissions": r.submissions,
                "today": today,
                "closes": closes,
                **({"base_url": base_url} if base_url else {}),
            },
            day=today,
        )
    return n
