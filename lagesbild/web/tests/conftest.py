"""Fixtures for the public pages: a plan with a measure and a reporting round."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def plan_round(build):
    """(plan, measure, round, organisations) on the builder's strategy, goal 1."""
    from lagesbild.core.models import Organisation
    from lagesbild.reporting.models import ReportingRound
    from lagesbild.strategy.models import ActionPlan, Measure

    owner = Organisation.objects.get(key="lansstyrelsen")
    plan = ActionPlan.objects.create(
        key="plan-test",
        title="Testplan 2024–2027",
        strategy=build.strategy,
        period_start=2024,
        period_end=2027,
        owner=owner,
    )
    measure = Measure.objects.create(
        plan=plan,
        goal=build.goal(1),
        code="1.1",
        sort_key=1001,
        text="Utbilda personal om våld",
        responsible_text="Polisen och Kriminalvården",
        follow_up="Antal utbildade",
        frequency="annual",
    )
    polisen, _ = Organisation.objects.get_or_create(
        key="polisen", defaults={"name": "Polismyndigheten", "kind": "state_agency"}
    )
    kriminalvarden, _ = Organisation.objects.get_or_create(
        key="kriminalvarden", defaults={"name": "Kriminalvården", "kind": "state_agency"}
    )
    measure.responsible.set([polisen, kriminalvarden])
    old = ReportingRound.objects.create(
        year=2024, plan=plan, opens_on=dt.date(2024, 9, 1), closes_on=dt.date(2024, 10, 1)
    )
    rnd = ReportingRound.objects.create(
        year=2025, plan=plan, opens_on=dt.date(2025, 9, 1), closes_on=dt.date(2025, 10, 1)
    )
    return {
        "plan": plan,
        "measure": measure,
        "round": rnd,
        "old_round": old,
        "polisen": polisen,
        "kriminalvarden": kriminalvarden,
    }
