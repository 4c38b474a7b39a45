"""A small reporting world: a plan with three measures, follow-up indicators and a 2026 round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from lagesbild.core.models import Organisation
from lagesbild.indicators.models import Indicator
from lagesbild.reporting.models import ReportingRound, Submission
from lagesbild.reporting.services import delegates_set, round_open
from lagesbild.strategy.models import ActionPlan, Measure

DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "stockholm"


@dataclass
class World:
    plan: ActionPlan
    round: ReportingRound
    m210: Measure
    m16: Measure
    m29: Measure
    count: Indicator
    percent: Indicator
    staged: Indicator
    police: Indicator
    kriminalvarden: Organisation
    polisen: Organisation
    kommuner: Organisation
    storsthlm: Organisation

    @property
    def sub(self) -> Submission:
        """Kriminalvården's submission for measure 2.10 (fresh from the database)."""
        return Submission.objects.get(
            round=self.round, measure=self.m210, organisation=self.kriminalvarden
        )

    @property
    def police_sub(self) -> Submission:
        return Submission.objects.get(round=self.round, measure=self.m16, organisation=self.polisen)


@pytest.fixture
def world(db, build, coordinator, reporter_kriminalvarden, reporter_polisen, admin) -> World:
    plan = build.plan("plan-2024-2027", title="Handlingsplan 2024–2027")
    goal = build.goal(2, "Våldsutövare")
    krim = Organisation.objects.get(key="kriminalvarden")
    pol = Organisation.objects.get(key="polisen")
    kommuner = build.organisation("lanets-kommuner", "Länets kommuner", "municipalities_collective")
    storsthlm = build.organisation("storsthlm", "Storsthlm", "municipal_association")
    delegates_set(organisation=kommuner, delegates=[storsthlm])

    def measure(code, frequency, orgs, text):
        return build.measure(
            plan,
            code,
            goal=goal,
            text=text,
            responsible=orgs,
            follow_up="Antal och andel",
            frequency=frequency,
        )

    m210 = measure("2.10", "annual", [krim], "Behandlingsprogram för våldsutövare")
    m16 = measure("1.6", "annual", [pol], "Kontaktförbud och riskbedömning")
    m29 = measure("2.9", "end_of_plan", [krim, kommuner], "Stöd till våldsutövare")
    count = build.indicator(
        "M2.10-antal", goal=2, unit="count", kind="measure", name="Antal avbrutna program"
    )
    percent = build.indicator(
        "M2.10-andel", goal=2, unit="percent", kind="measure", name="Andel fullföljda program"
    )
    staged = build.indicator(
        "M2.10-skede",
        goal=2,
        unit="count",
        kind="measure",
        name="Program per skede",
        breakdowns=["stage"],
    )
    police = build.indicator("M1.6-samtal", goal=2, unit="count", kind="measure", name="RRI-samtal")
    for ind in (count, percent, staged):
        ind.measures.add(m210)
    police.measures.add(m16)
    count.measures.add(m29)
    rnd = round_open(
        year=2026,
        plan=plan,
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2027, 1, 31),
        user=coordinator,
    )
    return World(
        plan, rnd, m210, m16, m29, count, percent, staged, police, krim, pol, kommuner, storsthlm
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class DirectoryRound:
    """The Stockholm configuration, the demo support register and a 2026 round that asks the
    municipalities about it. Nacka kommun has a reporter and egen regi entries; Solna has
    entries but no account; Stockholms stad has entries and a reporter; "Ny kommun" has
    neither and is not asked."""

    round: ReportingRound
    nacka: Organisation
    solna: Organisation
    stockholm: Organisation
    reporter_nacka: object
    reporter_stockholm: object

    def sub(self, organisation: Organisation) -> Submission:
        return Submission.objects.get(round=self.round, kind="directory", organisation=organisation)


@pytest.fixture
def directory_round(db, coordinator) -> DirectoryRound:
    from lagesbild.core.models import Area, Role
    from lagesbild.core.services import membership_set
    from tests.shared_data import SHARED_DATA, shared_data_ensure

    shared_data_ensure(SHARED_DATA["directory_round"])

    def municipality(key, name, code=None):
        area = Area.objects.get(code=code) if code else None
        return Organisation.objects.get_or_create(
            key=key, defaults={"name": name, "kind": "municipality", "area": area}
        )[0]

    def reporter(username, org):
        user = User.objects.create_user(username, f"{username}@example.org", "lösenord-för-test")
        membership_set(user=user, organisation=org, role=Role.REPORTER)
        return user

    nacka = municipality("nacka-kommun", "Nacka kommun", "0182")
    solna = municipality("solna-kommun", "Solna kommun", "0184")
    municipality("ny-kommun", "Ny kommun")
    stockholm = Organisation.objects.get(key="stockholms-stad")
    rnd = round_open(
        year=2026,
        plan=ActionPlan.objects.get(key="handlingsplan-2024-2027"),
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2027, 1, 31),
        user=coordinator,
        include_directory=True,
    )
    return DirectoryRound(
        rnd,
        nacka,
        solna,
        stockholm,
        reporter("nacka", nacka),
        reporter("sthlm", stockholm),
    )
