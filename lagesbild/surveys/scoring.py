"""Composite index scoring: pure functions, no Django, no database (docs/surveys.md).

An answer scores 0–1 (`score_item`); an indicator is the weighted mean of its questions' scores
times 100; a category the weighted mean of its indicators; the index the weighted mean of its
categories. Every level is therefore on the scale 0–100. Arithmetic is exact `Decimal`;
rounding happens only when a figure is shown or published.

Missing answers (no answer to a question that was asked) are handled by one of three rules:

* ``drop`` – a part with a missing answer gets no value, nor do the parts above it: the
  respondent has no total and is left out of rankings and distributions.
* ``zero`` – a missing answer scores 0, as if the answer were the lowest one.
* ``reweight`` – a missing answer is left out and the other weights in the same part are scaled
  up to sum to one; a part without any answer is missing and reweighted one level up.

A question that was not asked because its condition (`show_if`) was not met is not missing: it
scores the item's `if_not_asked` (default 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the pydantic models are not needed to score
    from .schema import IndexSpec, ItemSpec, QuestionSpec

RULES = ("drop", "zero", "reweight")
YES_NO_OPTIONS = [("ja", "Ja"), ("nej", "Nej")]  # a yes/no question's answers
HUNDRED = Decimal(100)


def _ctx():
    return localcontext(prec=28)


def is_missing(answer) -> bool:
    return answer is None or answer == "" or answer == []


def is_asked(question: QuestionSpec, answers: Mapping[str, object]) -> bool:
    """A question with `show_if` is asked only when the earlier answer is one of `equals`."""
    cond = question.show_if
    if cond is None:
        return True
    given = answers.get(cond.question)
    if isinstance(given, list):
        return any(str(v) in cond.equals for v in given)
    return given is not None and str(given) in cond.equals


def score_item(item: ItemSpec, question: QuestionSpec, answer) -> Decimal | None:
    """The answer's score 0–1, or None when the answer is missing.

    yes/no and single choice: `scores[answer]` (an option without a score scores 0);
    multiple choice: the sum of the chosen options' scores, at most 1;
    scale: (answer − scale_min) / (scale_max − scale_min).
    """
    if is_missing(answer):
        return None
    with _ctx():
        if item.scale:
            value = Decimal(str(answer))
            lo, hi = Decimal(question.scale_min), Decimal(question.scale_max)
            if not lo <= value <= hi:
                raise ValueError(f"svaret {answer} på {question.key} ligger utanför skalan")
            return (value - lo) / (hi - lo)
        valid = set(question.option_keys())
        chosen = answer if isinstance(answer, list) else [answer]
        for key in chosen:
            if str(key) not in valid:
                raise ValueError(
                    f"svaret '{key}' finns inte bland alternativen till {question.key}"
                )
        total = sum((item.scores.get(str(k), Decimal(0)) for k in chosen), Decimal(0))
        return min(total, Decimal(1))


def combine(parts: Iterable[tuple[Decimal | None, Decimal]], rule: str) -> Decimal | None:
    """Weighted mean of (value, weight) pairs under a missing-answer rule; None = no value."""
    if rule not in RULES:
        raise ValueError(f"okänd regel för saknade svar: {rule}")
    pairs = list(parts)
    with _ctx():
        if rule == "drop":
            if any(v is None for v, _w in pairs):
                return None
        elif rule == "zero":
            pairs = [(Decimal(0) if v is None else v, w) for v, w in pairs]
        else:
            pairs = [(v, w) for v, w in pairs if v is not None]
        if not pairs:
            return None
        weight = sum((w for _v, w in pairs), Decimal(0))
        return sum((v * w for v, w in pairs), Decimal(0)) / weight


@dataclass(frozen=True)
class ItemResult:
    question: str
    text: str
    weight: Decimal
    answer: object
    asked: bool
    score: Decimal | None  # 0–100, None when missing

    @property
    def missing(self) -> bool:
        return self.asked and self.score is None


@dataclass(frozen=True)
class PartResult:
    key: str
    title: str
    weight: Decimal
    value: Decimal | None  # 0–100
    children: tuple = ()

    @property
    def missing_questions(self) -> list[str]:
        out: list[str] = []
        for child in self.children:
            if isinstance(child, ItemResult):
                if child.missing:
                    out.append(child.question)
            else:
                out.extend(child.missing_questions)
        return out


@dataclass(frozen=True)
class IndexResult:
    key: str
    title: str
    rule: str
    value: Decimal | None
    categories: tuple[PartResult, ...] = field(default_factory=tuple)

    @property
    def missing_questions(self) -> list[str]:
        return [q for c in self.categories for q in c.missing_questions]

    def part(self, key: str) -> PartResult | None:
        """A category or an indicator by its key."""
        for c in self.categories:
            if c.key == key:
                return c
            for i in c.children:
                if i.key == key:
                    return i
        return None


def compute_index(
    spec: IndexSpec,
    questions: Mapping[str, QuestionSpec],
    answers: Mapping[str, object],
    rule: str | None = None,
) -> IndexResult:
    """Score one respondent's answers: index → categories → indicators → answers."""
    rule = rule or spec.missing_rule
    categories = []
    for cat in spec.categories:
        indicators = []
        for ind in cat.indicators:
            items = []
            for item in ind.items:
                question = questions[item.question]
                asked = is_asked(question, answers)
                answer = answers.get(item.question)
                if not asked:
                    score = item.if_not_asked
                else:
                    score = score_item(item, question, answer)
                items.append(
                    ItemResult(
                        question=item.question,
                        text=question.text,
                        weight=item.weight,
                        answer=answer if asked else None,
                        asked=asked,
                        score=None if score is None else score * HUNDRED,
                    )
                )
            value = combine(((i.score, i.weight) for i in items), rule)
            indicators.append(PartResult(ind.key, ind.title, ind.weight, value, tuple(items)))
        value = combine(((i.value, i.weight) for i in indicators), rule)
        categories.append(PartResult(cat.key, cat.title, cat.weight, value, tuple(indicators)))
    total = combine(((c.value, c.weight) for c in categories), rule)
    return IndexResult(spec.key, spec.title, rule, total, tuple(categories))


