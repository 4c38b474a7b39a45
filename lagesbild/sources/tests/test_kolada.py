import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from lagesbild.sources.base import ParseError
from lagesbild.sources.kolada import KoladaClient, KoladaError, parse

from .conftest import PAYLOADS, payload

BASE = "https://api.kolada.se/v3"


def by_key(result):
    return {tuple(c.dims.values()): c for c in result.cells}


# --- parser ----------------------------------------------------------------------------------------


def test_parse_hand_made_sample():
    result = parse(PAYLOADS / "kolada_v3_sample.json")
    assert result.kind == "municipality"
    assert result.deleted == 1
    assert result.count == 6 and result.next_url is None
    cells = by_key(result)
    assert len(cells) == 9
    total = cells[("N15643", "0000", "2023", "totalt")]
    assert total.value == Decimal("74.1")
    assert total.labels == {"sex": "Totalt"}
    assert cells[("N15643", "0000", "2023", "kvinnor")].value == Decimal("71.3")
    assert cells[("N15643", "0000", "2023", "man")].value == Decimal("76.9")
    assert cells[("N15643", "0000", "2023", "man")].labels == {"sex": "Män"}
    # the deleted row is skipped, the live one kept
    assert cells[("N15643", "0180", "2024", "totalt")].value == Decimal("70.2")
    # value null → missing, with Kolada's status or "saknas"
    missing = cells[("N15643", "0184", "2024", "totalt")]
    assert (missing.value, missing.status) == (None, "Missing")
    no_status = cells[("N15633", "0184", "2024", "kvinnor")]
    assert (no_status.value, no_status.status) == (None, "saknas")
    zero = cells[("N15633", "0184", "2024", "totalt")]
    assert (zero.value, zero.status) == (Decimal(0), None)
    assert result.group_counts == {("N15633", "G124011", "2024", "totalt"): 26}


def test_parse_ou_data():
    result = parse(PAYLOADS / "kolada_v3_oudata_sample.json")
    assert result.kind == "ou"
    assert [c.dims["area"] for c in result.cells] == ["V15E018000101", "V15E018000102"]
    assert result.cells[1].status == "saknas"


def test_parse_collects_all_problems():
    bad = {
        "values": [
            {"kpi": "N1", "municipality": "0180", "period": "20x4", "values": []},
            {
                "kpi": "N1",
                "municipality": "0180",
                "period": 2024,
                "values": [
                    {"gender": "F", "value": 1},
                    {"gender": "T", "value": "abc"},
                    {"gender": "K", "value": 1, "isdeleted": "no"},
                ],
            },
            {"kpi": "N1", "municipality": "0180", "ou": "V1", "period": 2024, "values": []},
        ]
    }
    with pytest.raises(ParseError) as exc:
        parse(json.dumps(bad).encode(), file="kolada.json")
    assert [str(p) for p in exc.value.problems] == [
        "kolada.json post 1, fält 'period': '20x4' är inte ett år (ÅÅÅÅ)",
        "kolada.json post 2, fält 'gender': 'F' är inte T, K eller M",
        "kolada.json post 2, fält 'value': 'abc' är inte ett tal",
        "kolada.json post 2, fält 'isdeleted': 'no' är inte true/false",
        "kolada.json post 3, fält 'municipality': posten måste ha exakt ett av 'municipality' "
        "och 'ou'",
    ]


def test_parse_rejects_duplicates_and_mixed_kinds():
    doc = {
        "values": [
            {
                "kpi": "N1",
                "municipality": "0180",
                "period": 2024,
                "values": [{"gender": "T", "value": 1}],
            },
            {
                "kpi": "N1",
                "municipality": "0180",
                "period": 2024,
                "values": [{"gender": "T", "value": 2}],
            },
            {"kpi": "N1", "ou": "V1", "period": 2024, "values": [{"gender": "T", "value": 2}]},
        ]
    }
    with pytest.raises(ParseError) as exc:
        parse(json.dumps(doc).encode(), file="k.json")
    text = str(exc.value)
    assert "post 2, fält 'gender': dubblett: samma kpi/område/år/kön som post 1" in text
    assert "blandar kommundata" in text


def test_parse_not_a_kolada_response():
    with pytest.raises(ParseError, match="saknar listan 'values'"):
        parse(b'{"title": "x"}', file="k.json")


# --- client ----------------------------------------------------------------------------------------


class FakeTime:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self):
        return self.now

    def sleep(self, s):
        self.sleeps.append(s)
        self.now += s


def client_for(handler, **kw):
    fake = FakeTime()
    client = KoladaClient(
        BASE, transport=httpx.MockTransport(handler), sleep=fake.sleep, clock=fake.clock, **kw
    )
    return client, fake


