"""Generic tidy CSV/XLSX (one row per value), streamed."""

from .parse import (
    REQUIRED,
    ROLES,
    Detected,
    TidyReader,
    TidyRow,
    TidyValidation,
    detect,
    detect_encoding,
    iter_rows,
    open_tidy,
    validate_all,
)

__all__ = [
    "REQUIRED",
    "ROLES",
    "Detected",
    "TidyReader",
    "TidyRow",
    "TidyValidation",
    "detect",
    "detect_encoding",
    "iter_rows",
    "open_tidy",
    "validate_all",
]
