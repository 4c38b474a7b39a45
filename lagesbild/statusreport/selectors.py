"""Reads for the status report: everything one year's report shows, in a fixed few queries.

``report_data(year=…)`` returns a :class:`ReportData` with the plan in force that year
(`strategy.selectors.plan_in_force`), its strategy and goals, the plan's indicator catalogue
(each indicator placed by its membership), the published observations of those indicators
inside the report's window (the plan's first series year — by default the year before the
strategy started — up to the report year, in the areas the report shows), their revisions, the
year's approved submissions, and the coordinator's texts. Nothing else is read, so data for
other counties or older years does not slow the report down.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from lagesbild.core.models import Area, AreaLevel
from lagesbild.directory import selectors as directory_selectors
from lagesbild.directory.models import RegisterSnapshot
from lagesbild.indicators.models import (
    ImportKind,
    ImportRun,
    Indicator,
    IndicatorMembership,
    Observation,
    Statistic,
)
from lagesbild.indicators.selectors import plan_indicators
from lagesbild.indicators.stats import Revision
from lagesbild.reporting.selectors import approved_submissions
from lagesbild.statusreport.models import ParagraphOverride, ReportMetadata, ReportText
from lagesbild.strategy.models import ActionPlan, Goal, Measure, Strategy, ViolenceType
from lagesbild.strategy.selectors import PlanError, plan_in_force, series_first_year

__all__ = ["PlanError", "ReportData", "report_data"]

# Areas that cover the strategy's county together with a neighbour (police region, prosecution
# area) are shown as they come; other counties never are.
_REGION_LEVELS = (AreaLevel.POLICE_REGION, AreaLevel.PROSECUTION_AREA)


@dataclass
class ReportData:
    year: int
    strategy: Strategy
    plan: ActionPlan | None
    goals: list[Goal]
    indicators: list[Indicator]
    measures: list[Measure]
    observations: dict[int, list[Observation]]  # indicator id → observations
    revisions: dict[int, list[Revision]]  # observation id → revisions
    submissions: list  # reporting.Submission, approved, with values
    texts: dict[str, ReportText]  # ReportText.key → text
    overrides: dict[str, ParagraphOverride] = field(default_factory=dict)
    first_period_year: int = 0
    # the support register as of a date, behind the year's coverage figures (S4.3), and the
    # county's municipalities on that date and the violence types, for its per-municipality table
    register_snapshot: RegisterSnapshot | None = None
    register_municipalities: list[Area] = field(default_factory=list)
    violence_types: list[ViolenceType] = field(default_factory=list)
    metadata: ReportMetadata | None = None


def report_strategy() -> Strategy | None:
    return Strategy.objects.select_related("owner", "area").order_by("-period_start").first()


def report_years() -> list[int]:
    """Years a report can be built for: those with a reporting round, newest first."""
    from lagesbild.reporting.models import ReportingRound  # read only

    return list(ReportingRound.objects.order_by("-year").values_list("year", flat=True))


def open_round_years() -> set[int]:
    """Years whose reporting round is still open: their report is preliminary."""
    from lagesbild.reporting.models import ReportingRound  # read only

    return set(ReportingRound.objects.filter(closed=False).values_list("year", flat=True))


def publishable_exclusion() -> Q:
    """What may never be published: synthetic or demo-marked figures (survey rounds with
    synthetic answers carry ``data=syntetiska``; benchmark history an ImportRun of kind
    ``synthetic``)."""
    # breakdown_key, not the JSON field: a missing JSON key compares as NULL, and an excluded
    # NULL would drop every row without the key
    return Q(breakdown_key__contains="data=syntetiska") | Q(import_run__kind=ImportKind.SYNTHETIC)


def shown_observations(
    *, strategy: Strategy, year: int, indicator_ids, first_year: int | None = None
) -> list[Observation]:
    """Published observations of ``indicator_ids`` the report shows, in one query (see module
    docstring)."""
    first = strategy.period_start - 1 if first_year is None else first_year
    county = strategy.area_id
    value_areas = (
        Q(area_id=county)
        | Q(area__parent_id=county)
        | Q(area__parent__parent_id=county)
        | Q(area__level__in=_REGION_LEVELS)
    )
    medians = Q(statistic=Statistic.MEDIAN, area__level=AreaLevel.COUNTRY)
    return list(
        Observation.objects.filter(
            indicator_id__in=list(indicator_ids),
            published=True,
            period_sort__gte=first,
            period_sort__lte=year,
        )
        .filter((Q(statistic=Statistic.VALUE) & value_areas) | medians)
        .exclude(period_kind="school_year", period_sort=year)  # 2025/2026 is not over in 2025
        .exclude(publishable_exclusion())
        .select_related("area")
        .order_by("indicator_id", "period_sort", "period", "area__code", "breakdown_key")
    )


def observation_revisions(*, observations: list[Observation]) -> dict[int, list[Revision]]:
    """Earlier published values of revised observations, from their history (one query)."""
    ids = [o.pk for o in observations if o.revised]
    if not ids:
        return {}
    history = Observation.history.model.objects.filter(id__in=ids).order_by("id", "history_date")
    out: dict[int, list[Revision]] = defaultdict(list)
    previous: dict[int, tuple[Decimal, bool]] = {}
    periods = {o.pk: o.period for o in observations}
    for h in history:
        before = previous.get(h.id)
        if (
            before is not None
            and before[1]
            and before[0] is not None
            and h.value is not None
            and Decimal(before[0]) != Decimal(h.value)
        ):
            out[h.id].append(
                Revision(periods[h.id], before[0], h.value, reason=h.history_change_reason or "")
            )
        previous[h.id] = (h.value, h.published)
    return dict(out)


def coverage_snapshot(*, observations: list[Observation], year: int) -> RegisterSnapshot | None:
    """The register snapshot that is the provenance of the year's figures derived from the
    support register (one query; none when no shown figure of the year comes from it).

    `directory.services.coverage_store` rewrites every cell of a period with the new snapshot
    as provenance, so the newest snapshot referenced is the one all those figures agree with.
    """
    runs = {o.import_run_id for o in observations if o.period_sort == year and o.import_run_id}
    if not runs:
        return None
    origins = ImportRun.objects.filter(
        pk__in=runs,
        kind=ImportKind.DIRECTORY,
        content_type=ContentType.objects.get_for_model(RegisterSnapshot),
    ).values("object_id")
    return (
        RegisterSnapshot.objects.filter(pk__in=origins)
        .defer("register")
        .order_by("-created_at", "-pk")
        .first()
    )


def report_data(
    *, year: int, plan_key: str | None = None, first_year: int | None = None
) -> ReportData | None:
    """Everything the report for ``year`` shows. The plan is the one in force that year (or
    ``plan_key``); raises :class:`PlanError` when none or several are. None when no strategy is
    loaded at all. ``first_year`` overrides the plan's first series year."""
    if not Strategy.objects.exists():
        return None
    plan = plan_in_force(year=year, plan_key=plan_key)
    strategy = plan.strategy
    first = first_year if first_year is not None else series_first_year(plan=plan)
    goals = list(Goal.objects.filter(strategy=strategy).order_by("number"))
    indicators = plan_indicators(plan=plan, with_measures=True)
    measures = list(
        Measure.objects.filter(plan=plan).prefetch_related("responsible").order_by("sort_key")
    )
    observations = shown_observations(
        strategy=strategy, year=year, indicator_ids={i.pk for i in indicators}, first_year=first
    )
    by_indicator: dict[int, list[Observation]] = defaultdict(list)
    for o in observations:
        by_indicator[o.indicator_id].append(o)
    texts = {t.key: t for t in ReportText.objects.filter(year=year)}
    overrides = {o.key: o for o in ParagraphOverride.objects.filter(year=year)}
    snapshot = coverage_snapshot(observations=observations, year=year)
    municipalities, violence_types = [], []
    if snapshot is not None:
        municipalities = directory_selectors.municipalities(county=strategy.area, on=snapshot.as_of)
        violence_types = list(ViolenceType.objects.order_by("sort_order"))
    return ReportData(
        year=year,
        strategy=strategy,
        plan=plan,
        goals=goals,
        indicators=indicators,
        measures=measures,
        observations=dict(by_indicator),
        revisions=observation_revisions(observations=observations),
        submissions=list(approved_submissions(year=year)),
        texts=texts,
        overrides=overrides,
        first_period_year=first,
        register_snapshot=snapshot,
        register_municipalities=municipalities,
        violence_types=violence_types,
        metadata=ReportMetadata.objects.filter(year=year).first(),
    )


