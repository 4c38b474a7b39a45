"""Parsers and HTTP clients for the statistics sources (no ORM here).

One subpackage per source, each returning plain dataclasses:

- :mod:`.jsonstat` – JSON-stat 2.0 (SCB PxWebApi 2.0 and PxWeb v1 ``json-stat2``),
- :mod:`.pxweb` – httpx client for PxWebApi 2.0,
- :mod:`.kolada` – Kolada v3 parser and client,
- :mod:`.bra` – Brå "Handlagda brott" Excel table 300,
- :mod:`.skolenkaten` – Skolinspektionen Skolenkäten workbooks,
- :mod:`.tabular` – generic tidy CSV/XLSX, streamed.

Shared types live in :mod:`.base` (``Cell``, ``Problem``, ``ParseError``).
"""

from .base import MAX_PROBLEMS, Cell, ParseError, Problem

__all__ = ["MAX_PROBLEMS", "Cell", "ParseError", "Problem"]
