"""Brå table 300 → observations, driven by a mapping YAML (``data/stockholm/bra-mapping.yaml``).

```yaml
source: Brå, Handlagda brott (tabell 300)
measure: personuppklaringsprocent     # or lagforingsprocent
areas: {Rn03: PR-STHLM, La: "00"}     # optional; default: the codes in bra/parse.py REGIONS
crimes:
  - crime: Grov fridskränkning        # the crime row's Brottstyp without ", totalt", or its Lagrum
    indicator: S5.1
    rows:                             # default: only the crime's total row, breakdown {}
      - match: {sex: flickor, age: under-18}   # the breakdown parse_brottstyp reads from the row
        breakdown: {sex: flickor}              # the observation's breakdown
```

Each observation gets the chosen percentage as ``value`` and "Handlagda brott, totalt" as
``denominator`` (the number of handled offences the percentage is of). A percentage Brå left
empty becomes a missing value with its symbol. A mapped crime that is not in the file is a
warning (Brå renames crimes now and then); an indicator code not in the catalogue is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from lagesbild.core.yamlschema import ConfigError, load_yaml

from ..base import ParseError, Problem, normalize_header
from ..pipeline import Catalogue, Importer, Record, missing_reason_for
from .parse import BraRow, parse


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RowRule(Strict):
    match: dict[str, str] = {}
    breakdown: dict[str, str] = {}


class CrimeRule(Strict):
    crime: str
    indicator: str
    rows: list[RowRule] = [RowRule()]
    note: str = ""


class BraMapping(Strict):
    source: str = "Brå, Handlagda brott (tabell 300)"
    measure: Literal["personuppklaringsprocent", "lagforingsprocent"] = "personuppklaringsprocent"
    areas: dict[str, str] = {}
    crimes: list[CrimeRule]


def load_mapping(path: Path) -> BraMapping:
    try:
        mapping, _ = load_yaml(Path(path), BraMapping)
    except ConfigError as exc:
        raise ParseError(
            [
                Problem(p.file, p.line, p.field or None, p.message, column_label="fält")
                for p in exc.problems
            ]
        ) from None
    return mapping


def _crime_key(text: str) -> str:
    return normalize_header(text).removesuffix(", totalt")


class BraImporter(Importer):
    key = "bra"

    def __init__(self, path: Path, *, mapping: BraMapping, mapping_name: str = "mappning"):
        super().__init__(path)
        self.mapping = mapping
        self.mapping_name = mapping_name
        self.source = mapping.source
        self._rows = 0

    def rows_seen(self) -> int | None:
        return self._rows

    def records(self, catalogue: Catalogue) -> Iterator[Record]:
        problems = []
        for i, rule in enumerate(self.mapping.crimes):
            if rule.indicator not in catalogue.indicators:
                problems.append(
                    Problem(
                        self.mapping_name,
                        None,
                        f"crimes[{i}].indicator",
                        f"indikatorn '{rule.indicator}' finns inte i indikatorkatalogen",
                        column_label="fält",
                    )
                )
        if problems:
            raise ParseError(problems)
        table = parse(self.path, file=self.file_name, area_codes=self.mapping.areas or None)
        self._rows = len(table.rows)
        self.total = len(table.rows)
        by_crime: dict[str, list[BraRow]] = {}
        for row in table.rows:
            for key in {_crime_key(row.crime_label), _crime_key(row.crime)}:
                by_crime.setdefault(key, []).append(row)
        used: set[int] = set()
        measure = self.mapping.measure
        for rule in self.mapping.crimes:
            rows = by_crime.get(_crime_key(rule.crime))
            if not rows:
                self.warnings.append(
                    f"brottstypen '{rule.crime}' ({rule.indicator}) finns inte i {table.file}"
                )
                continue
            for rr in rule.rows:
                hits = [r for r in rows if r.breakdown == rr.match]
                if not hits:
                    self.warnings.append(
                        f"'{rule.crime}' har ingen rad med uppdelningen {rr.match or 'totalt'} "
                        f"i {table.file}"
                    )
                    continue
                row = hits[0]
                used.add(row.row)
                value = getattr(row, measure)
                status = row.missing.get(measure, "") if value is None else ""
                yield Record(
                    indicator=rule.indicator,
                    area=table.area,
                    period=str(table.year),
                    breakdown=dict(rr.breakdown),
                    value=value,
                    denominator=Decimal(row.handled_total),
                    row=row.row,
                    column=f"{row.brottstyp}",
                    status=status[:16],
                    missing_reason=missing_reason_for(status, "Brås tabell")
                    if value is None
                    else "",
                    source_ref=f"Brå tabell {table.table}, {table.file}, rad {row.row}",
                    note=rule.note,
                )
        self.skipped = self._rows - len(used)
