"""E-mail on submit, return, approval, reminders and the digest: recipient, subject, body;
opting out; at most one reminder per person and day; sent after the commit, from a task."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from lagesbild.reporting import services
from lagesbild.reporting.models import NotificationSettings, SentNotification
from lagesbild.reporting.notifications import digest_send
from lagesbild.reporting.reminders import reminders_send
from lagesbild.reporting.tests.conftest import logged_in
from lagesbild.reporting.tests.test_workflow import fill

IN_ROUND = dt.date(2027, 1, 20)  # the world's round is open 2026-11-01 – 2027-01-31


def _submit(world, reporter, capture):
    fill(world, reporter)
    with capture(execute=True):
        return services.submission_transition(
            submission=world.sub, user=reporter, action="skicka-in"
        )


def _opt(user, **kinds):
    NotificationSettings.objects.update_or_create(user=user, defaults={"kinds": kinds})


def test_submit_tells_the_coordinator(
    world, reporter_kriminalvarden, coordinator, django_capture_on_commit_callbacks
):
    _submit(world, reporter_kriminalvarden, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["samordnare@example.org"]
    assert msg.subject == "Inskickad: åtgärd 2.10 från Kriminalvården"
    assert f"/rapportering/2026/{world.sub.pk}/" in msg.body
    sent = SentNotification.objects.get()
    assert (sent.user, sent.kind) == (coordinator, "submitted")


def test_mail_goes_out_only_after_the_commit(
    world, reporter_kriminalvarden, coordinator, django_capture_on_commit_callbacks
):
    fill(world, reporter_kriminalvarden)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submission_transition(
            submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
        )
    assert mail.outbox == [] and len(callbacks) == 1  # a rolled-back move would send nothing
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["samordnare@example.org"]]


def test_return_tells_the_organisation_with_the_reason_and_value_comments(
    world,
    reporter_kriminalvarden,
    reporter_polisen,
    coordinator,
    django_capture_on_commit_callbacks,
):
    _submit(world, reporter_kriminalvarden, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    count_row = world.sub.values.get(indicator=world.count)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_transition(
            submission=world.sub,
            user=coordinator,
            action="atersand",
            comment="Antalet avbrutna program saknar källa.",
            value_comments={count_row.pk: "12 verkar lågt – stämmer det?"},
        )
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["kriminalvarden@example.org"]  # not Polisen, not the coordinator
    assert msg.subject == "Återsänd för komplettering: åtgärd 2.10 (Kriminalvården)"
    assert "Skäl: Antalet avbrutna program saknar källa." in msg.body
    assert "M2.10-antal 2026" in msg.body and "12 verkar lågt – stämmer det?" in msg.body


def test_approval_tells_the_organisation(
    world, reporter_kriminalvarden, coordinator, django_capture_on_commit_callbacks
):
    _submit(world, reporter_kriminalvarden, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_transition(submission=world.sub, user=coordinator, action="godkann")
    assert [m.to for m in mail.outbox] == [["kriminalvarden@example.org"]]
    assert mail.outbox[0].subject == "Godkänd: åtgärd 2.10 (Kriminalvården)"
    assert "märkta som preliminära tills omgången 2026 stängs" in mail.outbox[0].body


def test_the_delegate_of_an_organisation_without_accounts_is_told(
    world, coordinator, django_user_model, django_capture_on_commit_callbacks
):
    from lagesbild.core.services import membership_set

    storsthlm_user = django_user_model.objects.create_user("ss", "ss@example.org", "x")
    membership_set(user=storsthlm_user, organisation=world.storsthlm, role="reporter")
    from lagesbild.reporting.models import Submission

    sub = Submission.objects.create(
        round=world.round, measure=world.m29, organisation=world.kommuner, state="inskickad"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_transition(
            submission=sub, user=coordinator, action="atersand", comment="Komplettera."
        )
    assert [m.to for m in mail.outbox] == [["ss@example.org"]]


def test_opted_out_user_gets_nothing_of_that_kind(
    world, reporter_kriminalvarden, coordinator, django_capture_on_commit_callbacks
):
    _opt(coordinator, submitted=False)
    _opt(reporter_kriminalvarden, returned=False)
    _submit(world, reporter_kriminalvarden, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_transition(
            submission=world.sub, user=coordinator, action="atersand", comment="Komplettera."
        )
    assert mail.outbox == []
    # other kinds still come
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_transition(
            submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
        )
        services.submission_transition(submission=world.sub, user=coordinator, action="godkann")
    assert [m.subject for m in mail.outbox] == ["Godkänd: åtgärd 2.10 (Kriminalvården)"]


def test_english_user_gets_english_mail(
    world, reporter_kriminalvarden, coordinator, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=reporter_kriminalvarden, language="en")
    _submit(world, reporter_kriminalvarden, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_transition(
            submission=world.sub, user=coordinator, action="atersand", comment="Källa saknas."
        )
    msg = mail.outbox[0]
    assert msg.subject == "Returned for completion: measure 2.10 (Kriminalvården)"
    assert "Reason: Källa saknas." in msg.body and "Skäl" not in msg.body


# Swedish words of the Swedish templates that must not reach an English recipient.
SWEDISH_IN_MAIL = re.compile(
    r"\b(Hej|Skäl|Kommentar|Inskickad|Godkänd|Återsänd|Påminnelse|inrapportering\w*|åtgärd|"
    r"stödregistret|granska|samordnaren|omgången|senast|Välj)\b",
    re.IGNORECASE,
)


def test_every_notification_kind_is_english_for_an_english_user(
    world, reporter_kriminalvarden, coordinator, django_capture_on_commit_callbacks
):
    """Submitted, returned, approved, reminder and digest: an English subject and body for a
    user whose e-mail language is English (invitations: test_people); the Swedish and English
    template folders hold the same templates."""
    from pathlib import Path

    from lagesbild.reporting import notifications

    folder = Path(notifications.__file__).parent / "templates" / "reporting" / "email"
    assert sorted(p.name for p in (folder / "sv").iterdir()) == sorted(
        p.name for p in (folder / "en").iterdir()
    )
    for user in (reporter_kriminalvarden, coordinator):
        NotificationSettings.objects.create(user=user, language="en", kinds={"digest": True})
    _submit(world, reporter_kriminalvarden, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_transition(
            submission=world.sub, user=coordinator, action="atersand", comment="Source missing."
        )
    fill(world, reporter_kriminalvarden)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_transition(
            submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
        )
        services.submission_transition(submission=world.sub, user=coordinator, action="godkann")
    digest_send()
    by_kind = {s.kind: s.subject for s in SentNotification.objects.order_by("pk")}
    assert by_kind == {
        "submitted": "Submitted: measure 2.10 from Kriminalvården",
        "returned": "Returned for completion: measure 2.10 (Kriminalvården)",
        "approved": "Approved: measure 2.10 (Kriminalvården)",
        "digest": by_kind["digest"],
    }
    assert by_kind["digest"].endswith("to review (2026)")
    sent = [(m.subject, m.body) for m in mail.outbox]
    assert len(sent) == 5  # submitted twice, returned, approved, digest
    # a reminder needs something unsubmitted: Polisen's English contact gets one
    mail.outbox.clear()
    NotificationSettings.objects.filter(user=reporter_kriminalvarden).delete()
    assert reminders_send(today=IN_ROUND, days=30) >= 1
    bodies = [(m.subject, m.body) for m in mail.outbox if m.to == ["polisen@example.org"]]
    assert bodies and all(s.startswith("Påminnelse") for s, _ in bodies)  # Swedish by default
    from django.contrib.auth.models import User

    polisen = User.objects.get(email="polisen@example.org")
    NotificationSettings.objects.create(user=polisen, language="en")
    mail.outbox.clear()
    assert reminders_send(today=IN_ROUND + dt.timedelta(days=1), days=30) >= 1
    (reminder,) = [m for m in mail.outbox if m.to == ["polisen@example.org"]]
    assert reminder.subject == "Reminder: 1 report is due by 2027-01-31"
    sent.append((reminder.subject, reminder.body))
    for subject, body in sent:
        assert SWEDISH_IN_MAIL.search(subject) is None, subject
        text = re.sub(r"\S*/\S*", "", body)  # the links are Swedish paths
        assert SWEDISH_IN_MAIL.search(text) is None, (subject, body)


def test_reminder_at_most_once_per_person_and_day(world, reporter_kriminalvarden, reporter_polisen):
    assert reminders_send(today=IN_ROUND, days=30) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kriminalvarden@example.org",
        "polisen@example.org",
    ]
    krim = next(m for m in mail.outbox if m.to == ["kriminalvarden@example.org"])
    assert krim.subject == "Påminnelse: 1 inrapportering ska skickas in senast 2027-01-31"
    assert f"/rapportering/2026/{world.sub.pk}/" in krim.body
    # a second run the same day (the command and a scheduled task) sends nothing more
    assert reminders_send(today=IN_ROUND, round=world.round) == 0
    assert len(mail.outbox) == 2
    # the next day, again one each
    assert reminders_send(today=IN_ROUND + dt.timedelta(days=1), days=30) == 2
    assert len(mail.outbox) == 4


def test_reminder_opt_out(world, reporter_kriminalvarden, reporter_polisen):
    _opt(reporter_polisen, reminder=False)
    assert reminders_send(today=IN_ROUND, days=30) == 1
    assert [m.to for m in mail.outbox] == [["kriminalvarden@example.org"]]


def test_coordinator_schedules_reminders_from_the_round_page(
    world, coordinator, reporter_kriminalvarden, settings, django_capture_on_commit_callbacks
):
    """The round page enqueues a task with run_after at the chosen time (the real queue
    keeps it until then); running it sends the reminders."""
    from django.utils import timezone
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = logged_in(coordinator)
    assert "Schemalägg påminnelsen" in client.get("/rapportering/2026/").content.decode()
    day = timezone.localdate() + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/rapportering/2026/paminnelse/", {"day": day.isoformat(), "time": "08:00"})
    assert r.status_code == 302
    (result,) = default_task_backend.results
    assert result.task.name == "round_reminders_send"
    assert result.args == [world.round.pk]
    assert timezone.localtime(result.task.run_after).date() == day
    assert timezone.localtime(result.task.run_after).hour == 8
    assert mail.outbox == []
    # a time in the past is refused
    r = client.post("/rapportering/2026/paminnelse/", {"day": "2020-01-01", "time": "08:00"})
    assert len(default_task_backend.results) == 1


def test_scheduled_reminder_task_sends(world, reporter_kriminalvarden, monkeypatch):
    from lagesbild.reporting import tasks

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: IN_ROUND, raising=True)
    assert tasks.round_reminders_send.call(world.round.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kriminalvarden@example.org",
        "polisen@example.org",
    ]
    assert tasks.round_reminders_send.call(world.round.pk) == 0  # once a day


def test_digest_only_to_coordinators_who_asked(
    world, reporter_kriminalvarden, coordinator, django_capture_on_commit_callbacks
):
    _submit(world, reporter_kriminalvarden, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    assert digest_send() == 0  # off by default
    _opt(coordinator, digest=True)
    assert digest_send() == 1
    msg = mail.outbox[0]
    assert msg.to == ["samordnare@example.org"]
    assert "1 att granska (2026)" in msg.subject
    assert "att granska: 1" in msg.body and "åtgärd 2.10, Kriminalvården" in msg.body
    assert digest_send() == 0  # once a day


def test_settings_page_turns_kinds_off(world, reporter_kriminalvarden):
    client = logged_in(reporter_kriminalvarden)
    page = client.get("/rapportering/installningar/").content.decode()
    assert "Påminnelse före sista dag" in page
    r = client.post(
        "/rapportering/installningar/",
        {"language": "en", "kind_returned": "on", "kind_approved": "on"},
    )
    assert r.status_code == 302
    prefs = NotificationSettings.objects.get(user=reporter_kriminalvarden)
    assert prefs.language == "en"
    assert prefs.wants("returned") and not prefs.wants("reminder")
    assert reporter_kriminalvarden.people_events.get().action == "settings"


@pytest.mark.parametrize("backend", ["console", "filebased"])
def test_email_backend_comes_from_the_environment(backend, tmp_path, monkeypatch):
    import importlib

    import lagesbild.settings as s

    monkeypatch.setenv("EMAIL_BACKEND", f"django.core.mail.backends.{backend}.EmailBackend")
    monkeypatch.setenv("EMAIL_FILE_PATH", str(tmp_path))
    reloaded = importlib.reload(s)
    try:
        assert reloaded.EMAIL_BACKEND.endswith(f"{backend}.EmailBackend")
        assert reloaded.EMAIL_FILE_PATH == str(tmp_path)
    finally:
        monkeypatch.undo()
        importlib.reload(s)
