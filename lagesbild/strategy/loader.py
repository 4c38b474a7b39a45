"""Load a county's configuration folder (docs/data-format.md) into the database.

Everything is read and checked first; only when no file has a problem is anything written, in one
transaction. Loading the same folder again changes nothing (keys are natural keys).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from lagesbild.core.db import upsert
from lagesbild.core.models import Area, AreaLevel, Organisation
from lagesbild.core.yamlschema import ConfigError, Problem, load_yaml
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
class Config:
    areas: list[AreaRow]
    organisations: OrganisationsFile
    strategy: StrategyFile
    plans: list[PlanFile]
    indicators: IndicatorsFile
    counts: dict[str, int] = field(default_factory=dict)


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


def read_config(directory: Path) -> Config:
    """Read and check every configuration file in `directory`; raise ConfigError on any problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError([Problem(str(directory), None, "", "mappen finns inte")])
    problems: list[Problem] = []

    def attempt(fn, *args):
        try:
            return fn(*args)
        except ConfigError as exc:
            problems.extend(exc.problems)
            return None

    areas = attempt(read_areas, directory / "areas.csv")
    orgs = attempt(load_yaml, directory / "organisations.yaml", OrganisationsFile)
    strategy = attempt(load_yaml, directory / "strategy.yaml", StrategyFile)
    plan_paths = sorted(directory.glob("plan*.yaml"))
    if not plan_paths:
        problems.append(
            Problem(directory.name, None, "", "ingen handlingsplan (plan*.yaml) hittades")
        )
    plans = [attempt(load_yaml, p, PlanFile) for p in plan_paths]
    indicators = attempt(load_yaml, directory / "indicators.yaml", IndicatorsFile)
    if problems:
        raise ConfigError(problems)

    # Cross-references, each problem with the line of the offending field.
    org_keys = {o.key for o in orgs[0].organisations} | set(
        Organisation.objects.values_list("key", flat=True)
    )
    area_codes = {a.code for a in areas} | set(Area.objects.values_list("code", flat=True))
    strat, strat_lines = strategy
    goal_numbers = {g.number for g in strat.goals}
    vt_keys = {v.key for v in strat.violence_types}

    def check(cond, file, lines, loc, message):
        if not cond:
            line = None
            probe = tuple(loc)
            while probe and line is None:
                line = lines.get(probe)
                probe = probe[:-1]
            problems.append(Problem(file, line, ".".join(str(p) for p in loc), message))

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
    if len(goal_numbers) != len(strat.goals):
        check(False, "strategy.yaml", strat_lines, ("goals",), "två mål har samma nummer")

    measure_codes: set[str] = set()
    for path, loaded in zip(plan_paths, plans, strict=True):
        plan, lines = loaded
        check(
            plan.plan.strategy == strat.strategy.key,
            path.name,
            lines,
            ("plan", "strategy"),
            f"okänd strategi '{plan.plan.strategy}'",
        )
        check(
            plan.plan.owner in org_keys,
            path.name,
            lines,
            ("plan", "owner"),
            f"okänd organisation '{plan.plan.owner}'",
        )
        seen_codes: set[str] = set()
        for i, m in enumerate(plan.measures):
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
        measure_codes |= seen_codes

    ind, ind_lines = indicators
    seen_ind: set[str] = set()
    for i, spec in enumerate(ind.indicators):
        check(
            spec.code not in seen_ind,
            "indicators.yaml",
            ind_lines,
            ("indicators", i, "code"),
            f"indikatorn {spec.code} förekommer två gånger",
        )
        seen_ind.add(spec.code)
        check(
            spec.goal in goal_numbers,
            "indicators.yaml",
            ind_lines,
            ("indicators", i, "goal"),
            f"okänt mål {spec.goal}",
        )
        check(
            spec.violence_type in (None, "") or spec.violence_type in vt_keys,
            "indicators.yaml",
            ind_lines,
            ("indicators", i, "violence_type"),
            f"okänd våldstyp '{spec.violence_type}'",
        )
        for j, code in enumerate(spec.measures):
            check(
                code in measure_codes,
                "indicators.yaml",
                ind_lines,
                ("indicators", i, "measures", j),
                f"okänd åtgärd '{code}'",
            )
        if spec.status == "retired":
            check(
                bool(spec.retired_reason),
                "indicators.yaml",
                ind_lines,
                ("indicators", i, "retired_reason"),
                "en utgången indikator måste ha ett skäl",
            )
    if problems:
        raise ConfigError(problems)
    return Config(
        areas=areas,
        organisations=orgs[0],
        strategy=strat,
        plans=[p[0] for p in plans],
        indicators=ind,
    )


