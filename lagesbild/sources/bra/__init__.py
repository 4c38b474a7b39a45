"""Brå "Handlagda brott" Excel tables (table 300)."""

from .parse import (
    MAIN_SHEET,
    REGIONS,
    BraFile,
    BraInfo,
    BraRow,
    BraTable,
    detect_file,
    parse,
    parse_brottstyp,
)

__all__ = [
    "MAIN_SHEET",
    "REGIONS",
    "BraFile",
    "BraInfo",
    "BraRow",
    "BraTable",
    "detect_file",
    "parse",
    "parse_brottstyp",
]
