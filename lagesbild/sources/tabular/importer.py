"""Tidy CSV/XLSX → observations: one row per value, streamed (docs/importers.md).

The ``status``/``flags`` column may hold the flags of ``observations.csv`` (``provisional``,
``too_few_cases``, separated by ``|``) and/or a source status symbol (``..``); a missing value
needs one of them. Codes are checked against the catalogue row by row while the file streams
into the staging table, so memory stays flat however long the file is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..pipeline import Catalogue, Importer, Record, missing_reason_for
from .parse import TidyReader

FLAG_WORDS = {
    "provisional": "provisional",
    "preliminär": "provisional",
    "too_few_cases": "too_few_cases",
    "för få fall": "too_few_cases",
}


class TidyImporter(Importer):
    key = "tidy"

    def __init__(self, path: Path, *, source: str = "", sheet: str | None = None):
        super().__init__(path)
        self.source = source or f"Fil: {self.file_name}"
        self.sheet = sheet

    def records(self, catalogue: Catalogue) -> Iterator[Record]:
        reader = TidyReader(self.path, file=self.file_name, sheet=self.sheet)
        self.detected = reader.detected.describe()
        from ..base import ParseError

        pending = []
        total = 0
        for row in reader:
            if row.problems:
                total += len(row.problems)
                pending.extend(row.problems[: max(0, 100 - len(pending))])
                continue
            provisional = too_few = False
            status = ""
            if row.status:
                for token in row.status.split("|"):
                    token = token.strip()
                    flag = FLAG_WORDS.get(token.casefold())
                    if flag == "provisional":
                        provisional = True
                    elif flag == "too_few_cases":
                        too_few = True
                    elif token:
                        status = token
            value = row.value
            # Positional (Record's field order): a million keyword calls cost seconds.
            yield Record(
                row.indicator,
                row.area,
                row.period,
                row.breakdown,
                value,
                row.row,
                None,  # column
                row.statistic,
                row.numerator,
                row.denominator,
                row.respondents,
                status,
                (
                    ("För få fall för att redovisa" if too_few else missing_reason_for(status))
                    if value is None
                    else ""
                ),
                too_few,
                provisional,
                row.source_ref,
                row.note,
                row.qualifier,
            )
        if pending:
            raise ParseError(pending, total)
