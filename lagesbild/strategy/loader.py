"""Load a county's configuration folder (docs/data-format.md) into the database.

Everything is read and checked first; only when no file has a problem is anything written, in one
transaction. Loading the same folder again changes nothing (keys are natural keys).

`config_load(directory, dry_run=…, allow_shared_changes=…)` returns a :class:`ChangeSet`: per kind
of thing what is added, changed (field by field, old → new), unchanged, removed and no longer in
the files. A dry run computes the same set in a transaction that is rolled back, so what is
printed is exactly what a real load applies.

Rules (docs/data-format.md, "Inläsningsregler"):
- absent = unchanged: an optional field left out of a file keeps the stored value;
- a plan folder may hold only plan*.yaml and indicators*.yaml; its strategy (named by key),
  organisations and areas must then already be loaded;
- a change to an indicator definition or an organisation that a plan outside the folder uses is
  refused, naming that plan, unless `allow_shared_changes`;
- an indicator's memberships of a loaded plan are exactly the plan's catalogue (rows no longer in
  the file are removed); goals, measures, organisations and areas no longer in the files are
  listed but kept (they may carry reports).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction
from pydantic import ValidationError

from lagesbild.core.models import Area, AreaLevel, Organisation
from lagesbild.core.yamlschema import ConfigError, Problem, load_yaml, read_yaml
from lagesbild.strategy.models import (
    ActionPlan,
    DevelopmentArea,
    Goal,
    Measure,
    Strategy,
    ViolenceType,
    measure_sort_key,
)
from lagesbild.strategy.schema import (
    IndicatorsFile,
    LabelsFile,
    OrganisationsFile,
    PlanFile,
    StrategyFile,
)

AREA_COLUMNS = ["level", "code", "name", "parent_code", "valid_from", "valid_to", "note"]


@dataclass
class AreaRow:
    level: str
    code: str
    name: str
    parent_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str


@dataclass
class Catalogue:
    """One indicators*.yaml file: the catalogue of one plan."""

    file: str
    plan: str
    spec: IndicatorsFile


@dataclass
class Config:
    areas: list[AreaRow]
    organisations: OrganisationsFile | None
    strategy: StrategyFile | None
    plans: list[PlanFile]
    catalogues: list[Catalogue]
    labels: LabelsFile | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def indicators(self) -> IndicatorsFile | None:  # the first catalogue (older callers)
        return self.catalogues[0].spec if self.catalogues else None


def open_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read a UTF-8 CSV file (optional BOM); rows numbered as a spreadsheet shows them."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([Problem(path.name, None, "", "filen saknas")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            [Problem(path.name, None, "", f"filen är inte UTF-8 (byte {exc.start})")]
        ) from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    rows = [(i, row) for i, row in enumerate(reader, start=2)]
    return header, rows


def _date(value: str, problems: list[Problem], file: str, row: int, column: str):
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(file, row, column, f"'{value}' är inte ett datum (ÅÅÅÅ-MM-DD)"))
        return None


def read_areas(path: Path) -> list[AreaRow]:
    header, rows = open_csv(path)
    problems: list[Problem] = []
    missing = [c for c in AREA_COLUMNS[:4] if c not in header]
    if missing:
        raise ConfigError([Problem(path.name, 1, c, "kolumnen saknas") for c in missing])
    levels = set(AreaLevel.values)
    out: list[AreaRow] = []
    seen: set[str] = set()
    for line, row in rows:
        level, code = (row.get("level") or "").strip(), (row.get("code") or "").strip()
        if level not in levels:
            problems.append(Problem(path.name, line, "level", f"okänd nivå '{level}'"))
        if not code:
            problems.append(Problem(path.name, line, "code", "koden saknas"))
        elif code in seen:
            problems.append(
                Problem(path.name, line, "code", f"koden '{code}' förekommer två gånger")
            )
        seen.add(code)
        if not (row.get("name") or "").strip():
            problems.append(Problem(path.name, line, "name", "namnet saknas"))
        out.append(
            AreaRow(
                level=level,
                code=code,
                name=(row.get("name") or "").strip(),
                parent_code=(row.get("parent_code") or "").strip(),
                valid_from=_date(
                    (row.get("valid_from") or "").strip(), problems, path.name, line, "valid_from"
                ),
                valid_to=_date(
                    (row.get("valid_to") or "").strip(), problems, path.name, line, "valid_to"
                ),
                note=(row.get("note") or "").strip(),
            )
        )
    known = seen | set(Area.objects.values_list("code", flat=True))
    for (line, _row), area in zip(rows, out, strict=True):
        if area.parent_code and area.parent_code not in known:
            problems.append(
                Problem(
                    path.name, line, "parent_code", f"okänt överordnat område '{area.parent_code}'"
                )
            )
    if problems:
        raise ConfigError(problems)
    return out


# ------------------------------------------------------------------------------------- reading


def _attempt(problems: list[Problem], fn, *args):
    try:
        return fn(*args)
    except ConfigError as exc:
        problems.extend(exc.problems)
        return None


def _load_lenient(problems: list[Problem], path: Path, model, list_field: str):
    """Like `load_yaml`, but when some items of ``list_field`` break the schema the file's
    problems are recorded and the valid items are still returned (the others as None), so the
    cross-references of the rest of the file are checked in the same run."""
    try:
        return load_yaml(path, model)
    except ConfigError as exc:
        problems.extend(exc.problems)
    try:
        data, lines = read_yaml(path)
    except ConfigError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get(list_field), list):
        return None
    item_model = model.model_fields[list_field].annotation.__args__[0]
    items = []
    for item in data[list_field]:
        try:
            items.append(item_model.model_validate(item))
        except ValidationError:
            items.append(None)
    try:
        head = model.model_validate({**data, list_field: []})
    except ValidationError:
        return None
    return head.model_copy(update={list_field: items}), lines


def read_config(directory: Path) -> Config:
    """Read and check every configuration file in `directory`; raise ConfigError with every
    problem found (schema and cross-reference problems of all files together)."""
    from lagesbild.indicators.models import Indicator  # noqa: PLC0415  (app dependency order)

    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError([Problem(str(directory), None, "", "mappen finns inte")])
    problems: list[Problem] = []
    plan_paths = sorted(directory.glob("plan*.yaml"))
    has_strategy = (directory / "strategy.yaml").exists()
    plan_folder = bool(plan_paths) and not has_strategy
    areas = (
        _attempt(problems, read_areas, directory / "areas.csv")
        if (directory / "areas.csv").exists() or not plan_folder
        else []
    )
    orgs = (
        _attempt(problems, load_yaml, directory / "organisations.yaml", OrganisationsFile)
        if (directory / "organisations.yaml").exists() or not plan_folder
        else None
    )
    strategy = (
        _attempt(problems, load_yaml, directory / "strategy.yaml", StrategyFile)
        if not plan_folder
        else None
    )
    if not plan_paths:
        problems.append(
            Problem(directory.name, None, "", "ingen handlingsplan (plan*.yaml) hittades")
        )
    plans = [_load_lenient(problems, p, PlanFile, "measures") for p in plan_paths]
    cat_paths = sorted(directory.glob("indicators*.yaml"))
    if not cat_paths:
        problems.append(
            Problem(directory.name, None, "", "ingen indikatorkatalog (indicators*.yaml) hittades")
        )
    catalogues = [_load_lenient(problems, p, IndicatorsFile, "indicators") for p in cat_paths]
    labels = (
        _attempt(problems, load_yaml, directory / "labels.yaml", LabelsFile)
        if (directory / "labels.yaml").exists()
        else None
    )
    if labels:
        seen_dims: set[str] = set()
        for i, dim in enumerate(labels[0].dimensions):
            if dim.key in seen_dims or len({v.key for v in dim.values}) != len(dim.values):
                problems.append(
                    Problem(
                        "labels.yaml",
                        labels[1].get(("dimensions", i)),
                        f"dimensions[{i}]",
                        f"uppdelningen {dim.key} eller ett av dess värden förekommer två gånger",
                    )
                )
            seen_dims.add(dim.key)

    # Cross-references, for every file that could be read, each problem with its line.
    org_keys = set(Organisation.objects.values_list("key", flat=True))
    if orgs:
        org_keys |= {o.key for o in orgs[0].organisations}
    area_codes = {a.code for a in areas or []} | set(Area.objects.values_list("code", flat=True))

    def check(cond, file, lines, loc, message):
        if not cond:
            line = None
            probe = tuple(loc)
            while probe and line is None:
                line = lines.get(probe)
                probe = probe[:-1]
            problems.append(Problem(file, line, ".".join(str(p) for p in loc), message))

    if orgs:
        seen_org: set[str] = set()
        for i, org in enumerate(orgs[0].organisations):
            check(
                org.key not in seen_org,
                "organisations.yaml",
                orgs[1],
                ("organisations", i, "key"),
                f"nyckeln '{org.key}' förekommer två gånger",
            )
            seen_org.add(org.key)
            check(
                org.area in (None, "") or org.area in area_codes,
                "organisations.yaml",
                orgs[1],
                ("organisations", i, "area"),
                f"okänt område '{org.area}'",
            )

    # goals and violence types: from strategy.yaml, or the stored strategy a plan folder names
    strategy_goals: dict[str, set[int]] = {}
    vt_keys = set(ViolenceType.objects.values_list("key", flat=True))
    for key, number in Goal.objects.values_list("strategy__key", "number"):
        strategy_goals.setdefault(key, set()).add(number)
    if strategy:
        strat, strat_lines = strategy
        strategy_goals[strat.strategy.key] = {g.number for g in strat.goals}
        vt_keys |= {v.key for v in strat.violence_types}
        check(
            strat.strategy.owner in org_keys,
            "strategy.yaml",
            strat_lines,
            ("strategy", "owner"),
            f"okänd organisation '{strat.strategy.owner}'",
        )
        check(
            strat.strategy.area in area_codes,
            "strategy.yaml",
            strat_lines,
            ("strategy", "area"),
            f"okänt område '{strat.strategy.area}'",
        )
        check(
            strat.strategy.period_start <= strat.strategy.period_end,
            "strategy.yaml",
            strat_lines,
            ("strategy", "period_end"),
            "perioden slutar före den börjar",
        )
        if len({g.number for g in strat.goals}) != len(strat.goals):
            check(False, "strategy.yaml", strat_lines, ("goals",), "två mål har samma nummer")
    stored_strategies = {
        s.key: (s.period_start, s.period_end)
        for s in Strategy.objects.only("key", "period_start", "period_end")
    }
    if strategy:
        stored_strategies[strategy[0].strategy.key] = (
            strategy[0].strategy.period_start,
            strategy[0].strategy.period_end,
        )

    # measures per plan: the plan files', else the stored plan's
    plan_measures: dict[str, set[str]] = {}
    plan_strategy: dict[str, str] = {}
    for key, code, skey in Measure.objects.values_list("plan__key", "code", "plan__strategy__key"):
        plan_measures.setdefault(key, set()).add(code)
        plan_strategy[key] = skey
    for key, skey in ActionPlan.objects.values_list("key", "strategy__key"):
        plan_measures.setdefault(key, set())
        plan_strategy[key] = skey
    seen_plans: set[str] = set()
    for path, loaded in zip(plan_paths, plans, strict=True):
        if loaded is None:
            continue
        plan, lines = loaded
        check(
            plan.plan.key not in seen_plans,
            path.name,
            lines,
            ("plan", "key"),
            f"handlingsplanen {plan.plan.key} finns i två filer",
        )
        seen_plans.add(plan.plan.key)
        known_strategy = plan.plan.strategy in stored_strategies
        check(
            known_strategy,
            path.name,
            lines,
            ("plan", "strategy"),
            f"okänd strategi '{plan.plan.strategy}'"
            + ("" if strategy else " (den är inte inläst och mappen har ingen strategy.yaml)"),
        )
        check(
            plan.plan.period_start <= plan.plan.period_end,
            path.name,
            lines,
            ("plan", "period_end"),
            "perioden slutar före den börjar",
        )
        check(
            plan.plan.owner in org_keys,
            path.name,
            lines,
            ("plan", "owner"),
            f"okänd organisation '{plan.plan.owner}'",
        )
        goal_numbers = strategy_goals.get(plan.plan.strategy, set())
        seen_codes: set[str] = set()
        for i, m in enumerate(plan.measures):
            if m is None:  # its schema problems are reported already
                continue
            check(
                m.code not in seen_codes,
                path.name,
                lines,
                ("measures", i, "code"),
                f"åtgärden {m.code} förekommer två gånger",
            )
            seen_codes.add(m.code)
            check(
                m.goal in goal_numbers,
                path.name,
                lines,
                ("measures", i, "goal"),
                f"okänt mål {m.goal}",
            )
            check(
                m.code.split(".")[0] == str(m.goal),
                path.name,
                lines,
                ("measures", i, "code"),
                f"åtgärd {m.code} hör inte till mål {m.goal}",
            )
            for j, key in enumerate(m.responsible):
                check(
                    key in org_keys,
                    path.name,
                    lines,
                    ("measures", i, "responsible", j),
                    f"okänd organisation '{key}'",
                )
        for i, d in enumerate(plan.development_areas):
            check(
                d.goal in goal_numbers,
                path.name,
                lines,
                ("development_areas", i, "goal"),
                f"okänt mål {d.goal}",
            )
        plan_measures[plan.plan.key] = seen_codes
        plan_strategy[plan.plan.key] = plan.plan.strategy

    folder_plans = [p[0].plan.key for p in plans if p is not None]
    known_codes = set(Indicator.objects.values_list("code", flat=True))
    for cat in catalogues:
        if cat is not None:
            known_codes |= {spec.code for spec in cat[0].indicators if spec is not None}
    out_catalogues: list[Catalogue] = []
    catalogue_plans: set[str] = set()
    for path, loaded in zip(cat_paths, catalogues, strict=True):
        if loaded is None:
            continue
        ind, ind_lines = loaded
        plan_key = ind.plan
        if plan_key is None:
            if len(folder_plans) == 1:
                plan_key = folder_plans[0]
            else:
                check(
                    False,
                    path.name,
                    ind_lines,
                    ("plan",),
                    "ange vilken handlingsplan katalogen hör till (plan: NYCKEL); mappen har "
                    f"{len(folder_plans)} planer",
                )
                continue
        if plan_key not in plan_measures:
            check(False, path.name, ind_lines, ("plan",), f"okänd handlingsplan '{plan_key}'")
            continue
        check(
            plan_key not in catalogue_plans,
            path.name,
            ind_lines,
            ("plan",),
            f"handlingsplanen {plan_key} har två indikatorkataloger",
        )
        catalogue_plans.add(plan_key)
        goal_numbers = strategy_goals.get(plan_strategy.get(plan_key, ""), set())
        measure_codes = plan_measures[plan_key]
        seen_ind: set[str] = set()
        for i, spec in enumerate(ind.indicators):
            if spec is None:  # its schema problems are reported already
                continue
            check(
                spec.code not in seen_ind,
                path.name,
                ind_lines,
                ("indicators", i, "code"),
                f"indikatorn {spec.code} förekommer två gånger",
            )
            seen_ind.add(spec.code)
            check(
                len(set(spec.goals)) == len(spec.goals) and bool(spec.goals),
                path.name,
                ind_lines,
                ("indicators", i, "goal"),
                "ange ett mål eller en lista med olika mål",
            )
            for number in spec.goals:
                check(
                    number in goal_numbers,
                    path.name,
                    ind_lines,
                    ("indicators", i, "goal"),
                    f"okänt mål {number}",
                )
            check(
                spec.violence_type in (None, "") or spec.violence_type in vt_keys,
                path.name,
                ind_lines,
                ("indicators", i, "violence_type"),
                f"okänd våldstyp '{spec.violence_type}'",
            )
            for j, code in enumerate(spec.measures):
                check(
                    code in measure_codes,
                    path.name,
                    ind_lines,
                    ("indicators", i, "measures", j),
                    f"okänd åtgärd '{code}' i handlingsplanen {plan_key}",
                )
            if spec.status == "retired":
                check(
                    bool(spec.retired_reason),
                    path.name,
                    ind_lines,
                    ("indicators", i, "retired_reason"),
                    "en utgången indikator måste ha ett skäl",
                )
            if spec.replaces is not None:
                check(
                    spec.replaces in known_codes and spec.replaces != spec.code,
                    path.name,
                    ind_lines,
                    ("indicators", i, "replaces"),
                    f"okänd indikator '{spec.replaces}' att ersätta",
                )
        out_catalogues.append(Catalogue(file=path.name, plan=plan_key, spec=ind))
    if problems:
        raise ConfigError(problems)
    return Config(
        areas=areas or [],
        organisations=orgs[0] if orgs else None,
        strategy=strategy[0] if strategy else None,
        plans=[p[0] for p in plans],
        catalogues=out_catalogues,
        labels=labels[0] if labels else None,
    )


# ---------------------------------------------------------------------------------- change set


@dataclass
class KindChanges:
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    not_in_files: list[str] = field(default_factory=list)


KIND_LABELS = {
    "areas": "Områden",
    "organisations": "Organisationer",
    "strategies": "Strategier",
    "violence_types": "Våldstyper",
    "goals": "Mål",
    "plans": "Handlingsplaner",
    "development_areas": "Utvecklingsområden",
    "measures": "Åtgärder",
    "indicators": "Indikatorer",
    "memberships": "Indikatorer i handlingsplaner",
    "labels": "Etiketter för uppdelningar",
}


@dataclass
class ChangeSet:
    kinds: dict[str, KindChanges] = field(default_factory=dict)
    applied: bool = False

    def of(self, kind: str) -> KindChanges:
        return self.kinds.setdefault(kind, KindChanges())

    @property
    def has_changes(self) -> bool:
        return any(k.added or k.changed or k.removed for k in self.kinds.values())

    def counts(self) -> dict[str, int]:
        """Rows in the files per kind (added + changed + unchanged)."""
        return {
            kind: len(k.added) + len(k.changed) + k.unchanged
            for kind, k in self.kinds.items()
            if kind != "development_areas"
        }

    def text(self) -> str:
        lines = []
        for kind, label in KIND_LABELS.items():
            k = self.kinds.get(kind)
            if k is None:
                continue
            lines.append(
                f"{label}: {len(k.added)} nya, {len(k.changed)} ändrade, {k.unchanged} "
                f"oförändrade, {len(k.removed)} tas bort, {len(k.not_in_files)} finns inte "
                "längre i filerna"
            )
            lines += [f"  + {key}" for key in k.added]
            for key, diffs in k.changed:
                lines.append(f"  ~ {key}")
                lines += [f"      {name}: {old} → {new}" for name, old, new in diffs]
            lines += [f"  - {key} (tas bort)" for key in k.removed]
            lines += [f"  ? {key} (finns inte i filerna; behålls)" for key in k.not_in_files]
        return "\n".join(lines)


def _shown(value) -> str:
    if value is None:
        return "(tomt)"
    if isinstance(value, models.Model):
        for attr in ("key", "code", "number"):
            if hasattr(value, attr):
                return str(getattr(value, attr))
        return str(value)
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "…"
        return f"'{text}'"
    return repr(value) if isinstance(value, list | dict) else str(value)


class _Writer:
    def __init__(self, changes: ChangeSet):
        self.changes = changes

    def sync(
        self, kind: str, key: str, model, lookup: dict, values: dict, given: set[str] | None = None
    ):
        """Create the row, or update the fields in ``given`` (default: all of ``values``) that
        differ; record what happened. Returns (obj, changed field names)."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            self.changes.of(kind).added.append(key)
            return obj, None
        diffs = []
        names = values.keys() if given is None else [n for n in values if n in given]
        for name in names:
            value = values[name]
            f = model._meta.get_field(name)
            current = getattr(obj, f.attname if f.is_relation else name)
            new = value.pk if f.is_relation and value is not None else value
            if current != new:
                old = getattr(obj, name) if f.is_relation else current
                diffs.append((name, _shown(old), _shown(value)))
                setattr(obj, name, value)
        if diffs:
            obj.save()
            self.changes.of(kind).changed.append((key, diffs))
        else:
            self.changes.of(kind).unchanged += 1
        return obj, [d[0] for d in diffs]