def test_paths_chunk_every_segment_to_25_ids():
    kpis = [f"N{i:05d}" for i in range(30)]
    munis = [f"{i:04d}" for i in range(60)]
    years = list(range(1990, 2020))
    paths = KoladaClient.data_paths(kpis, munis, years)
    assert len(paths) == 2 * 3 * 2
    for path in paths:
        parts = path.split("/")
        assert parts[1:3] == ["data", "kpi"] and parts[4] == "municipality" and parts[6] == "year"
        for segment in (parts[3], parts[5], parts[7]):
            assert 1 <= len(segment.split(",")) <= 25
    seen = {
        (k, m, y)
        for p in paths
        for k in p.split("/")[3].split(",")
        for m in p.split("/")[5].split(",")
        for y in p.split("/")[7].split(",")
    }
    assert len(seen) == 30 * 60 * 30


def test_paths_need_two_segments_and_support_ou():
    assert KoladaClient.data_paths("N1", None, [2023, 2024]) == ["/data/kpi/N1/year/2023,2024"]
    assert KoladaClient.data_paths("N1", "V15E018000101", 2024, ou=True) == [
        "/oudata/kpi/N1/ou/V15E018000101/year/2024"
    ]
    with pytest.raises(ValueError):
        KoladaClient.data_paths("N1")
    with pytest.raises(ValueError):
        KoladaClient.data_paths("N1,N2", "0180")


def test_follows_next_url_with_per_page_and_from_date():
    page1 = {
        "values": json.loads(payload("kolada_v3_sample.json"))["values"][:3],
        "count": 6,
        "next_url": f"{BASE}/data/kpi/N15643,N15633/municipality/0000,0180,0184,G124011?page=2&per_page=5000",
    }
    page2 = {"values": json.loads(payload("kolada_v3_sample.json"))["values"][3:], "count": 6}
    seen = []

    def handler(request):
        seen.append(request.url)
        if request.url.params.get("page") == "2":
            return httpx.Response(200, json=page2)
        return httpx.Response(200, json=page1)

    client, _ = client_for(handler)
    result = client.fetch_cells(
        ["N15643", "N15633"], ["0000", "0180", "0184", "G124011"], from_date="2025-01-01"
    )
    assert len(seen) == 2
    first = urlsplit(str(seen[0]))
    assert first.path == "/v3/data/kpi/N15643,N15633/municipality/0000,0180,0184,G124011"
    assert parse_qs(first.query) == {"per_page": ["5000"], "from_date": ["2025-01-01"]}
    assert seen[1].params["page"] == "2"
    assert len(result.cells) == 9 and result.deleted == 1


def test_fetch_bytes_round_trips_through_parser():
    sample = json.loads(payload("kolada_v3_sample.json"))

    def handler(request):
        return httpx.Response(200, json=sample)

    client, _ = client_for(handler)
    data = client.fetch_bytes("N15643", ["0180"], [2023, 2024])
    result = parse(data, file="kolada.json")
    assert len(result.cells) == 9


def test_retries_429_and_5xx_with_backoff():
    responses = [
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.Response(503),
        httpx.Response(200, json={"values": [], "count": 0}),
    ]

    def handler(request):
        return responses.pop(0)

    client, fake = client_for(handler)
    assert client.fetch("N1", "0180") == {"values": [], "count": 0}
    assert fake.sleeps[:2] == [3.0, 2.0]


def test_gives_up_after_three_retries():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(500)

    client, _ = client_for(handler)
    with pytest.raises(KoladaError, match="serverfel .*HTTP 500.* efter 3 nya försök"):
        client.fetch("N1", "0180")
    assert len(calls) == 4


def test_400_is_not_retried():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(400)

    client, _ = client_for(handler)
    with pytest.raises(KoladaError, match="HTTP 400") as exc:
        client.fetch("N1", "0180")
    assert exc.value.status_code == 400 and len(calls) == 1


def test_next_url_loop_is_detected():
    def handler(request):
        return httpx.Response(200, json={"values": [], "next_url": f"{BASE}/data/x?page=2"})

    client, _ = client_for(handler)
    with pytest.raises(KoladaError, match="cirkel"):
        client.fetch("N1", "0180")


def test_polite_rate_limit():
    def handler(request):
        return httpx.Response(200, json={"values": []})

    client, fake = client_for(handler)
    client.fetch([f"N{i}" for i in range(26 * 6)], "0180")  # 7 requests
    assert fake.now >= 1.0  # at most 5 requests per second


def test_bad_from_date():
    client, _ = client_for(lambda r: httpx.Response(200, json={"values": []}))
    with pytest.raises(ValueError, match="from_date"):
        client.fetch("N1", "0180", from_date="1/1/2025")
