"""The demo: the prevention-index round for the 26 municipalities and the Tåget follow-up."""

import random
from decimal import Decimal as D
from io import StringIO

from lagesbild.core.numbers import format_percent
from lagesbild.indicators.models import Observation
from lagesbild.surveys import demo, selectors
from lagesbild.surveys.models import Response, ResponseState, Survey, SurveyRound
from lagesbild.surveys.synthetic import SEED, synthetic_answers


def test_generator_is_deterministic(survey):
    spec = survey.spec
    a = synthetic_answers(spec, random.Random(SEED), 0.5)
    b = synthetic_answers(spec, random.Random(SEED), 0.5)
    assert a == b and a["styrdokument"] in ("ja", "delvis", "nej")
    half = synthetic_answers(spec, random.Random(SEED), 0.5, complete=False)
    assert len(half) < len(a)


def test_demo_rounds(stockholm, client):
    demo.load(stockholm, StringIO())
    rnd = SurveyRound.objects.get(title=demo.INDEX_ROUND)
    assert rnd.synthetic and not rnd.is_open and rnd.results_published
    progress = selectors.round_progress(round=rnd)
    assert (progress.invited, progress.submitted, progress.drafts) == (26, 23, 1)
    assert Response.objects.filter(respondent__round=rnd, synthetic=False).count() == 0
    groups = {r.group for r in rnd.respondents.all()}
    assert len(groups) == 3
    obs = Observation.objects.filter(indicator__code="E1.1", period="2025")
    assert obs.count() == 26 + 4
    assert all(o.breakdown.get("data") == "syntetiska" for o in obs)
    assert all(o.import_run.origin == rnd for o in obs)

    taget = SurveyRound.objects.get(title=demo.TAGET_ROUND)
    p = selectors.round_progress(round=taget)
    assert (p.invited, p.submitted) == (460, 101)
    assert format_percent(p.rate) == "22 procent"
    summaries = {s.key: s for s in selectors.question_summaries(round=taget)}
    shares = {k: summaries[k].options[0].share for k in ("formellt-beslut", "plan", "paborjat")}
    assert {k: format_percent(v) for k, v in shares.items()} == {
        "formellt-beslut": "68 procent",
        "plan": "66 procent",
        "paborjat": "57 procent",
    }
    assert shares["formellt-beslut"] == D(69) * 100 / D(101)
    page = client.get(f"/enkat/resultat/{taget.pk}/").content.decode()
    assert "101 av 460" in page and "Syntetiska testdata" in page
    assert "bra material" not in page  # free text stays with the coordinator

    # idempotent
    demo.load(stockholm, StringIO())
    assert SurveyRound.objects.count() == 2 and Survey.objects.count() == 2
    assert Observation.objects.filter(indicator__code="E1.1", period="2025").count() == 30
    assert Response.objects.filter(state=ResponseState.SUBMITTED).count() == 23 + 101
