"""Writes in reporting: opening rounds, editing submissions, the workflow, publishing.

The workflow is the TRANSITIONS table. Every move is a conditional update
(`filter(pk=…, state__in=sources).update(…)`, row count checked) and writes a Transition with
who, when and the comment. Content saves are optimistic: the form carries the version it was
read at, and a save against a newer version is refused with ConflictError, never overwritten.
Approval publishes the values as observations through `observation_upsert`, with an ImportRun
whose origin is the submission; a value changed after approval becomes a revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lagesbild.core.models import Area, AreaLevel, Organisation, OrganisationKind
from lagesbild.directory.selectors import organisation_services
from lagesbild.directory.services import (
    directory_submission_apply,
    organisation_services_verify,
    register_import_preview,
)
from lagesbild.directory.tabular import RegisterImportError
from lagesbild.indicators.models import (
    ImportKind,
    ImportRun,
    Indicator,
    IndicatorStatus,
    Observation,
)
from lagesbild.indicators.services import (
    ObservationInput,
    breakdown_key,
    bump_data_version,
    observation_upsert,
)
from lagesbild.reporting import access
from lagesbild.reporting.models import (
    Comment,
    ImplementationStatus,
    NotificationKind,
    ReportingDelegate,
    ReportingRound,
    Submission,
    SubmissionKind,
    SubmissionState,
    SubmissionValue,
    Transition,
)
from lagesbild.reporting.narrative import narrative_to_html
from lagesbild.reporting.selectors import last_year_values, submission_for_import_run
from lagesbild.reporting.tasks import enqueue_after_commit, submission_notice_send
from lagesbild.reporting.validation import ValueProblem, check_unit
from lagesbild.strategy.models import ActionPlan, Frequency, Measure

S = SubmissionState


class ReportingError(Exception):
    """A refused action; the message is Swedish and meant for the user."""

    def __init__(self, message: str, problems: Iterable[str] = ()):
        self.problems = list(problems)
        super().__init__(message)


class ConflictError(ReportingError):
    """Someone else saved the submission after this form was read."""


class NotAllowed(ReportingError):
    """The user may not do this."""


# ---------------------------------------------------------------- the workflow table

REPORTER, COORDINATOR = "reporter", "coordinator"


@dataclass(frozen=True)
class Move:
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str  # REPORTER: whoever may edit the submission; COORDINATOR: coordinators only
    comment_required: bool = False


TRANSITIONS: dict[str, Move] = {
    "skicka-in": Move(_("Skicka in"), (S.DRAFT, S.RETURNED), S.SUBMITTED, REPORTER),
    "atersand": Move(
        _("Återsänd för komplettering"), (S.SUBMITTED,), S.RETURNED, COORDINATOR, True
    ),
    "godkann": Move(_("Godkänn"), (S.SUBMITTED,), S.APPROVED, COORDINATOR),
    "oppna-igen": Move(_("Öppna igen"), (S.APPROVED,), S.RETURNED, COORDINATOR, True),
}


def allowed_moves(*, submission: Submission, user) -> list[tuple[str, Move]]:
    return [
        (name, move)
        for name, move in TRANSITIONS.items()
        if submission.state in move.sources and _may_move(user, submission, move)
    ]


def _may_move(user, submission: Submission, move: Move) -> bool:
    if move.actor == COORDINATOR:
        return access.is_coordinator(user)
    return access.can_edit(user, submission)


# ---------------------------------------------------------------- rounds


def due_measures(
    *,
    plan: ActionPlan,
    year: int,
    include_end_of_plan: bool | None = None,
    extra_measures: Iterable[Measure] = (),
) -> list[Measure]:
    """Annual measures every year; end-of-plan measures in the plan's last year or on request."""
    if include_end_of_plan is None:
        include_end_of_plan = year == plan.period_end
    qs = plan.measures.all()
    if not include_end_of_plan:
        qs = qs.filter(frequency=Frequency.ANNUAL)
    due = {m.pk: m for m in qs}
    for m in extra_measures:
        if m.plan_id != plan.pk:
            raise ReportingError(str(_("Åtgärd %(code)s hör inte till planen.")) % {"code": m.code})
        due.setdefault(m.pk, m)
    return sorted(due.values(), key=lambda m: m.sort_key)


