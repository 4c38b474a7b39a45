"""Set-based writing of many observations: the bulk twin of ``observation_upsert``.

Rows are first streamed into a temporary staging table (PostgreSQL: ``COPY``; SQLite: batched
``executemany``), so a million-row import never holds its rows in Python memory. Then, in one
short transaction, plain SQL

1. finds the existing observation for each staged row (the unique cell: indicator, area, period,
   breakdown key, statistic),
2. classifies it exactly as :func:`lagesbild.indicators.services.observation_upsert` does:
   *created* (no observation yet), *updated* (a compared or descriptive field differs, or the
   observation was not yet published) or *unchanged*; a changed ``value`` on a published
   observation that had a value sets ``revised``,
3. inserts the new observations and updates the changed ones, pointing them at the import run,
4. writes one django-simple-history row per created (``+``) or changed (``~``) observation, with
   the import run as change reason and the importing user as history user.

Why SQL rather than ``bulk_create_with_history``/``bulk_update_with_history``: those build two
model instances per row in Python and need every row in memory for the classification; on a
million rows that is both slower than the target and not flat in memory. The history rows written
here have the same columns and meaning (the column lists are read from the historical model, so a
new field on ``Observation`` is picked up). ``tests`` compare both paths row for row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from lagesbild.indicators.models import Observation

STAGE = "lagesbild_import_stage"
BATCH = 5000
COPY_CHUNK = 20000  # rows per COPY (see Stage.load)
_Q = Decimal("1e-10")  # Observation decimals: decimal_places=10

#: Staged columns, in order. ``obs_id``/``action``/``revise`` are filled by the classification.
STAGE_COLUMNS = (
    "row_no",
    "indicator_id",
    "area_id",
    "period",
    "period_kind",
    "period_sort",
    "breakdown",
    "breakdown_key",
    "statistic",
    "value",
    "qualifier",
    "numerator",
    "denominator",
    "respondents",
    "provisional",
    "too_few_cases",
    "missing_reason",
    "status_symbol",
    "source_ref",
    "note",
)
#: Compared like observation_upsert's _COMPARED and _DESCRIPTIVE.
COMPARED = (
    "value",
    "qualifier",
    "numerator",
    "denominator",
    "respondents",
    "provisional",
    "too_few_cases",
    "missing_reason",
    "status_symbol",
)
DESCRIPTIVE = ("source_ref", "note")
KEY = ("indicator_id", "area_id", "period", "breakdown_key", "statistic")


def quantize(value: Decimal | None) -> Decimal | None:
    """The value as the database stores it (10 decimals), so re-imports compare equal."""
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    return value.quantize(_Q) if isinstance(exponent, int) and exponent < -10 else value


_QUANTIZED: dict[Decimal, Decimal] = {}


def _quantized(value: Decimal | None) -> Decimal | None:
    """:func:`quantize`, remembered per value: a file repeats the same few thousand numbers.

    Equal values give equal results (rounding depends on the value alone), so the remembered
    result may differ from a fresh one only in its trailing zeros, which a numeric column drops.
    """
    if value is None:
        return None
    hit = _QUANTIZED.get(value)
    if hit is None:
        if len(_QUANTIZED) >= 100_000:
            _QUANTIZED.clear()
        hit = _QUANTIZED[value] = quantize(value)
    return hit


@dataclass(slots=True)
class StagedRow:
    row_no: int
    indicator_id: int
    area_id: int
    period: str
    period_kind: str
    period_sort: int
    breakdown: str  # JSON text
    breakdown_key: str
    statistic: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    respondents: int | None
    provisional: bool
    too_few_cases: bool
    missing_reason: str
    status_symbol: str
    source_ref: str
    note: str
    qualifier: str = ""

    def as_tuple(self) -> tuple:
        return (
            self.row_no,
            self.indicator_id,
            self.area_id,
            self.period,
            self.period_kind,
            self.period_sort,
            self.breakdown,
            self.breakdown_key,
            self.statistic,
            _quantized(self.value),
            self.qualifier,
            _quantized(self.numerator),
            _quantized(self.denominator),
            self.respondents,
            self.provisional,
            self.too_few_cases,
            self.missing_reason,
            self.status_symbol,
            self.source_ref,
            self.note,
        )


@dataclass
class Duplicate:
    first_row: int
    other_row: int
    count: int


@dataclass
class Change:
    row_no: int
    action: str  # "created" | "updated"
    indicator: str
    area: str
    period: str
    breakdown_key: str
    statistic: str
    old: Decimal | None
    new: Decimal | None


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _distinct(a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if _pg() else f"{a} IS NOT {b}"


class Stage:
    """A temporary staging table for one import; use as a context manager."""

    def __init__(self):
        self.rows = 0
        self.classified = False

    def __enter__(self) -> Stage:
        num = "numeric(24,10)" if _pg() else "decimal"
        types = {
            "row_no": "integer",
            "indicator_id": "bigint",
            "area_id": "bigint",
            "period": "varchar(16)",
            "period_kind": "varchar(16)",
            "period_sort": "integer",
            "breakdown": "text",
            "breakdown_key": "varchar(300)",
            "statistic": "varchar(16)",
            "value": num,
            "qualifier": "varchar(16)",
            "numerator": num,
            "denominator": num,
            "respondents": "integer",
            "provisional": "boolean",
            "too_few_cases": "boolean",
            "missing_reason": "text",
            "status_symbol": "varchar(16)",
            "source_ref": "varchar(300)",
            "note": "text",
        }
        cols = ", ".join(f"{c} {types[c]}" for c in STAGE_COLUMNS)
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cur.execute(
                f"CREATE TEMPORARY TABLE {STAGE} ({cols}, obs_id bigint, "
                f"action varchar(1) NOT NULL DEFAULT 'c', revise boolean NOT NULL DEFAULT FALSE)"
            )
        return self

    def __exit__(self, *exc) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {STAGE}")

    # --- loading ------------------------------------------------------------------------------

    def load(self, rows: Iterable[StagedRow]) -> int:
        """Stream rows into the stage; returns how many."""
        n = 0
        if _pg():
            # Rows are taken from the importer in chunks *before* each COPY: an importer may
            # query the database while it produces rows (the aggregate importer does), and a
            # query on the connection in the middle of a COPY waits for the COPY to end – for
            # ever. Chunking keeps memory flat and the COPY's speed.
            cols = ", ".join(STAGE_COLUMNS)
            with connection.cursor() as cur:
                raw = cur.cursor
                for chunk in iter_batches((row.as_tuple() for row in rows), COPY_CHUNK):
                    with raw.copy(f"COPY {STAGE} ({cols}) FROM STDIN") as copy:
                        for values in chunk:
                            copy.write_row(values)
                    n += len(chunk)
        else:
            marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
            sql = f"INSERT INTO {STAGE} ({', '.join(STAGE_COLUMNS)}) VALUES ({marks})"
            batch: list[tuple] = []
            with connection.cursor() as cur:
                for row in rows:
                    batch.append(row.as_tuple())
                    if len(batch) >= BATCH:
                        cur.executemany(sql, batch)
                        n += len(batch)
                        batch = []
                if batch:
                    cur.executemany(sql, batch)
                    n += len(batch)
        self.rows += n
        return n

    # --- checks and classification ------------------------------------------------------------

    def duplicates(self, limit: int = 100) -> list[Duplicate]:
        keys = ", ".join(KEY)
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT min(row_no), max(row_no), count(*) FROM {STAGE} GROUP BY {keys} "
                f"HAVING count(*) > 1 ORDER BY min(row_no) LIMIT {int(limit)}"
            )
            return [Duplicate(a, b, c) for a, b, c in cur.fetchall()]

    def classify(self, *, published: bool = True) -> dict[str, int]:
        """Mark every staged row c(reated) / u(pdated) / n (unchanged); returns the counts."""
        obs = Observation._meta.db_table
        s = STAGE
        match = " AND ".join(f"{obs}.{k} = {s}.{k}" for k in KEY)
        differs = " OR ".join(_distinct(f"{obs}.{f}", f"{s}.{f}") for f in COMPARED + DESCRIPTIVE)
        pub = "TRUE" if published else "FALSE"
        differs += f" OR {obs}.published <> {pub}"
        revise = (
            f"{obs}.published AND {obs}.value IS NOT NULL AND "
            f"({_distinct(f'{obs}.value', f'{s}.value')})"
        )
        with connection.cursor() as cur:
            # A new stage holds action 'c' and revise FALSE by default; a second classify resets.
            if self.classified:
                cur.execute(f"UPDATE {s} SET action = 'c', obs_id = NULL, revise = FALSE")
            self.classified = True
            if _pg():
                # Temporary tables are never auto-analysed: without statistics the planner
                # guesses a few rows and joins a million-row stage by nested loop.
                cur.execute(f"ANALYZE {s}")
            cur.execute(
                f"UPDATE {s} SET obs_id = {obs}.id, "
                f"action = CASE WHEN {differs} THEN 'u' ELSE 'n' END, "
                f"revise = CASE WHEN {revise} THEN TRUE ELSE FALSE END "
                f"FROM {obs} WHERE {match}"
            )
            cur.execute(f"SELECT action, count(*) FROM {s} GROUP BY action")
            counts = dict(cur.fetchall())
        return {
            "created": counts.get("c", 0),
            "updated": counts.get("u", 0),
            "unchanged": counts.get("n", 0),
        }

    def changes(self, limit: int = 50) -> list[Change]:
        """The first ``limit`` created or updated rows, with the old and the new value."""
        obs = Observation._meta.db_table
        from lagesbild.core.models import Area
        from lagesbild.indicators.models import Indicator

        ind, area = Indicator._meta.db_table, Area._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT s.row_no, s.action, i.code, a.code, s.period, s.breakdown_key, "
                f"s.statistic, o.value, s.value FROM {STAGE} s "
                f"JOIN {ind} i ON i.id = s.indicator_id JOIN {area} a ON a.id = s.area_id "
                f"LEFT JOIN {obs} o ON o.id = s.obs_id "
                f"WHERE s.action IN ('c', 'u') ORDER BY s.row_no LIMIT {int(limit)}"
            )
            out = []
            for row_no, action, code, area_code, period, key, stat, old, new in cur.fetchall():
                out.append(
                    Change(
                        row_no,
                        "created" if action == "c" else "updated",
                        code,
                        area_code,
                        period,
                        key,
                        stat,
                        _dec(old),
                        _dec(new),
                    )
                )
        return out

    # --- writing ------------------------------------------------------------------------------

    def write(self, *, import_run, user=None, reason: str, published: bool = True) -> None:
        """Insert created rows, update changed ones, write their history. Call inside atomic."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Stage.write måste anropas inom transaction.atomic()")
        ops = connection.ops
        now = ops.adapt_datetimefield_value(timezone.now())
        obs = Observation._meta.db_table
        s = STAGE
        pub = "TRUE" if published else "FALSE"
        breakdown = f"{s}.breakdown::jsonb" if _pg() else f"{s}.breakdown"
        insert_cols = [c for c in STAGE_COLUMNS if c != "row_no"]
        select_cols = [breakdown if c == "breakdown" else f"{s}.{c}" for c in insert_cols]
        user_id = user.pk if user is not None else None
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {obs} ({', '.join(insert_cols)}, revised, published, "
                f"import_run_id, updated_at) SELECT {', '.join(select_cols)}, FALSE, {pub}, "
                f"%s, %s FROM {s} WHERE {s}.action = 'c' ORDER BY {s}.row_no",
                [import_run.pk, now],
            )
            self._history(
                cur,
                f"FROM {obs} WHERE import_run_id = %s",
                [import_run.pk],
                "+",
                now,
                reason,
                user_id,
            )
            sets = ", ".join(f"{f} = {s}.{f}" for f in COMPARED + DESCRIPTIVE)
            cur.execute(
                f"UPDATE {obs} SET {sets}, revised = ({obs}.revised OR {s}.revise), "
                f"published = ({obs}.published OR {pub}), import_run_id = %s, updated_at = %s "
                f"FROM {s} WHERE {s}.obs_id = {obs}.id AND {s}.action = 'u'",
                [import_run.pk, now],
            )
            self._history(
                cur,
                f"FROM {obs} JOIN {s} ON {s}.obs_id = {obs}.id WHERE {s}.action = 'u'",
                [],
                "~",
                now,
                reason,
                user_id,
            )

    @staticmethod
    def _history(cur, source_sql, params, kind, now, reason, user_id) -> None:
        hist = Observation.history.model
        obs = Observation._meta.db_table
        cols = [
            f.column
            for f in hist._meta.concrete_fields
            if not f.name.startswith("history_") and f.name != "history_id"
        ]
        cur.execute(
            f"INSERT INTO {hist._meta.db_table} ({', '.join(cols)}, history_date, "
            f"history_change_reason, history_type, history_user_id) "
            f"SELECT {', '.join(f'{obs}.{c}' for c in cols)}, %s, %s, %s, %s {source_sql}",
            [now, reason, kind, user_id, *params],
        )


def _dec(v) -> Decimal | None:
    if v is None:
        return None
    return v if isinstance(v, Decimal) else Decimal(str(v))


def iter_batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
