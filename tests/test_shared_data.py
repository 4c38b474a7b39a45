"""The shared Stockholm world (tests/shared_data.py): each test sees exactly the world it asks
for, and nothing another test changed. The tests hold whatever order they run in; in file order
(one worker, --dist loadfile) they also cross from the world to an empty database and back."""

from __future__ import annotations

import pytest

from lagesbild.indicators.models import Indicator, Observation
from lagesbild.strategy.models import ActionPlan
from tests.shared_data import open_steps

CHANGED_NAME = "Ändrad av ett test"


def test_a_test_changes_the_shared_world(stockholm):
    assert open_steps() == ("config", "observations")
    indicator = Indicator.objects.get(code="S1.1")
    indicator.name = CHANGED_NAME
    indicator.save()
    Observation.objects.filter(indicator__code="S6.1").delete()
    assert not Observation.objects.filter(indicator__code="S6.1").exists()


def test_the_next_test_sees_the_world_as_loaded(stockholm):
    assert Indicator.objects.get(code="S1.1").name != CHANGED_NAME
    assert Observation.objects.filter(indicator__code="S6.1").exists()


def test_a_test_without_the_world_sees_an_empty_database(db):
    assert open_steps() is None
    assert not Indicator.objects.exists()
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_a_marked_test_without_the_world_sees_an_empty_database():
    assert open_steps() is None
    assert not Indicator.objects.exists()


def test_a_larger_world_holds_the_follow_ups_too(stockholm_followups):
    assert open_steps() == ("config", "observations", "followups")
    assert Indicator.objects.filter(code="S1.1").exists()


@pytest.mark.django_db(transaction=True)
def test_a_test_with_real_transactions_loads_its_own_world(stockholm):
    assert open_steps() is None
    assert Indicator.objects.filter(code="S1.1").exists()


def test_after_a_transactional_test_the_world_is_loaded_again(stockholm):
    assert open_steps() == ("config", "observations")
    assert Indicator.objects.get(code="S1.1").name != CHANGED_NAME
