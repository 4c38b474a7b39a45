"""Follow-up texts of a year, from a file: a county moving its history in, or the demo.

`followups_load(path=…, plan_key=…, dry_run=…)` reads followups-<year>.yaml (docs/data-format.md,
"Uppföljningar"): each item becomes an approved submission of the plan's measure, carrying the
text, status, footnotes and figures. Measures are looked up in ONE plan only — the one named by
``--plan`` (or the file's `plan:`), else the plan in force that year — so follow-ups of an earlier
plan never attach to a later plan's measure with the same number. Idempotent; all or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from django.db import transaction
from pydantic import Field, field_validator

from lagesbild.core.models import Area, Organisation
from lagesbild.core.yamlschema import ConfigError, Problem, load_yaml
from lagesbild.indicators.models import Indicator
from lagesbild.indicators.services import breakdown_key, parse_breakdown
from lagesbild.reporting.models import (
    ReportingRound,
    Submission,
    SubmissionState,
    SubmissionValue,
    Transition,
)
from lagesbild.strategy.models import Measure
from lagesbild.strategy.schema import Strict
from lagesbild.strategy.selectors import PlanError, plan_in_force


class FollowUpValue(Strict):
    indicator: str
    area: str
    period: str
    value: Decimal | None = None
    breakdown: dict[str, str] = {}
    missing_reason: str = ""

    @field_validator("breakdown", mode="before")
    @classmethod
    def _breakdown_text(cls, value):
        """Accept the CSV form 'dim=value;dim=value' as well as a mapping."""
        return parse_breakdown(value) if isinstance(value, str) else value


class FollowUp(Strict):
    measure: str
    organisation: str
    status: Literal["genomford", "pagaende", "ej_paborjad", "inget_att_rapportera", "utgar"]
    text: str = Field(min_length=1)
    footnotes: list[str] = []
    values: list[FollowUpValue] = []
    source_ref: str = ""


class FollowUpsFile(Strict):
    year: int
    plan: str | None = None
    followups: list[FollowUp]


def narrative_html(text: str) -> str:
    from html import escape

    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    return "\n".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in paragraphs)


@dataclass
class FollowUpsResult:
    year: int
    plan: str
    added: list[str] = field(default_factory=list)  # "measure organisation"
    unchanged: int = 0
    applied: bool = False

    def text(self) -> str:
        lines = [
            f"Uppföljning {self.year}, handlingsplan {self.plan}: {len(self.added)} nya "
            f"godkända inrapporteringar, {self.unchanged} fanns redan"
        ]
        lines += [f"  + {key}" for key in self.added]
        return "\n".join(lines)


def followups_load(
    *, path: Path, plan_key: str | None = None, dry_run: bool = False, comment: str = ""
) -> FollowUpsResult:
    """Load one follow-ups file (see module docstring). Raises ConfigError, writing nothing,
    on any problem; ``dry_run`` reports what would be added and writes nothing."""
    path = Path(path)
    spec, lines = load_yaml(path, FollowUpsFile)
    try:
        plan = plan_in_force(year=spec.year, plan_key=plan_key or spec.plan)
    except PlanError as exc:
        raise ConfigError([Problem(path.name, lines.get(("year",)), "year", str(exc))]) from None
    problems = []
    measures = {m.code: m for m in Measure.objects.filter(plan=plan)}
    orgs = {o.key: o for o in Organisation.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.all()}
    areas = {a.code: a for a in Area.objects.all()}
    existing_round = ReportingRound.objects.filter(year=spec.year).first()
    if existing_round is not None and existing_round.plan_id != plan.pk:
        problems.append(
            Problem(
                path.name,
                lines.get(("year",)),
                "year",
                f"rapporteringsomgången {spec.year} hör till handlingsplanen "
                f"{existing_round.plan.key}, inte {plan.key}",
            )
        )
    for i, f in enumerate(spec.followups):
        line = lines.get(("followups", i))
        if f.measure not in measures:
            problems.append(
                Problem(
                    path.name,
                    line,
                    f"followups[{i}].measure",
                    f"okänd åtgärd {f.measure} i handlingsplanen {plan.key}",
                )
            )
        if f.organisation not in orgs:
            problems.append(
                Problem(
                    path.name,
                    line,
                    f"followups[{i}].organisation",
                    f"okänd organisation {f.organisation}",
                )
            )
        for j, v in enumerate(f.values):
            where = lines.get(("followups", i, "values", j))
            if v.indicator not in indicators:
                problems.append(
                    Problem(
                        path.name,
                        where,
                        f"followups[{i}].values[{j}].indicator",
                        f"okänd indikator {v.indicator}",
                    )
                )
            if v.area not in areas:
                problems.append(
                    Problem(
                        path.name,
                        where,
                        f"followups[{i}].values[{j}].area",
                        f"okänt område {v.area}",
                    )
                )
    if problems:
        raise ConfigError(problems)
    result = FollowUpsResult(year=spec.year, plan=plan.key)
    comment = comment or f"Inläst ur {path.name}"
    with transaction.atomic():
        rnd, _ = ReportingRound.objects.get_or_create(
            year=spec.year,
            defaults={
                "plan": plan,
                "opens_on": dt.date(spec.year, 12, 1),
                "closes_on": dt.date(spec.year + 1, 1, 31),
                "closed": True,
            },
        )
        for f in spec.followups:
            key = f"{f.measure} {f.organisation}"
            if Submission.objects.filter(
                round=rnd, measure=measures[f.measure], organisation=orgs[f.organisation]
            ).exists():
                result.unchanged += 1
                continue
            result.added.append(key)
            sub = Submission.objects.create(
                round=rnd,
                measure=measures[f.measure],
                organisation=orgs[f.organisation],
                state=SubmissionState.APPROVED,
                implementation_status=f.status,
                narrative=narrative_html(f.text),
                narrative_source=f.text.strip(),
                footnotes=f.footnotes,
                submitted_at=dt.datetime(spec.year + 1, 1, 31, tzinfo=dt.UTC),
                approved_at=dt.datetime(spec.year + 1, 2, 15, tzinfo=dt.UTC),
            )
            Transition.objects.create(
                submission=sub,
                from_state=SubmissionState.DRAFT,
                to_state=SubmissionState.SUBMITTED,
                comment=comment,
            )
            Transition.objects.create(
                submission=sub,
                from_state=SubmissionState.SUBMITTED,
                to_state=SubmissionState.APPROVED,
                comment=f"{comment} ({f.source_ref})" if f.source_ref else comment,
            )
            for v in f.values:
                SubmissionValue.objects.create(
                    submission=sub,
                    indicator=indicators[v.indicator],
                    area=areas[v.area],
                    period=v.period,
                    breakdown=v.breakdown,
                    breakdown_key=breakdown_key(v.breakdown),
                    value=v.value,
                    missing_reason=v.missing_reason,
                )
        if dry_run:
            transaction.set_rollback(True)
        else:
            result.applied = True
    return result