@transaction.atomic
def round_open(
    *,
    year: int,
    plan: ActionPlan,
    opens_on: dt.date,
    closes_on: dt.date,
    user=None,
    include_end_of_plan: bool | None = None,
    extra_measures: Iterable[Measure] = (),
    include_directory: bool = False,
) -> ReportingRound:
    """Open a year's round: one draft submission per due (measure × responsible organisation).

    With `include_directory` the municipalities are also asked to look over their entries in
    the support register: one DIRECTORY draft per `directory_organisations()`.
    """
    if closes_on < opens_on:
        raise ReportingError(str(_("Omgången kan inte stänga före den öppnar.")))
    if not plan.period_start <= year <= plan.period_end:
        raise ReportingError(
            str(_("År %(year)s ligger utanför handlingsplanens period %(a)s–%(b)s."))
            % {"year": year, "a": plan.period_start, "b": plan.period_end}
        )
    if ReportingRound.objects.filter(year=year).exists():
        raise ReportingError(
            str(_("Det finns redan en rapporteringsomgång för %(year)s.")) % {"year": year}
        )
    extra = list(extra_measures)
    if include_end_of_plan is None:
        include_end_of_plan = year == plan.period_end
    rnd = ReportingRound(
        year=year,
        plan=plan,
        opens_on=opens_on,
        closes_on=closes_on,
        include_end_of_plan=include_end_of_plan,
        include_directory=include_directory,
    )
    if user is not None:
        rnd._history_user = user
    rnd.save()
    rnd.extra_measures.set(extra)
    measures = due_measures(
        plan=plan, year=year, include_end_of_plan=include_end_of_plan, extra_measures=extra
    )
    for measure in measures:
        for org in measure.responsible.all():
            sub = Submission(round=rnd, measure=measure, organisation=org)
            sub._change_reason = str(_("Omgången öppnades"))
            if user is not None:
                sub._history_user = user
            sub.save()
            _create_value_rows(sub)
    if include_directory:
        for org in directory_organisations():
            sub = Submission(round=rnd, kind=SubmissionKind.DIRECTORY, organisation=org)
            sub._change_reason = str(_("Omgången öppnades"))
            if user is not None:
                sub._history_user = user
            sub.save()
    return rnd


def directory_organisations() -> list[Organisation]:
    """Municipalities asked about the support register: those with a service in it, or with
    an account (a member) that keeps it."""
    out = []
    for org in Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name"):
        if org.members.exists() or organisation_services(org).exists():
            out.append(org)
    return out


def _default_area(indicator: Indicator, plan: ActionPlan) -> Area:
    latest = (
        Observation.objects.filter(indicator=indicator, published=True)
        .order_by("-period_sort")
        .select_related("area")
        .first()
    )
    if latest is not None:
        return latest.area
    if (
        indicator.area_level == AreaLevel.COUNTY
        or not Area.objects.filter(level=indicator.area_level).exists()
    ):
        return plan.strategy.area
    return Area.objects.filter(level=indicator.area_level).order_by("code").first()


def _create_value_rows(sub: Submission) -> None:
    """The cells to fill: as reported last time (new period), else one row per indicator."""
    year = str(sub.round.year)
    indicators = list(  # active in the measure's own plan
        sub.measure.indicators.filter(
            memberships__plan_id=sub.measure.plan_id,
            memberships__status=IndicatorStatus.ACTIVE,
        ).distinct()
    )
    earlier = SubmissionValue.objects.filter(
        submission__measure__code=sub.measure.code,
        submission__round__year__lt=sub.round.year,
        indicator__in=indicators,
    ).select_related("submission")
    reporters: dict[int, set[int]] = {}  # indicator → organisations that reported it before
    for v in earlier:
        reporters.setdefault(v.indicator_id, set()).add(v.submission.organisation_id)
    responsible = set(sub.measure.responsible.values_list("pk", flat=True))
    cells: dict[tuple, tuple] = {}
    for ind in indicators:
        before = reporters.get(ind.pk, set())
        if sub.organisation_id in before:  # as this organisation reported it last time
            combos = [
                v
                for v in earlier
                if v.indicator_id == ind.pk and v.submission.organisation_id == sub.organisation_id
            ]
        elif before & responsible:  # another responsible organisation reports it: not asked twice
            combos = []
        elif before:  # reported by an organisation no longer responsible: taken over
            combos = [v for v in earlier if v.indicator_id == ind.pk]
        else:
            combos = []
            cells[(ind.pk, None, "")] = (ind, _default_area(ind, sub.round.plan), {})
        for v in combos:
            cells[(ind.pk, v.area_id, v.breakdown_key)] = (ind, v.area, v.breakdown)
    for ind, area, breakdown in cells.values():
        key = breakdown_key(breakdown)
        # One published cell, one reporter: a cell already asked of another submission in this
        # round (another organisation, or the same indicator under another measure) is not
        # asked again, or one approval would overwrite the other's figure as a "revision".
        taken = (
            SubmissionValue.objects.filter(
                submission__round=sub.round,
                indicator=ind,
                area=area,
                period=year,
                breakdown_key=key,
            )
            .exclude(submission=sub)
            .exists()
        )
        if taken:
            continue
        SubmissionValue.objects.get_or_create(
            submission=sub,
            indicator=ind,
            area=area,
            period=year,
            breakdown_key=key,
            defaults={"breakdown": breakdown},
        )


