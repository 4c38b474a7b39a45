"""Rendering a large series to CSV, XLSX and JSON-stat (no database: renderers never query)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lagesbild.web import downloads


@pytest.fixture(scope="module")
def table():
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = [
        downloads.Row(
            area=f"{a:04d}",
            area_name=f"Kommun {a}",
            period=str(year),
            period_sort=year,
            breakdown=f"sex={sex}",
            breakdown_label=sex.capitalize(),
            statistic="value",
            value=Decimal(a * 7 + year % 13) / 10,
            numerator=Decimal(a * 7),
            denominator=Decimal(1000),
            flags=["provisional"] if year == 2024 else [],
            missing_reason="",
            source_ref="bench",
            imported_at=now,
        )
        for a in range(100, 126)
        for year in range(2010, 2025)
        for sex in ("kvinnor", "man", "totalt")
    ]
    return downloads.DownloadTable(
        code="B1",
        name="Benchmark",
        definition="Syntetisk serie",
        unit="percent",
        unit_label="procent",
        decimals=1,
        source="bench",
        retrieved_at=now,
        rows=rows,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonstat"])
def test_render(benchmark, table, fmt):
    render = {
        "csv": downloads.render_csv,
        "xlsx": downloads.render_xlsx,
        "jsonstat": downloads.render_jsonstat,
    }[fmt]
    name, mime, body = benchmark(render, table)
    assert body and len(table.rows) == 1170
