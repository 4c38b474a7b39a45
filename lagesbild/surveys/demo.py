"""Demo: the prevention-index survey with synthetic answers for the county's municipalities, and
the Tåget follow-up as a small survey to an open list of users. Idempotent.

Everything the demo answers is synthetic (a fixed seed, `synthetic.SEED`), and the rounds and
responses are marked so; pages and published figures say so.
"""

from __future__ import annotations

import random
from pathlib import Path

from django.db import transaction

from lagesbild.core.models import Area, AreaLevel

from . import services
from .loader import load_survey_file, size_groups
from .models import Response, ResponseState, Survey, SurveyRound
from .synthetic import SEED, synthetic_answers

SURVEY_FILES = [
    "kommunenkat-forebyggande.yaml",
    "preventionsindex.yaml",
    "taget-uppfoljning.yaml",
]
INDEX_ROUND = "Kommunenkät 2025 (syntetiska demodata)"
TAGET_ROUND = "Uppföljning av Tåget 2025 (syntetiska demodata)"
GROUP_LEVEL = {
    "Under 40 000 invånare": 0.40,
    "40 000–89 999 invånare": 0.55,
    "90 000 invånare eller fler": 0.70,
}
# The 2025 report (000, Mål 1, åtagande 1.2): 460 accounts, 22 % responded; of those 68 % have a
# formal decision, 66 % a plan, 57 % have started. 101 of 460 and 69, 67, 58 of 101 round to these.
TAGET = {"users": 460, "answered": 101, "formellt-beslut": 69, "plan": 67, "paborjat": 58}


def load(config_dir: Path, stdout) -> None:
    folder = Path(config_dir) / "surveys"
    if not folder.exists():
        return
    for name in SURVEY_FILES:
        if (folder / name).exists():
            load_survey_file(folder / name)
    county = Area.objects.filter(level=AreaLevel.COUNTY, code="01").first()
    survey = Survey.objects.filter(key="kommunenkat-forebyggande").first()
    if county is not None and survey is not None:
        _index_round(survey, county, size_groups(config_dir), stdout)
    taget = Survey.objects.filter(key="taget-uppfoljning").first()
    if taget is not None:
        _taget_round(taget, stdout)


@transaction.atomic
def _index_round(survey: Survey, county: Area, groups: dict[str, str], stdout) -> None:
    if SurveyRound.objects.filter(survey=survey, title=INDEX_ROUND).exists():
        stdout.write(f"Enkätomgången '{INDEX_ROUND}' finns redan.")
        return
    orgs = services.municipality_organisations(county=county)
    rnd = services.round_open(
        survey=survey,
        title=INDEX_ROUND,
        period="2025",
        area=county,
        invitees=[
            services.Invitee(
                organisation=o,
                email=f"samordnare@{o.key}.example.se",
                group=groups.get(o.area.code, ""),
            )
            for o in orgs
        ],
        synthetic=True,
        send=False,
    )
    rng = random.Random(SEED)
    spec = survey.spec
    respondents = list(rnd.respondents.select_related("organisation__area"))
    silent = set(rng.sample(range(len(respondents)), 3))  # non-response: 2 none, 1 draft
    draft = min(silent)
    for i, r in enumerate(respondents):
        level = GROUP_LEVEL.get(r.group, 0.5) + rng.uniform(-0.25, 0.25)
        level = max(0.05, min(0.95, level))
        if i in silent and i != draft:
            continue
        answers = synthetic_answers(spec, rng, level, complete=i != draft)
        services.response_save(respondent=r, answers=answers, submit=i != draft)
    Response.objects.filter(respondent__round=rnd).update(synthetic=True)
    services.round_close(round=rnd, user=None)
    for index in survey.indices.all():
        out = services.round_publish(round=rnd, index=index)
        stdout.write(
            f"Enkätomgång '{rnd.title}': {rnd.respondents.count()} kommuner, "
            f"{Response.objects.filter(respondent__round=rnd, state=ResponseState.SUBMITTED).count()}"
            f" svar; {out.created} nya indikatorvärden ({index.title})."
        )


@transaction.atomic
def _taget_round(survey: Survey, stdout) -> None:
    if SurveyRound.objects.filter(survey=survey, title=TAGET_ROUND).exists():
        stdout.write(f"Enkätomgången '{TAGET_ROUND}' finns redan.")
        return
    rnd = services.round_open(
        survey=survey,
        title=TAGET_ROUND,
        period="2025",
        invitees=[
            services.Invitee(email=f"anvandare-{n:03d}@taget.example.se")
            for n in range(1, TAGET["users"] + 1)
        ],
        synthetic=True,
        send=False,
    )
    rng = random.Random(SEED + 1)
    respondents = list(rnd.respondents.all())
    answering = rng.sample(respondents, TAGET["answered"])
    flags = {}
    for key in ("formellt-beslut", "plan", "paborjat"):
        yes = set(rng.sample(range(TAGET["answered"]), TAGET[key]))
        flags[key] = ["ja" if i in yes else "nej" for i in range(TAGET["answered"])]
    for i, r in enumerate(answering):
        answers = {key: flags[key][i] for key in flags}
        if answers["paborjat"] == "ja":
            answers["paborjat-pass"] = str(rng.randint(1, 12))
        answers["nytta"] = rng.randint(2, 5)
        if rng.random() < 0.1:
            answers["synpunkter"] = "Syntetiskt svar: bra material, men svårt att hitta tid."
        services.response_save(respondent=r, answers=answers, submit=True)
    Response.objects.filter(respondent__round=rnd).update(synthetic=True)
    services.round_close(round=rnd, user=None)
    SurveyRound.objects.filter(pk=rnd.pk).update(results_published=True)
    stdout.write(f"Enkätomgång '{rnd.title}': {TAGET['answered']} av {TAGET['users']} svarande.")
