"""Fixtures for the public pages: a plan with a measure and a reporting round."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def plan_round(build):
    """(plan, measure, round, organisations) on the builder's strategy, goal 1."""
    from lagesbild.reporting.models import ReportingRound

    plan = build.plan("plan-test")
    polisen = build.organisation("polisen", "Polismyndigheten")
    kriminalvarden = build.organisation("kriminalvarden", "Kriminalvården")
    measure = build.measure(
        plan,
        "1.1",
        text="Utbilda personal om våld",
        responsible=[polisen, kriminalvarden],
        responsible_text="Polisen och Kriminalvården",
        follow_up="Antal utbildade",
    )
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
