"""Reads of indicators and observations. Public callers get published figures only."""

from __future__ import annotations

import functools
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch, QuerySet

from lagesbild.indicators.models import (
    Indicator,
    IndicatorMembership,
    IndicatorStatus,
    Observation,
    Statistic,
)
from lagesbild.strategy.models import ActionPlan, Goal, Measure, Strategy


def current_strategy() -> Strategy | None:
    return Strategy.objects.order_by("-period_start", "-id").first()


def strategy_plans(strategy: Strategy) -> QuerySet[ActionPlan]:
    """The strategy's own action plans (adopted by its owner), newest first.

    An organisation may load its own plan against the same goals; that plan is never taken for
    the strategy's plan, however new it is.
    """
    return ActionPlan.objects.filter(strategy=strategy, owner_id=strategy.owner_id).order_by(
        "-period_start", "-id"
    )


def current_plan(
    strategy: Strategy | None = None, *, plan_key: str | None = None
) -> ActionPlan | None:
    """The plan a page shows: the one named by ``plan_key`` (None when there is no such plan),
    else the strategy's newest own action plan."""
    if plan_key:
        return ActionPlan.objects.select_related("strategy").filter(key=plan_key).first()
    strategy = strategy or current_strategy()
    if strategy is None:
        return None
    return strategy_plans(strategy).select_related("strategy").first()


def plan_choices() -> list[ActionPlan]:
    """Every strategy's own action plans, newest first (the plan selector on the pages)."""
    return list(
        ActionPlan.objects.filter(owner_id=models.F("strategy__owner_id"))
        .select_related("strategy")
        .order_by("-period_start", "key")
    )


PLACEMENT_FIELDS = (
    "goal",
    "violence_type",
    "sort_order",
    "status",
    "retired_year",
    "retired_reason",
    "last_data_year",
)


def place(membership: IndicatorMembership) -> Indicator:
    """The membership's indicator carrying its place in the plan as attributes: goal,
    violence_type, sort_order, status, retired_year, retired_reason, last_data_year,
    period_notes (and period_notes_audience), plan and membership. Each membership gives its own instance."""
    indicator = membership.indicator
    for name in PLACEMENT_FIELDS:
        setattr(indicator, name, getattr(membership, name))
    indicator.goal_id = membership.goal_id
    indicator.period_notes = membership.notes
    indicator.period_notes_audience = membership.notes_audience
    indicator.plan = membership.plan
    indicator.membership = membership
    return indicator


def memberships_for_plan(*, plan: ActionPlan) -> QuerySet[IndicatorMembership]:
    return (
        IndicatorMembership.objects.filter(plan=plan)
        .select_related("indicator", "goal", "violence_type", "plan")
        .order_by("goal__number", "sort_order", "indicator__code")
    )


def plan_indicators(
    *,
    plan: ActionPlan,
    goal: Goal | None = None,
    active_only: bool = False,
    with_measures: bool = False,
) -> list[Indicator]:
    """The plan's indicator catalogue in its order, each indicator placed by its membership
    (an indicator under two goals comes twice). ``with_measures`` prefetches the indicator's
    measures of this plan only."""
    qs = memberships_for_plan(plan=plan)
    if goal is not None:
        qs = qs.filter(goal=goal)
    if active_only:
        qs = qs.filter(status=IndicatorStatus.ACTIVE)
    if with_measures:
        qs = qs.prefetch_related(
            Prefetch(
                "indicator__measures",
                queryset=Measure.objects.filter(plan=plan).only("id", "code", "plan_id"),
            )
        )
    return [place(m) for m in qs]


def indicator_placed(*, code: str, plan: ActionPlan | None = None) -> Indicator | None:
    """The indicator ``code`` placed in ``plan`` when it belongs to it, else in the newest plan
    it belongs to (unplaced when it belongs to none); None when there is no such code."""
    membership = None
    qs = IndicatorMembership.objects.filter(indicator__code=code).select_related(
        "indicator", "goal", "violence_type", "plan"
    )
    if plan is not None:
        membership = qs.filter(plan=plan).order_by("goal__number").first()
    membership = membership or qs.order_by("-plan__period_start", "goal__number").first()
    if membership is not None:
        return place(membership)
    return Indicator.objects.filter(code=code).first()


def indicator_plans(*, indicator: Indicator) -> list[IndicatorMembership]:
    """Every plan an indicator serves, newest first, with its goal there."""
    return list(
        IndicatorMembership.objects.filter(indicator=indicator)
        .select_related("plan", "goal")
        .order_by("-plan__period_start", "goal__number")
    )


def goals_for_strategy(*, strategy: Strategy) -> QuerySet[Goal]:
    return Goal.objects.filter(strategy=strategy).order_by("number")


def measures_for_plan(*, plan: ActionPlan) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(plan=plan)
        .select_related("goal")
        .prefetch_related("responsible")
        .order_by("sort_key")
    )