def _given(spec) -> set[str]:
    """Fields written in the file (absent = unchanged)."""
    return set(spec.model_fields_set)


def write_config(
    config: Config, *, allow_shared_changes: bool = False, changes: ChangeSet | None = None
) -> ChangeSet:
    """Write a checked configuration and return what changed. Raises ConfigError (and the
    caller's transaction rolls back) when a change reaches a plan outside the folder."""
    from lagesbild.indicators.models import (  # noqa: PLC0415  (app dependency order)
        Indicator,
        IndicatorMembership,
    )

    changes = changes or ChangeSet()
    w = _Writer(changes)
    problems: list[Problem] = []
    folder_plan_keys = {pf.plan.key for pf in config.plans}

    def other_plans(qs) -> list[str]:
        return sorted(
            f"{p.key} ({p.period_start}–{p.period_end})"
            for p in qs.exclude(key__in=folder_plan_keys).distinct()
        )

    areas: dict[str, Area] = {a.code: a for a in Area.objects.all()}
    for row in config.areas:
        areas[row.code], _ = w.sync(
            "areas",
            row.code,
            Area,
            {"code": row.code},
            {
                "name": row.name,
                "level": row.level,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
                "note": row.note,
            },
        )
    for row in config.areas:
        parent = areas.get(row.parent_code) if row.parent_code else None
        if areas[row.code].parent_id != (parent.pk if parent else None):
            Area.objects.filter(pk=areas[row.code].pk).update(parent=parent)
    if config.areas:
        in_files = {a.code for a in config.areas}
        changes.of("areas").not_in_files += sorted(
            Area.objects.exclude(code__in=in_files).values_list("code", flat=True)
        )

    orgs: dict[str, Organisation] = {o.key: o for o in Organisation.objects.all()}
    if config.organisations is not None:
        for spec in config.organisations.organisations:
            org, diffs = w.sync(
                "organisations",
                spec.key,
                Organisation,
                {"key": spec.key},
                {
                    "name": spec.name,
                    "short_name": spec.short_name,
                    "kind": spec.kind,
                    "aliases": spec.aliases,
                    "area": areas.get(spec.area) if spec.area else None,
                },
                _given(spec) | {"name", "kind"},
            )
            orgs[spec.key] = org
            if diffs and not allow_shared_changes:
                used = other_plans(
                    ActionPlan.objects.filter(
                        models.Q(owner=org) | models.Q(measures__responsible=org)
                    )
                )
                if used:
                    problems.append(
                        Problem(
                            "organisations.yaml",
                            None,
                            spec.key,
                            f"organisationen {spec.key} används av handlingsplanen "
                            f"{', '.join(used)}; ändringen ({', '.join(diffs)}) avvisas. Ange "
                            "--allow-shared-changes om den är avsiktlig.",
                        )
                    )
        in_files = {o.key for o in config.organisations.organisations}
        changes.of("organisations").not_in_files += sorted(
            Organisation.objects.exclude(key__in=in_files).values_list("key", flat=True)
        )

    strategies: dict[str, Strategy] = {s.key: s for s in Strategy.objects.all()}
    vts = {v.key: v for v in ViolenceType.objects.all()}
    goals: dict[tuple[str, int], Goal] = {
        (g.strategy.key, g.number): g for g in Goal.objects.select_related("strategy")
    }
    if config.strategy is not None:
        s = config.strategy.strategy
        strategy, _ = w.sync(
            "strategies",
            s.key,
            Strategy,
            {"key": s.key},
            {
                "title": s.title,
                "period_start": s.period_start,
                "period_end": s.period_end,
                "owner": orgs[s.owner],
                "area": areas[s.area],
            },
        )
        strategies[s.key] = strategy
        for order, v in enumerate(config.strategy.violence_types):
            vts[v.key], _ = w.sync(
                "violence_types",
                v.key,
                ViolenceType,
                {"key": v.key},
                {"name": v.name, "name_en": v.name_en, "sort_order": order},
                _given(v) | {"sort_order"},
            )
        for g in config.strategy.goals:
            goals[(s.key, g.number)], _ = w.sync(
                "goals",
                f"{s.key} mål {g.number}",
                Goal,
                {"strategy": strategy, "number": g.number},
                {
                    "short_name": g.short_name,
                    "short_name_en": g.short_name_en,
                    "formulation": g.formulation,
                    "formulation_en": g.formulation_en,
                    "conditions": g.conditions,
                },
                _given(g),
            )
        numbers = {g.number for g in config.strategy.goals}
        changes.of("goals").not_in_files += [
            f"{s.key} mål {n}"
            for n in Goal.objects.filter(strategy=strategy)
            .exclude(number__in=numbers)
            .values_list("number", flat=True)
        ]

    plans: dict[str, ActionPlan] = {}
    measures: dict[str, dict[str, Measure]] = {}
    for pf in config.plans:
        p = pf.plan
        strategy = strategies[p.strategy]
        plan, _ = w.sync(
            "plans",
            p.key,
            ActionPlan,
            {"key": p.key},
            {
                "title": p.title,
                "strategy": strategy,
                "period_start": p.period_start,
                "period_end": p.period_end,
                "owner": orgs[p.owner],
                "series_first_year": p.series_first_year,
            },
            _given(p) | {"strategy"},
        )
        plans[p.key] = plan
        wanted_areas = [
            (goals[(p.strategy, d.goal)].pk, d.text, i) for i, d in enumerate(pf.development_areas)
        ]
        existing = list(
            DevelopmentArea.objects.filter(plan=plan)
            .order_by("order")
            .values_list("goal_id", "text", "order")
        )
        if existing != wanted_areas:
            DevelopmentArea.objects.filter(plan=plan).delete()
            DevelopmentArea.objects.bulk_create(
                DevelopmentArea(plan=plan, goal_id=g, text=t, order=o) for g, t, o in wanted_areas
            )
            changes.of("development_areas").changed.append(
                (p.key, [("antal", str(len(existing)), str(len(wanted_areas)))])
            )
        else:
            changes.of("development_areas").unchanged += 1
        measures[p.key] = {}
        for m in pf.measures:
            measure, _ = w.sync(
                "measures",
                f"{p.key} {m.code}",
                Measure,
                {"plan": plan, "code": m.code},
                {
                    "goal": goals[(p.strategy, m.goal)],
                    "text": m.text,
                    "text_en": m.text_en,
                    "responsible_text": m.responsible_text,
                    "follow_up": m.follow_up,
                    "frequency": m.frequency,
                    "note": m.note,
                    "sort_key": measure_sort_key(m.code),
                },
                _given(m) | {"sort_key", "goal"},
            )
            wanted = {orgs[k].pk for k in m.responsible}
            current = set(measure.responsible.values_list("pk", flat=True))
            if current != wanted:
                measure.responsible.set(wanted)
                if current:  # a new measure was recorded as added already
                    changes.of("measures").changed.append(
                        (
                            f"{p.key} {m.code}",
                            [
                                (
                                    "responsible",
                                    ", ".join(
                                        sorted(o.key for o in orgs.values() if o.pk in current)
                                    ),
                                    ", ".join(sorted(m.responsible)),
                                )
                            ],
                        )
                    )
            measures[p.key][m.code] = measure
        codes = {m.code for m in pf.measures}
        changes.of("measures").not_in_files += [
            f"{p.key} {c}"
            for c in Measure.objects.filter(plan=plan)
            .exclude(code__in=codes)
            .values_list("code", flat=True)
        ]
    for key in {c.plan for c in config.catalogues} - set(plans):
        plans[key] = ActionPlan.objects.select_related("strategy").get(key=key)
        measures[key] = {m.code: m for m in Measure.objects.filter(plan=plans[key])}

    indicators: dict[str, Indicator] = {}
    pending_replaces: list[tuple[Indicator, str]] = []
    for cat in config.catalogues:
        plan = plans[cat.plan]
        skey = plan.strategy.key
        kept_memberships: set[int] = set()
        for order, spec in enumerate(cat.spec.indicators):
            given = _given(spec)
            values = {
                "name": spec.name,
                "name_en": spec.name_en,
                "short_name": spec.short_name,
                "short_name_en": spec.short_name_en,
                "definition": spec.definition,
                "definition_en": spec.definition_en,
                "kind": spec.kind,
                "unit": spec.unit,
                "decimals": spec.decimals,
                "direction": spec.direction,
                "source": spec.source,
                "area_level": spec.area_level,
                "breakdowns": spec.breakdowns,
                "small_number_threshold": spec.small_number_threshold,
                "report_ref": spec.report_ref,
                "source_codes": spec.source_codes,
            }
            existing = Indicator.objects.filter(code=spec.code).first()
            if existing is None:
                values["strategy"] = plan.strategy
            indicator, diffs = w.sync(
                "indicators", spec.code, Indicator, {"code": spec.code}, values, given
            )
            indicators[spec.code] = indicator
            if diffs and not allow_shared_changes:
                used = other_plans(
                    ActionPlan.objects.filter(indicator_memberships__indicator=indicator)
                )
                if used:
                    problems.append(
                        Problem(
                            cat.file,
                            None,
                            spec.code,
                            f"indikatorn {spec.code} används av handlingsplanen "
                            f"{', '.join(used)}; ändringen ({', '.join(diffs)}) avvisas. Ge den "
                            f"ändrade definitionen en ny kod med 'replaces: {spec.code}', eller "
                            "ange --allow-shared-changes om ändringen är avsiktlig.",
                        )
                    )
            if "replaces" in given:
                pending_replaces.append((indicator, spec.replaces))
            if "measures" in given or existing is None:
                wanted = {measures[cat.plan][c].pk for c in spec.measures}
                current = set(indicator.measures.filter(plan=plan).values_list("pk", flat=True))
                if current != wanted:
                    indicator.measures.remove(*(current - wanted))
                    indicator.measures.add(*(wanted - current))
            for number in spec.goals:
                membership, _ = w.sync(
                    "memberships",
                    f"{cat.plan} {spec.code} mål {number}",
                    IndicatorMembership,
                    {"plan": plan, "indicator": indicator, "goal": goals[(skey, number)]},
                    {
                        "violence_type": vts.get(spec.violence_type)
                        if spec.violence_type
                        else None,
                        "sort_order": order,
                        "status": spec.status,
                        "retired_year": spec.retired_year,
                        "retired_reason": spec.retired_reason,
                        "last_data_year": spec.last_data_year,
                        "notes": spec.notes,
                        "notes_audience": spec.notes_audience,
                    },
                    given | {"sort_order"},
                )
                kept_memberships.add(membership.pk)
        gone = IndicatorMembership.objects.filter(plan=plan).exclude(pk__in=kept_memberships)
        changes.of("memberships").removed += [
            f"{cat.plan} {m.indicator.code} mål {m.goal.number}"
            for m in gone.select_related("indicator", "goal")
        ]
        gone.delete()
    for indicator, code in pending_replaces:
        target = None
        if code:
            target = indicators.get(code) or Indicator.objects.get(code=code)
        if indicator.replaces_id != (target.pk if target else None):
            changes.of("indicators").changed.append(
                (
                    indicator.code,
                    [("replaces", _shown(indicator.replaces), _shown(target))],
                )
            )
            indicator.replaces = target
            indicator.save()
    if config.labels is not None:
        _write_labels(w, config.labels)
    if problems:
        raise ConfigError(problems)
    return changes


