"""Reads for surveys: progress of a round, index results, distributions, question summaries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from lagesbild.core.models import Area

from . import scoring
from .models import CompositeIndex, Respondent, ResponseState, RoundState, SurveyRound


def rounds_published() -> QuerySet[SurveyRound]:
    return (
        SurveyRound.objects.filter(state=RoundState.CLOSED, results_published=True)
        .select_related("survey")
        .order_by("-closed_at")
    )


@dataclass
class Progress:
    invited: int
    submitted: int
    drafts: int
    not_started: list[Respondent]
    draft_list: list[Respondent]
    respondents: list[Respondent]

    @property
    def rate(self) -> Decimal | None:
        """Response rate in percent (submitted of invited)."""
        if not self.invited:
            return None
        return Decimal(self.submitted) * 100 / Decimal(self.invited)

    @property
    def non_response(self) -> list[Respondent]:
        return self.draft_list + self.not_started


def round_progress(*, round: SurveyRound) -> Progress:
    respondents = list(
        round.respondents.select_related("organisation", "organisation__area", "response")
    )
    submitted, drafts, not_started = [], [], []
    for r in respondents:
        response = getattr(r, "response", None) if _has_response(r) else None
        if response is not None and response.state == ResponseState.SUBMITTED:
            submitted.append(r)
        elif response is not None:
            drafts.append(r)
        else:
            not_started.append(r)
    return Progress(len(respondents), len(submitted), len(drafts), not_started, drafts, respondents)


def _has_response(respondent: Respondent) -> bool:
    try:
        respondent.response  # noqa: B018
    except Respondent.response.RelatedObjectDoesNotExist:
        return False
    return True


@dataclass
class UnitResult:
    respondent: Respondent
    label: str
    area: Area | None
    group: str
    answers: dict | None  # None: nothing submitted
    result: scoring.IndexResult | None


@dataclass
class RoundResults:
    round: SurveyRound
    index: CompositeIndex
    spec: object
    questions: dict
    units: list[UnitResult]
    invited: int
    submitted: int
    groups: list[str] = field(default_factory=list)

    def values(self, part: str = "total") -> list[Decimal | None]:
        out = []
        for u in self.units:
            if u.result is None:
                continue
            out.append(u.result.value if part == "total" else u.result.part(part).value)
        return out

    def distribution(self, part: str = "total") -> scoring.Distribution:
        return scoring.distribution(self.values(part))

    def by_group(self, part: str = "total") -> list[tuple[str, int, scoring.Distribution]]:
        """Per group: (group, invited, distribution); small groups come back suppressed."""
        out = []
        for g in self.groups:
            units = [u for u in self.units if u.group == g]
            vals = [
                (u.result.value if part == "total" else u.result.part(part).value)
                for u in units
                if u.result is not None
            ]
            out.append((g, len(units), scoring.distribution(vals)))
        return out

    def unit(self, code: str) -> UnitResult | None:
        for u in self.units:
            if u.area is not None and u.area.code == code:
                return u
        return None

    def ranked(self, part: str = "total") -> list[tuple[int | None, UnitResult]]:
        decimals = self.spec.decimals
        values = {
            str(u.respondent.pk): (
                None
                if u.result is None
                else (u.result.value if part == "total" else u.result.part(part).value)
            )
            for u in self.units
        }
        ranks = scoring.rank(values, decimals)
        rows = [(ranks.get(str(u.respondent.pk)), u) for u in self.units]
        rows.sort(key=lambda r: (r[0] is None, r[0] or 0, r[1].label))
        return rows

    def sensitivity(self) -> list[tuple[UnitResult, scoring.SensitivityRow]]:
        answered = {str(u.respondent.pk): u for u in self.units if u.answers is not None}
        rows = scoring.sensitivity(
            self.spec,
            self.questions,
            {k: u.answers for k, u in answered.items()},
            self.spec.decimals,
        )
        return [(answered[row.unit], row) for row in rows]


def round_index_results(*, round: SurveyRound, index: CompositeIndex) -> RoundResults:
    """Score every submitted response of the round with the index's own missing-answer rule."""
    spec = index.spec
    questions = {q.key: q for q in round.survey.spec.questions()}
    units = []
    submitted = 0
    respondents = round.respondents.select_related(
        "organisation", "organisation__area", "response"
    ).order_by("organisation__name", "email")
    for r in respondents:
        response = r.response if _has_response(r) else None
        label = r.label if r.organisation_id else f"Svarande {r.pk}"
        area = r.organisation.area if r.organisation_id else None
        if response is not None and response.state == ResponseState.SUBMITTED:
            submitted += 1
            result = scoring.compute_index(spec, questions, response.answers)
            units.append(UnitResult(r, label, area, r.group, dict(response.answers), result))
        else:
            units.append(UnitResult(r, label, area, r.group, None, None))
    groups = sorted({u.group for u in units if u.group}, key=_group_order)
    return RoundResults(round, index, spec, questions, units, len(units), submitted, groups)