@transaction.atomic
def round_close(*, round: ReportingRound, user=None) -> ReportingRound:
    """Close the round: reporters can no longer save or submit. Closing twice is refused.

    The row is locked while it is checked, so two coordinators closing at once close it once;
    it is saved (not `update()`d) so the history keeps who closed it.
    """
    current = ReportingRound.objects.select_for_update().get(pk=round.pk)
    if current.closed:
        raise ReportingError(str(_("Omgången är redan stängd.")))
    current.closed = True
    current.closed_at = timezone.now()
    if user is not None:
        current._history_user = user
    current.save(update_fields=["closed", "closed_at"])
    round.closed, round.closed_at = current.closed, current.closed_at
    _final_figures(round=current, user=user)
    return round


def _final_figures(*, round: ReportingRound, user=None) -> int:
    """The round is closed: figures approved in it are no longer preliminary (the value is
    unchanged, so this is no revision; the history says why the flag changed)."""
    ct = ContentType.objects.get_for_model(Submission)
    ids = Submission.objects.filter(round=round).values_list("pk", flat=True)
    observations = Observation.objects.filter(
        provisional=True,
        import_run__kind=ImportKind.SUBMISSION,
        import_run__content_type=ct,
        import_run__object_id__in=list(ids),
    )
    n = 0
    for obs in observations:
        obs.provisional = False
        obs._change_reason = str(_("Omgången %(year)s är stängd: inte längre preliminär")) % {
            "year": round.year
        }
        if user is not None:
            obs._history_user = user
        obs.save(update_fields=["provisional", "updated_at"])
        n += 1
    if n:
        bump_data_version()
    return n


def round_missing(*, round: ReportingRound) -> list[Submission]:
    """What closing the round would leave out: every submission not yet approved."""
    return list(
        Submission.objects.filter(round=round)
        .exclude(state=S.APPROVED)
        .select_related("measure", "organisation")
        .order_by("state", "measure__sort_key", "organisation__name")
    )


def delegates_set(*, organisation: Organisation, delegates: Iterable[Organisation]) -> None:
    delegates = list(delegates)
    ReportingDelegate.objects.filter(organisation=organisation).exclude(
        delegate__in=delegates
    ).delete()
    for d in delegates:
        ReportingDelegate.objects.get_or_create(organisation=organisation, delegate=d)


# ---------------------------------------------------------------- content


@dataclass
class ValueInput:
    value: Decimal | None
    missing_reason: str = ""
    note: str = ""


def _value_problem(sv: SubmissionValue, data: ValueInput) -> str | None:
    if data.value is not None:
        try:
            check_unit(sv.indicator.unit, data.value)
        except ValueProblem as exc:
            return str(exc)
        if data.missing_reason.strip():
            return str(_("ange antingen ett värde eller ett skäl till att det saknas, inte båda"))
    return None


def _claim_version(submission: Submission, version: int, conflict_message) -> Submission:
    """Optimistic lock for an edit: bump the version only if it is still ``version`` and the
    submission still editable; else ConflictError. Returns the submission fresh from the
    database (call inside the edit's transaction)."""
    updated = Submission.objects.filter(
        pk=submission.pk, version=version, state__in=access.EDITABLE_STATES
    ).update(version=F("version") + 1)
    if updated != 1:
        raise ConflictError(str(conflict_message))
    return Submission.objects.get(pk=submission.pk)


