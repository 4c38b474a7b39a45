"""Online fetch through the clients (httpx.MockTransport only) and the computed series."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import httpx
import pytest
from django.core.management import CommandError, call_command

from lagesbild.core.models import Area
from lagesbild.indicators.models import ImportRun, Observation
from lagesbild.sources import registry
from lagesbild.sources.tests.conftest import PAYLOADS
from lagesbild.sources.tests.test_importers import TAB638_MAP, counts, imp, write


@pytest.fixture
def tab638(build, tmp_path):
    build.indicator("T-FOLK", unit="count", breakdowns=["sex"])
    return write(tmp_path / "tab638.yaml", TAB638_MAP)


def test_pxweb_fetch_posts_selection_and_imports_with_url(tab638, tmp_path, monkeypatch):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/config"):
            return httpx.Response(
                200, content=(PAYLOADS / "scb_pxwebapi2_config.json").read_bytes()
            )
        return httpx.Response(
            200, content=(PAYLOADS / "scb_pxwebapi2_TAB638_data_jsonstat2.json").read_bytes()
        )

    monkeypatch.setattr(registry, "HTTP_TRANSPORT", httpx.MockTransport(handler))
    saved = tmp_path / "TAB638.json"
    summary = imp(
        "pxweb",
        "TAB638",
        "--map",
        str(tab638),
        "--select",
        "Region=00",
        "--select",
        "Kon=1",
        "--select",
        "Tid=2024",
        "--save",
        str(saved),
    )
    assert summary["created"] == 1
    post = seen[-1]
    assert post.method == "POST" and post.url.path == "/api/v2/tables/TAB638/data"
    assert json.loads(post.content)["selection"][0] == {
        "variableCode": "Region",
        "valueCodes": ["00"],
    }
    run = ImportRun.objects.get(kind="import")
    assert run.url == "https://statistikdatabasen.scb.se/api/v2/tables/TAB638/data?lang=sv"
    assert run.file_name == "TAB638.json" and len(run.sha256) == 64
    assert (
        saved.read_bytes() == (PAYLOADS / "scb_pxwebapi2_TAB638_data_jsonstat2.json").read_bytes()
    )


def test_pxweb_fetch_error_is_a_clear_command_error(tab638, monkeypatch):
    def handler(request):
        if request.url.path.endswith("/config"):
            return httpx.Response(
                200, content=(PAYLOADS / "scb_pxwebapi2_config.json").read_bytes()
            )
        return httpx.Response(403)

    monkeypatch.setattr(registry, "HTTP_TRANSPORT", httpx.MockTransport(handler))
    before = counts()
    with pytest.raises(CommandError, match="för många anrop eller för stor fråga"):
        call_command(
            "import_stats",
            "pxweb",
            "TAB638",
            "--map",
            str(tab638),
            "--select",
            "Tid=2024",
            stdout=StringIO(),
        )
    assert counts() == before


def test_kolada_fetch_imports_pages(build, monkeypatch):
    Area.objects.create(code="0180", name="Stockholm", level="municipality", parent=build.county)
    build.indicator("T-TRYGG", source_codes={"kolada": ["N15643"]})
    pages = {
        "/v3/data/kpi/N15643/municipality/0180/year/2024": {
            "values": [
                {
                    "kpi": "N15643",
                    "municipality": "0180",
                    "period": 2024,
                    "values": [{"gender": "T", "value": 70.2, "count": 1, "status": ""}],
                }
            ],
            "count": 2,
            "next_url": "https://api.kolada.se/v3/data/kpi/N15643/municipality/0180/year/2024?page=2",
        },
    }

    def handler(request):
        if request.url.params.get("page") == "2":
            return httpx.Response(
                200,
                json={
                    "values": [
                        {
                            "kpi": "N15643",
                            "municipality": "0180",
                            "period": 2023,
                            "values": [{"gender": "T", "value": 69.0, "count": 1, "status": ""}],
                        }
                    ],
                    "count": 2,
                },
            )
        assert request.url.params["per_page"] == "5000"
        return httpx.Response(200, json=pages[request.url.path])

    monkeypatch.setattr(registry, "HTTP_TRANSPORT", httpx.MockTransport(handler))
    summary = imp("kolada-fetch", "--kpi", "N15643", "--area", "0180", "--year", "2024")
    assert summary["created"] == 2  # both pages
    run = ImportRun.objects.get(kind="import")
    assert run.url == "https://api.kolada.se/v3/data/kpi/N15643/municipality/0180/year/2024"


# --- aggregation ----------------------------------------------------------------------------------


@pytest.fixture
def answers(build):
    """Four municipalities (one answers per city district) and a municipality in another county."""
    county = build.county
    other = Area.objects.create(code="03", name="Uppsala län", level="county", parent=build.country)
    k = {}
    for code, name, parent in [
        ("0114", "Upplands Väsby", county),
        ("0115", "Vallentuna", county),
        ("0117", "Österåker", county),
        ("0180", "Stockholm", county),
        ("0380", "Uppsala", other),
    ]:
        k[code] = Area.objects.create(code=code, name=name, level="municipality", parent=parent)
    for code in ("0180-A", "0180-B", "0180-C"):
        Area.objects.create(code=code, name=code, level="district", parent=k["0180"])
    ind = build.indicator("T-OJ", unit="percent")
    # yes = 100, no = 0; Vallentuna did not answer; Stockholm answers per district
    for code, value in [
        ("0114", 100),
        ("0115", None),
        ("0117", 0),
        ("0180", 100),
        ("0180-A", 100),
        ("0180-B", 0),
        ("0180-C", 100),
        ("0380", 100),
    ]:
        area = Area.objects.get(code=code)
        build.observation(ind, "2025", value, area=area)
    return ind


def test_county_value_is_yes_over_answers_and_national_median(answers):
    out = StringIO()
    call_command("aggregate", "T-OJ", "--period", "2025", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["created"] == 2
    county = Observation.objects.get(indicator=answers, area__code="01", statistic="value")
    # answers: 0114 yes, 0117 no, 0180-A yes, 0180-B no, 0180-C yes → 3 / 5
    assert (county.numerator, county.denominator, county.respondents) == (3, 5, 5)
    assert county.value == Decimal("60")
    assert "0180-A" in county.note and "Utan svar: 0115" in county.note
    assert county.import_run.source == "Lägesbild, beräknat ur T-OJ 2025"
    median = Observation.objects.get(indicator=answers, area__code="00", statistic="median")
    # all municipalities with a value: 0114 100, 0117 0, 0180 100, 0380 100 → median 100
    assert median.value == Decimal("100")
    again = StringIO()
    call_command("aggregate", "T-OJ", "--period", "2025", "--json", stdout=again)
    assert json.loads(again.getvalue())["unchanged"] == 2


def test_county_value_from_listed_areas_and_dry_run(answers):
    before = counts()
    out = StringIO()
    call_command(
        "aggregate",
        "T-OJ",
        "--period",
        "2025",
        "--areas",
        "0114,0117",
        "--no-median",
        "--dry-run",
        stdout=out,
    )
    assert "T-OJ 01 2025 totalt (value): ny → 50,0" in out.getvalue()
    assert counts() == before


def test_aggregate_refuses_a_value_that_is_not_an_answer(answers, build):
    obs = Observation.objects.get(indicator=answers, area__code="0114")
    Observation.objects.filter(pk=obs.pk).update(value=Decimal("40"))
    with pytest.raises(CommandError):
        call_command("aggregate", "T-OJ", "--period", "2025", stdout=StringIO(), stderr=StringIO())
