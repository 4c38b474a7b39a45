"""Demo step of reporting: the 2025 round's approved follow-ups, as the 2025 report has them.

Reads followups-<year>.yaml from the county folder (docs/data-format.md). Each item becomes an
approved submission carrying the report's text and figures. Idempotent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from lagesbild.core.models import Organisation
from lagesbild.core.yamlschema import ConfigError, Problem, load_yaml
from lagesbild.reporting.followups import followups_load
from lagesbild.reporting.models import (
    ReportingRound,
)
from lagesbild.strategy.schema import Strict


class DelegatesFile(Strict):
    delegates: dict[str, list[str]] = {}


def load_delegates(path: Path) -> int:
    """reporting.yaml: which organisations report for those without accounts."""
    from lagesbild.reporting.services import delegates_set

    spec, _lines = load_yaml(path, DelegatesFile)
    orgs = {o.key: o for o in Organisation.objects.all()}
    problems = [
        Problem(path.name, None, f"delegates.{k}", f"okänd organisation {key}")
        for k, v in spec.delegates.items()
        for key in [k, *v]
        if key not in orgs
    ]
    if problems:
        raise ConfigError(problems)
    with transaction.atomic():
        for key, delegates in spec.delegates.items():
            delegates_set(organisation=orgs[key], delegates=[orgs[d] for d in delegates])
    return len(spec.delegates)


# Demo users: user name → (organisation key, role). Passwords are set again on every run.
DEMO_USERS = {
    "samordnare": ("lansstyrelsen", "coordinator"),
    "polisen": ("polisen", "reporter"),
    "aklagarmyndigheten": ("aklagarmyndigheten", "reporter"),
    "kriminalvarden": ("kriminalvarden", "reporter"),
    "region-stockholm": ("region-stockholm", "reporter"),
    "forsakringskassan": ("forsakringskassan", "reporter"),
    "arbetsformedlingen": ("arbetsformedlingen", "reporter"),
    "lansstyrelsen": ("lansstyrelsen", "reporter"),
    "storsthlm": ("storsthlm", "reporter"),
    "stockholms-stad": ("stockholms-stad", "reporter"),
}


def demo_users_load(stdout) -> str:
    """Create or reset the demo users; the password comes from LAGESBILD_DEMO_PASSWORD."""
    import os
    import secrets

    from django.contrib.auth.models import User

    from lagesbild.core.services import membership_set

    password = os.environ.get("LAGESBILD_DEMO_PASSWORD", "")
    generated = not password
    if generated:
        password = secrets.token_urlsafe(12)
    orgs = {
        o.key: o for o in Organisation.objects.filter(key__in={k for k, _r in DEMO_USERS.values()})
    }
    with transaction.atomic():
        for username, (org_key, role) in DEMO_USERS.items():
            if org_key not in orgs:
                continue
            user, _created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            user.set_password(password)
            user.is_active = True
            user.save()
            membership_set(user=user, organisation=orgs[org_key], role=role)
    if generated:
        stdout.write(
            f"Demoanvändare ({', '.join(DEMO_USERS)}) har lösenordet: {password}  "
            "(sätt LAGESBILD_DEMO_PASSWORD för ett eget)"
        )
    else:
        stdout.write(f"Demoanvändare ({len(DEMO_USERS)}) har lösenordet i LAGESBILD_DEMO_PASSWORD.")
    return password


DEMO_DRAFTS = {
    # organisation key → (measure code, status, text): a few drafts in the open round.
    "kriminalvarden": (
        "2.10",
        "pagaende",
        "Utkast: Kriminalvården fortsätter arbetet med behandlingsprogram för "
        "våldsutövare i nära relationer. Siffrorna för året fylls i när årsstatistiken är klar.",
    ),
    "polisen": (
        "1.6",
        "pagaende",
        "Utkast: arbetet med kontaktförbud och RRI-samtal fortsätter i polisregionen.",
    ),
    "region-stockholm": (
        "3.3",
        "pagaende",
        "Utkast: fler enheter inom hälso- och sjukvården har infört rutiner för att fråga om våld.",
    ),
}


def open_round_load(year: int, stdout) -> None:
    """The open round after the last closed one, with a few drafts. Idempotent."""
    from lagesbild.reporting.narrative import narrative_to_html
    from lagesbild.reporting.services import round_open

    if ReportingRound.objects.filter(year=year).exists():
        return
    previous = ReportingRound.objects.filter(year=year - 1).select_related("plan").first()
    if previous is None or not previous.plan.period_start <= year <= previous.plan.period_end:
        return
    rnd = round_open(
        year=year,
        plan=previous.plan,
        opens_on=dt.date(year, 11, 1),
        closes_on=dt.date(year + 1, 1, 31),
        include_directory=True,  # the municipalities look over the support register too
    )
    for org_key, (code, status, text) in DEMO_DRAFTS.items():
        sub = rnd.submissions.filter(measure__code=code, organisation__key=org_key).first()
        if sub is None:
            continue
        sub.implementation_status = status
        sub.narrative_source = text
        sub.narrative = narrative_to_html(text)
        sub._change_reason = "Demodata"
        sub.save()
    stdout.write(
        f"Rapportering {year}: öppen omgång med {rnd.submissions.count()} inrapporteringar "
        f"({len(DEMO_DRAFTS)} påbörjade utkast)."
    )


def load(config_dir: Path, stdout) -> None:
    config_dir = Path(config_dir)
    if (config_dir / "reporting.yaml").exists():
        n = load_delegates(config_dir / "reporting.yaml")
        stdout.write(f"Rapporteringsombud för {n} organisationer.")
    years = []
    for path in sorted(config_dir.glob("followups-*.yaml")):
        loaded = followups_load(path=path, comment="Demodata ur lägesrapporten")
        n = len(loaded.added) + loaded.unchanged
        years.append(int(path.stem.split("-")[-1]))
        stdout.write(f"Uppföljning {path.stem}: {n} godkända inrapporteringar.")
    # Users first: a municipality with an account is asked about the support register.
    demo_users_load(stdout)
    if years:
        open_round_load(max(years) + 1, stdout)
