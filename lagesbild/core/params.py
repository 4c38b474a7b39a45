"""One parser per kind of value that arrives in a query string or a path.

Each returns the parsed value or None (absent or malformed), never raises, and accepts only
ASCII: `str.isdigit()` is true for '²' and '٣', which int() then refuses (a 500 before). Views
and forms call these instead of parsing by hand; a malformed value is treated as absent or
answered with 400/404 by the caller.
"""

from __future__ import annotations

import re

MAX_INT_DIGITS = 9
_INT = re.compile(r"[0-9]{1,9}")  # at most MAX_INT_DIGITS digits
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_SCB = re.compile(r"[0-9]{2}(?:[0-9]{2})?(?:-[A-Z0-9]{1,20})?")
_PERIOD = re.compile(r"[0-9]{4}(?:-(?:[0-9]{4}|Q[1-4]|[0-9]{2}|H[12]))?")


def parse_int(raw, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A non-negative decimal integer of ASCII digits, within [minimum, maximum]."""
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        return None
    text = str(raw).strip()
    if not _INT.fullmatch(text):
        return None
    value = int(text)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return None
    return value


def parse_code(raw) -> str | None:
    """An indicator or measure code (`I-1.2`, `M2.10`): ASCII letters, digits, . _ -."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    return text if _CODE.fullmatch(text) else None


def parse_scb_code(raw) -> str | None:
    """An SCB area code: county `01`, municipality `0180`, or a district `0180-JARVA`."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    return text if _SCB.fullmatch(text) else None


def parse_period(raw) -> str | None:
    """A period as stored: `2024`, `2023-2024`, `2024-Q1`, `2024-03` or `2024-H1`."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    return text if _PERIOD.fullmatch(text) else None


def safe_text(raw, *, max_length: int) -> str | None:
    """Free text for a search field: no NUL or other control character, at most max_length."""
    if not isinstance(raw, str) or len(raw) > max_length:
        return None
    if any(ord(c) < 32 and c not in "\t\n\r" for c in raw):
        return None
    return raw
