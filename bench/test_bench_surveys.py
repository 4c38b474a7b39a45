"""Benchmark: scoring the prevention index for all 290 municipalities under every missing-answer
rule (the sensitivity view at national scale), pure functions, no database."""

import random
from pathlib import Path

import yaml

from lagesbild.surveys import scoring
from lagesbild.surveys.schema import IndexFile, SurveyFile
from lagesbild.surveys.synthetic import SEED, synthetic_answers

DIR = Path(__file__).resolve().parents[1] / "data" / "stockholm" / "surveys"


def _load():
    survey = SurveyFile.model_validate(
        yaml.safe_load((DIR / "kommunenkat-forebyggande.yaml").read_text("utf-8"))
    ).survey
    index = IndexFile.model_validate(
        yaml.safe_load((DIR / "preventionsindex.yaml").read_text("utf-8"))
    ).index
    rng = random.Random(SEED)
    answers = {
        f"k{i:03d}": synthetic_answers(survey, rng, rng.uniform(0.1, 0.9)) for i in range(290)
    }
    return survey, index, answers


def test_sensitivity_290_municipalities(benchmark):
    survey, index, answers = _load()
    questions = {q.key: q for q in survey.questions()}
    rows = benchmark(scoring.sensitivity, index, questions, answers, 0)
    assert len(rows) == 290


def test_distribution_290(benchmark):
    survey, index, answers = _load()
    questions = {q.key: q for q in survey.questions()}
    values = [scoring.compute_index(index, questions, a).value for a in answers.values()]
    d = benchmark(scoring.distribution, values)
    assert d.n == 290
