"""Kolada v3 responses → observations.

Which KPI feeds which indicator is set in the indicator catalogue: ``source_codes: {kolada:
[N15643]}``. A KPI in the file that no indicator names is an error (an unknown code), so a
misspelt catalogue entry cannot silently drop data.

Areas: a municipality id is the SCB code (``0180``); ``0000`` is the country (``00``) and
``00NN`` is county ``NN``. Organisational units (``ou``, e.g. city districts) and anything else
need ``--map`` with ``areas: {V15E018000101: 0180-JARVA}``. Municipality groups (``G…``) are the
unweighted mean of their members; they are skipped and counted.

Gender ``T`` is the total (no ``sex`` in the breakdown), ``K`` → ``sex=kvinnor``, ``M`` →
``sex=man``. For an indicator without a ``sex`` breakdown the K/M rows are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from lagesbild.core.yamlschema import ConfigError, load_yaml

from ..base import SEX_TOTAL, ParseError, Problem
from ..pipeline import Catalogue, Importer, Record, missing_reason_for
from .parse import parse


class KoladaMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")
    areas: dict[str, str] = {}
    source_ref: str = ""


def load_mapping(path: Path) -> KoladaMapping:
    try:
        mapping, _ = load_yaml(Path(path), KoladaMapping)
    except ConfigError as exc:
        raise ParseError(
            [
                Problem(p.file, p.line, p.field or None, p.message, column_label="fält")
                for p in exc.problems
            ]
        ) from None
    return mapping


def area_code(kolada_id: str, areas: dict[str, str]) -> str | None:
    if kolada_id in areas:
        return areas[kolada_id]
    if re.fullmatch(r"00\d\d", kolada_id):
        return kolada_id[2:]
    if re.fullmatch(r"\d{4}", kolada_id):
        return kolada_id
    return None


class KoladaImporter(Importer):
    key = "kolada"
    source = "Kolada (RKA), API v3"

    def __init__(
        self,
        path: Path | None,
        *,
        mapping: KoladaMapping | None = None,
        data: bytes | None = None,
        url: str = "",
        file_name: str = "",
    ):
        super().__init__(path, url=url, file_name=file_name)
        self.mapping = mapping or KoladaMapping()
        self._data = data
        self._rows = 0

    def sha256(self) -> str:
        if self._data is not None:
            import hashlib

            return hashlib.sha256(self._data).hexdigest()
        return super().sha256()

    def rows_seen(self) -> int | None:
        return self._rows

    def records(self, catalogue: Catalogue) -> Iterator[Record]:
        result = parse(self._data if self._data is not None else self.path, file=self.file_name)
        self._rows = len(result.cells)
        self.total = len(result.cells)
        if result.deleted:
            self.warnings.append(f"{result.deleted} rader markerade isdeleted hoppades över")
        if result.next_url:
            self.warnings.append(
                f"svaret har fler sidor (next_url={result.next_url}); bara den här sidan importeras"
            )
        by_kpi = catalogue.by_source_code("kolada")
        problems: list[Problem] = []
        groups = 0
        for n, cell in enumerate(result.cells, start=1):
            kpi, kolada_area = cell.dims["kpi"], cell.dims["area"]
            indicators = by_kpi.get(kpi)
            if not indicators:
                problems.append(
                    Problem(
                        self.file_name,
                        n,
                        "kpi",
                        f"KPI '{kpi}' är inte kopplad till någon indikator "
                        "(source_codes: {kolada: [...]} i indikatorkatalogen)",
                        row_label="värde",
                        column_label="fält",
                    )
                )
                continue
            if kolada_area.startswith("G") and kolada_area not in self.mapping.areas:
                groups += 1
                self.skipped += len(indicators)
                continue
            area = area_code(kolada_area, self.mapping.areas)
            if area is None:
                problems.append(
                    Problem(
                        self.file_name,
                        n,
                        result.kind,
                        f"'{kolada_area}' är inget kommun- eller länsid; ange området med "
                        f"--map (areas: {{{kolada_area}: OMRÅDESKOD}})",
                        row_label="värde",
                        column_label="fält",
                    )
                )
                continue
            sex = cell.dims["sex"]
            status = cell.status or ""
            for ind in indicators:
                if sex != SEX_TOTAL and "sex" not in (ind.breakdowns or []):
                    self.skipped += 1
                    continue
                yield Record(
                    indicator=ind.code,
                    area=area,
                    period=cell.dims["period"],
                    breakdown={} if sex == SEX_TOTAL else {"sex": sex},
                    value=cell.value,
                    row=n,
                    column=f"kpi {kpi}, {kolada_area}, {cell.dims['period']}, {sex}",
                    status=status if cell.value is None else "",
                    missing_reason=(
                        missing_reason_for(status, "Kolada") if cell.value is None else ""
                    ),
                    source_ref=self.mapping.source_ref or f"Kolada {kpi}",
                )
        if groups:
            self.warnings.append(
                f"{groups} värden för kommungrupper (G…) hoppades över: de är ovägda medelvärden"
            )
        if problems:
            raise ParseError(problems)
