"""Read a survey or index YAML file, check it completely, then store it in one transaction.

`load_survey_file(path)` accepts either kind of file (top-level `survey:` or `index:`). Every
problem names the file, the line and the field, in Swedish; when there is one, nothing is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lagesbild.core.yamlschema import ConfigError, Problem, read_yaml, validate

from .models import CompositeIndex, Survey
from .schema import IndexFile, SurveyFile


@dataclass
class Loaded:
    kind: str  # "survey" | "index"
    key: str
    title: str
    created: bool
    questions: int = 0


def _line(lines: dict[tuple, int], *loc) -> int | None:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return None


def check_survey(spec: SurveyFile, lines, name: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, object] = {}
    section_keys: set[str] = set()
    for si, section in enumerate(spec.survey.sections):
        if section.key in section_keys:
            problems.append(
                Problem(
                    name,
                    _line(lines, "survey", "sections", si, "key"),
                    f"survey.sections[{si}].key",
                    f"avsnittet '{section.key}' finns redan",
                )
            )
        section_keys.add(section.key)
        for qi, q in enumerate(section.questions):
            loc = ("survey", "sections", si, "questions", qi)
            field = f"survey.sections[{si}].questions[{qi}]"
            if q.key in seen:
                problems.append(
                    Problem(
                        name,
                        _line(lines, *loc, "key"),
                        f"{field}.key",
                        f"frågan '{q.key}' finns redan",
                    )
                )
            if q.show_if is not None:
                earlier = seen.get(q.show_if.question)
                if earlier is None:
                    problems.append(
                        Problem(
                            name,
                            _line(lines, *loc, "show_if", "question"),
                            f"{field}.show_if.question",
                            f"villkoret gäller '{q.show_if.question}', som inte är en tidigare "
                            "fråga i enkäten",
                        )
                    )
                else:
                    unknown = [v for v in q.show_if.equals if v not in earlier.option_keys()]
                    if unknown:
                        problems.append(
                            Problem(
                                name,
                                _line(lines, *loc, "show_if", "equals"),
                                f"{field}.show_if.equals",
                                f"svaret {', '.join(unknown)} finns inte bland alternativen "
                                f"till '{earlier.key}' ({', '.join(earlier.option_keys())})",
                            )
                        )
            seen[q.key] = q
    return problems


def check_compatible(spec: SurveyFile, lines, name: str) -> list[Problem]:
    """A survey that already has rounds may gain questions, but not lose or retype one:
    the stored answers must keep their meaning. A new survey gets a new key."""
    existing = Survey.objects.filter(key=spec.survey.key).first()
    if existing is None or not existing.rounds.exists():
        return []
    new = {q.key: q for q in spec.survey.questions()}
    problems = []
    for q in existing.spec.questions():
        if q.key not in new:
            message = f"frågan '{q.key}' har svar i tidigare omgångar och kan inte tas bort"
        elif new[q.key].type != q.type:
            message = (
                f"frågan '{q.key}' har svar i tidigare omgångar och kan inte byta typ "
                f"({q.type} → {new[q.key].type})"
            )
        else:
            continue
        problems.append(
            Problem(
                name,
                _line(lines, "survey", "key"),
                "survey.key",
                message + "; ge den ändrade enkäten en ny nyckel",
            )
        )
    return problems


def check_index(spec: IndexFile, lines, name: str, survey: Survey | None) -> list[Problem]:
    problems: list[Problem] = []
    if survey is None:
        return [
            Problem(
                name,
                _line(lines, "index", "survey"),
                "index.survey",
                f"enkäten '{spec.index.survey}' är inte inläst; läs in enkäten först",
            )
        ]
    questions = {q.key: q for q in survey.spec.questions()}
    used: set[str] = set()
    keys: set[str] = set()
    for ci, cat in enumerate(spec.index.categories):
        if cat.key in keys or cat.key == "total":
            problems.append(
                Problem(
                    name,
                    _line(lines, "index", "categories", ci, "key"),
                    f"index.categories[{ci}].key",
                    f"nyckeln '{cat.key}' är upptagen",
                )
            )
        keys.add(cat.key)
        for ii, ind in enumerate(cat.indicators):
            if ind.key in keys or ind.key == "total":
                problems.append(
                    Problem(
                        name,
                        _line(lines, "index", "categories", ci, "indicators", ii, "key"),
                        f"index.categories[{ci}].indicators[{ii}].key",
                        f"nyckeln '{ind.key}' är upptagen",
                    )
                )
            keys.add(ind.key)
            for qi, item in enumerate(ind.items):
                loc = ("index", "categories", ci, "indicators", ii, "items", qi)
                field = f"index.categories[{ci}].indicators[{ii}].items[{qi}]"
                q = questions.get(item.question)
                if q is None:
                    problems.append(
                        Problem(
                            name,
                            _line(lines, *loc, "question"),
                            f"{field}.question",
                            f"frågan '{item.question}' finns inte i enkäten '{survey.key}'",
                        )
                    )
                    continue
                if item.question in used:
                    problems.append(
                        Problem(
                            name,
                            _line(lines, *loc, "question"),
                            f"{field}.question",
                            f"frågan '{item.question}' räknas redan i en annan indikator",
                        )
                    )
                used.add(item.question)
                if item.scale and q.type != "scale":
                    problems.append(
                        Problem(
                            name,
                            _line(lines, *loc, "scale"),
                            f"{field}.scale",
                            f"scale: true kräver en skalfråga; '{q.key}' är {q.type}",
                        )
                    )
                if item.scores:
                    if q.type not in ("yes_no", "single_choice", "multiple_choice"):
                        problems.append(
                            Problem(
                                name,
                                _line(lines, *loc, "scores"),
                                f"{field}.scores",
                                f"frågan '{q.key}' ({q.type}) kan inte poängsättas per svar",
                            )
                        )
                    else:
                        unknown = [k for k in item.scores if k not in q.option_keys()]
                        if unknown:
                            problems.append(
                                Problem(
                                    name,
                                    _line(lines, *loc, "scores"),
                                    f"{field}.scores",
                                    f"svaret {', '.join(unknown)} finns inte bland "
                                    f"alternativen till '{q.key}' ({', '.join(q.option_keys())})",
                                )
                            )
    for ri, ref in enumerate(spec.index.references):
        if ref.part != "total" and ref.part not in keys:
            problems.append(
                Problem(
                    name,
                    _line(lines, "index", "references", ri, "part"),
                    f"index.references[{ri}].part",
                    f"'{ref.part}' är varken 'total' eller en del av indexet",
                )
            )
    return problems


def parse_file(path: Path, text_name: str | None = None):
    """Read and check a file; returns ('survey'|'index', spec, sha256) or raises ConfigError."""
    name = text_name or path.name
    data, lines = read_yaml(path, name)
    if isinstance(data, dict) and "survey" in data and "index" not in data:
        spec = validate(data, lines, SurveyFile, name)
        problems = check_survey(spec, lines, name) + check_compatible(spec, lines, name)
        kind = "survey"
    elif isinstance(data, dict) and "index" in data and "survey" not in data:
        spec = validate(data, lines, IndexFile, name)
        survey = Survey.objects.filter(key=spec.index.survey).first()
        problems = check_index(spec, lines, name, survey)
        kind = "index"
    else:
        raise ConfigError(
            [Problem(name, 1, "", "filen ska ha antingen 'survey:' (enkät) eller 'index:' överst")]
        )
    if problems:
        raise ConfigError(problems)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return kind, spec, sha


def load_survey_file(path: Path, *, display_name: str | None = None) -> Loaded:
    """Load a survey or an index definition; idempotent on the key (a new version replaces)."""
    kind, spec, sha = parse_file(path, display_name)
    name = display_name or path.name
    with transaction.atomic():
        if kind == "survey":
            s = spec.survey
            obj, created = Survey.objects.update_or_create(
                key=s.key,
                defaults={
                    "title": s.title,
                    "version": s.version,
                    "definition": s.model_dump(mode="json"),
                    "file_name": name,
                    "sha256": sha,
                },
            )
            return Loaded("survey", obj.key, obj.title, created, len(s.questions()))
        i = spec.index
        survey = Survey.objects.get(key=i.survey)
        obj, created = CompositeIndex.objects.update_or_create(
            key=i.key,
            defaults={
                "title": i.title,
                "survey": survey,
                "definition": i.model_dump(mode="json"),
                "file_name": name,
                "sha256": sha,
            },
        )
        count = sum(len(ind.items) for c in i.categories for ind in c.indicators)
        return Loaded("index", obj.key, obj.title, created, count)


SIZE_GROUPS_FILE = Path("surveys") / "storleksgrupper.yaml"


def size_groups(config_dir: Path | None = None) -> dict[str, str]:
    """Municipality code → size group label, from `surveys/storleksgrupper.yaml` (if present)."""
    from django.conf import settings

    from .schema import SizeGroupsFile

    path = Path(config_dir or settings.LAGESBILD_CONFIG_DIR) / SIZE_GROUPS_FILE
    if not path.exists():
        return {}
    data, lines = read_yaml(path)
    spec = validate(data, lines, SizeGroupsFile, path.name)
    out: dict[str, str] = {}
    problems = []
    for gi, group in enumerate(spec.groups):
        for code in group.municipalities:
            if code in out:
                problems.append(
                    Problem(
                        path.name,
                        _line(lines, "groups", gi, "municipalities"),
                        f"groups[{gi}].municipalities",
                        f"kommunen {code} finns redan i gruppen '{out[code]}'",
                    )
                )
            out[code] = group.label
    if problems:
        raise ConfigError(problems)
    return out
