"""Read observation CSV files in the project's own format (docs/data-format.md).

Used by the demo loader. Every row is checked before anything is written; each problem names the
file, the row as a spreadsheet shows it, and the column.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lagesbild.core.models import Area
from lagesbild.core.yamlschema import ConfigError, Problem
from lagesbild.indicators.models import Indicator, Statistic
from lagesbild.indicators.services import ObservationInput, breakdown_key, parse_breakdown
from lagesbild.indicators.stats import period_sort_key
from lagesbild.sources.tabular.parse import QUALIFIER_HELP, parse_qualifier
from lagesbild.strategy.loader import open_csv

OBSERVATION_COLUMNS = [
    "indicator",
    "area",
    "period",
    "breakdown",
    "statistic",
    "value",
    "qualifier",
    "numerator",
    "denominator",
    "respondents",
    "flags",
    "missing_reason",
    "source_ref",
    "note",
]
REVISION_COLUMNS = [
    "indicator",
    "area",
    "period",
    "breakdown",
    "statistic",
    "old_value",
    "new_value",
    "reason",
    "source_ref",
]
FLAGS = {"provisional", "too_few_cases"}


@dataclass
class Revision:
    key: tuple
    old_value: Decimal
    new_value: Decimal
    reason: str
    line: int


def _decimal(text: str, problems, file, line, column, required=False) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        if required:
            problems.append(Problem(file, line, column, "värdet saknas"))
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(
            Problem(
                file, line, column, f"'{text}' är inte ett tal (använd punkt som decimaltecken)"
            )
        )
        return None
    if not value.is_finite():
        problems.append(Problem(file, line, column, f"'{text}' är inte ett ändligt tal"))
        return None
    return value


class _Lookups:
    def __init__(self):
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.areas = {a.code: a for a in Area.objects.all()}


def _cell(row, line, file, problems, lookups, *, value_column="value"):
    indicator = lookups.indicators.get((row.get("indicator") or "").strip())
    if indicator is None:
        problems.append(
            Problem(file, line, "indicator", f"okänd indikator '{row.get('indicator')}'")
        )
    area = lookups.areas.get((row.get("area") or "").strip())
    if area is None:
        problems.append(Problem(file, line, "area", f"okänt område '{row.get('area')}'"))
    try:
        period = (row.get("period") or "").strip()
        period_sort_key(period)
    except ValueError as exc:
        problems.append(Problem(file, line, "period", str(exc)))
        period = None
    try:
        breakdown = parse_breakdown(row.get("breakdown") or "")
    except ValueError as exc:
        problems.append(Problem(file, line, "breakdown", str(exc)))
        breakdown = {}
    statistic = (row.get("statistic") or "").strip() or Statistic.VALUE
    if statistic not in Statistic.values:
        problems.append(Problem(file, line, "statistic", f"okänt mått '{statistic}'"))
    if indicator is not None:
        unknown = set(breakdown) - set(indicator.breakdowns)
        if unknown:
            problems.append(
                Problem(
                    file,
                    line,
                    "breakdown",
                    f"indikatorn {indicator.code} har inte uppdelningen {', '.join(sorted(unknown))}",
                )
            )
    return indicator, area, period, breakdown, statistic


_AUDIENCES = {
    "": "public",
    "public": "public",
    "offentlig": "public",
    "internal": "internal",
    "intern": "internal",
}


def read_observations(path: Path) -> list[tuple[int, ObservationInput]]:
    header, rows = open_csv(path)
    file = path.name
    missing = [c for c in ("indicator", "area", "period", "value") if c not in header]
    if missing:
        raise ConfigError([Problem(file, 1, c, "kolumnen saknas") for c in missing])
    lookups = _Lookups()
    problems: list[Problem] = []
    out: list[tuple[int, ObservationInput]] = []
    seen: dict[tuple, int] = {}
    for line, row in rows:
        indicator, area, period, breakdown, statistic = _cell(row, line, file, problems, lookups)
        value = _decimal(row.get("value"), problems, file, line, "value")
        numerator = _decimal(row.get("numerator"), problems, file, line, "numerator")
        denominator = _decimal(row.get("denominator"), problems, file, line, "denominator")
        respondents = _decimal(row.get("respondents"), problems, file, line, "respondents")
        flags = {f.strip() for f in (row.get("flags") or "").split("|") if f.strip()}
        if flags - FLAGS:
            problems.append(
                Problem(file, line, "flags", f"okänd flagga: {', '.join(sorted(flags - FLAGS))}")
            )
        audience = _AUDIENCES.get((row.get("note_audience") or "").strip().lower())
        if audience is None:
            problems.append(
                Problem(
                    file,
                    line,
                    "note_audience",
                    f"okänd mottagare '{row.get('note_audience')}' (public eller internal)",
                )
            )
        qualifier_text = (row.get("qualifier") or "").strip()
        qualifier = parse_qualifier(qualifier_text)
        if qualifier is None:
            problems.append(
                Problem(
                    file,
                    line,
                    "qualifier",
                    f"okänd kvalificering '{qualifier_text}' ({QUALIFIER_HELP})",
                )
            )
            qualifier = ""
        elif qualifier and value is None:
            problems.append(
                Problem(file, line, "qualifier", f"'{qualifier_text}' står på en rad utan värde")
            )
        missing_reason = (row.get("missing_reason") or "").strip()
        if value is None and not missing_reason:
            problems.append(
                Problem(file, line, "missing_reason", "värdet saknas men inget skäl anges")
            )
        if (
            value is not None
            and indicator is not None
            and indicator.unit == "percent"
            and not (0 <= value <= 100)
        ):
            problems.append(
                Problem(file, line, "value", f"en andel ska ligga mellan 0 och 100, inte {value}")
            )
        if (
            value is not None
            and indicator is not None
            and indicator.unit == "count"
            and (value < 0 or value != value.to_integral_value())
        ):
            problems.append(
                Problem(
                    file,
                    line,
                    "value",
                    f"ett antal ska vara ett icke-negativt heltal, inte {value}",
                )
            )
        if None in (indicator, area, period):
            continue
        key = (indicator.code, area.code, period, breakdown_key(breakdown), statistic)
        if key in seen:
            problems.append(Problem(file, line, "", f"samma värde finns redan på rad {seen[key]}"))
            continue
        seen[key] = line
        out.append(
            (
                line,
                ObservationInput(
                    indicator=indicator,
                    area=area,
                    period=period,
                    breakdown=breakdown,
                    value=value,
                    qualifier=qualifier,
                    statistic=statistic,
                    numerator=numerator,
                    denominator=denominator,
                    respondents=int(respondents) if respondents is not None else None,
                    provisional="provisional" in flags,
                    too_few_cases="too_few_cases" in flags,
                    missing_reason=missing_reason,
                    source_ref=(row.get("source_ref") or "").strip(),
                    note=(row.get("note") or "").strip(),
                    note_audience=audience,
                ),
            )
        )
    if problems:
        raise ConfigError(problems)
    return out


def read_revisions(path: Path) -> list[Revision]:
    if not path.exists():
        return []
    header, rows = open_csv(path)
    file = path.name
    missing = [
        c
        for c in ("indicator", "area", "period", "old_value", "new_value", "reason")
        if c not in header
    ]
    if missing:
        raise ConfigError([Problem(file, 1, c, "kolumnen saknas") for c in missing])
    lookups = _Lookups()
    problems: list[Problem] = []
    out = []
    for line, row in rows:
        indicator, area, period, breakdown, statistic = _cell(row, line, file, problems, lookups)
        old = _decimal(row.get("old_value"), problems, file, line, "old_value", required=True)
        new = _decimal(row.get("new_value"), problems, file, line, "new_value", required=True)
        reason = (row.get("reason") or "").strip()
        if not reason:
            problems.append(Problem(file, line, "reason", "en revidering måste ha ett skäl"))
        if None in (indicator, area, period, old, new):
            continue
        out.append(
            Revision(
                (indicator.code, area.code, period, breakdown_key(breakdown), statistic),
                old,
                new,
                reason,
                line,
            )
        )
    if problems:
        raise ConfigError(problems)
    return out