@transaction.atomic
def write_config(config: Config) -> dict[str, int]:
    """Write a checked configuration. Idempotent: existing rows are updated in place."""
    from lagesbild.indicators.models import Indicator  # noqa: PLC0415  (app dependency order)

    areas: dict[str, Area] = {a.code: a for a in Area.objects.all()}
    for row in config.areas:  # parents first: the file lists them first, but do two passes
        area, _ = upsert(
            Area,
            code=row.code,
            defaults={
                "name": row.name,
                "level": row.level,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
                "note": row.note,
            },
        )
        areas[row.code] = area
    for row in config.areas:
        parent = areas.get(row.parent_code) if row.parent_code else None
        if areas[row.code].parent_id != (parent.pk if parent else None):
            Area.objects.filter(pk=areas[row.code].pk).update(parent=parent)

    orgs: dict[str, Organisation] = {}
    for spec in config.organisations.organisations:
        orgs[spec.key], _ = upsert(
            Organisation,
            key=spec.key,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "aliases": spec.aliases,
                "area": areas.get(spec.area) if spec.area else None,
            },
        )
    orgs.update({o.key: o for o in Organisation.objects.exclude(key__in=orgs)})

    s = config.strategy.strategy
    strategy, _ = upsert(
        Strategy,
        key=s.key,
        defaults={
            "title": s.title,
            "period_start": s.period_start,
            "period_end": s.period_end,
            "owner": orgs[s.owner],
            "area": areas[s.area],
        },
    )
    vts = {}
    for order, v in enumerate(config.strategy.violence_types):
        vts[v.key], _ = upsert(
            ViolenceType,
            key=v.key,
            defaults={"name": v.name, "name_en": v.name_en, "sort_order": order},
        )
    goals = {}
    for g in config.strategy.goals:
        goals[g.number], _ = upsert(
            Goal,
            strategy=strategy,
            number=g.number,
            defaults={
                "short_name": g.short_name,
                "short_name_en": g.short_name_en,
                "formulation": g.formulation,
                "formulation_en": g.formulation_en,
                "conditions": g.conditions,
            },
        )

    measures: dict[str, Measure] = {}
    for pf in config.plans:
        p = pf.plan
        plan, _ = upsert(
            ActionPlan,
            key=p.key,
            defaults={
                "title": p.title,
                "strategy": strategy,
                "period_start": p.period_start,
                "period_end": p.period_end,
                "owner": orgs[p.owner],
            },
        )
        wanted_areas = [(goals[d.goal].pk, d.text, i) for i, d in enumerate(pf.development_areas)]
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
        for m in pf.measures:
            measure, _ = upsert(
                Measure,
                plan=plan,
                code=m.code,
                defaults={
                    "goal": goals[m.goal],
                    "text": m.text,
                    "text_en": m.text_en,
                    "responsible_text": m.responsible_text,
                    "follow_up": m.follow_up,
                    "frequency": m.frequency,
                    "note": m.note,
                    "sort_key": measure_sort_key(m.code),
                },
            )
            wanted = {orgs[k].pk for k in m.responsible}
            if set(measure.responsible.values_list("pk", flat=True)) != wanted:
                measure.responsible.set(wanted)
            measures[m.code] = measure  # the latest plan wins for a repeated code

    for order, spec in enumerate(config.indicators.indicators):
        indicator, _ = upsert(
            Indicator,
            code=spec.code,
            defaults={
                "strategy": strategy,
                "name": spec.name,
                "name_en": spec.name_en,
                "short_name": spec.short_name,
                "short_name_en": spec.short_name_en,
                "definition": spec.definition,
                "definition_en": spec.definition_en,
                "goal": goals[spec.goal],
                "kind": spec.kind,
                "violence_type": vts.get(spec.violence_type) if spec.violence_type else None,
                "unit": spec.unit,
                "decimals": spec.decimals,
                "direction": spec.direction,
                "source": spec.source,
                "area_level": spec.area_level,
                "breakdowns": spec.breakdowns,
                "status": spec.status,
                "retired_reason": spec.retired_reason,
                "last_data_year": spec.last_data_year,
                "small_number_threshold": spec.small_number_threshold,
                "report_ref": spec.report_ref,
                "source_codes": spec.source_codes,
                "sort_order": order,
            },
        )
        wanted = {measures[c].pk for c in spec.measures}
        if set(indicator.measures.values_list("pk", flat=True)) != wanted:
            indicator.measures.set(wanted)
    return {
        "areas": len(config.areas),
        "organisations": len(config.organisations.organisations),
        "goals": len(config.strategy.goals),
        "measures": sum(len(p.measures) for p in config.plans),
        "indicators": len(config.indicators.indicators),
    }


def load_config(directory: Path) -> dict[str, int]:
    """Read, check and write a configuration folder. Raises ConfigError and writes nothing on error."""
    return write_config(read_config(Path(directory)))