def report_version(*, year: int, decisions: bool = True) -> str:
    """A cheap stamp that changes whenever anything the report shows may have changed.

    Used as cache key for the rendered files: latest change (and count, so deletions count
    too) of observations, approved submissions and the coordinator's texts.
    """
    from django.db.models import Count, Max

    from lagesbild.reporting.models import Submission, SubmissionState  # read only

    parts = []
    sources = [
        Observation.objects.filter(published=True),
        # approved only: the report never shows a draft, and the deadline's saves would
        # otherwise make every cached report stale
        Submission.objects.filter(round__year=year, state=SubmissionState.APPROVED),
        ReportText.objects.filter(year=year),
        ReportMetadata.objects.filter(year=year),
    ]
    if decisions:  # without: the drafts' own version (the review pages' cached drafts)
        sources.append(ParagraphOverride.objects.filter(year=year))
    for qs in sources:
        agg = qs.aggregate(n=Count("pk"), t=Max("updated_at"))
        parts.append(f"{agg['n']}:{agg['t'].timestamp() if agg['t'] else 0}")
    # the configuration the report prints (names, measure texts, responsible organisations,
    # retirement reasons): its newest history entries; and the newest register snapshot, whose
    # rows are the appendix "Stöd per kommun"
    for model in (Indicator, IndicatorMembership, Measure, Goal):
        parts.append(str(model.history.aggregate(h=Max("history_id"))["h"] or 0))
    parts.append(str(RegisterSnapshot.objects.aggregate(h=Max("id"))["h"] or 0))
    return "|".join(parts)
