"""Deterministic synthetic answers for demonstrations (never real data).

`synthetic_answers(spec, rng, level)` answers every question of a survey definition the way a
respondent with the given "capacity" level (0–1) plausibly would: a higher level gives more
"ja" and higher scale values. The generator uses only the `random.Random` passed in, so a fixed
seed always gives the same answers. Rounds filled this way are marked `synthetic`.
"""

from __future__ import annotations

import random

from . import scoring

SEED = 2025
OPTIONAL_SKIP = 0.15  # share of optional questions left unanswered (gives missing answers)
COMMENTS = [
    "Syntetiskt svar: arbetet har fått ny fart efter att handlingsplanen antogs.",
    "Syntetiskt svar: samordnaren arbetar på deltid och hinner inte med det förebyggande arbetet.",
    "Syntetiskt svar: vi önskar mer metodstöd från länsstyrelsen.",
]


def _pick_graded(options: list[str], level: float, rng: random.Random) -> str:
    """Options are listed best first; a higher level makes the better ones likelier."""
    if len(options) == 1:
        return options[0]
    r = rng.random()
    if r < level * 0.85:
        return options[0]
    if r < level * 0.85 + 0.35 and len(options) > 2:
        return options[1]
    return options[-1]


def synthetic_answers(
    spec, rng: random.Random, level: float, *, complete: bool = True
) -> dict[str, object]:
    """Answers to every asked question; with complete=False only the first half of them."""
    answers: dict[str, object] = {}
    questions = spec.questions()
    limit = len(questions) if complete else len(questions) // 2
    for q in questions[:limit]:
        if not scoring.is_asked(q, answers):
            continue
        if not q.required and q.type != "text" and rng.random() < OPTIONAL_SKIP:
            continue
        if q.type == "yes_no":
            answers[q.key] = "ja" if rng.random() < level else "nej"
        elif q.type == "single_choice":
            answers[q.key] = _pick_graded(q.option_keys(), level, rng)
        elif q.type == "multiple_choice":
            keys = q.option_keys()
            none_option = next((k for k in keys if k in ("inget", "inget-av-detta")), None)
            chosen = [k for k in keys if k != none_option and rng.random() < level]
            if not chosen:
                chosen = [none_option] if none_option else [keys[0]]
            answers[q.key] = chosen
        elif q.type == "scale":
            span = q.scale_max - q.scale_min
            value = q.scale_min + round(span * level + rng.uniform(-1, 1))
            answers[q.key] = max(q.scale_min, min(q.scale_max, value))
        elif q.type == "number":
            lo = int(q.number_min) if q.number_min is not None else 0
            hi = int(q.number_max) if q.number_max is not None else 10
            if hi - lo > 100:  # a year
                answers[q.key] = str(rng.randint(max(lo, 2015), min(hi, 2024)))
            else:
                answers[q.key] = str(rng.randint(lo, min(hi, lo + 5)))
        elif q.type == "text":
            if rng.random() < 0.3:
                answers[q.key] = rng.choice(COMMENTS)
    return answers
