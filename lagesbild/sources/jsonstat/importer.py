"""JSON-stat 2.0 → observations, driven by a mapping YAML (docs/importers.md, "Mappningsfilen").

```yaml
source: SCB, Folkmängd efter region, civilstånd, ålder och kön (TAB638)   # ImportRun.source
source_ref: SCB TAB638                  # optional, stored on each observation
select:                                 # optional: keep only these categories, skip the rest
  Tid: ["2024"]
indicator: {value: T-FOLK}              # a fixed code …
area: {dimension: Region, map: {"00": "00"}}       # … or a dimension, with an optional map
period: {dimension: Tid}
breakdown:
  sex: {dimension: Kon, map: {"1": man, "2": kvinnor, "1+2": null}}   # null: the total
```

Rules: a ``map`` must list every category of its dimension that is not left out by ``select``
(otherwise "kategorin saknas i mappningen"), and every code it lists must exist in the file.
A dimension with more than one category that the mapping does not use is an error, because two
cells would become the same observation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from lagesbild.core.yamlschema import ConfigError, load_yaml

from ..base import ParseError, Problem
from ..pipeline import Catalogue, Importer, Record, missing_reason_for
from .parse import Dataset, parse


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Target(Strict):
    """Where one part of the observation comes from: a fixed ``value`` or a ``dimension``."""

    value: str | None = None
    dimension: str | None = None
    map: dict[str, str | None] | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.value is None) == (self.dimension is None):
            raise ValueError("ange antingen 'value' eller 'dimension'")
        if self.map is not None and self.dimension is None:
            raise ValueError("'map' kräver 'dimension'")
        return self


class JsonStatMapping(Strict):
    source: str = ""
    source_ref: str = ""
    select: dict[str, list[str]] = {}
    indicator: Target
    area: Target
    period: Target
    breakdown: dict[str, Target] = {}
    statistic: str = "value"

    @model_validator(mode="after")
    def _check(self):
        if self.statistic not in ("value", "median"):
            raise ValueError("'statistic' ska vara value eller median")
        for name in ("indicator", "area", "period"):
            t = getattr(self, name)
            if t.map and any(v is None for v in t.map.values()):
                raise ValueError(f"{name}.map: varje kod måste mappas till ett värde")
        return self


def load_mapping(path: Path) -> JsonStatMapping:
    try:
        mapping, _ = load_yaml(Path(path), JsonStatMapping)
    except ConfigError as exc:
        raise ParseError(
            [
                Problem(p.file, p.line, p.field or None, p.message, column_label="fält")
                for p in exc.problems
            ]
        ) from None
    return mapping


class JsonStatImporter(Importer):
    key = "jsonstat"

    def __init__(
        self,
        path: Path | None,
        *,
        mapping: JsonStatMapping,
        mapping_name: str = "mappning",
        data: bytes | None = None,
        url: str = "",
        file_name: str = "",
    ):
        super().__init__(path, url=url, file_name=file_name)
        self.mapping = mapping
        self.mapping_name = mapping_name
        self._data = data
        self._cells = 0
        self.dataset: Dataset | None = None

    @property
    def source(self) -> str:  # type: ignore[override]
        if self.mapping.source:
            return self.mapping.source
        ds = self.dataset
        parts = [p for p in ((ds.source if ds else None), (ds.label if ds else None)) if p]
        return ", ".join(parts) or "JSON-stat"

    def sha256(self) -> str:
        if self._data is not None:
            import hashlib

            return hashlib.sha256(self._data).hexdigest()
        return super().sha256()

    def rows_seen(self) -> int | None:
        return self._cells

    def records(self, catalogue: Catalogue) -> Iterator[Record]:
        source = self._data if self._data is not None else self.path
        ds = parse(source, file=self.file_name or None)
        self.dataset = ds
        self._cells = len(ds.cells)
        self.total = len(ds.cells)
        m = self.mapping
        self._check_mapping(ds)
        selected = {dim: set(codes) for dim, codes in m.select.items()}
        ref = m.source_ref
        for flat, cell in enumerate(ds.cells):
            if any(cell.dims[d] not in keep for d, keep in selected.items()):
                self.skipped += 1
                continue
            indicator = _pick(m.indicator, cell.dims)
            area = _pick(m.area, cell.dims)
            period = _pick(m.period, cell.dims)
            breakdown = {}
            for key, target in m.breakdown.items():
                v = _pick(target, cell.dims)
                if v is not None:
                    breakdown[key] = v
            status = cell.status or ""
            where = ", ".join(f"{d}={cell.dims[d]}" for d in ds.id)
            yield Record(
                indicator=indicator,
                area=area,
                period=period,
                breakdown=breakdown,
                value=cell.value,
                row=flat + 1,
                column=where,
                statistic=m.statistic,
                status=status,
                missing_reason="" if cell.value is not None else missing_reason_for(status),
                source_ref=ref,
            )

    def _check_mapping(self, ds: Dataset) -> None:
        m = self.mapping
        problems: list[Problem] = []

        def bad(field: str, message: str) -> None:
            problems.append(Problem(self.mapping_name, None, field, message, column_label="fält"))

        used: set[str] = set()
        for dim, codes in m.select.items():
            if dim not in ds.dimensions:
                bad(f"select.{dim}", f"dimensionen '{dim}' finns inte i {ds.file}")
                continue
            for code in codes:
                if code not in ds.dimensions[dim].codes:
                    bad(f"select.{dim}", f"koden '{code}' finns inte i dimensionen '{dim}'")
        targets = [("indicator", m.indicator), ("area", m.area), ("period", m.period)] + [
            (f"breakdown.{k}", t) for k, t in m.breakdown.items()
        ]
        for name, t in targets:
            if t.dimension is None:
                continue
            used.add(t.dimension)
            dim = ds.dimensions.get(t.dimension)
            if dim is None:
                bad(
                    name,
                    f"dimensionen '{t.dimension}' finns inte i {ds.file} "
                    f"(där finns: {', '.join(ds.id)})",
                )
                continue
            if t.map is None:
                continue
            for code in t.map:
                if code not in dim.codes:
                    bad(f"{name}.map", f"koden '{code}' finns inte i dimensionen '{dim.id}'")
            keep = set(m.select.get(dim.id, dim.codes))
            for code, label in dim.categories:
                if code in keep and code not in t.map:
                    bad(
                        f"{name}.map",
                        f"kategorin '{code}' ({label}) i dimensionen '{dim.id}' saknas i "
                        "mappningen (lägg till den eller välj bort den med 'select')",
                    )
        for dim_id in ds.id:
            dim = ds.dimensions[dim_id]
            n = len(m.select.get(dim_id, dim.codes))
            if dim_id not in used and n > 1:
                bad(
                    "",
                    f"dimensionen '{dim_id}' har {n} kategorier men mappningen använder den inte "
                    "(mappa den till en uppdelning eller välj en kategori med 'select')",
                )
        if problems:
            raise ParseError(problems)


def _pick(target, dims: dict[str, str]) -> str | None:
    if target.value is not None:
        return target.value
    code = dims[target.dimension]
    if target.map is None:
        return code
    return target.map[code]
