"""Thin httpx client for the Kolada API v3 (``https://api.kolada.se/v3``).

Uses the documented path form ``/data/kpi/{ids}/municipality/{ids}/year/{years}`` (``/oudata/
kpi/{ids}/ou/{ids}/year/{years}`` for organisational units), with at most 25 ids per path segment
(more is an error in v3, so every segment is chunked), ``per_page=5000``, and follows ``next_url``
until it is absent. 429 and 5xx are retried (at most ``max_retries`` times).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpx

from ..httputil import USER_AGENT, Clock, RateLimiter, Sleep, retry_after_seconds
from .parse import KoladaResult, parse_pages

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
MAX_IDS_PER_SEGMENT = 25
PER_PAGE = 5000


class KoladaError(Exception):
    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


class KoladaClient:
    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.BaseTransport | None = None,
        *,
        per_page: int = PER_PAGE,
        max_retries: int = 3,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        max_per_second: float = 5.0,
        timeout: float = 60.0,
        max_pages: int = 10_000,
    ):
        if not 1 <= per_page <= PER_PAGE:
            raise ValueError(f"per_page måste vara 1..{PER_PAGE}")
        self.base_url = base_url.rstrip("/")
        self.per_page = per_page
        self.max_retries = max_retries
        self.max_pages = max_pages
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )
        # Kolada documents no limit; stay polite like the known clients (5 requests/s).
        self.limiter = RateLimiter(max(1, int(max_per_second)), 1.0, sleep=sleep, clock=clock)

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- API ----------------------------------------------------------------------------------

    @staticmethod
    def data_paths(
        kpis: str | Iterable[str] | None,
        areas: str | Iterable[str] | None = None,
        years: int | str | Iterable[int | str] | None = None,
        *,
        ou: bool = False,
    ) -> list[str]:
        """The request paths (relative to the base URL), every segment chunked to ≤ 25 ids."""
        area_key = "ou" if ou else "municipality"
        segments = [
            ("kpi", _ids(kpis, "kpi")),
            (area_key, _ids(areas, area_key)),
            ("year", _ids(years, "year")),
        ]
        used = [(k, v) for k, v in segments if v]
        if len(used) < 2:
            raise ValueError("Kolada kräver minst två av kpi, område och år")
        for key, ids in used:
            if key == "year" and not all(re.fullmatch(r"\d{4}", y) for y in ids):
                raise ValueError(f"ogiltigt år i {ids}")
        chunked = [[(k, c) for c in _chunks(v, MAX_IDS_PER_SEGMENT)] for k, v in used]
        root = "/oudata" if ou else "/data"
        return [
            root + "".join(f"/{k}/{','.join(c)}" for k, c in combo)
            for combo in itertools.product(*chunked)
        ]

    def iter_pages(
        self,
        kpis: str | Iterable[str] | None,
        areas: str | Iterable[str] | None = None,
        years: int | str | Iterable[int | str] | None = None,
        *,
        ou: bool = False,
        from_date: dt.date | str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every response page, following ``next_url`` for each chunked request."""
        params: dict[str, Any] = {"per_page": self.per_page}
        if from_date is not None:
            params["from_date"] = _date(from_date)
        for path in self.data_paths(kpis, areas, years, ou=ou):
            url: str | None = path
            page_params: dict[str, Any] | None = params
            seen: set[str] = set()
            pages = 0
            while url:
                page = self._get_json(url, page_params)
                yield page
                pages += 1
                nxt = page.get("next_url") or None
                if nxt is not None and not isinstance(nxt, str):
                    raise KoladaError(f"Kolada: 'next_url' är inte en adress: {nxt!r}")
                if nxt and (nxt in seen or pages >= self.max_pages):
                    raise KoladaError(f"Kolada: sidbläddringen går i cirkel vid {nxt}")
                if nxt:
                    seen.add(nxt)
                url, page_params = nxt, None  # next_url carries its own query string

    def fetch(self, kpis, areas=None, years=None, *, ou=False, from_date=None) -> dict[str, Any]:
        """All pages merged into one envelope ``{"values": [...], "count": n}``."""
        values: list[Any] = []
        for page in self.iter_pages(kpis, areas, years, ou=ou, from_date=from_date):
            values.extend(page.get("values", []))
        return {"values": values, "count": len(values)}

    def fetch_bytes(self, kpis, areas=None, years=None, *, ou=False, from_date=None) -> bytes:
        """:meth:`fetch` as UTF-8 JSON, to store and later import with ``kolada.parse``."""
        merged = self.fetch(kpis, areas, years, ou=ou, from_date=from_date)
        return json.dumps(merged, ensure_ascii=False, indent=1).encode("utf-8")

    def fetch_cells(
        self, kpis, areas=None, years=None, *, ou=False, from_date=None, file="kolada"
    ) -> KoladaResult:
        pages = list(self.iter_pages(kpis, areas, years, ou=ou, from_date=from_date))
        result = parse_pages(pages, file=file)
        result.next_url = None
        result.count = len(result.cells)
        return result

    # --- internals ----------------------------------------------------------------------------

    def _get_json(self, url: str, params: dict[str, Any] | None) -> dict[str, Any]:
        for attempt in range(self.max_retries + 1):
            self.limiter.acquire()
            try:
                response = self._http.get(url, params=params)
            except httpx.TransportError as exc:
                if attempt < self.max_retries:
                    self._sleep(2.0**attempt)
                    continue
                raise KoladaError(f"Kolada kunde inte nås: {exc}") from exc
            code = response.status_code
            if (code == 429 or code >= 500) and attempt < self.max_retries:
                self._sleep(retry_after_seconds(response, default=2.0**attempt))
                continue
            if not response.is_success:
                raise KoladaError(_message(code, self.max_retries), status_code=code)
            try:
                obj = json.loads(response.content.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise KoladaError(f"Kolada svarade inte med giltig JSON: {exc}") from None
            if not isinstance(obj, dict):
                raise KoladaError("Kolada svarade inte med ett JSON-objekt")
            return obj
        raise AssertionError("unreachable")  # pragma: no cover


def _message(code: int, retries: int) -> str:
    if code == 400:
        return "Kolada avvisade frågan (HTTP 400): otillåtna parametrar eller för lång adress"
    if code == 404:
        return "Kolada (HTTP 404): adressen finns inte"
    if code == 429:
        return f"Kolada (HTTP 429): för många anrop, gav upp efter {retries} nya försök"
    if code >= 500:
        return f"Kolada svarade med serverfel (HTTP {code}) även efter {retries} nya försök"
    return f"Kolada svarade med HTTP {code}"


def _ids(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str | int) else list(value)
    out = []
    for item in items:
        text = str(item).strip()
        if not text or any(ch in text for ch in ",/?#&% "):
            raise ValueError(f"ogiltigt id för {what}: {item!r}")
        if text not in out:
            out.append(text)
    return out


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _date(value: dt.date | str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"from_date måste vara ÅÅÅÅ-MM-DD, fick {value!r}") from None