@transaction.atomic
def submission_update(
    *,
    submission: Submission,
    user,
    version: int,
    implementation_status: str | None = None,
    narrative_source: str | None = None,
    values: dict[int, ValueInput] | None = None,
    reason: str = "",
) -> Submission:
    """Save the reporter's content. `version` is what the form was read at (optimistic lock)."""
    if not access.can_edit(user, submission):
        raise NotAllowed(str(_("Inrapporteringen kan inte ändras i sitt nuvarande läge.")))
    if implementation_status and implementation_status not in ImplementationStatus.values:
        raise ReportingError(str(_("Okänt genomförande: %(s)s")) % {"s": implementation_status})
    rows = {v.pk: v for v in submission.values.select_related("indicator")}
    problems = []
    for pk, data in (values or {}).items():
        if pk not in rows:
            problems.append(str(_("värderaden %(pk)s hör inte till inrapporteringen")) % {"pk": pk})
            continue
        problem = _value_problem(rows[pk], data)
        if problem:
            problems.append(f"{rows[pk].indicator.code}: {problem}")
    if problems:
        raise ReportingError(str(_("Inget sparades.")), problems)
    sub = _claim_version(
        submission,
        version,
        _(
            "Någon annan har sparat inrapporteringen efter att du öppnade den. Inget av "
            "det du skrev har sparats: läs den nya versionen och gör dina ändringar igen."
        ),
    )
    if not reason:
        by_coordinator = access.is_coordinator(user)
        reason = str(_("Ändrad av samordnaren") if by_coordinator else _("Ändrad av rapportör"))
    changed = False
    if implementation_status is not None and implementation_status != sub.implementation_status:
        sub.implementation_status = implementation_status
        changed = True
    if narrative_source is not None and narrative_source != sub.narrative_source:
        sub.narrative_source = narrative_source
        sub.narrative = narrative_to_html(narrative_source)
        changed = True
    sub._history_user = user
    sub._change_reason = reason
    if changed:
        sub.save()
    else:
        sub.save(update_fields=["updated_at"])
    for pk, data in (values or {}).items():
        sv = rows[pk]
        new = (data.value, data.missing_reason.strip(), data.note.strip())
        old = (sv.value, sv.missing_reason, sv.note)
        if _same(old, new):
            continue
        sv.value, sv.missing_reason, sv.note = new
        sv._history_user = user
        sv._change_reason = reason
        sv.save()
    return sub


def _same(old: tuple, new: tuple) -> bool:
    (ov, *orest), (nv, *nrest) = old, new
    if (ov is None) != (nv is None):
        return False
    if ov is not None and Decimal(ov) != Decimal(nv):
        return False
    return orest == nrest


def submission_problems(submission: Submission) -> list[str]:
    """What stops a submission from being sent in (Swedish, one line each).

    A support register submission may always be sent in: without a file it says "nothing to
    change"; an uploaded file was checked in full when it was uploaded."""
    if submission.kind == SubmissionKind.DIRECTORY:
        return []
    problems = []
    if not submission.implementation_status:
        problems.append(str(_("Ange genomförande (till exempel Pågående eller Genomförd).")))
    if not submission.narrative_source.strip() and not submission.narrative.strip():
        problems.append(str(_("Skriv en beskrivning av vad som har gjorts.")))
    last_year = last_year_values(submission=submission)
    for v in submission.values.select_related("indicator", "area"):
        if v.value is None and not v.missing_reason.strip():
            problems.append(
                str(
                    _(
                        "%(code)s %(period)s %(area)s: ange ett värde eller skälet till att det saknas."
                    )
                )
                % {"code": v.indicator.code, "period": v.period, "area": v.area.name}
            )
        before = last_year.get(v.pk)
        warning = value_change_warning(
            value=v.value, last=before.value if before else None, unit=v.indicator.unit
        )
        if warning and not v.note.strip():
            problems.append(
                str(_("%(code)s %(period)s %(area)s: %(warning)s Skriv en anmärkning om varför."))
                % {
                    "code": v.indicator.code,
                    "period": v.period,
                    "area": v.area.name,
                    "warning": warning,
                }
            )
    return problems