def rank(values: Mapping[str, Decimal | None], decimals: int | None = None) -> dict[str, int]:
    """Competition ranking, highest first (1, 2, 2, 4); respondents without a value are unranked.

    With `decimals`, values are compared as published (rounded half up), so that two
    municipalities shown with the same figure share a rank.
    """
    from lagesbild.core.numbers import round_half_up

    def shown(v: Decimal) -> Decimal:
        return round_half_up(v, decimals) if decimals is not None else v

    present = {k: shown(v) for k, v in values.items() if v is not None}
    ordered = sorted(present.values(), reverse=True)
    return {k: ordered.index(v) + 1 for k, v in present.items()}


@dataclass(frozen=True)
class SensitivityRow:
    unit: str
    values: dict[str, Decimal | None]  # rule → index value
    ranks: dict[str, int | None]  # rule → rank
    missing_questions: int

    @property
    def rank_range(self) -> int | None:
        ranks = [r for r in self.ranks.values() if r is not None]
        return (max(ranks) - min(ranks)) if len(ranks) > 1 else None


def sensitivity(
    spec: IndexSpec,
    questions: Mapping[str, QuestionSpec],
    answers_by_unit: Mapping[str, Mapping[str, object]],
    decimals: int | None = None,
) -> list[SensitivityRow]:
    """Each respondent's index and rank under every missing-answer rule."""
    values: dict[str, dict[str, Decimal | None]] = {r: {} for r in RULES}
    missing: dict[str, int] = {}
    for unit, answers in answers_by_unit.items():
        for r in RULES:
            result = compute_index(spec, questions, answers, r)
            values[r][unit] = result.value
            missing[unit] = len(result.missing_questions)
    ranks = {r: rank(values[r], decimals) for r in RULES}
    rows = [
        SensitivityRow(
            unit,
            {r: values[r][unit] for r in RULES},
            {r: ranks[r].get(unit) for r in RULES},
            missing[unit],
        )
        for unit in answers_by_unit
    ]
    default = spec.missing_rule
    rows.sort(key=lambda row: (row.ranks[default] is None, row.ranks[default] or 0, row.unit))
    return rows


MIN_RESPONDENTS = 3  # a published breakdown with fewer respondents is suppressed


@dataclass(frozen=True)
class Distribution:
    """Mean, quartiles and range of a set of index values; suppressed below MIN_RESPONDENTS."""

    n: int
    mean: Decimal | None = None
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @property
    def suppressed(self) -> bool:
        return self.median is None


def distribution(values: Iterable[Decimal | None], minimum: int = MIN_RESPONDENTS) -> Distribution:
    """Mean and quartiles (inclusive method, `indicators.stats.quartiles`) of the values present.

    With fewer than `minimum` values only the count is returned: nothing that could reveal a
    single respondent's answers.
    """
    from lagesbild.indicators.stats import quartiles

    xs = [v for v in values if v is not None]
    if len(xs) < minimum:
        return Distribution(len(xs))
    q = quartiles(xs)
    with _ctx():
        mean = sum(xs, Decimal(0)) / len(xs)
    return Distribution(len(xs), mean, q.q1, q.median, q.q3, min(xs), max(xs))
