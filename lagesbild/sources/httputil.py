"""Small HTTP helpers shared by the API clients: a sliding-window throttle and Retry-After."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

Sleep = Callable[[float], None]
Clock = Callable[[], float]

USER_AGENT = "lagesbild (statistikimport)"


class RateLimiter:
    """At most ``max_calls`` calls in any ``window`` seconds, plus an optional minimum gap."""

    def __init__(
        self,
        max_calls: int,
        window: float,
        *,
        min_interval: float = 0.0,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
    ):
        self.max_calls = max(1, int(max_calls))
        self.window = float(window)
        self.min_interval = float(min_interval)
        self._sleep = sleep
        self._clock = clock
        self._calls: deque[float] = deque()

    def configure(self, max_calls: int, window: float) -> None:
        self.max_calls = max(1, int(max_calls))
        self.window = float(window)

    def acquire(self) -> None:
        now = self._clock()
        if self._calls and self.min_interval > 0:
            gap = self._calls[-1] + self.min_interval - now
            if gap > 0:
                self._sleep(gap)
                now = self._clock()
        while self._calls and self._calls[0] <= now - self.window:
            self._calls.popleft()
        if len(self._calls) >= self.max_calls:
            wait = self._calls[0] + self.window - now
            if wait > 0:
                self._sleep(wait)
                now = self._clock()
            while self._calls and self._calls[0] <= now - self.window:
                self._calls.popleft()
            if len(self._calls) >= self.max_calls:  # a clock that did not move (tests)
                self._calls.popleft()
        self._calls.append(now)


def retry_after_seconds(response: httpx.Response, default: float, maximum: float = 300.0) -> float:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    raw = response.headers.get("Retry-After")
    if not raw:
        return default
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return default
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), maximum)
