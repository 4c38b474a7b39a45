"""Model invariants of observations: one value per cell, reasons for gaps, kept history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from lagesbild.indicators.models import Observation
from lagesbild.indicators.services import (
    ObservationInput,
    breakdown_key,
    observation_revise,
    observation_upsert,
    parse_breakdown,
)

pytestmark = pytest.mark.django_db


def test_breakdown_key_is_canonical():
    assert breakdown_key({"sex": "kvinnor", "age": "18+"}) == "age=18+;sex=kvinnor"
    assert parse_breakdown("sex=kvinnor;age=18+") == {"sex": "kvinnor", "age": "18+"}
    with pytest.raises(ValueError, match="dimension=värde"):
        parse_breakdown("kvinnor")


def test_one_value_per_cell(build):
    ind = build.indicator("T1", values={"2024": 1})
    obs = ind.observations.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            indicator=ind,
            area=obs.area,
            period="2024",
            period_kind="year",
            period_sort=2024,
            breakdown={},
            breakdown_key="",
            value=Decimal(2),
        )


def test_missing_value_needs_a_reason(build):
    ind = build.indicator("T1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            indicator=ind,
            area=build.county,
            period="2024",
            period_kind="year",
            period_sort=2024,
            value=None,
        )


def test_upsert_is_idempotent_and_revision_keeps_history(build):
    ind = build.indicator("T1", unit="count")
    data = ObservationInput(
        indicator=ind, area=build.county, period="2024", breakdown={}, value=Decimal("634")
    )
    obs, action = observation_upsert(data=data, import_run=build.run)
    assert action == "created"
    _obs, action = observation_upsert(data=data, import_run=build.run)
    assert action == "unchanged"
    assert obs.history.count() == 1

    data.value = Decimal("650")
    obs, action = observation_upsert(data=data, import_run=build.run, reason="Ny leverans")
    assert action == "updated"
    assert obs.revised is True
    assert [h.value for h in obs.history.order_by("history_date")] == [
        Decimal("634"),
        Decimal("650"),
    ]
    assert obs.history.latest().history_change_reason == "Ny leverans"


def test_revision_requires_reason(build):
    obs = build.indicator("T1", values={"2024": 1}).observations.get()
    with pytest.raises(ValueError, match="skäl"):
        observation_revise(observation=obs, value=Decimal(2), reason=" ")


def test_school_year_periods_sort_by_start_year(build):
    ind = build.indicator(
        "T1",
        unit="mean_0_10",
        decimals=1,
        values={"2024/2025": "6.9", "2022/2023": "6.9", "2023/2024": "6.9"},
    )
    assert list(ind.observations.order_by("period_sort").values_list("period", flat=True)) == [
        "2022/2023",
        "2023/2024",
        "2024/2025",
    ]
    assert ind.observations.first().period_kind == "school_year"


def test_bad_period_is_rejected(build):
    ind = build.indicator("T1")
    data = ObservationInput(
        indicator=ind, area=build.county, period="2024/2026", breakdown={}, value=Decimal(1)
    )
    with pytest.raises(ValueError, match="läsår"):
        observation_upsert(data=data, import_run=build.run)
