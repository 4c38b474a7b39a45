"""Reads of reporting data for other parts (status report, dashboards)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from lagesbild.directory.selectors import register_of
from lagesbild.directory.tabular import service_to_row
from lagesbild.reporting.models import (
    Submission,
    SubmissionKind,
    SubmissionState,
    SubmissionValue,
)


def approved_submissions(*, year: int) -> QuerySet[Submission]:
    """Approved measure submissions of a year's round, in plan order, with their values."""
    return (
        Submission.objects.filter(
            round__year=year, state=SubmissionState.APPROVED, measure__isnull=False
        )
        .select_related("measure", "measure__goal", "organisation", "round")
        .prefetch_related(
            Prefetch("values", queryset=SubmissionValue.objects.select_related("indicator", "area"))
        )
        .order_by("measure__sort_key", "organisation__name")
    )


def round_matrix(*, round) -> dict:
    """Measures × organisations of a round: each cell the submission (state, link) or None."""
    subs = list(
        Submission.objects.filter(round=round, measure__isnull=False).select_related(
            "measure", "organisation"
        )
    )
    organisations = sorted({s.organisation for s in subs}, key=lambda o: o.name)
    measures = sorted({s.measure for s in subs}, key=lambda m: m.sort_key)
    cells = {(s.measure_id, s.organisation_id): s for s in subs}
    rows = [
        {"measure": m, "cells": [cells.get((m.pk, o.pk)) for o in organisations]} for m in measures
    ]
    totals = {value: 0 for value in SubmissionState.values}
    for s in subs:
        totals[s.state] += 1
    directory = list(
        Submission.objects.filter(round=round, kind=SubmissionKind.DIRECTORY)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return {
        "organisations": organisations,
        "rows": rows,
        "totals": [(label, totals[value]) for value, label in SubmissionState.choices],
        "directory": directory,
    }


def directory_export_rows(*, submission: Submission) -> list[dict[str, str]]:
    """The register rows a support register submission is about: every service its
    organisation keeps, in the register's file format."""
    return [service_to_row(s) for s in register_of(submission.organisation)]


def approved_followups(*, measure) -> QuerySet[Submission]:
    """Approved follow-ups of a measure, newest round first (public on the measure page)."""
    return (
        Submission.objects.filter(measure=measure, state=SubmissionState.APPROVED)
        .select_related("round", "organisation")
        .prefetch_related(
            Prefetch("values", queryset=SubmissionValue.objects.select_related("indicator", "area"))
        )
        .order_by("-round__year", "organisation__name")
    )


def submission_for_import_run(import_run) -> Submission | None:
    """The submission an ImportRun published, if it came from one."""
    if import_run is None or import_run.kind != "submission" or import_run.object_id is None:
        return None
    return (
        Submission.objects.filter(pk=import_run.object_id)
        .select_related("round", "measure", "organisation")
        .first()
    )


def _diff(prev, cur, fields) -> list[tuple[str, object, object]]:
    out = []
    for f in fields:
        old = getattr(prev, f) if prev is not None else None
        new = getattr(cur, f)
        if old != new and not (prev is None and new in ("", None)):
            out.append((f, old, new))
    return out


def submission_audit(*, submission: Submission) -> list[dict]:
    """Every change to the submission, its values and its state: who, when, what and why."""
    from lagesbild.indicators.models import ImportRun
    from lagesbild.reporting.models import Comment, Transition

    events: list[dict] = []
    labels = {
        "implementation_status": "Genomförande",
        "narrative_source": "Beskrivning",
        "value": "Värde",
        "missing_reason": "Skäl om värde saknas",
        "note": "Anmärkning",
    }
    prev = None
    for h in submission.history.order_by("history_date", "history_id").select_related(
        "history_user"
    ):
        changes = _diff(prev, h, ["implementation_status", "narrative_source"])
        if h.history_type == "+" or changes:
            events.append(
                {
                    "at": h.history_date,
                    "user": h.history_user,
                    "kind": "Skapad" if h.history_type == "+" else "Innehåll ändrat",
                    "what": [(labels[f], o, n) for f, o, n in changes],
                    "why": h.history_change_reason or "",
                }
            )
        prev = h
    value_history = SubmissionValue.history.model.objects.filter(
        submission_id=submission.pk
    ).select_related("history_user", "indicator", "area")
    by_row: dict[int, list] = {}
    for h in value_history.order_by("history_date", "history_id"):
        by_row.setdefault(h.id, []).append(h)
    for entries in by_row.values():
        prev = None
        for h in entries:
            changes = _diff(prev, h, ["value", "missing_reason", "note"])
            if prev is not None and changes:
                events.append(
                    {
                        "at": h.history_date,
                        "user": h.history_user,
                        "kind": f"Värde {h.indicator.code} {h.period} {h.breakdown_key}".strip(),
                        "what": [(labels[f], o, n) for f, o, n in changes],
                        "why": h.history_change_reason or "",
                    }
                )
            prev = h
    for t in Transition.objects.filter(submission=submission).select_related("user"):
        events.append(
            {
                "at": t.at,
                "user": t.user,
                "kind": f"{SubmissionState(t.from_state).label} → {SubmissionState(t.to_state).label}",
                "what": [],
                "why": t.comment,
            }
        )
    for c in Comment.objects.filter(submission=submission).select_related("author"):
        events.append(
            {"at": c.created_at, "user": c.author, "kind": "Kommentar", "what": [], "why": c.text}
        )
    runs = ImportRun.objects.filter(
        kind="submission", object_id=submission.pk, content_type__model="submission"
    ).select_related("user")
    for run in runs:
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(run.summary.items()))
        events.append(
            {
                "at": run.started_at,
                "user": run.user,
                "kind": "Publicerad som observationer",
                "what": [],
                "why": summary,
            }
        )
    events.sort(key=lambda e: e["at"])
    return events


