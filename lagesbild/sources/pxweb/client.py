"""Thin httpx client for SCB PxWebApi 2.0 (``https://statistikdatabasen.scb.se/api/v2``).

Reads ``/config`` once and throttles itself to ``maxCallsPerTimeWindow`` per ``timeWindow``;
POSTs a ``selection`` and returns the JSON-stat 2.0 bytes unchanged (so they can be stored and
re-parsed). Errors become :class:`PxWebError` with a Swedish message.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..httputil import USER_AGENT, Clock, RateLimiter, Sleep, retry_after_seconds

DEFAULT_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"


class PxWebError(Exception):
    def __init__(self, message: str, status_code: int | None = None, problem: Any = None):
        super().__init__(message)
        self.status_code = status_code
        self.problem = problem


@dataclass
class PxWebConfig:
    api_version: str | None
    max_data_cells: int | None
    max_calls: int
    time_window: float
    default_language: str | None = None
    languages: list[str] = field(default_factory=list)
    data_formats: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> PxWebConfig:
        try:
            max_calls = int(obj["maxCallsPerTimeWindow"])
            window = float(obj["timeWindow"])
        except (KeyError, TypeError, ValueError):
            raise PxWebError(
                "PxWebApi: /config saknar giltiga 'maxCallsPerTimeWindow'/'timeWindow'"
            ) from None
        cells = obj.get("maxDataCells")
        return cls(
            api_version=obj.get("apiVersion"),
            max_data_cells=int(cells) if isinstance(cells, int) else None,
            max_calls=max_calls,
            time_window=window,
            default_language=obj.get("defaultLanguage"),
            languages=[
                lang.get("id") for lang in obj.get("languages", []) if isinstance(lang, dict)
            ],
            data_formats=list(obj.get("dataFormats", [])),
            raw=obj,
        )


class PxWebClient:
    """``PxWebClient(base_url, transport=None)``; inject ``sleep``/``clock`` in tests."""

    #: Used until ``/config`` has been read (SCB's documented v1 limit, the stricter one).
    INITIAL_LIMIT = (10, 10.0)

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.BaseTransport | None = None,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        max_retries: int = 3,
        timeout: float = 60.0,
    ):
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )
        self._sleep = sleep
        self.max_retries = max_retries
        self.limiter = RateLimiter(*self.INITIAL_LIMIT, sleep=sleep, clock=clock)
        self._config: PxWebConfig | None = None

    def __enter__(self) -> PxWebClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- API ----------------------------------------------------------------------------------

    def config(self) -> PxWebConfig:
        """``GET /config``; cached. Sets the throttle to the server's limits."""
        if self._config is None:
            response = self._request("GET", "/config", what="/config")
            try:
                obj = json.loads(response.content.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise PxWebError("PxWebApi: /config svarade inte med giltig JSON") from None
            if not isinstance(obj, dict):
                raise PxWebError("PxWebApi: /config svarade inte med ett JSON-objekt")
            self._config = PxWebConfig.from_json(obj)
            self.limiter.configure(self._config.max_calls, self._config.time_window)
        return self._config

    def fetch(self, table_id: str, selection: list[dict[str, Any]], lang: str = "sv") -> bytes:
        """POST ``{"selection": [...]}`` to ``/tables/{id}/data``; return JSON-stat 2.0 bytes.

        Each selection item: ``{"variableCode": str, "valueCodes": [str, ...],
        "codelist": str (optional)}``. PxWebApi 2.0 needs every mandatory variable selected.
        """
        config = self.config()
        body = {"selection": _check_selection(selection)}
        cells = _literal_cell_count(body["selection"])
        if config.max_data_cells and cells is not None and cells > config.max_data_cells:
            raise PxWebError(
                f"PxWebApi: frågan mot tabell {table_id} ger {cells} celler, mer än "
                f"servern tillåter ({config.max_data_cells}); dela upp frågan"
            )
        response = self._request(
            "POST",
            f"/tables/{table_id}/data",
            params={"lang": lang, "outputFormat": "json-stat2"},
            json=body,
            what=f"tabell {table_id}",
        )
        return response.content

    def fetch_dataset(self, table_id: str, selection: list[dict[str, Any]], lang: str = "sv"):
        """:meth:`fetch` and parse with :func:`lagesbild.sources.jsonstat.parse`."""
        from ..jsonstat import parse

        return parse(self.fetch(table_id, selection, lang), file=f"{table_id}.json")

    def metadata(self, table_id: str, lang: str = "sv") -> bytes:
        """``GET /tables/{id}/metadata`` (JSON-stat 2.0 with an empty ``value``)."""
        self.config()
        return self._request(
            "GET",
            f"/tables/{table_id}/metadata",
            params={"lang": lang},
            what=f"tabell {table_id}",
        ).content

    # --- internals ----------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, what: str, **kwargs: Any) -> httpx.Response:
        for attempt in range(self.max_retries + 1):
            self.limiter.acquire()
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.HTTPError as exc:
                raise PxWebError(f"PxWebApi kunde inte nås ({what}): {exc}") from exc
            if response.status_code == 429 and attempt < self.max_retries:
                window = self._config.time_window if self._config else self.INITIAL_LIMIT[1]
                self._sleep(retry_after_seconds(response, default=window))
                continue
            if response.is_success:
                return response
            raise self._error(response, what)
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, response: httpx.Response, what: str) -> PxWebError:
        code = response.status_code
        problem = _problem_json(response)
        if code == 400:
            title = problem.get("title") if isinstance(problem, dict) else None
            detail = problem.get("detail") if isinstance(problem, dict) else None
            text = " – ".join(str(t) for t in (title, detail) if t) or response.text[:300]
            msg = f"PxWebApi avvisade frågan ({what}, HTTP 400): {text}"
        elif code == 403:
            limit = (
                f" (högst {self._config.max_data_cells} celler per fråga och "
                f"{self._config.max_calls} anrop per {self._config.time_window:g} s)"
                if self._config and self._config.max_data_cells
                else ""
            )
            msg = f"PxWebApi nekade ({what}, HTTP 403): för många anrop eller för stor fråga{limit}"
        elif code == 404:
            missing = (
                "tabellen finns inte"
                if what.startswith("tabell")
                else "adressen finns inte (kontrollera base_url)"
            )
            msg = f"PxWebApi ({what}, HTTP 404): {missing}"
        elif code == 429:
            msg = (
                f"PxWebApi ({what}, HTTP 429): för många anrop, gav upp efter "
                f"{self.max_retries} nya försök"
            )
        else:
            msg = f"PxWebApi svarade med HTTP {code} ({what})"
        return PxWebError(msg, status_code=code, problem=problem)


