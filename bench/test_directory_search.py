"""Benchmark: the public support search over the demo register (`make bench`)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "stockholm"


class _Quiet:
    def write(self, *_a, **_k):
        pass


@pytest.fixture
def register(db):
    from lagesbild.directory.demo import load
    from lagesbild.strategy.loader import load_config

    load_config(DATA_DIR)
    load(DATA_DIR, _Quiet())


@pytest.mark.django_db
def test_search_page(benchmark, client, register):
    params = {"kommun": "0180", "alder": "30", "kon": "kvinna", "typ": "vinr", "roll": "utsatt"}
    response = benchmark(client.get, "/stod/", params)
    assert response.status_code == 200
    assert b"Kvinnofridslinjen" in response.content


@pytest.mark.django_db
def test_coverage_as_of(benchmark, register):
    from datetime import date

    from lagesbild.directory.selectors import coverage_as_of

    cells, _ = benchmark(coverage_as_of, on=date(2025, 11, 30))
    assert len(cells) == 30
