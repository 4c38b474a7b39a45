"""Reading a survey form's POST data into answers, with Swedish messages per question.

The form is plain HTML generated from the survey definition (no JavaScript needed), so the
parsing is done here against the same definition rather than with a Django Form class per survey.
"""

from __future__ import annotations

from decimal import Decimal

from lagesbild.core.numbers import parse_decimal

MAX_TEXT = 5000


def answers_from_post(spec, data) -> tuple[dict[str, object], dict[str, str]]:
    """(answers, errors): errors maps a question key to what is wrong with its answer."""
    answers: dict[str, object] = {}
    errors: dict[str, str] = {}
    for q in spec.questions():
        name = f"q-{q.key}"
        if q.type == "multiple_choice":
            chosen = [v for v in data.getlist(name) if v]
            bad = [v for v in chosen if v not in q.option_keys()]
            if bad:
                errors[q.key] = "Ogiltigt svarsalternativ."
            elif chosen:
                answers[q.key] = [k for k in q.option_keys() if k in chosen]
            continue
        raw = (data.get(name) or "").strip()
        if not raw:
            continue
        if q.type in ("yes_no", "single_choice"):
            if raw not in q.option_keys():
                errors[q.key] = "Ogiltigt svarsalternativ."
            else:
                answers[q.key] = raw
        elif q.type == "scale":
            if raw not in q.option_keys():
                errors[q.key] = f"Välj ett värde från {q.scale_min} till {q.scale_max}."
            else:
                answers[q.key] = int(raw)
        elif q.type == "number":
            try:
                value = parse_decimal(raw)
            except (ValueError, ArithmeticError):
                errors[q.key] = "Skriv ett tal, till exempel 2 eller 1,5."
                continue
            if q.number_min is not None and value < Decimal(q.number_min):
                errors[q.key] = f"Talet får inte vara mindre än {q.number_min}."
            elif q.number_max is not None and value > Decimal(q.number_max):
                errors[q.key] = f"Talet får inte vara större än {q.number_max}."
            else:
                answers[q.key] = str(value)
        else:
            if len(raw) > MAX_TEXT:
                errors[q.key] = f"Svaret får vara högst {MAX_TEXT} tecken."
            else:
                answers[q.key] = raw
    return answers, errors


def parse_answer(question, raw: str):
    """One answer typed by the coordinator in a revision: same rules as the form."""

    class _One(dict):
        def getlist(self, key):
            value = self.get(key, "")
            return [v.strip() for v in value.split(",")] if value else []

    answers, errors = answers_from_post(
        type("S", (), {"questions": lambda self: [question]})(), _One({f"q-{question.key}": raw})
    )
    if errors:
        raise ValueError(errors[question.key])
    return answers.get(question.key)