def value_change_warning(*, value, last, unit: str) -> str:
    """A soft warning when a value changes by more than settings.REPORTING_CHANGE_WARNING_SHARE
    against last year's approved value (a share changes in procentenheter, but the warning is
    about the relative change of the figure). "" when there is nothing to warn about; a change
    from 0 cannot be expressed as a share and is not warned about."""
    from django.conf import settings

    from lagesbild.core.numbers import format_unit

    if value is None or last is None or Decimal(last) == 0:
        return ""
    share = abs(Decimal(value) - Decimal(last)) / abs(Decimal(last))
    limit = Decimal(str(settings.REPORTING_CHANGE_WARNING_SHARE))
    if share <= limit:
        return ""
    return str(
        _("Värdet ändras med mer än %(limit)s procent mot förra året (%(last)s → %(value)s).")
    ) % {
        "limit": format(limit * 100, "f").rstrip("0").rstrip(".").replace(".", ","),
        "last": format_unit(Decimal(last), unit, None),
        "value": format_unit(Decimal(value), unit, None),
    }


# ---------------------------------------------------------------- workflow


@transaction.atomic
def submission_transition(
    *,
    submission: Submission,
    user,
    action: str,
    comment: str = "",
    version: int | None = None,
    value_comments: dict[int, str] | None = None,
) -> Submission:
    """Move a submission along the workflow. ``version`` is the version the user saw (the pages
    send it): a move on content that has changed since – edited, returned and resubmitted in
    between – is refused as a conflict, so nobody approves what they have not read."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise ReportingError(str(_("Okänd åtgärd: %(a)s")) % {"a": action})
    owner_or_coordinator = (
        access.is_coordinator(user)
        if move.actor == COORDINATOR
        else access.can_comment(user, submission)
    )
    if not owner_or_coordinator:
        raise NotAllowed(str(_("Du får inte göra detta med inrapporteringen.")))
    if version is not None and version != submission.version:
        raise ConflictError(
            str(
                _(
                    "Inrapporteringen har ändrats sedan du öppnade den. Ladda om sidan och "
                    "läs den igen innan du går vidare."
                )
            )
        )
    if submission.state not in move.sources:
        raise ReportingError(
            str(_("Inrapporteringen är %(state)s och kan inte få åtgärden ”%(move)s”."))
            % {"state": submission.get_state_display().lower(), "move": move.label}
        )
    if not _may_move(user, submission, move):
        raise NotAllowed(str(_("Omgången är stängd; kontakta samordnaren.")))
    comment = comment.strip()
    if move.comment_required and not comment:
        raise ReportingError(str(_("Skriv en kommentar: varför?")))
    if move.target == S.SUBMITTED:
        problems = submission_problems(submission)
        if problems:
            raise ReportingError(str(_("Inrapporteringen kan inte skickas in ännu.")), problems)
    now = timezone.now()
    fields: dict = {"state": move.target, "version": F("version") + 1, "updated_at": now}
    if move.target == S.SUBMITTED:
        fields["submitted_at"] = now
    if move.target == S.APPROVED:
        fields["approved_at"] = now
        fields["approved_by"] = user
    current = Submission.objects.filter(pk=submission.pk, state=submission.state)
    if version is not None:
        current = current.filter(version=version)
    updated = current.update(**fields)
    if updated != 1:
        raise ConflictError(
            str(_("Inrapporteringen har ändrats av någon annan under tiden. Ladda om sidan."))
        )
    Transition.objects.create(
        submission=submission,
        from_state=submission.state,
        to_state=move.target,
        user=user,
        comment=comment,
    )
    if comment:
        Comment.objects.create(submission=submission, author=user, text=comment)
    if value_comments:
        rows = set(submission.values.values_list("pk", flat=True))
        for pk, text in value_comments.items():
            if pk in rows and text.strip():
                Comment.objects.create(
                    submission=submission, author=user, text=text.strip(), value_id=pk
                )
    submission.refresh_from_db()
    if move.target == S.APPROVED:
        _publish(submission, user)
    kind = NOTICE_OF_TARGET.get(move.target)
    if kind is not None:
        enqueue_after_commit(submission_notice_send, submission.pk, kind, comment)
    return submission


# Who hears of a move: submitted → the coordinators; returned, approved → the organisation.
NOTICE_OF_TARGET = {
    S.SUBMITTED: NotificationKind.SUBMITTED,
    S.RETURNED: NotificationKind.RETURNED,
    S.APPROVED: NotificationKind.APPROVED,
}


@dataclass
class SubmitOutcome:
    submission: Submission
    problems: list[str]

    @property
    def sent(self) -> bool:
        return not self.problems


def submissions_submit_all(*, user, round: ReportingRound) -> list[SubmitOutcome]:
    """ "Skicka in alla": every draft or returned submission of the user's organisation (and of
    those it reports for) that the user may edit in the round is checked and, if complete, sent in – each on its own, so one incomplete draft does not stop
    the others. Returns what happened to each, in plan order."""
    outcomes = []
    subs = (
        access.visible_submissions(user)
        .filter(
            round=round,
            state__in=access.EDITABLE_STATES,
            organisation_id__in=access.reporting_organisation_ids(user),
        )
        .order_by("measure__sort_key", "organisation__name")
    )
    for sub in subs:
        if not access.can_edit(user, sub):
            continue
        try:
            submission_transition(
                submission=sub, user=user, action="skicka-in", version=sub.version
            )
        except ReportingError as exc:
            outcomes.append(SubmitOutcome(sub, exc.problems or [str(exc)]))
        else:
            outcomes.append(SubmitOutcome(sub, []))
    return outcomes


def _refuse_cells_of_others(submission: Submission, values: list[SubmissionValue]) -> None:
    """A published figure has one owner: approval never overwrites another organisation's
    approved figure, nor a figure from official statistics. The coordinator decides."""
    problems = []
    for v in values:
        obs = (
            Observation.objects.filter(
                indicator=v.indicator,
                area=v.area,
                period=v.period,
                breakdown_key=breakdown_key(v.breakdown),
                statistic="value",
                published=True,
            )
            .select_related("import_run")
            .first()
        )
        run = obs.import_run if obs else None
        if run is None:
            continue
        if run.kind == ImportKind.SUBMISSION:
            other = submission_for_import_run(run)
            if other is None or other.organisation_id == submission.organisation_id:
                continue
            owner = other.organisation.name
        elif run.kind in (ImportKind.IMPORT, ImportKind.SURVEY, ImportKind.DIRECTORY):
            owner = run.source
        else:
            continue
        problems.append(
            str(
                _(
                    "%(code)s %(period)s %(area)s är redan publicerat från %(owner)s; "
                    "ett godkännande här skulle skriva över det. Ta bort värdet ur denna "
                    "inrapportering eller rätta det andra."
                )
            )
            % {"code": v.indicator.code, "period": v.period, "area": v.area.name, "owner": owner}
        )
    if problems:
        raise ReportingError(str(_("Inrapporteringen kan inte godkännas.")), problems)


def _publish(submission: Submission, user) -> ImportRun | None:
    """Approved values become published observations, each traceable to this submission."""
    if submission.kind == SubmissionKind.DIRECTORY:
        _directory_apply(submission, user)
        return None
    reopened = submission.transitions.filter(from_state=S.APPROVED).order_by("-at", "-pk").first()
    run = ImportRun.objects.create(
        kind=ImportKind.SUBMISSION,
        source=f"Inrapportering {submission.round.year}, åtgärd {submission.measure.code if submission.measure else ''}, {submission.organisation.name}",
        user=user,
        content_type=ContentType.objects.get_for_model(Submission),
        object_id=submission.pk,
    )
    reason = (
        str(_("Ändrad efter att inrapporteringen öppnats igen: %(why)s"))
        % {"why": reopened.comment}
        if reopened
        else str(_("Godkänd inrapportering från %(org)s")) % {"org": submission.organisation.name}
    )
    counts: dict[str, int] = {}
    values = [
        v
        for v in submission.values.select_related("indicator", "area")
        if v.value is not None or v.missing_reason
    ]
    _refuse_cells_of_others(submission, values)
    for v in values:
        _obs, outcome = observation_upsert(
            data=ObservationInput(
                indicator=v.indicator,
                area=v.area,
                period=v.period,
                breakdown=v.breakdown,
                value=v.value,
                missing_reason=v.missing_reason,
                note=v.note,
                source_ref=f"{submission.organisation.name}, inrapportering {submission.round.year}",
                # approved in an open round: preliminary until the round closes
                provisional=not submission.round.closed,
            ),
            import_run=run,
            user=user,
            reason=reason,
            published=True,
        )
        counts[outcome] = counts.get(outcome, 0) + 1
    run.summary = counts
    run.finished_at = timezone.now()
    run.save(update_fields=["summary", "finished_at"])
    return run


def comment_add(*, submission: Submission, user, text: str) -> Comment:
    if not access.can_comment(user, submission):
        raise NotAllowed(str(_("Du får inte kommentera denna inrapportering.")))
    text = text.strip()
    if not text:
        raise ReportingError(str(_("Kommentaren är tom.")))
    return Comment.objects.create(submission=submission, author=user, text=text)


# ---------------------------------------------------------------- the support register


def directory_rows(submission: Submission) -> list[tuple[int, dict[str, str]]]:
    """The rows stored on a support register submission, as the register's import reads them."""
    return [(int(line), dict(values)) for line, values in submission.directory_rows or []]


