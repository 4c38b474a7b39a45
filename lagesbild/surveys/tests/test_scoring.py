"""Scoring and rescaling on hand-computed examples, with every missing-answer rule (no database)."""

from decimal import Decimal as D

import pytest

from lagesbild.surveys import scoring
from lagesbild.surveys.schema import IndexSpec, SurveySpec

SURVEY = SurveySpec.model_validate(
    {
        "key": "s",
        "title": "S",
        "sections": [
            {
                "key": "a",
                "title": "A",
                "questions": [
                    {"key": "q1", "text": "Q1", "type": "yes_no"},
                    {
                        "key": "q2",
                        "text": "Q2",
                        "type": "single_choice",
                        "options": [
                            {"key": "ja", "label": "Ja"},
                            {"key": "delvis", "label": "Delvis"},
                            {"key": "nej", "label": "Nej"},
                        ],
                    },
                    {
                        "key": "q3",
                        "text": "Q3",
                        "type": "multiple_choice",
                        "show_if": {"question": "q1", "equals": ["ja"]},
                        "options": [
                            {"key": "x", "label": "X"},
                            {"key": "y", "label": "Y"},
                            {"key": "z", "label": "Z"},
                        ],
                    },
                    {"key": "q4", "text": "Q4", "type": "scale", "scale_min": 1, "scale_max": 5},
                ],
            }
        ],
    }
)
QUESTIONS = {q.key: q for q in SURVEY.questions()}


def index(rule="reweight", *, w_cat_b=1):
    return IndexSpec.model_validate(
        {
            "key": "i",
            "title": "I",
            "survey": "s",
            "missing_rule": rule,
            "categories": [
                {
                    "key": "a",
                    "title": "A",
                    "indicators": [
                        {
                            "key": "a1",
                            "title": "A1",
                            "items": [
                                {"question": "q1", "scores": {"ja": 1, "nej": 0}},
                                {
                                    "question": "q2",
                                    "weight": 3,
                                    "scores": {"ja": 1, "delvis": 0.5, "nej": 0},
                                },
                            ],
                        },
                        {
                            "key": "a2",
                            "title": "A2",
                            "items": [
                                {"question": "q3", "scores": {"x": 0.5, "y": 0.5, "z": 0.5}},
                            ],
                        },
                    ],
                },
                {
                    "key": "b",
                    "title": "B",
                    "weight": w_cat_b,
                    "indicators": [
                        {"key": "b1", "title": "B1", "items": [{"question": "q4", "scale": True}]}
                    ],
                },
            ],
        }
    )


def test_complete_answers_hand_computed():
    # q1 ja → 1; q2 delvis → 0.5 (weight 3): A1 = (1·1 + 0.5·3) / 4 · 100 = 62.5
    # q3 [x, y, z] → 1.5 capped at 1: A2 = 100;  A = (62.5 + 100) / 2 = 81.25
    # q4 = 4 on 1–5 → (4 − 1) / 4 = 0.75: B1 = B = 75;  index = (81.25 + 75) / 2 = 78.125
    answers = {"q1": "ja", "q2": "delvis", "q3": ["x", "y", "z"], "q4": 4}
    for rule in scoring.RULES:  # nothing missing: every rule gives the same
        r = scoring.compute_index(index(rule), QUESTIONS, answers)
        assert r.part("a1").value == D("62.5")
        assert r.part("a2").value == D("100")
        assert r.part("a").value == D("81.25")
        assert r.part("b").value == D("75")
        assert r.value == D("78.125")
        assert r.rule == rule


def test_category_weights():
    answers = {"q1": "ja", "q2": "delvis", "q3": ["x"], "q4": 4}
    # A2 = 50; A = (62.5 + 50)/2 = 56.25; B = 75; with weight B = 3: (56.25 + 3·75)/4 = 70.3125
    r = scoring.compute_index(index(w_cat_b=3), QUESTIONS, answers)
    assert r.part("a").value == D("56.25")
    assert r.value == D("70.3125")


MISSING_Q2 = {"q1": "ja", "q3": ["x"], "q4": 4}  # q2 unanswered


def test_missing_drop():
    r = scoring.compute_index(index("drop"), QUESTIONS, MISSING_Q2)
    assert r.part("a1").value is None  # the part with the missing answer
    assert r.part("a").value is None  # and the parts above it
    assert r.value is None
    assert r.part("a2").value == D("50")  # untouched parts keep their value
    assert r.part("b").value == D("75")
    assert r.missing_questions == ["q2"]


