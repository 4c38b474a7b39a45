"""Kolada API v3 data responses → cells.

Input: ``{"values": [{"kpi", "municipality" | "ou", "period", "values": [{"gender": "T|K|M",
"count", "status", "value", "isdeleted"}]}], "count", "next_url"}`` (one page, or the merged
envelope written by :class:`~lagesbild.sources.kolada.client.KoladaClient`).

Cells get ``dims = {"kpi", "area", "period", "sex"}``. Rows with ``isdeleted: true`` are skipped
(and counted). ``value: null`` is a missing value; its status is Kolada's ``status`` text or
``"saknas"`` when that is empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..base import (
    SEX_MEN,
    SEX_TOTAL,
    SEX_WOMEN,
    Cell,
    ParseError,
    Problems,
    Source,
    decode_json,
    json_number,
    read_source,
)

#: Kolada gender code → (sex code, label). The Kolada README writes "F" but every client uses M.
SEX = {"T": (SEX_TOTAL, "Totalt"), "K": (SEX_WOMEN, "Kvinnor"), "M": (SEX_MEN, "Män")}
MISSING_STATUS = "saknas"


@dataclass
class KoladaResult:
    cells: list[Cell]
    kind: str  # "municipality" or "ou"
    count: int | None = None
    next_url: str | None = None
    deleted: int = 0
    file: str = ""
    group_counts: dict[tuple[str, str, str, str], int] = field(default_factory=dict)


def parse(source: Source, *, file: str | None = None) -> KoladaResult:
    """Parse Kolada v3 JSON bytes (or a file path)."""
    data, name = read_source(source, file)
    return parse_obj(decode_json(data, name), file=name)


def parse_obj(obj: Any, *, file: str = "<data>") -> KoladaResult:
    return parse_pages([obj], file=file)


def parse_pages(pages: Iterable[Any], *, file: str = "<data>") -> KoladaResult:
    """Parse one or more decoded pages as a whole (problems numbered across pages)."""
    p = Problems(file, row_label="post", column_label="fält")
    cells: list[Cell] = []
    kinds: set[str] = set()
    seen: dict[tuple[str, str, str, str], int] = {}
    group_counts: dict[tuple[str, str, str, str], int] = {}
    deleted = 0
    count = next_url = None
    n = 0
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            p.add(None, "values", "svaret saknar listan 'values' (är det ett Kolada-datasvar?)")
            continue
        count = page.get("count") if isinstance(page.get("count"), int) else count
        next_url = page.get("next_url") or None
        for item in page["values"]:
            n += 1
            deleted += _item(item, n, p, cells, kinds, seen, group_counts)
    if len(kinds) > 1:
        p.add(None, None, "svaret blandar kommundata ('municipality') och enhetsdata ('ou')")
    p.raise_if_any()
    return KoladaResult(
        cells=cells,
        kind=kinds.pop() if kinds else "municipality",
        count=count,
        next_url=next_url,
        deleted=deleted,
        file=file,
        group_counts=group_counts,
    )


def _item(item, n, p, cells, kinds, seen, group_counts) -> int:
    if not isinstance(item, dict):
        p.add(n, None, "posten är inte ett objekt")
        return 0
    kpi = item.get("kpi")
    if not isinstance(kpi, str) or not kpi.strip():
        p.add(n, "kpi", "saknas eller är tom")
    has_m, has_ou = "municipality" in item, "ou" in item
    if has_m == has_ou:
        p.add(n, "municipality", "posten måste ha exakt ett av 'municipality' och 'ou'")
        return 0
    kind = "municipality" if has_m else "ou"
    kinds.add(kind)
    area = item[kind]
    if not isinstance(area, str) or not area.strip():
        p.add(n, kind, "saknas eller är tom")
    period = item.get("period")
    if isinstance(period, bool) or not re.fullmatch(r"\d{4}", str(period)):
        p.add(n, "period", f"'{period}' är inte ett år (ÅÅÅÅ)")
    values = item.get("values")
    if not isinstance(values, list):
        p.add(n, "values", "saknas eller är inte en lista")
        return 0
    deleted = 0
    for v in values:
        if not isinstance(v, dict):
            p.add(n, "values", "ett element är inte ett objekt")
            continue
        isdeleted = v.get("isdeleted", False)
        if not isinstance(isdeleted, bool):
            p.add(n, "isdeleted", f"'{isdeleted}' är inte true/false")
            continue
        if isdeleted:
            deleted += 1
            continue
        gender = v.get("gender")
        if gender not in SEX:
            p.add(n, "gender", f"'{gender}' är inte T, K eller M")
            continue
        raw_status = v.get("status")
        if raw_status is not None and not isinstance(raw_status, str):
            p.add(n, "status", f"'{raw_status}' är inte en text")
            continue
        status = raw_status.strip() if raw_status and raw_status.strip() else None
        raw = v.get("value")
        value = None
        if raw is None:
            status = status or MISSING_STATUS
        else:
            try:
                value = json_number(raw)
            except ValueError:
                p.add(n, "value", f"'{raw}' är inte ett tal")
                continue
        count = v.get("count")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            p.add(n, "count", f"'{count}' är inte ett heltal")
            continue
        sex, sex_label = SEX[gender]
        key = (str(kpi), str(area), str(period), sex)
        if key in seen:
            p.add(n, "gender", f"dubblett: samma kpi/område/år/kön som post {seen[key]}")
            continue
        seen[key] = n
        if isinstance(count, int) and count > 1:
            group_counts[key] = count
        cells.append(
            Cell(
                dims={"kpi": key[0], "area": key[1], "period": key[2], "sex": sex},
                labels={"sex": sex_label},
                value=value,
                status=status,
            )
        )
    return deleted


__all__ = ["KoladaResult", "MISSING_STATUS", "SEX", "ParseError", "parse", "parse_obj"]
