"""JSON-stat 2.0 decoder that keeps ``status`` (the PyPI libraries drop it).

Handles dense (array) and sparse (object) ``value``; ``category.index`` as object, array, or
missing for a single-category dimension; ``status`` as one string, an array, or an object keyed by
flat index. Cells are row-major with the last id varying fastest.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..base import Cell, ParseError, Problems, Source, decode_json, json_number, read_source


@dataclass
class Unit:
    base: str | None = None
    decimals: int | None = None
    label: str | None = None
    symbol: str | None = None
    position: str | None = None


@dataclass
class Dimension:
    id: str
    label: str
    categories: list[tuple[str, str]]
    units: dict[str, Unit] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.categories]


@dataclass
class Dataset:
    id: list[str]
    size: list[int]
    dimensions: dict[str, Dimension]
    cells: list[Cell]
    role: dict[str, list[str]] = field(default_factory=dict)
    updated: str | None = None
    source: str | None = None
    label: str | None = None
    notes: list[str] = field(default_factory=list)
    extension: dict[str, Any] = field(default_factory=dict)
    file: str = ""


def parse(source: Source, *, file: str | None = None) -> Dataset:
    """Parse JSON-stat 2.0 bytes (or a file path) into a :class:`Dataset`."""
    data, name = read_source(source, file)
    return parse_obj(decode_json(data, name), file=name)


def summarize(dataset: Dataset) -> dict[str, Any]:
    """``{"rows": number of cells, "flags": {status symbol: count}}``."""
    flags = Counter(c.status for c in dataset.cells if c.status is not None)
    return {"rows": len(dataset.cells), "flags": dict(sorted(flags.items()))}


def parse_obj(obj: Any, *, file: str = "<data>") -> Dataset:
    p = Problems(file, column_label="fält")
    if not isinstance(obj, dict):
        raise ParseError.single(file, "JSON-stat måste vara ett objekt på toppnivå")
    if "dimension" not in obj and ("query" in obj or "selection" in obj):
        raise ParseError.single(
            file,
            "filen är en PxWeb-fråga ('query'/'selection'), inte ett JSON-stat-svar: skicka "
            "frågan till tabellens API och importera svaret (PxWebApi 2.0: lagesbild import "
            "pxweb TABELL --query FIL --map MAPPNING)",
        )
    cls = obj.get("class", "dataset")
    if cls != "dataset":
        raise ParseError.single(file, f"klassen '{cls}' stöds inte, bara 'dataset' (JSON-stat 2.0)")
    ids, size, dims_obj = obj.get("id"), obj.get("size"), obj.get("dimension")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        p.add(None, "id", "måste vara en lista med dimensions-id:n")
    if not isinstance(size, list) or not all(_is_int(s) and s >= 0 for s in size):
        p.add(None, "size", "måste vara en lista med icke-negativa heltal")
    if not isinstance(dims_obj, dict):
        p.add(None, "dimension", "saknas eller är inte ett objekt")
    p.raise_if_any()
    if len(size) != len(ids):
        p.add(None, "size", f"har {len(size)} element men 'id' har {len(ids)}")
        p.raise_if_any()

    dimensions: dict[str, Dimension] = {}
    for dim_id, n in zip(ids, size, strict=True):
        dim = _dimension(dim_id, dims_obj.get(dim_id), p)
        if dim is None:
            continue
        if len(dim.categories) != n:
            p.add(
                None,
                f"size[{ids.index(dim_id)}]",
                f"'size' säger {n} för dimensionen '{dim_id}' men den har "
                f"{len(dim.categories)} kategorier",
            )
        dimensions[dim_id] = dim

    total = math.prod(size)
    values = _values(obj.get("value"), total, p)
    statuses = _statuses(obj.get("status"), total, p)
    p.raise_if_any()

    role = obj.get("role") if isinstance(obj.get("role"), dict) else {}
    metric = role.get("metric") if isinstance(role.get("metric"), list) else []
    metric_order = [d for d in metric if d in dimensions]
    metric_order += [d for d in ids if d not in metric_order and dimensions[d].units]
    metric_pos = [(dimensions[d], ids.index(d)) for d in metric_order]
    px = (obj.get("extension") or {}).get("px") or {}
    default_decimals = px.get("decimals") if _is_int(px.get("decimals")) else None

    cells: list[Cell] = []
    ordered = [dimensions[d] for d in ids]
    for flat, combo in enumerate(itertools.product(*(d.categories for d in ordered))):
        unit = None
        for dim, pos in metric_pos:
            unit = dim.units.get(combo[pos][0])
            if unit:
                break
        cells.append(
            Cell(
                dims={d: c[0] for d, c in zip(ids, combo, strict=True)},
                labels={d: c[1] for d, c in zip(ids, combo, strict=True)},
                value=values.get(flat),
                status=statuses.get(flat),
                unit=(unit.base or unit.label or unit.symbol) if unit else None,
                decimals=unit.decimals if unit and unit.decimals is not None else default_decimals,
            )
        )
    return Dataset(
        id=list(ids),
        size=list(size),
        dimensions=dimensions,
        cells=cells,
        role={k: list(v) for k, v in role.items() if isinstance(v, list)},
        updated=_str_or_none(obj.get("updated")),
        source=_str_or_none(obj.get("source")),
        label=_str_or_none(obj.get("label")),
        notes=_notes(obj.get("note")),
        extension=obj.get("extension") if isinstance(obj.get("extension"), dict) else {},
        file=file,
    )


def _dimension(dim_id: str, d: Any, p: Problems) -> Dimension | None:
    where = f"dimension.{dim_id}"
    if not isinstance(d, dict) or not isinstance(d.get("category"), dict):
        p.add(None, where, "dimensionen saknas eller har ingen 'category'")
        return None
    cat = d["category"]
    index, labels = cat.get("index"), cat.get("label") or {}
    if not isinstance(labels, dict):
        p.add(None, f"{where}.category.label", "måste vara ett objekt")
        return None
    if isinstance(index, list):
        codes = index
    elif isinstance(index, dict):
        positions = sorted(index.values()) if all(_is_int(v) for v in index.values()) else None
        if positions != list(range(len(index))):
            p.add(None, f"{where}.category.index", "positionerna måste vara 0..n-1 utan luckor")
            return None
        codes = sorted(index, key=index.__getitem__)
    elif index is None and len(labels) == 1:
        codes = list(labels)
    else:
        p.add(None, f"{where}.category.index", "saknas (tillåtet bara med exakt en kategori)")
        return None
    if not all(isinstance(c, str) for c in codes) or len(set(codes)) != len(codes):
        p.add(None, f"{where}.category.index", "kategorikoderna måste vara unika strängar")
        return None
    units = {}
    for code, u in (cat.get("unit") or {}).items():
        if isinstance(u, dict):
            dec = u.get("decimals")
            units[code] = Unit(
                base=_str_or_none(u.get("base")),
                decimals=dec if _is_int(dec) else None,
                label=_str_or_none(u.get("label")),
                symbol=_str_or_none(u.get("symbol")),
                position=_str_or_none(u.get("position")),
            )
    return Dimension(
        id=dim_id,
        label=str(d.get("label") or dim_id),
        categories=[(c, str(labels.get(c, c))) for c in codes],
        units=units,
        notes=_notes(d.get("note")),
    )


def _values(raw: Any, total: int, p: Problems) -> dict[int, Decimal]:
    items: list[tuple[int, Any]] = []
    if isinstance(raw, list):
        if len(raw) != total:
            p.add(
                None,
                "value",
                f"'size' stämmer inte med antalet värden: väntade {total}, fick {len(raw)}",
            )
            return {}
        items = list(enumerate(raw))
    elif isinstance(raw, dict):
        for key, v in raw.items():
            flat = _flat_index(key, total)
            if flat is None:
                p.add(None, f"value[{key!r}]", f"nyckeln måste vara ett index 0..{total - 1}")
            else:
                items.append((flat, v))
    else:
        p.add(None, "value", "saknas eller är varken lista eller objekt")
        return {}
    out: dict[int, Decimal] = {}
    for flat, v in items:
        if v is None:
            continue
        try:
            out[flat] = json_number(v)
        except ValueError:
            p.add(None, f"value[{flat}]", f"{_show(v)} är inte ett tal")
    return out


def _statuses(raw: Any, total: int, p: Problems) -> dict[int, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(total), raw)
    if isinstance(raw, list):
        if len(raw) == 1 and total != 1 and isinstance(raw[0], str):
            return dict.fromkeys(range(total), raw[0])  # allowed by the spec: one for all
        if len(raw) != total:
            p.add(None, "status", f"listan har {len(raw)} element men tabellen har {total} celler")
            return {}
        pairs = list(enumerate(raw))
    elif isinstance(raw, dict):
        pairs = []
        for key, s in raw.items():
            flat = _flat_index(key, total)
            if flat is None:
                p.add(None, f"status[{key!r}]", f"nyckeln måste vara ett index 0..{total - 1}")
            else:
                pairs.append((flat, s))
    else:
        p.add(None, "status", "måste vara en sträng, en lista eller ett objekt")
        return {}
    out = {}
    for flat, s in pairs:
        if s is None:
            continue
        if not isinstance(s, str):
            p.add(None, f"status[{flat}]", f"{_show(s)} är inte en sträng")
        else:
            out[flat] = s
    return out


def _flat_index(key: str, total: int) -> int | None:
    if isinstance(key, str) and key.isdigit() and int(key) < total:
        return int(key)
    return None


def _notes(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list):
        return [str(n) for n in raw if n is not None]
    if isinstance(raw, dict):  # JSON-stat 1.x style {index: note}
        return [str(n) for n in raw.values()]
    return []


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _str_or_none(v: Any) -> str | None:
    return None if v is None else str(v)


def _show(v: Any) -> str:
    return f"'{v}'" if isinstance(v, str) else json.dumps(v, default=str, ensure_ascii=False)