def last_year_values(*, submission: Submission) -> dict[int, object]:
    """Last year's published figure for each of the submission's cells: {value row id:
    Observation} (same indicator, area and breakdown, the period one year earlier)."""
    from lagesbild.indicators.models import Observation

    rows = list(submission.values.all())
    wanted = {}
    for v in rows:
        if len(v.period) == 4 and v.period.isdigit():
            wanted[(v.indicator_id, v.area_id, str(int(v.period) - 1), v.breakdown_key)] = v.pk
    if not wanted:
        return {}
    observations = Observation.objects.filter(
        indicator_id__in={k[0] for k in wanted},
        period__in={k[2] for k in wanted},
        statistic="value",
        published=True,
    )
    out = {}
    for o in observations:
        pk = wanted.get((o.indicator_id, o.area_id, o.period, o.breakdown_key))
        if pk is not None:
            out[pk] = o
    return out


def round_submissions(
    *,
    round,
    state: str = "",
    organisation_id: int | None = None,
    goal_id: int | None = None,
    today=None,
) -> QuerySet[Submission]:
    """The overview's list. ``state``: "att-granska" (sent in), "forsenade" (not sent in and
    the deadline has passed), or a SubmissionState value; filters by organisation and goal."""
    from django.utils import timezone

    qs = Submission.objects.filter(round=round).select_related(
        "measure", "measure__goal", "organisation", "round"
    )
    if state == "att-granska":
        qs = qs.filter(state=SubmissionState.SUBMITTED)
    elif state == "forsenade":
        today = today or timezone.localdate()
        if round.closes_on >= today:
            return qs.none()
        qs = qs.filter(state__in=[SubmissionState.DRAFT, SubmissionState.RETURNED])
    elif state in SubmissionState.values:
        qs = qs.filter(state=state)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if goal_id:
        qs = qs.filter(measure__goal_id=goal_id)
    return qs.order_by("measure__sort_key", "organisation__name")