def directory_preview(submission: Submission):
    """What approving the submission would do to the register, per uploaded row (new, changed,
    unchanged), checked against the register as it is now. Raises ReportingError if the stored
    rows no longer fit (the register changed since the upload)."""
    rows = directory_rows(submission)
    if not rows:
        return []
    try:
        return register_import_preview(
            rows=rows,
            file_name=submission.directory_file_name,
            organisation=submission.organisation,
        )
    except RegisterImportError as exc:
        raise ReportingError(
            str(_("Den uppladdade filen stämmer inte längre med stödregistret.")),
            [str(p) for p in exc.problems],
        ) from None


@transaction.atomic
def directory_upload(
    *,
    submission: Submission,
    user,
    version: int,
    rows: list[tuple[int, dict[str, str]]],
    file_name: str,
):
    """Check an uploaded register file in full (a dry run of the register import, for the
    submission's organisation) and store its rows on the submission. The register itself is
    changed only when the coordinator approves. On any problem nothing is stored."""
    if submission.kind != SubmissionKind.DIRECTORY:
        raise ReportingError(str(_("Inrapporteringen gäller inte stödregistret.")))
    if not access.can_edit(user, submission):
        raise NotAllowed(str(_("Inrapporteringen kan inte ändras i sitt nuvarande läge.")))
    try:
        changes = register_import_preview(
            rows=rows, file_name=file_name, organisation=submission.organisation
        )
    except RegisterImportError as exc:
        raise ReportingError(
            str(_("Filen lästes inte in – inget har sparats.")), [str(p) for p in exc.problems]
        ) from None
    if not changes:
        raise ReportingError(str(_("Filen innehåller inga verksamheter – inget har sparats.")))
    sub = _claim_version(
        submission,
        version,
        _(
            "Någon annan har ändrat inrapporteringen efter att du öppnade den. Inget "
            "sparades: läs den nya versionen och ladda upp filen igen."
        ),
    )
    sub.directory_rows = [[line, values] for line, values in rows]
    sub.directory_file_name = file_name
    sub._history_user = user
    sub._change_reason = str(_("Fil uppladdad: %(name)s")) % {"name": file_name}
    sub.save()
    return changes


def _directory_apply(submission: Submission, user) -> None:
    """On approval: the stored rows go into the register, all or nothing, with the reason
    "Godkänd inrapportering <år> från <organisation>"; without rows ("nothing to change") every
    service the organisation keeps is marked as checked today by the approver."""
    reason = str(_("Godkänd inrapportering %(year)s från %(org)s")) % {
        "year": submission.round.year,
        "org": submission.organisation.name,
    }
    rows = directory_rows(submission)
    if not rows:
        organisation_services_verify(organisation=submission.organisation, user=user, reason=reason)
        return
    try:
        directory_submission_apply(
            organisation=submission.organisation,
            rows=rows,
            user=user,
            reason=reason,
            file_name=submission.directory_file_name,
        )
    except RegisterImportError as exc:
        raise ReportingError(
            str(_("Inrapporteringen kan inte godkännas.")), [str(p) for p in exc.problems]
        ) from None