def _write_labels(w: _Writer, labels: LabelsFile) -> None:
    from lagesbild.indicators.labels import labels_changed  # noqa: PLC0415
    from lagesbild.indicators.models import BreakdownLabel  # noqa: PLC0415

    for dim in labels.dimensions:
        rows = [("", dim.label, dim.label_en, 0, dim)] + [
            (v.key, v.label, v.label_en, i, v) for i, v in enumerate(dim.values, start=1)
        ]
        for value, label, label_en, order, spec in rows:
            w.sync(
                "labels",
                f"{dim.key}={value}" if value else dim.key,
                BreakdownLabel,
                {"dimension": dim.key, "value": value},
                {"label": label, "label_en": label_en, "sort_order": order},
                _given(spec) | {"label", "sort_order"},
            )
    transaction.on_commit(labels_changed)
    labels_changed()


def config_load(
    directory: Path, *, dry_run: bool = False, allow_shared_changes: bool = False
) -> ChangeSet:
    """Read, check and (unless ``dry_run``) write a configuration folder in one transaction.

    The change set is computed by the same writes a real load makes; a dry run rolls them back.
    Raises ConfigError, having written nothing, on any problem."""
    config = read_config(Path(directory))
    with transaction.atomic():
        changes = write_config(config, allow_shared_changes=allow_shared_changes)
        if dry_run:
            transaction.set_rollback(True)
        else:
            changes.applied = True
    return changes


def load_config(directory: Path) -> dict[str, int]:
    """Read, check and write a configuration folder. Raises ConfigError and writes nothing on error."""
    return config_load(Path(directory)).counts()