def indicators_for_goal(*, goal: Goal, plan: ActionPlan) -> list[Indicator]:
    return plan_indicators(plan=plan, goal=goal)


def observations_for_indicator(
    *,
    indicator: Indicator,
    published_only: bool = True,
    area: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    breakdown: dict[str, str] | None = None,
) -> QuerySet[Observation]:
    qs = Observation.objects.filter(indicator=indicator).select_related("area")
    if published_only:
        qs = qs.filter(published=True)
    if area:
        qs = qs.filter(area__code=area)
    if period_from:
        qs = qs.filter(period__gte=period_from)
    if period_to:
        qs = qs.filter(period__lte=period_to)
    for dim, value in (breakdown or {}).items():
        qs = (
            qs.filter(breakdown__contains={dim: value})
            if _json_contains()
            else qs.filter(breakdown_key__regex=rf"(^|;){_re(dim)}={_re(value)}(;|$)")
        )
    return qs.order_by("period_sort", "period", "area__code", "breakdown_key", "statistic")


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _re(text: str) -> str:
    import re

    return re.escape(text)


@dataclass
class Series:
    """One line of a table or chart: a breakdown × statistic × area over the periods."""

    label: str
    breakdown: dict[str, str]
    statistic: str
    area_name: str
    points: dict[str, Observation] = field(default_factory=dict)


@dataclass
class IndicatorTable:
    indicator: Indicator
    periods: list[str]
    series: list[Series]

    @property
    def is_empty(self) -> bool:
        return not self.series


def breakdown_label(breakdown: dict[str, str]) -> str:
    from lagesbild.indicators.labels import value_label

    if not breakdown:
        return _("Totalt")
    return ", ".join(value_label(dim, val) for dim, val in breakdown.items())


def _(text: str) -> str:
    from django.utils.translation import gettext

    return gettext(text)


def indicator_table(
    *, indicator: Indicator, published_only: bool = True, observations=None
) -> IndicatorTable:
    """Pivot an indicator's observations into series (rows) × periods (columns).

    `observations` (optional) pivots an already filtered set instead of all of them.
    """
    if observations is None:
        observations = observations_for_indicator(
            indicator=indicator, published_only=published_only
        )
    observations = list(observations)
    periods: list[str] = sorted({o.period for o in observations}, key=lambda p: (int(p[:4]), p))
    rows: OrderedDict[tuple, Series] = OrderedDict()
    for obs in sorted(observations, key=_series_order(indicator)):
        key = (obs.area.code, obs.breakdown_key, obs.statistic)
        if key not in rows:
            label = breakdown_label(obs.breakdown)
            if obs.statistic == Statistic.MEDIAN:
                label = (
                    _("Medianen i riket – %(label)s") % {"label": label}
                    if obs.breakdown
                    else _("Medianen i riket")
                )
            rows[key] = Series(label, obs.breakdown, obs.statistic, obs.area.name)
        rows[key].points[obs.period] = obs
    return IndicatorTable(indicator, periods, list(rows.values()))


def _series_order(indicator: Indicator):
    """Rows in the report's order: by the indicator's breakdown dimensions, totals first."""
    from lagesbild.indicators.labels import value_order

    dims = indicator.breakdowns

    def key(obs: Observation):
        parts = tuple(value_order(d, obs.breakdown.get(d)) for d in dims)
        return (parts, obs.statistic != Statistic.VALUE, obs.area.code, obs.period_sort)

    return key


def data_version(*, extra_models=(), extra_stamps: tuple[str, ...] = ()) -> str:
    """A version of the published figures that changes whenever any of them changes.

    Cached pages and downloads are keyed by it. Two parts: the counter that
    `services.bump_data_version()` bumps after each committed write (exact within a shared
    cache), and the newest history ids of observations and indicators (plus `extra_models`
    with simple-history, and `extra_stamps`: scalar SQL subqueries written in code, never from
    input), read from the database in one query, so that a write made by another process also
    gives a new version even when each process has its own memory cache.
    """
    import time

    from django.core.cache import cache
    from django.db import connection

    from lagesbild.indicators.services import DATA_VERSION_KEY

    counter = cache.get(DATA_VERSION_KEY)
    if counter is None:
        cache.add(DATA_VERSION_KEY, time.time_ns(), None)
        counter = cache.get(DATA_VERSION_KEY)
    with connection.cursor() as cursor:
        cursor.execute(
            _version_sql(connection.vendor, (Observation, Indicator, *extra_models), extra_stamps)
        )
        stamps = cursor.fetchone()
    return ".".join(str(x or 0) for x in (counter, *stamps))


@functools.cache
def _version_sql(vendor: str, models: tuple, extra_stamps: tuple[str, ...] = ()) -> str:
    """One query for the newest history id of each model (built once: `Model.history` is slow)."""
    from django.db import connection

    qn = connection.ops.quote_name
    return "SELECT " + ", ".join(
        [f"(SELECT MAX(history_id) FROM {qn(m.history.model._meta.db_table)})" for m in models]
        + list(extra_stamps)
    )