def _problem_json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _check_selection(selection: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not isinstance(selection, list) or not selection:
        raise ValueError("selection måste vara en icke-tom lista")
    out = []
    for i, item in enumerate(selection):
        if not isinstance(item, dict):
            raise ValueError(f"selection[{i}] måste vara ett objekt")
        extra = set(item) - {"variableCode", "valueCodes", "codelist"}
        if extra:
            raise ValueError(f"selection[{i}] har okända fält: {sorted(extra)}")
        code, values = item.get("variableCode"), item.get("valueCodes")
        if not isinstance(code, str) or not code:
            raise ValueError(f"selection[{i}].variableCode måste vara en sträng")
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and v for v in values)
        ):
            raise ValueError(f"selection[{i}].valueCodes måste vara en lista med strängar")
        clean: dict[str, Any] = {"variableCode": code, "valueCodes": list(values)}
        if item.get("codelist") is not None:
            if not isinstance(item["codelist"], str):
                raise ValueError(f"selection[{i}].codelist måste vara en sträng")
            clean["codelist"] = item["codelist"]
        out.append(clean)
    return out


def _literal_cell_count(selection: list[dict[str, Any]]) -> int | None:
    """Cells the query yields, or None when a wildcard/expression makes it unknown."""
    counts = []
    for item in selection:
        if any(ch in v for v in item["valueCodes"] for ch in "*?()"):
            return None
        counts.append(len(item["valueCodes"]))
    return math.prod(counts)
