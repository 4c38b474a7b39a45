"""Writes to observations. Every change keeps its history: who, when and why."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction

from lagesbild.core.models import Area
from lagesbild.indicators.models import ImportRun, Indicator, Observation
from lagesbild.indicators.stats import period_kind, period_sort_key


def breakdown_key(breakdown: dict[str, str]) -> str:
    """Canonical text form of a breakdown: dimensions sorted, 'age=18+;sex=kvinnor'."""
    return ";".join(f"{k}={breakdown[k]}" for k in sorted(breakdown))


def parse_breakdown(text: str) -> dict[str, str]:
    """'sex=kvinnor;age=18+' → {'sex': 'kvinnor', 'age': '18+'}; raises ValueError on bad parts."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"'{part}' ska skrivas dimension=värde")
        if key.strip() in out:
            raise ValueError(f"dimensionen '{key.strip()}' förekommer två gånger")
        out[key.strip()] = value.strip()
    return out


@dataclass
class ObservationInput:
    indicator: Indicator
    area: Area
    period: str
    breakdown: dict[str, str]
    value: Decimal | None
    statistic: str = "value"
    qualifier: str = ""  # Qualifier: "", "at_least" or "approximately"
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    respondents: int | None = None
    provisional: bool = False
    too_few_cases: bool = False
    missing_reason: str = ""
    status_symbol: str = ""
    source_ref: str = ""
    note: str = ""
    note_audience: str = "public"


_COMPARED = (
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
_DESCRIPTIVE = ("source_ref", "note", "note_audience")

DATA_VERSION_KEY = "lagesbild:data-version"


def bump_data_version() -> None:
    """Invalidate every cached page and download that shows figures, once the write commits.

    Called by every write of observations (import, approval, revision). The counter is bumped
    after commit, so no reader can cache the old figures under the new version. See
    `selectors.data_version()`, which also reads a stamp from the database so that writes made
    by another process (a CLI import next to the web server) invalidate too.
    """
    transaction.on_commit(_bump_now)


def _bump_now() -> None:
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:  # not in the cache yet (or evicted): start a new, unique epoch
        import time

        cache.set(DATA_VERSION_KEY, time.time_ns(), None)


def observation_upsert(
    *,
    data: ObservationInput,
    import_run: ImportRun,
    user=None,
    reason: str = "",
    published: bool = True,
) -> tuple[Observation, str]:
    """Create or update one observation; returns (observation, 'created'|'updated'|'unchanged').

    A changed figure on a published observation is a revision: the observation is flagged
    `revised` and the history entry carries `reason` (default: the import run).
    """
    period = data.period.strip()
    start, _school = period_sort_key(period)
    key = breakdown_key(data.breakdown)
    obs = (
        Observation.objects.select_for_update()
        .filter(
            indicator=data.indicator,
            area=data.area,
            period=period,
            breakdown_key=key,
            statistic=data.statistic,
        )
        .first()
    )
    reason = (
        reason or f"{import_run.get_kind_display()}: {import_run.file_name or import_run.source}"
    )
    if obs is None:
        obs = Observation(
            indicator=data.indicator,
            area=data.area,
            period=period,
            period_kind=period_kind(period),
            period_sort=start,
            breakdown=data.breakdown,
            breakdown_key=key,
            statistic=data.statistic,
            published=published,
            import_run=import_run,
            **{f: getattr(data, f) for f in _COMPARED + _DESCRIPTIVE},
        )
        obs._change_reason = reason
        if user is not None:
            obs._history_user = user
        obs.save()
        bump_data_version()
        return obs, "created"
    changed = [f for f in _COMPARED if _differs(getattr(obs, f), getattr(data, f))]
    descriptive = [f for f in _DESCRIPTIVE if getattr(obs, f) != getattr(data, f)]
    if not changed and not descriptive and obs.published == published:
        return obs, "unchanged"
    if "value" in changed and obs.published and obs.value is not None:
        obs.revised = True
    for f in changed + descriptive:
        setattr(obs, f, getattr(data, f))
    obs.published = published or obs.published
    obs.import_run = import_run
    obs._change_reason = reason
    if user is not None:
        obs._history_user = user
    obs.save()
    bump_data_version()
    return obs, "updated"


def _differs(current, new) -> bool:
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(current) != Decimal(new)
    return current != new


@transaction.atomic
def observation_revise(
    *,
    observation: Observation,
    value: Decimal,
    reason: str,
    user=None,
    import_run: ImportRun | None = None,
) -> Observation:
    """Change a published figure with a stated reason; the earlier value stays in the history."""
    if not reason.strip():
        raise ValueError("En revidering måste ha ett skäl.")
    if observation.value is not None and Decimal(observation.value) == Decimal(value):
        return observation
    observation.value = value
    observation.revised = observation.published or observation.revised
    if import_run is not None:
        observation.import_run = import_run
    observation._change_reason = reason
    if user is not None:
        observation._history_user = user
    observation.save()
    bump_data_version()
    return observation