def _group_order(label: str) -> tuple:
    """'Under 40 000' before '40 000–89 999' before '90 000 eller fler'."""
    import re

    match = re.search(r"\d[\d\s\u00a0]*", label)
    first = int(re.sub(r"\D", "", match.group())) if match else 0
    below = label.lower().startswith(("under", "mindre"))
    return (0 if below else 1, first, label)


@dataclass
class OptionCount:
    key: str
    label: str
    count: int
    share: Decimal | None  # percent of those who answered the question


@dataclass
class QuestionSummary:
    key: str
    text: str
    type: str
    answered: int
    options: list[OptionCount]
    suppressed: bool
    mean: Decimal | None = None


def question_summaries(*, round: SurveyRound) -> list[QuestionSummary]:
    """Aggregated answers per closed question (free text never included); n < 3 suppressed."""

    spec = round.survey.spec
    answers = [
        resp.answers for resp in _submitted_responses(round) if isinstance(resp.answers, dict)
    ]
    out = []
    for q in spec.questions():
        if q.type == "text":
            continue
        given = [a[q.key] for a in answers if not scoring.is_missing(a.get(q.key))]
        n = len(given)
        suppressed = n < scoring.MIN_RESPONDENTS
        options: list[OptionCount] = []
        mean = None
        if q.type in ("yes_no", "single_choice", "multiple_choice", "scale"):
            counts: Counter = Counter()
            for v in given:
                for item in v if isinstance(v, list) else [v]:
                    counts[str(item)] += 1
            if q.type == "yes_no":
                pairs = scoring.YES_NO_OPTIONS
            elif q.type == "scale":
                pairs = [(str(v), str(v)) for v in range(q.scale_min, q.scale_max + 1)]
            else:
                pairs = [(o.key, o.label) for o in q.options]
            for key, label in pairs:
                c = counts.get(key, 0)
                share = Decimal(c) * 100 / Decimal(n) if n and not suppressed else None
                options.append(OptionCount(key, label, c if not suppressed else 0, share))
        if q.type in ("scale", "number") and not suppressed and n:
            mean = sum((Decimal(str(v)) for v in given), Decimal(0)) / n
        out.append(QuestionSummary(q.key, q.text, q.type, n, options, suppressed, mean))
    return out


def _submitted_responses(round: SurveyRound):
    from .models import Response

    return Response.objects.filter(
        respondent__round=round, state=ResponseState.SUBMITTED
    ).select_related("respondent__organisation")


@dataclass
class FreeText:
    question: str
    respondent: str
    text: str


def free_text_answers(*, round: SurveyRound) -> list[FreeText]:
    """Free-text answers, for the coordinator only: never published."""
    spec = round.survey.spec
    texts = [q for q in spec.questions() if q.type == "text"]
    out = []
    for resp in _submitted_responses(round):
        for q in texts:
            value = resp.answers.get(q.key)
            if value:
                out.append(FreeText(q.text, resp.respondent.label, str(value)))
    return out
