"""Kolada API v3: parser for data responses and an httpx client."""

from .client import DEFAULT_BASE_URL, MAX_IDS_PER_SEGMENT, KoladaClient, KoladaError
from .parse import MISSING_STATUS, SEX, KoladaResult, parse, parse_obj, parse_pages

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_IDS_PER_SEGMENT",
    "MISSING_STATUS",
    "SEX",
    "KoladaClient",
    "KoladaError",
    "KoladaResult",
    "parse",
    "parse_obj",
    "parse_pages",
]
