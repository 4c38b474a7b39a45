"""Demo step of the indicators app: every figure of the published status report."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from lagesbild.core.yamlschema import ConfigError, Problem
from lagesbild.indicators.models import ImportKind, ImportRun, Observation
from lagesbild.indicators.services import breakdown_key, observation_revise, observation_upsert
from lagesbild.indicators.tidy import read_observations, read_revisions


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_observation_files(directory: Path, *, user=None) -> dict[str, int]:
    """Load observations.csv (and revisions.csv) from a county folder; idempotent, all or nothing."""
    obs_path = Path(directory) / "observations.csv"
    rows = read_observations(obs_path)
    revisions = read_revisions(Path(directory) / "revisions.csv")
    by_key = {
        (d.indicator.code, d.area.code, d.period, breakdown_key(d.breakdown), d.statistic): d
        for _line, d in rows
    }
    problems = []
    for rev in revisions:
        data = by_key.get(rev.key)
        if data is None:
            problems.append(
                Problem("revisions.csv", rev.line, "", "ingen motsvarande rad i observations.csv")
            )
        elif data.value != rev.new_value:
            problems.append(
                Problem(
                    "revisions.csv",
                    rev.line,
                    "new_value",
                    f"nytt värde {rev.new_value} skiljer sig från observations.csv ({data.value})",
                )
            )
    if problems:
        raise ConfigError(problems)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "revised": 0}
    with transaction.atomic():
        digest = sha256_of(obs_path)
        run = ImportRun.objects.filter(kind=ImportKind.DEMO, sha256=digest).first()
        if run is None:
            run = ImportRun.objects.create(
                kind=ImportKind.DEMO,
                source="Demodata ur den publicerade lägesrapporten",
                file_name=obs_path.name,
                sha256=digest,
                user=user,
            )
        revised = {rev.key: rev for rev in revisions}
        for _line, data in rows:
            key = (
                data.indicator.code,
                data.area.code,
                data.period,
                breakdown_key(data.breakdown),
                data.statistic,
            )
            rev = revised.get(key)
            exists = Observation.objects.filter(
                indicator=data.indicator,
                area=data.area,
                period=data.period,
                breakdown_key=key[3],
                statistic=data.statistic,
            ).exists()
            if rev is not None and not exists:
                data.value, final = rev.old_value, data.value
                obs, _ = observation_upsert(
                    data=data, import_run=run, user=user, reason="Värde som publicerades först"
                )
                observation_revise(observation=obs, value=final, reason=rev.reason, user=user)
                data.value = final
                counts["created"] += 1
                counts["revised"] += 1
                continue
            _obs, action = observation_upsert(data=data, import_run=run, user=user)
            counts[action] += 1
        run.finished_at = timezone.now()
        run.summary = counts
        run.save(update_fields=["finished_at", "summary"])
    return counts


def load(config_dir: Path, stdout) -> None:
    counts = load_observation_files(config_dir)
    stdout.write(
        f"Observationer: {counts['created']} nya, {counts['updated']} ändrade, "
        f"{counts['unchanged']} oförändrade, {counts['revised']} reviderade."
    )
