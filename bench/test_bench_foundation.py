"""Benchmarks of the foundation (run with `make bench`; never part of `make test`).

* loading the Stockholm configuration and figures again (the idempotent path of `lagesbild demo`)
* rendering the indicator page and the goal page for the demo data
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import DATA_DIR
from lagesbild.indicators.demo import load_observation_files
from lagesbild.strategy.loader import load_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_config(DATA_DIR)
    load_observation_files(DATA_DIR)


def test_reload_configuration_and_figures(benchmark, demo):
    benchmark.pedantic(
        lambda: (load_config(DATA_DIR), load_observation_files(DATA_DIR)), rounds=3, iterations=1
    )


def test_indicator_page_uncached(benchmark, demo):
    client = Client()

    def render():
        cache.clear()
        assert client.get("/indikator/S5.1/").status_code == 200

    benchmark(render)


def test_goal_page(benchmark, demo):
    client = Client()
    benchmark(lambda: client.get("/mal/5/"))
