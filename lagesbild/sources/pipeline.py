"""The import pipeline shared by every source: validate everything, then write once.

An importer (``<source>/importer.py``) turns a parsed file into :class:`Record` objects: indicator
code, area code, period, breakdown, value and flags, each with the row it came from. The pipeline

1. resolves every code against the catalogue (indicators, areas, the indicator's breakdowns) and
   checks periods and missing values, collecting problems that name file, row and column;
2. streams the valid rows into a staging table (flat memory, see :mod:`.writer`);
3. refuses the whole file if any row had a problem or the same cell occurs twice;
4. classifies rows as created / updated / unchanged; with ``dry_run`` it stops here;
5. otherwise creates the :class:`~lagesbild.indicators.models.ImportRun` (source, file name and
   SHA-256 or URL, user, time, summary) and writes everything in one short transaction.

Imported observations are published: they are official statistics, already published by their
producer.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from lagesbild.core.models import Area
from lagesbild.indicators.models import ImportKind, ImportRun, Indicator
from lagesbild.indicators.services import breakdown_key
from lagesbild.indicators.stats import period_sort_key

from .base import MAX_PROBLEMS, ParseError, Problem
from .writer import Change, Stage, StagedRow

#: status symbols → the Swedish reason stored in ``missing_reason`` when the value is missing.
MISSING_REASONS = {
    "..": "Uppgift saknas eller är skyddad i källan (..)",
    ".": "Uppgift kan inte förekomma (.)",
    "-": "Uppgift saknas i källan (-)",
}


def missing_reason_for(status: str | None, source: str = "källan") -> str:
    if status in MISSING_REASONS:
        return MISSING_REASONS[status]
    return f"Uppgift saknas i {source} ({status})" if status else f"Uppgift saknas i {source}"


@dataclass(slots=True)
class Record:
    """One figure from a source file, before its codes are resolved."""

    indicator: str
    area: str
    period: str
    breakdown: dict[str, str]
    value: Decimal | None
    row: int | None = None  # as the user sees the file (1-based); None for whole-file sources
    column: str | None = None
    statistic: str = "value"
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    respondents: int | None = None
    status: str = ""
    missing_reason: str = ""
    too_few_cases: bool = False
    provisional: bool = False
    source_ref: str = ""
    note: str = ""
    qualifier: str = ""  # indicators.models.Qualifier


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    flags: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)
    detected: str = ""
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)
    import_run_id: int | None = None
    # seconds per phase (parse_and_stage, checks, classify, write); for benchmarks, not in --json
    timings: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "flags": dict(sorted(self.flags.items())),
            "errors": self.errors,
        }
        if self.error_count > len(self.errors):
            out["error_count"] = self.error_count
        if self.skipped:
            out["skipped"] = self.skipped
        if self.warnings:
            out["warnings"] = self.warnings
        if self.detected:
            out["detected"] = self.detected
        if self.import_run_id is not None:
            out["import_run"] = self.import_run_id
        out["dry_run"] = self.dry_run
        return out


class ImportFailed(Exception):
    """The file was rejected; nothing was written. ``summary.errors`` lists the problems."""

    def __init__(self, summary: ImportSummary):
        self.summary = summary
        super().__init__("\n".join(summary.errors))


class Importer:
    """Base class. Subclasses set ``key``/``source`` and implement :meth:`records`."""

    key = ""
    source = ""
    kind = ImportKind.IMPORT

    def __init__(self, path: Path | None = None, *, url: str = "", file_name: str = ""):
        self.path = Path(path) if path is not None else None
        self.url = url
        self.file_name = file_name or (self.path.name if self.path else "")
        self.skipped = 0
        self.warnings: list[str] = []
        self.detected = ""
        self.total: int | None = None  # for the progress bar, when known

    def records(self, catalogue: Catalogue) -> Iterator[Record]:  # pragma: no cover - abstract
        raise NotImplementedError

    def rows_seen(self) -> int | None:
        """Rows of the source (cells of a cube, rows of a table); default: records + skipped."""
        return None

    def sha256(self) -> str:
        if self.path is None:
            return ""
        digest = hashlib.sha256()
        with self.path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()


class Catalogue:
    """Indicators and areas by code, loaded once per import (both are small tables)."""

    def __init__(self):
        self.indicators: dict[str, Indicator] = {i.code: i for i in Indicator.objects.all()}
        self.areas: dict[str, int] = dict(Area.objects.values_list("code", "id"))
        self._periods: dict[str, tuple[str, int] | None] = {}
        self._unknown: dict[tuple, list[str]] = {}

    def by_source_code(self, source: str) -> dict[str, list[Indicator]]:
        """``source_codes: {kolada: [N00000]}`` → ``{"N00000": [indicator, …]}``."""
        out: dict[str, list[Indicator]] = {}
        for ind in self.indicators.values():
            codes = (ind.source_codes or {}).get(source) or []
            for code in [codes] if isinstance(codes, str) else codes:
                out.setdefault(str(code), []).append(ind)
        return out

    def unknown_breakdowns(self, indicator: Indicator, breakdown: dict[str, str]) -> list[str]:
        keys = (indicator.code, tuple(breakdown))  # the code: cheaper than .pk, as unique
        hit = self._unknown.get(keys)
        if hit is None:
            hit = self._unknown[keys] = sorted(set(breakdown) - set(indicator.breakdowns or []))
        return hit

    def period(self, period: str) -> tuple[str, int] | None:
        try:
            return self._periods[period]
        except KeyError:
            pass
        try:
            start, school = period_sort_key(period)
            hit = ("school_year" if school else "year", start)
        except ValueError:
            hit = None
        self._periods[period] = hit
        return hit


@dataclass
class Options:
    dry_run: bool = False
    user: Any = None
    progress: bool | None = None  # None: only when stderr is a terminal
    published: bool = True
    reason: str = ""
    preview: int = 50


def run(importer: Importer, options: Options | None = None) -> ImportSummary:
    """Validate, stage and (unless dry run) write. Raises :class:`ImportFailed` on any problem."""
    options = options or Options()
    summary = ImportSummary(dry_run=options.dry_run)
    catalogue = Catalogue()
    problems: list[Problem] = []
    problem_total = 0

    def problem(p: Problem) -> None:
        nonlocal problem_total
        problem_total += 1
        if len(problems) < MAX_PROBLEMS:
            problems.append(p)

    file = importer.file_name or importer.url or importer.source
    seq = 0

    def staged() -> Iterator[StagedRow]:
        nonlocal seq
        for rec in _progress(importer.records(catalogue), importer, options):
            seq += 1
            row_no = rec.row if rec.row is not None else seq
            resolved = _resolve(rec, catalogue, file, problem)
            if resolved is None:
                continue
            if rec.status:
                summary.flags[rec.status] += 1
            resolved.row_no = row_no
            yield resolved

    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.timings[phase] = round(now - clock, 3)
        clock = now

    try:
        with Stage() as stage:
            try:
                with transaction.atomic():  # a savepoint: a failed COPY must not poison the rest
                    stage.load(staged())
            except ParseError as exc:
                for p in exc.problems:
                    problem(p)
                problem_total += exc.total - len(exc.problems)
            lap("parse_and_stage")
            summary.skipped = importer.skipped
            summary.warnings = list(importer.warnings)
            summary.detected = importer.detected
            summary.rows = importer.rows_seen() or (seq + importer.skipped)
            if not problems:
                for d in stage.duplicates():
                    problem(
                        Problem(
                            file,
                            d.other_row,
                            None,
                            f"samma indikator, område, period, uppdelning och mått som "
                            f"rad {d.first_row}" + (f" ({d.count} gånger)" if d.count > 2 else ""),
                        )
                    )
            if problems:
                problems.sort(key=lambda p: (p.file, p.row or 0))
                summary.errors = [str(p) for p in problems]
                summary.error_count = problem_total
                raise ImportFailed(summary)
            lap("checks")
            with transaction.atomic():
                counts = stage.classify(published=options.published)
                summary.created = counts["created"]
                summary.updated = counts["updated"]
                summary.unchanged = counts["unchanged"]
                summary.changes = stage.changes(options.preview)
                lap("classify")
                if options.dry_run:
                    return summary
                run_obj = ImportRun.objects.create(
                    kind=importer.kind,
                    source=importer.source[:300],
                    file_name=importer.file_name[:500],
                    sha256=importer.sha256(),
                    url=importer.url[:1000],
                    user=options.user,
                    summary={},
                )
                reason = options.reason or f"Import från {importer.source}: {file}"
                if counts["created"] or counts["updated"]:
                    stage.write(
                        import_run=run_obj,
                        user=options.user,
                        reason=reason,
                        published=options.published,
                    )
                summary.import_run_id = run_obj.pk
                run_obj.summary = {
                    k: v for k, v in summary.as_json().items() if k not in ("import_run",)
                }
                run_obj.finished_at = timezone.now()
                run_obj.save(update_fields=["summary", "finished_at"])
            lap("write")
    except ParseError as exc:
        summary.errors = [str(p) for p in exc.problems]
        summary.error_count = exc.total
        raise ImportFailed(summary) from None
    return summary


def validate_only(importer: Importer) -> ImportSummary:
    """Dry run that never touches observations (used without a database mapping)."""
    return run(importer, Options(dry_run=True))


_TOO_BIG = Decimal("1e14")
_NEG_TOO_BIG = -_TOO_BIG
_BREAKDOWNS: dict[tuple, tuple[str, str]] = {}


def _breakdown(breakdown: dict[str, str]) -> tuple[str, str]:
    """(breakdown_key, JSON text), cached: a file repeats the same few breakdowns."""
    items = tuple(breakdown.items())
    hit = _BREAKDOWNS.get(items)
    if hit is None:
        if len(_BREAKDOWNS) > 10_000:
            _BREAKDOWNS.clear()
        hit = _BREAKDOWNS[items] = (breakdown_key(breakdown), json.dumps(breakdown))
    return hit


def _resolve(rec: Record, catalogue: Catalogue, file: str, problem) -> StagedRow | None:
    """The staged row for a record, or None after reporting its problems.

    A fast path for the common case – every code known, the value present and of a sane size –
    makes the same checks without building any message; any record that fails one of them goes
    through :func:`_resolve_checked`, which reports its problems (and resolves a record whose
    missing value the source explains).
    """
    indicator = catalogue.indicators.get(rec.indicator)
    area_id = catalogue.areas.get(rec.area)
    period = catalogue.period(rec.period)
    breakdown = rec.breakdown
    value, numerator, denominator = rec.value, rec.numerator, rec.denominator
    if (
        indicator is None
        or area_id is None
        or period is None
        or value is None
        or (breakdown and catalogue.unknown_breakdowns(indicator, breakdown))
        or len(rec.status) > 16
        or not _NEG_TOO_BIG < value < _TOO_BIG
        or (numerator is not None and not _NEG_TOO_BIG < numerator < _TOO_BIG)
        or (denominator is not None and not _NEG_TOO_BIG < denominator < _TOO_BIG)
    ):
        return _resolve_checked(rec, catalogue, file, problem)
    key, breakdown_json = _breakdown(breakdown)
    return StagedRow(
        0,
        indicator.pk,
        area_id,
        rec.period,
        period[0],
        period[1],
        breakdown_json,
        key,
        rec.statistic,
        value,
        numerator,
        denominator,
        rec.respondents,
        rec.provisional,
        rec.too_few_cases,
        rec.missing_reason,
        rec.status,
        rec.source_ref[:300],
        rec.note,
        rec.qualifier,
    )


def _resolve_checked(rec: Record, catalogue: Catalogue, file: str, problem) -> StagedRow | None:
    messages: list[str] = []
    indicator = catalogue.indicators.get(rec.indicator)
    if indicator is None:
        messages.append(f"indikatorn '{rec.indicator}' finns inte i indikatorkatalogen")
    area_id = catalogue.areas.get(rec.area)
    if area_id is None:
        messages.append(f"området '{rec.area}' finns inte bland områdena (areas.csv)")
    period = catalogue.period(rec.period)
    if period is None:
        messages.append(f"'{rec.period}' är ingen giltig period (t.ex. 2024 eller 2024/2025)")
    if indicator is not None and rec.breakdown:
        unknown = catalogue.unknown_breakdowns(indicator, rec.breakdown)
        if unknown:
            allowed = sorted(indicator.breakdowns or [])
            messages.append(
                f"uppdelningen {', '.join(unknown)} finns inte för indikatorn {indicator.code} "
                f"(tillåtna: {', '.join(allowed) or 'ingen'})"
            )
    missing_reason = rec.missing_reason
    if rec.value is None:
        if not (missing_reason or rec.status):
            messages.append("värde saknas och källan anger inte varför")
        elif not missing_reason:
            missing_reason = missing_reason_for(rec.status)
    if len(rec.status) > 16:
        messages.append(f"statussymbolen '{rec.status}' är längre än 16 tecken")
    for name, v in (
        ("value", rec.value),
        ("numerator", rec.numerator),
        ("denominator", rec.denominator),
    ):
        if v is not None and abs(v) >= _TOO_BIG:
            messages.append(f"{name} {v} är för stort")
    if messages:
        for message in messages:
            problem(Problem(file, rec.row, rec.column, message))
        return None
    key, breakdown_json = _breakdown(rec.breakdown)
    return StagedRow(
        row_no=0,
        indicator_id=indicator.pk,
        area_id=area_id,
        period=rec.period,
        period_kind=period[0],
        period_sort=period[1],
        breakdown=breakdown_json,
        breakdown_key=key,
        statistic=rec.statistic,
        value=rec.value,
        numerator=rec.numerator,
        denominator=rec.denominator,
        respondents=rec.respondents,
        provisional=rec.provisional,
        too_few_cases=rec.too_few_cases,
        missing_reason=missing_reason,
        status_symbol=rec.status,
        source_ref=rec.source_ref[:300],
        note=rec.note,
        qualifier=rec.qualifier,
    )


def _progress(items: Iterable[Record], importer: Importer, options: Options) -> Iterable[Record]:
    show = options.progress if options.progress is not None else sys.stderr.isatty()
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(
        items,
        total=importer.total,
        desc=importer.file_name or importer.key,
        unit=" rader",
        file=sys.stderr,
        mininterval=0.5,
    )
