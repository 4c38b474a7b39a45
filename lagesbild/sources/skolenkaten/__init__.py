"""Skolinspektionen Skolenkäten result workbooks."""

from .parse import (
    MIN_RESPONDENTS,
    NO_VALUE,
    TOO_FEW,
    SkolenkatResult,
    SkolenkatRow,
    group_code,
    parse,
)

__all__ = [
    "MIN_RESPONDENTS",
    "NO_VALUE",
    "TOO_FEW",
    "SkolenkatResult",
    "SkolenkatRow",
    "group_code",
    "parse",
]
