"""The report texts file: foreword, overall and per-goal summaries, development areas and the
publication's metadata for one year, loaded in one transaction (previewable with ``dry_run``).

Format (YAML, see docs/statusreport.md)::

    year: 2025
    metadata: {title, publisher, report_number, isbn, published_year, contact, cover_credit,
               register_appendix}
    foreword: |
      Stycke ett.

      Stycke två.
    overall_summary: |
      …
    goals:
      1:
        summary: |
          …
        development_areas:
          - En punkt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from lagesbild.statusreport.models import ReportMetadata, ReportText, TextKind
from lagesbild.statusreport.services import report_text_save

_META_FIELDS = {
    "title": str,
    "publisher": str,
    "report_number": str,
    "isbn": str,
    "published_year": int,
    "contact": str,
    "cover_credit": str,
    "register_appendix": bool,
}


class ReportTextsError(Exception):
    """The file cannot be loaded; ``problems`` are Swedish sentences naming the place."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False

    def __str__(self) -> str:
        verb = "skulle skrivas" if self.dry_run else "skrivna"
        return f"{len(self.written)} texter {verb}, {len(self.unchanged)} oförändrade"


def _parse(path: Path, year: int) -> tuple[dict, list[tuple[str, int, str]]]:
    import yaml

    if not path.is_file():
        raise ReportTextsError([f"Filen {path} finns inte."])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ReportTextsError(
            [f"{path.name}: filen är inte giltig YAML ({exc}).".strip()]
        ) from exc
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ReportTextsError([f"{path.name}: filen ska vara en mappning med year, foreword …"])
    if data.get("year") != year:
        problems.append(f"{path.name}: year är {data.get('year')!r}, men --year är {year}.")
    unknown = set(data) - {"year", "metadata", "foreword", "overall_summary", "goals"}
    if unknown:
        problems.append(f"{path.name}: okända nycklar: {', '.join(sorted(map(str, unknown)))}.")
    meta = data.get("metadata") or {}
    for key, value in meta.items():
        kind = _META_FIELDS.get(key)
        if kind is None:
            problems.append(f"{path.name}, metadata: okänd uppgift '{key}'.")
        elif not isinstance(value, kind):
            problems.append(f"{path.name}, metadata.{key}: ska vara {kind.__name__}.")
    texts: list[tuple[str, int, str]] = []
    for key, kind in (
        ("foreword", TextKind.FOREWORD),
        ("overall_summary", TextKind.OVERALL_SUMMARY),
    ):
        if data.get(key) is not None:
            texts.append((kind, 0, str(data[key]).strip()))
    for number, goal in (data.get("goals") or {}).items():
        if not isinstance(number, int) or not isinstance(goal, dict):
            problems.append(f"{path.name}, goals.{number}: ska vara ett målnummer med summary.")
            continue
        extra = set(goal) - {"summary", "development_areas"}
        if extra:
            problems.append(f"{path.name}, goals.{number}: okända nycklar {sorted(extra)}.")
        if goal.get("summary") is not None:
            texts.append((TextKind.SUMMARY, number, str(goal["summary"]).strip()))
        areas = goal.get("development_areas") or []
        if not isinstance(areas, list):
            problems.append(f"{path.name}, goals.{number}.development_areas: ska vara en lista.")
        elif areas:
            texts.append((TextKind.DEVELOPMENT_AREAS, number, "\n".join(f"- {a}" for a in areas)))
    if problems:
        raise ReportTextsError(problems)
    return meta, texts


def report_texts_load(*, path: Path, year: int, dry_run: bool = False, user=None) -> LoadResult:
    """Load the file into ReportText and ReportMetadata; all or nothing."""
    meta, texts = _parse(Path(path), year)
    result = LoadResult(dry_run=dry_run)
    with transaction.atomic():
        stored = {(t.kind, t.goal_number): t.text for t in ReportText.objects.filter(year=year)}
        for kind, goal, text in texts:
            label = f"{kind}:{goal}" if goal else kind
            if stored.get((kind, goal)) == text:
                result.unchanged.append(label)
                continue
            result.written.append(label)
            report_text_save(year=year, kind=kind, goal_number=goal, text=text, user=user)
        if meta:
            current = ReportMetadata.objects.filter(year=year).first()
            if current is None or any(getattr(current, k) != v for k, v in meta.items()):
                result.written.append("metadata")
                ReportMetadata.objects.update_or_create(year=year, defaults=meta)
            else:
                result.unchanged.append("metadata")
        if dry_run:
            transaction.set_rollback(True)
    return result
