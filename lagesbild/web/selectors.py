"""Reads for the public pages: measure states, explorer choices and filtered observations."""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet

from lagesbild.indicators import selectors as ind_selectors
from lagesbild.indicators.models import Indicator, IndicatorMembership, Observation
from lagesbild.indicators.stats import period_sort_key
from lagesbild.strategy.models import ActionPlan

PERIOD_RE = re.compile(r"^\d{4}(/\d{4})?$")


def page_version() -> str:
    """Version of everything a public page shows: figures, catalogue and approved reports.

    Of the reporting only approved submissions count: the public pages never show a draft, so
    the agency contacts' saves and uploads at the deadline do not throw away every cached page.
    """
    from lagesbild.statusreport.models import ReportEdition  # vintages on indicator pages

    return ind_selectors.data_version(
        extra_models=(IndicatorMembership, ReportEdition), extra_stamps=_approved_stamps()
    )


def _approved_stamps() -> tuple[str, ...]:
    """How many submissions are approved and the newest change among them: approving one, or
    moving one out of approved (the count falls), gives a new version; a draft's save does not.
    Every state change sets `updated_at` (reporting.services)."""
    from django.db import connection

    from lagesbild.reporting.models import Submission, SubmissionState

    table = connection.ops.quote_name(Submission._meta.db_table)
    approved = f"state = '{SubmissionState.APPROVED.value}'"  # a constant of the code
    return (
        f"(SELECT COUNT(*) FROM {table} WHERE {approved})",
        f"(SELECT MAX(updated_at) FROM {table} WHERE {approved})",
    )


@dataclass
class MeasureState:
    """The state of one measure in the latest reporting round: approved reports only."""

    statuses: list[tuple[str, str, str]] = field(default_factory=list)  # (org, key, label)

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        counts = Counter((key, label) for _org, key, label in self.statuses)
        return [(key, label, n) for (key, label), n in counts.items()]


def measure_states(*, plan: ActionPlan | None):
    """(round year, {measure id: MeasureState}) from the newest round with approved reports.

    Drafts, submitted and returned reports are never read: only what the coordinator approved. A
    round that has just opened (all drafts) does not hide the previous year's approved reports.
    """
    from lagesbild.reporting.models import (
        ReportingRound,
        Submission,
        SubmissionKind,
        SubmissionState,
    )

    if plan is None:
        return None, {}
    rnd = (
        ReportingRound.objects.filter(
            plan=plan,
            submissions__state=SubmissionState.APPROVED,
            submissions__kind=SubmissionKind.MEASURE,
        )
        .order_by("-year")
        .first()
    ) or ReportingRound.objects.filter(plan=plan).order_by("-year").first()
    if rnd is None:
        return None, {}
    states: dict[int, MeasureState] = {}
    subs = (
        Submission.objects.filter(
            round=rnd, state=SubmissionState.APPROVED, kind=SubmissionKind.MEASURE
        )
        .exclude(measure=None)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for s in subs:
        label = s.get_implementation_status_display() if s.implementation_status else ""
        states.setdefault(s.measure_id, MeasureState()).statuses.append(
            (s.organisation.name, s.implementation_status or "", str(label))
        )
    return rnd.year, states


def published_indicators(
    *, goal: int | None = None, violence_type: str | None = None, plan: ActionPlan | None = None
) -> list[Indicator]:
    """Indicators with at least one published observation, each once, placed by its membership
    of ``plan`` (default: the current plan) or else of the newest plan it serves; the plan's
    catalogue order first, then the other plans' indicators. ``goal``/``violence_type`` filter
    on that placement."""
    plan = plan or ind_selectors.current_plan()
    published = Observation.objects.filter(indicator=OuterRef("indicator_id"), published=True)
    memberships = (
        IndicatorMembership.objects.filter(Exists(published))
        .select_related("indicator", "goal", "violence_type", "plan")
        .order_by("-plan__period_start", "plan__key", "goal__number", "sort_order")
    )
    seen: set[int] = set()
    placed: list[Indicator] = []
    ordered = sorted(memberships, key=lambda m: 0 if plan and m.plan_id == plan.pk else 1)
    for m in ordered:
        if m.indicator_id in seen:
            continue
        seen.add(m.indicator_id)
        placed.append(ind_selectors.place(m))
    if goal:
        placed = [i for i in placed if i.goal.number == goal]
    if violence_type:
        placed = [i for i in placed if i.violence_type and i.violence_type.key == violence_type]
    return placed


def period_bounds(text: str | None) -> int | None:
    """'2024' or '2023/2024' → the start year used for filtering, None when empty."""
    if not text:
        return None
    if not PERIOD_RE.match(text):
        raise ValueError(text)
    return period_sort_key(text)[0]


def filtered_observations(
    *,
    indicator: Indicator,
    area: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    breakdown: dict[str, str] | None = None,
    with_median: bool = True,
) -> QuerySet[Observation]:
    """Published observations of an indicator by area, period (start year) and breakdown.

    With `with_median` the national median series (area riket) is kept even when `area` picks
    another area, so that a view can always compare with it.
    """
    qs = ind_selectors.observations_for_indicator(
        indicator=indicator, published_only=True, breakdown=breakdown
    ).select_related("import_run")
    if area:
        if with_median:
            from django.db.models import Q

            qs = qs.filter(Q(area__code=area) | Q(statistic="median"))
        else:
            qs = qs.filter(area__code=area)
    start, end = period_bounds(period_from), period_bounds(period_to)
    if start is not None:
        qs = qs.filter(period_sort__gte=start)
    if end is not None:
        qs = qs.filter(period_sort__lte=end)
    return qs


def explorer_choices(*, indicator: Indicator | None):
    """The values the explorer's filters offer: areas, breakdowns and periods with data."""
    qs = Observation.objects.filter(published=True)
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    areas = OrderedDict(
        qs.order_by("area__level", "area__code").values_list("area__code", "area__name").distinct()
    )
    periods = sorted(
        set(qs.values_list("period", flat=True)), key=lambda p: (period_sort_key(p)[0], p)
    )
    breakdowns: OrderedDict[str, str] = OrderedDict()
    if indicator is not None:
        for bd in qs.values_list("breakdown", flat=True).distinct():
            for dim, value in sorted((bd or {}).items()):
                breakdowns.setdefault(f"{dim}={value}", "")
    return areas, periods, breakdowns
