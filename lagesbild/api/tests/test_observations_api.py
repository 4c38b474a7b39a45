"""/api/v1 observations: filters, paging, JSON-stat, English labels, the OpenAPI schema."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from lagesbild.sources.jsonstat.parse import parse_obj

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/S1/observations"


@pytest.fixture
def series(build):
    from lagesbild.core.models import Area

    kommun = Area.objects.create(
        code="0180", name="Stockholm", level="municipality", parent=build.county
    )
    ind = build.indicator(
        "S1",
        unit="percent",
        values={"2021": 10, "2022": 11, "2023": 12, "2024": 13},
        median={"2023": 9, "2024": 8},
    )
    build.observation(ind, "2024", 30, breakdown={"sex": "kvinnor"})
    build.observation(ind, "2024", 20, breakdown={"sex": "man"})
    build.observation(ind, "2024", 40, area=kommun, provisional=True)
    build.observation(ind, "2025", 77777, published=False)
    return ind


def test_default_response_is_still_the_plain_full_list(client, series):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list) and len(body) == 9
    assert "X-Total-Count" not in response
    first = body[0]
    assert {
        "period",
        "area",
        "area_name",
        "breakdown",
        "statistic",
        "value",
        "numerator",
        "denominator",
        "unit",
        "flags",
        "missing_reason",
        "source_ref",
    } <= set(first)
    assert "77777" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("area=0180", {("0180", "2024", "")}),
        ("period_from=2023&period_to=2023&statistic=value", {("01", "2023", "")}),
        (
            "period_from=2024&breakdown=sex%3Dkvinnor",
            {("01", "2024", "sex=kvinnor")},
        ),
        ("statistic=median", {("00", "2023", ""), ("00", "2024", "")}),
        ("area=01&period_to=2021", {("01", "2021", "")}),
    ],
)
def test_filters(client, series, query, expected):
    body = client.get(f"{URL}?{query}").json()
    got = {
        (o["area"], o["period"], ";".join(f"{k}={v}" for k, v in sorted(o["breakdown"].items())))
        for o in body
    }
    assert got == expected


def test_school_years_filter_on_their_first_year(client, build):
    build.indicator("SY", values={"2022/2023": 1, "2023/2024": 2, "2024/2025": 3})
    body = client.get(
        "/api/v1/indicators/SY/observations?period_from=2023&period_to=2023/2024"
    ).json()
    assert [o["period"] for o in body] == ["2023/2024"]


def test_paging_with_total_and_next_link(client, series):
    everything = client.get(URL).json()
    pages, url = [], f"{URL}?limit=4"
    while url:
        response = client.get(url)
        assert response["X-Total-Count"] == "9"
        pages.extend(response.json())
        link = response.get("Link")
        url = link[1 : link.index(">")] if link else None
    assert pages == everything
    assert client.get(f"{URL}?limit=4&offset=8").json() == everything[8:]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=5000",
        "offset=-1",
        "period_from=2024-01",
        "breakdown=kön",
        "statistic=mean",
    ],
)
def test_bad_parameters_are_422_with_a_reason(client, series, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_unknown_indicator_is_404(client, db):
    assert client.get("/api/v1/indicators/FINNS-EJ/observations").status_code == 404
    assert client.get("/api/v1/indicators/FINNS-EJ/observations.jsonstat").status_code == 404


def test_jsonstat_endpoint_round_trips_with_status(client, series):
    response = client.get(f"{URL}.jsonstat?area=0180")
    assert response.status_code == 200
    dataset = parse_obj(json.loads(response.content, parse_float=Decimal))
    values = {
        (c.dims["area"], c.dims["period"], c.dims["statistic"]): (c.value, c.status)
        for c in dataset.cells
        if c.dims["contents"] == "value" and c.value is not None
    }
    assert values == {("0180", "2024", "value"): (Decimal(40), "p")}
    assert dataset.source == "Testkälla"
    everything = parse_obj(json.loads(client.get(f"{URL}.jsonstat").content, parse_float=Decimal))
    assert (
        sum(1 for c in everything.cells if c.dims["contents"] == "value" and c.value is not None)
        == 9
    )


def test_labels_follow_accept_language(client, series):
    sv = client.get(f"{URL}?breakdown=sex%3Dkvinnor").json()[0]
    assert (sv["breakdown_label"], sv["unit_label"], sv["statistic_label"]) == (
        "Kvinnor",
        "procent",
        "värde",
    )
    response = client.get(f"{URL}?breakdown=sex%3Dkvinnor", HTTP_ACCEPT_LANGUAGE="en")
    en = response.json()[0]
    assert (en["breakdown_label"], en["unit_label"], en["statistic_label"]) == (
        "Women",
        "per cent",
        "value",
    )
    assert response["Content-Language"] == "en"
    assert en["value"] == sv["value"] == "30"


def test_goal_names_in_english_with_swedish_fallback(client, build):
    goal = build.goal(1)
    goal.short_name_en = "Preventing violence"
    goal.save()
    build.goal(2, short_name="Förebygga återfall")
    names = [g["name"] for g in client.get("/api/v1/goals", HTTP_ACCEPT_LANGUAGE="en").json()]
    assert names == ["Preventing violence", "Förebygga återfall"]
    names = [g["name"] for g in client.get("/api/v1/goals").json()]
    assert names == ["Förebygga våld", "Förebygga återfall"]


def test_openapi_schema_is_valid(client):
    from openapi_spec_validator import validate

    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    assert "/api/v1/indicators/{code}/observations.jsonstat" in schema["paths"]
    params = {
        p["name"]
        for p in schema["paths"]["/api/v1/indicators/{code}/observations"]["get"]["parameters"]
    }
    assert {"area", "period_from", "period_to", "breakdown", "limit", "offset"} <= params
