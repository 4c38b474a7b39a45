"""The read API: stable shapes, exact decimals, published data only."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import connection

    def broken():
        raise RuntimeError("databasen svarar inte")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    # liveness does not depend on the database
    live = client.get("/healthz/live")
    assert live.status_code == 200 and live.json() == {"status": "ok"}


def test_openapi_schema_lists_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/goals",
        "/api/v1/measures",
        "/api/v1/indicators",
        "/api/v1/indicators/{code}/observations",
    } <= set(schema["paths"])


def test_goals_and_indicators(client, build):
    build.indicator("T1", goal=6, name="Andel beviljade kontaktförbud", values={"2024": 37})
    goals = client.get("/api/v1/goals").json()
    assert goals == [
        {"number": 6, "name": "Förebygga våld", "formulation": "Formulering för mål 6"}
    ]
    indicators = client.get("/api/v1/indicators").json()
    assert indicators[0]["code"] == "T1"
    assert indicators[0]["unit"] == "percent"
    assert indicators[0]["status"] == "active"
    assert indicators[0]["source"] == "Testkälla"


def test_observation_values_are_exact_decimal_strings(client, build):
    build.indicator("T2", unit="rate_per_100k", decimals=2, values={"2022": "0.93", "2025": "2.29"})
    rows = client.get("/api/v1/indicators/T2/observations").json()
    assert [(r["period"], r["value"]) for r in rows] == [("2022", "0.93"), ("2025", "2.29")]
    assert rows[0]["unit"] == "rate_per_100k"
    assert rows[0]["area"] == "01"
    assert rows[0]["breakdown"] == {}
    assert rows[0]["flags"] == []


def test_unpublished_observations_are_never_in_the_api(client, build):
    indicator = build.indicator("T3", values={"2024": 10})
    build.observation(indicator, "2025", 99, published=False)
    rows = client.get("/api/v1/indicators/T3/observations").json()
    assert [r["period"] for r in rows] == ["2024"]
    assert "99" not in str(rows)


def test_missing_value_carries_flag_and_reason(client, build):
    build.indicator("T4", values={"2024": None})
    row = client.get("/api/v1/indicators/T4/observations").json()[0]
    assert row["value"] is None
    assert row["flags"] == ["missing"]
    assert row["missing_reason"] == "Saknas i testet"


def test_unknown_indicator_is_404(client, db):
    assert client.get("/api/v1/indicators/FINNS-INTE/observations").status_code == 404


def test_stockholm_measures_and_series(client, stockholm):
    measures = client.get("/api/v1/measures").json()
    assert len(measures) == 55
    assert sum(m["frequency"] == "annual" for m in measures) == 39
    assert sum(m["frequency"] == "end_of_plan" for m in measures) == 16
    m24 = next(m for m in measures if m["code"] == "2.4")
    assert m24["goal"] == 2
    assert set(m24["responsible"]) == {"Polismyndigheten", "Åklagarmyndigheten"}
    assert m24["follow_up"].startswith("Antal beviljade kontaktförbud")
    assert len(client.get("/api/v1/goals").json()) == 8

    indicators = client.get("/api/v1/indicators").json()
    code = next(
        i["code"] for i in indicators if i["name"].startswith("Andel beviljade kontaktförbud")
    )
    rows = client.get(f"/api/v1/indicators/{code}/observations").json()
    series = [
        (r["period"], r["value"]) for r in rows if r["statistic"] == "value" and not r["breakdown"]
    ]
    assert series == [
        ("2019", "25"),
        ("2020", "25"),
        ("2021", "25"),
        ("2022", "28"),
        ("2023", "31"),
        ("2024", "37"),
        ("2025", "39"),
    ]


API_ENDPOINTS = [
    "/api/v1/goals",
    "/api/v1/measures",
    "/api/v1/indicators",
    "/api/v1/indicators/S1/observations",
    "/api/v1/indicators/S1/observations?page=1&page_size=10",
    "/api/v1/indicators/S1/observations.jsonstat",
    "/api/v1/openapi.json",
]
ROLES = ["anonymous", "reporter_polisen", "coordinator", "admin"]


@pytest.mark.parametrize("url", API_ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_same_published_api(request, client, build, role, url):
    """The API is the same for everyone: published figures only, whoever is logged in (a
    coordinator's session never opens drafts or unpublished values through it)."""
    indicator = build.indicator("S1", values={"2024": 37})
    build.observation(indicator, "2025", 88888, published=False)
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    assert response.status_code == 200
    # a JSON-stat file says when it was fetched ("updated", and "retrieved_at" in its extension):
    # the two requests may straddle a second
    fetched = re.compile(rb'"(?:updated|retrieved_at)":\s*"[^"]*"')
    assert fetched.sub(b"", response.content) == fetched.sub(b"", anonymous.content)
    assert b"88888" not in response.content
    # the data endpoints are read only for every role (the schema view answers any method)
    if "openapi" not in url:
        assert client.post(url.split("?")[0], {}).status_code in (403, 404, 405)
