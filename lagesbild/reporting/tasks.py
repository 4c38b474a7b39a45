"""Background work of reporting: e-mail. Enqueued after the commit that caused it
(`enqueue_after_commit`), so a rolled-back change sends nothing and no request waits on SMTP."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task


def enqueue_after_commit(t, *args, run_after: dt.datetime | None = None, **kwargs) -> None:
    target = t.using(run_after=run_after) if run_after is not None else t
    transaction.on_commit(partial(target.enqueue, *args, **kwargs))


@task()
def submission_notice_send(submission_id: int, kind: str, comment: str = "") -> int:
    from lagesbild.reporting.models import Submission
    from lagesbild.reporting.notifications import submission_notice

    submission = (
        Submission.objects.select_related("round", "measure", "organisation")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        return 0
    return submission_notice(submission=submission, kind=kind, comment=comment)


@task()
def round_reminders_send(round_id: int) -> int:
    """Reminders for one round's unsubmitted work (scheduled from the round's page)."""
    from lagesbild.reporting.models import ReportingRound
    from lagesbild.reporting.reminders import reminders_send

    rnd = ReportingRound.objects.filter(pk=round_id, closed=False).first()
    if rnd is None:
        return 0
    return reminders_send(today=timezone.localdate(), round=rnd)


@task()
def digest_send_task() -> int:
    from lagesbild.reporting.notifications import digest_send

    return digest_send()


@task()
def email_send(subject: str, body: str, to: list[str]) -> int:
    """One rendered message (an invitation), sent from the queue."""
    from django.core.mail import EmailMessage

    return EmailMessage(subject, body, to=to).send()
