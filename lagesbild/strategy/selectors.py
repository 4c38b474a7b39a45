"""Reads of strategies and action plans: which plan is in force in a year.

A report year resolves to exactly one action plan (and through it one strategy). Where the
configuration allows more than one, or none, the caller gets a :class:`PlanError` whose Swedish
message lists the candidates; there is never a silent fallback to another period.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from lagesbild.strategy.models import ActionPlan


class PlanError(ValueError):
    """No plan, or more than one, is in force for a year; the message says which."""


def _describe(plans) -> str:
    return ", ".join(f"{p.key} ({p.period_start}–{p.period_end})" for p in plans)


def plans_in_force(*, year: int) -> QuerySet[ActionPlan]:
    """Action plans whose period covers ``year`` and that the strategy's owner adopted.

    A plan an organisation loads for its own work against the same goals (another owner) is
    never taken for the strategy's plan; it can still be chosen by key.
    """
    return (
        ActionPlan.objects.filter(period_start__lte=year, period_end__gte=year)
        .filter(owner_id=F("strategy__owner_id"))
        .select_related("strategy", "strategy__owner", "strategy__area", "owner")
        .order_by("-period_start", "key")
    )


def plan_in_force(*, year: int, plan_key: str | None = None) -> ActionPlan:
    """The one action plan a report for ``year`` follows.

    With ``plan_key`` that plan, which must cover the year. Without, the single own plan of a
    strategy whose period covers the year. Raises :class:`PlanError` with the candidates when
    there are several and with the plans there are when there is none.
    """
    if plan_key:
        plan = (
            ActionPlan.objects.select_related("strategy", "strategy__owner", "strategy__area")
            .filter(key=plan_key)
            .first()
        )
        if plan is None:
            known = _describe(ActionPlan.objects.order_by("period_start", "key"))
            raise PlanError(
                f"Det finns ingen handlingsplan med nyckeln '{plan_key}'. "
                f"Inlästa planer: {known or 'inga'}."
            )
        if not plan.period_start <= year <= plan.period_end:
            raise PlanError(
                f"Handlingsplanen {plan.key} gäller {plan.period_start}–{plan.period_end}, "
                f"inte {year}."
            )
        return plan
    candidates = list(plans_in_force(year=year))
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise PlanError(
            f"Flera handlingsplaner gäller {year}: {_describe(candidates)}. "
            "Välj en med --plan NYCKEL (på webben ?plan=NYCKEL)."
        )
    known = _describe(ActionPlan.objects.order_by("period_start", "key"))
    raise PlanError(
        f"Ingen handlingsplan gäller år {year}. "
        + (f"Inlästa planer: {known}." if known else "Ingen handlingsplan är inläst.")
    )


def plan_by_key(*, key: str) -> ActionPlan | None:
    return ActionPlan.objects.select_related("strategy").filter(key=key).first()


def series_first_year(*, plan: ActionPlan) -> int:
    """The first year of the report's time series: the plan's setting, else the year before
    the strategy started."""
    if plan.series_first_year:
        return plan.series_first_year
    return plan.strategy.period_start - 1
