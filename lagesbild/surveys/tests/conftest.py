"""Fixtures for survey tests: the real survey and index files, municipalities, a round."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagesbild.core.models import Area, Organisation
from lagesbild.surveys import services
from lagesbild.surveys.loader import load_survey_file

SURVEYS_DIR = Path(__file__).resolve().parents[3] / "data" / "stockholm" / "surveys"
SURVEY_FILE = SURVEYS_DIR / "kommunenkat-forebyggande.yaml"
INDEX_FILE = SURVEYS_DIR / "preventionsindex.yaml"

FULL = {  # a complete, high answer to the prevention-index survey
    "styrdokument": "ja",
    "styrdokument-omraden": ["vinr", "barn", "heder", "prostitution", "sexuellt-vald"],
    "mal-styrsystem": "ja",
    "mal-uppfoljning": "ja",
    "samverkan-strategisk": "ja",
    "samverkan-aktorer": ["polis", "region", "civilsamhalle", "skola"],
    "samordnare": "heltid",
    "samordnare-mandat": "ja",
    "universell-skola": "ja",
    "universell-fritid": "ja",
    "selektiv-riskgrupper": "ja",
    "indikerad-utovare": "ja",
    "indikerad-utsatta": "ja",
    "specialiserade": ["skyddat-boende", "stodmottagning", "barnsamtal"],
    "specialiserade-heder": "ja",
    "kartlaggning": "ja",
    "analys-anvands": "ja",
    "kompetens": 5,
    "metodstod": "ja",
}
LOW = {  # every required question answered with the lowest answer; nothing optional
    "styrdokument": "nej",
    "mal-styrsystem": "nej",
    "samverkan-strategisk": "nej",
    "samordnare": "nej",
    "universell-skola": "nej",
    "universell-fritid": "nej",
    "selektiv-riskgrupper": "nej",
    "indikerad-utovare": "nej",
    "indikerad-utsatta": "nej",
    "specialiserade": ["inget"],
    "specialiserade-heder": "nej",
    "kartlaggning": "nej",
    "metodstod": "nej",
}


@pytest.fixture
def survey(db):
    load_survey_file(SURVEY_FILE)
    load_survey_file(INDEX_FILE)
    from lagesbild.surveys.models import Survey

    return Survey.objects.get(key="kommunenkat-forebyggande")


@pytest.fixture
def municipalities(county):
    codes = {"0114": "Upplands Väsby", "0115": "Vallentuna", "0117": "Österåker", "0120": "Värmdö"}
    groups = {"0114": "Stor", "0115": "Liten", "0117": "Stor", "0120": "Stor"}
    orgs = []
    for code, name in codes.items():
        area, _ = Area.objects.get_or_create(
            code=code, defaults={"name": name, "level": "municipality", "parent": county}
        )
        org, _ = Organisation.objects.get_or_create(
            key=f"kommun-{code}",
            defaults={"name": name, "kind": "municipality", "area": area},
        )
        org.group = groups[code]
        orgs.append(org)
    return orgs


@pytest.fixture
def open_round(survey, municipalities, county):
    return services.round_open(
        survey=survey,
        title="Kommunenkät 2025",
        period="2025",
        area=county,
        invitees=[
            services.Invitee(organisation=o, email=f"kontakt@{o.key}.example.se", group=o.group)
            for o in municipalities
        ],
        send=False,
    )


def token_for(rnd, key: str) -> str:
    return services.respondent_token(rnd.respondents.get(organisation__key=key))


@pytest.fixture
def catalogue(build, county):
    """The catalogue indicators the prevention index publishes to (as in indicators.yaml)."""
    goals = {"E1.1": 1, "E1.2": 1, "E1.3": 1, "E7.1": 7, "E8.1": 8}
    return {
        code: build.indicator(
            code,
            goal=goal,
            unit="index_0_100",
            area_level="municipality",
            breakdowns=["summary"],
            name=f"Preventionsindex {code}",
        )
        for code, goal in goals.items()
    }
