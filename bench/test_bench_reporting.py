"""Benchmarks of reporting (run with `make bench`; never part of `make test`).

* building the coordinator's workbook for the whole demo round 2026 (every submission)
* checking an upload of that workbook (every cell validated, nothing written)
* rendering the coordinator's overview matrix
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from lagesbild.reporting import excel
from lagesbild.reporting.models import ReportingRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DEMO_PASSWORD", "bench-lösenord")
    call_command("demo", stdout=io.StringIO())
    return User.objects.get(username="samordnare"), ReportingRound.objects.get(year=2026)


def test_workbook_build_whole_round(benchmark, demo):
    user, rnd = demo
    data = benchmark(lambda: excel.workbook_build(user=user, round=rnd))
    assert data[:2] == b"PK"


def test_upload_parse_whole_round(benchmark, demo):
    user, rnd = demo
    data = excel.workbook_build(user=user, round=rnd)
    plan = benchmark(lambda: excel.upload_parse(upload=data, user=user, round=rnd))
    assert plan.changes == []


def test_overview_page(benchmark, demo):
    user, _rnd = demo
    client = Client()
    client.force_login(user)
    benchmark(lambda: client.get("/rapportering/2026/oversikt/"))
