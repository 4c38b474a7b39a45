"""Benchmark: build + render the full 2025 status report in each format (``make bench``).

First at demo size (the Stockholm demo data), then with ``lagesbild bench-data --scale
national`` loaded (21 counties × 20 years of synthetic history, ~63 000 more observations).
The report reads only what it shows, so the target is national ≤ 1.3 × demo. Each national
benchmark prints its ratio to the demo figure.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.render import CHART_FORMATS, render_report

FORMATS = ["html", "docx", "xlsx", "pdf"]
ROUNDS = {"html": 5, "docx": 5, "xlsx": 5, "pdf": 3}
DEMO_MEANS: dict[str, float] = {}
# the marker makes pytest-django create the test database when this module runs on its own
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", stdout=io.StringIO())
    return django_db_blocker


@pytest.fixture(scope="module")
def national(demo):
    with demo.unblock():
        call_command("bench_data", "--scale", "national", stdout=io.StringIO())
    return demo


def _run(blocker, fmt: str):
    with blocker.unblock():
        document = report_build(year=2025, chart_formats=CHART_FORMATS[fmt])
        return render_report(document, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_2025_demo(benchmark, demo, fmt):
    benchmark.group = f"lägesrapport 2025 {fmt}"
    result = benchmark.pedantic(_run, args=(demo, fmt), rounds=ROUNDS[fmt], warmup_rounds=1)
    assert len(result[2]) > 10_000
    DEMO_MEANS[fmt] = benchmark.stats.stats.mean


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_2025_national(benchmark, national, fmt, capsys):
    benchmark.group = f"lägesrapport 2025 {fmt}"
    result = benchmark.pedantic(_run, args=(national, fmt), rounds=ROUNDS[fmt], warmup_rounds=1)
    assert len(result[2]) > 10_000
    mean = benchmark.stats.stats.mean
    if fmt in DEMO_MEANS:
        benchmark.extra_info["ratio_to_demo"] = round(mean / DEMO_MEANS[fmt], 3)
        with capsys.disabled():
            print(
                f"\n{fmt}: demo {DEMO_MEANS[fmt]:.3f} s, national {mean:.3f} s, "
                f"kvot {mean / DEMO_MEANS[fmt]:.2f} (mål ≤ 1,30)"
            )
