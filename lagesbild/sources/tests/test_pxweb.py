import json
from decimal import Decimal

import httpx
import pytest

from lagesbild.sources.pxweb import PxWebClient, PxWebError

from .conftest import payload

BASE = "https://statistikdatabasen.scb.se/api/v2"
CONFIG = payload("scb_pxwebapi2_config.json")
TAB638 = payload("scb_pxwebapi2_TAB638_data_jsonstat2.json")
SELECTION = [
    {"variableCode": "Region", "valueCodes": ["00"]},
    {"variableCode": "Civilstand", "valueCodes": ["OG"]},
    {"variableCode": "Alder", "valueCodes": ["0"]},
    {"variableCode": "Kon", "valueCodes": ["1"]},
    {"variableCode": "ContentsCode", "valueCodes": ["BE0101N1"]},
    {"variableCode": "Tid", "valueCodes": ["2024"]},
]


class FakeTime:
    """A clock that only moves when the client sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(handler, fake=None):
    fake = fake or FakeTime()
    client = PxWebClient(
        BASE, transport=httpx.MockTransport(handler), sleep=fake.sleep, clock=fake.clock
    )
    return client, fake


def routes(data_responses):
    """Serve /config from the recorded payload; data responses in order."""
    calls = []
    responses = list(data_responses)

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if request.url.path.endswith("/config"):
            return httpx.Response(200, content=CONFIG)
        return responses.pop(0)

    return handler, calls


def test_config_from_recorded_payload_sets_throttle():
    handler, calls = routes([])
    client, _ = make_client(handler)
    config = client.config()
    assert config.api_version == "2.3.2"
    assert config.max_calls == 30 and config.time_window == 10.0
    assert config.max_data_cells == 150000
    assert "json-stat2" in config.data_formats
    assert (client.limiter.max_calls, client.limiter.window) == (30, 10.0)
    client.config()
    assert len(calls) == 1  # cached
    assert str(calls[0].url) == f"{BASE}/config"


def test_fetch_posts_selection_and_returns_jsonstat_bytes():
    handler, calls = routes([httpx.Response(200, content=TAB638)])
    client, _ = make_client(handler)
    selection = [dict(SELECTION[0], codelist="vs_RegionRiket99"), *SELECTION[1:]]
    data = client.fetch("TAB638", selection)
    assert data == TAB638
    request = calls[-1]
    assert request.method == "POST"
    assert request.url.path == "/api/v2/tables/TAB638/data"
    assert dict(request.url.params) == {"lang": "sv", "outputFormat": "json-stat2"}
    body = json.loads(request.content)
    assert body["selection"][0] == {
        "variableCode": "Region",
        "valueCodes": ["00"],
        "codelist": "vs_RegionRiket99",
    }
    assert body["selection"][1] == {"variableCode": "Civilstand", "valueCodes": ["OG"]}


def test_fetch_dataset_parses():
    handler, _ = routes([httpx.Response(200, content=b"\xef\xbb\xbf" + TAB638)])
    client, _ = make_client(handler)
    ds = client.fetch_dataset("TAB638", SELECTION)
    assert ds.cells[0].value == Decimal(50937)
    assert ds.file == "TAB638.json"


def test_throttles_to_config_limits():
    handler, calls = routes([httpx.Response(200, content=TAB638) for _ in range(35)])
    client, fake = make_client(handler)
    for _ in range(35):
        client.fetch("TAB638", SELECTION)
    # 1 config call + 35 data calls; the 31st call in the window had to wait out the window
    assert len(calls) == 36
    assert fake.sleeps and all(s > 0 for s in fake.sleeps)
    assert sum(fake.sleeps) == pytest.approx(10.0)


def test_limiter_never_allows_more_than_max_calls_in_window():
    from lagesbild.sources.httputil import RateLimiter

    fake = FakeTime()
    limiter = RateLimiter(3, 10.0, sleep=fake.sleep, clock=fake.clock)
    stamps = []
    for _ in range(10):
        limiter.acquire()
        stamps.append(fake.now)
    for i in range(len(stamps) - 3):
        assert stamps[i + 3] - stamps[i] >= 10.0


def test_400_problem_json_in_swedish_message():
    problem = {
        "type": "https://tools.ietf.org/html/rfc7231#section-6.5.1",
        "title": "Missing selection for mandantory variable",
        "status": 400,
        "detail": "Variable Tid",
    }
    handler, _ = routes([httpx.Response(400, json=problem)])
    client, _ = make_client(handler)
    with pytest.raises(PxWebError) as exc:
        client.fetch("TAB638", SELECTION[:1])
    msg = str(exc.value)
    assert msg.startswith("PxWebApi avvisade frågan (tabell TAB638, HTTP 400): ")
    assert "Missing selection for mandantory variable – Variable Tid" in msg
    assert exc.value.status_code == 400
    assert exc.value.problem["title"] == problem["title"]


def test_403_too_many_calls_or_too_big():
    handler, _ = routes([httpx.Response(403, text="Forbidden")])
    client, _ = make_client(handler)
    with pytest.raises(PxWebError, match="för många anrop eller för stor fråga") as exc:
        client.fetch("TAB638", SELECTION)
    assert "150000 celler" in str(exc.value)
    assert exc.value.status_code == 403


def test_404_table_does_not_exist():
    handler, _ = routes([httpx.Response(404, json={"title": "Not found"})])
    client, _ = make_client(handler)
    with pytest.raises(PxWebError, match="tabellen finns inte"):
        client.fetch("TAB9999999", SELECTION)


def test_429_honours_retry_after_then_succeeds():
    handler, calls = routes(
        [
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(429, headers={"Retry-After": "2"}),
            httpx.Response(200, content=TAB638),
        ]
    )
    client, fake = make_client(handler)
    assert client.fetch("TAB638", SELECTION) == TAB638
    assert fake.sleeps == [7.0, 2.0]
    assert len(calls) == 4


def test_429_gives_up_after_three_retries():
    handler, calls = routes([httpx.Response(429, headers={"Retry-After": "1"}) for _ in range(4)])
    client, fake = make_client(handler)
    with pytest.raises(PxWebError, match="HTTP 429.*gav upp efter 3 nya försök"):
        client.fetch("TAB638", SELECTION)
    assert len(calls) == 1 + 4
    assert fake.sleeps == [1.0, 1.0, 1.0]


def test_429_without_retry_after_waits_a_time_window():
    handler, _ = routes([httpx.Response(429), httpx.Response(200, content=TAB638)])
    client, fake = make_client(handler)
    client.fetch("TAB638", SELECTION)
    assert fake.sleeps == [10.0]


def test_too_many_cells_refused_before_sending():
    handler, calls = routes([])
    client, _ = make_client(handler)
    big = [
        {"variableCode": "Region", "valueCodes": [f"{i:04d}" for i in range(400)]},
        {"variableCode": "Tid", "valueCodes": [str(y) for y in range(1600, 2001)]},
    ]
    with pytest.raises(PxWebError, match="160400 celler"):
        client.fetch("TAB638", big)
    assert len(calls) == 1  # only /config


def test_wildcards_are_not_counted():
    handler, _ = routes([httpx.Response(200, content=TAB638)])
    client, _ = make_client(handler)
    client.fetch("TAB638", [{"variableCode": "Tid", "valueCodes": ["top(5)"]}])


@pytest.mark.parametrize(
    "selection",
    [
        [],
        [{"variableCode": "Tid"}],
        [{"variableCode": "Tid", "valueCodes": []}],
        [{"variableCode": "Tid", "valueCodes": "2024"}],
        [{"code": "Tid", "valueCodes": ["2024"]}],
    ],
)
def test_bad_selection_is_a_programming_error(selection):
    handler, _ = routes([])
    client, _ = make_client(handler)
    with pytest.raises(ValueError):
        client.fetch("TAB638", selection)


def test_network_error_is_wrapped():
    def handler(request):
        raise httpx.ConnectError("boom", request=request)

    client, _ = make_client(handler)
    with pytest.raises(PxWebError, match="kunde inte nås"):
        client.config()