def test_missing_zero():
    # q2 scores 0: A1 = (1·1 + 0·3)/4 = 25; A = (25 + 50)/2 = 37.5; index = (37.5 + 75)/2 = 56.25
    r = scoring.compute_index(index("zero"), QUESTIONS, MISSING_Q2)
    assert r.part("a1").value == D("25")
    assert r.part("a").value == D("37.5")
    assert r.value == D("56.25")


def test_missing_reweight():
    # q2 left out, q1's weight becomes the whole: A1 = 100; A = (100 + 50)/2 = 75;
    # index = (75 + 75)/2 = 75
    r = scoring.compute_index(index("reweight"), QUESTIONS, MISSING_Q2)
    assert r.part("a1").value == D("100")
    assert r.part("a").value == D("75")
    assert r.value == D("75")


def test_whole_part_missing_is_reweighted_one_level_up():
    answers = {"q1": "ja", "q2": "ja", "q3": ["x", "y"]}  # q4 (the only question in B) missing
    # A1 = 100, A2 = 100 → A = 100; B has no answer
    assert scoring.compute_index(index("reweight"), QUESTIONS, answers).value == D("100")
    assert scoring.compute_index(index("zero"), QUESTIONS, answers).value == D("50")
    assert scoring.compute_index(index("drop"), QUESTIONS, answers).value is None


def test_question_not_asked_is_not_missing():
    # q1 nej: q3 is not asked, scores if_not_asked = 0 under every rule, and is not "missing"
    answers = {"q1": "nej", "q2": "ja", "q4": 1}
    for rule in scoring.RULES:
        r = scoring.compute_index(index(rule), QUESTIONS, answers)
        # A1 = (0 + 3)/4 = 75; A2 = 0; A = 37.5; B = 0 → 18.75
        assert r.value == D("18.75"), rule
        assert r.missing_questions == []


def test_score_item_rejects_unknown_answers():
    spec = index()
    item = spec.categories[0].indicators[0].items[1]
    with pytest.raises(ValueError, match="finns inte"):
        scoring.score_item(item, QUESTIONS["q2"], "kanske")
    scale_item = spec.categories[1].indicators[0].items[0]
    with pytest.raises(ValueError, match="utanför"):
        scoring.score_item(scale_item, QUESTIONS["q4"], 9)


def test_combine_unknown_rule():
    with pytest.raises(ValueError):
        scoring.combine([(D(1), D(1))], "medel")


def test_rank_competition_and_rounding():
    values = {"a": D("70.4"), "b": D("69.6"), "c": D("50"), "d": None}
    assert scoring.rank(values) == {"a": 1, "b": 2, "c": 3}
    # as published with 0 decimals both show 70 and share first place
    assert scoring.rank(values, 0) == {"a": 1, "b": 1, "c": 3}


def test_sensitivity_rows_show_rank_changes():
    answers = {
        "full": {"q1": "ja", "q2": "delvis", "q3": ["x"], "q4": 3},  # 62.5,50→56.25; B 50 → 53.125
        "gap": MISSING_Q2,  # drop: none; zero: 56.25; reweight: 75
    }
    rows = {r.unit: r for r in scoring.sensitivity(index(), QUESTIONS, answers)}
    assert rows["full"].values["zero"] == D("53.125")
    assert rows["gap"].values == {"drop": None, "zero": D("56.25"), "reweight": D("75")}
    assert rows["gap"].ranks == {"drop": None, "zero": 1, "reweight": 1}
    assert rows["full"].ranks == {"drop": 1, "zero": 2, "reweight": 2}
    assert rows["full"].rank_range == 1
    assert rows["gap"].missing_questions == 1


def test_distribution_and_suppression():
    d = scoring.distribution([D(10), D(20), D(30), D(40), None])
    assert (d.n, d.mean, d.q1, d.median, d.q3) == (4, D(25), D("17.5"), D(25), D("32.5"))
    assert (d.minimum, d.maximum) == (D(10), D(40))
    assert not d.suppressed
    small = scoring.distribution([D(10), D(90), None])
    assert small.n == 2 and small.suppressed
    assert small.median is None and small.mean is None and small.maximum is None
