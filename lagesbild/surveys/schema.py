"""The schema of survey and index files (docs/surveys.md), as pydantic models.

A survey file has a top-level `survey:`; an index file a top-level `index:`. Shape errors come
from pydantic and get line numbers from `lagesbild.core.yamlschema`; the cross-checks between
parts (unknown question, option that does not exist, condition on a later question) are done in
`loader.py`, with the line of the offending entry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .scoring import YES_NO_OPTIONS  # kept there: the views read it without pydantic

SLUG = r"^[a-z0-9][a-z0-9_-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


QuestionType = Literal["yes_no", "single_choice", "multiple_choice", "scale", "number", "text"]


class OptionSpec(Strict):
    key: str = Field(pattern=SLUG)
    label: str = Field(min_length=1)


class ConditionSpec(Strict):
    """Show (and ask for) the question only when an earlier question has one of these answers."""

    question: str = Field(pattern=SLUG)
    equals: list[str] = Field(min_length=1)


class QuestionSpec(Strict):
    key: str = Field(pattern=SLUG)
    text: str = Field(min_length=1)
    type: QuestionType
    help: str = ""
    required: bool = True
    options: list[OptionSpec] = []
    scale_min: int | None = None
    scale_max: int | None = None
    scale_min_label: str = ""
    scale_max_label: str = ""
    number_min: Decimal | None = None
    number_max: Decimal | None = None
    unit: str = ""
    show_if: ConditionSpec | None = None

    @model_validator(mode="after")
    def _check_type(self):
        if self.type in ("single_choice", "multiple_choice"):
            if len(self.options) < 2:
                raise ValueError("en flervalsfråga behöver minst två svarsalternativ (options)")
        elif self.options:
            raise ValueError(f"svarsalternativ (options) passar inte frågetypen {self.type}")
        if self.type == "scale":
            if self.scale_min is None or self.scale_max is None:
                raise ValueError("en skalfråga behöver scale_min och scale_max")
            if self.scale_max <= self.scale_min:
                raise ValueError("scale_max ska vara större än scale_min")
        elif self.scale_min is not None or self.scale_max is not None:
            raise ValueError(f"scale_min/scale_max passar inte frågetypen {self.type}")
        keys = [o.key for o in self.options]
        if len(set(keys)) != len(keys):
            raise ValueError("två svarsalternativ har samma nyckel")
        return self

    def option_keys(self) -> list[str]:
        if self.type == "yes_no":
            return [k for k, _label in YES_NO_OPTIONS]
        if self.type == "scale":
            return [str(v) for v in range(self.scale_min, self.scale_max + 1)]
        return [o.key for o in self.options]


class SectionSpec(Strict):
    key: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    help: str = ""
    questions: list[QuestionSpec] = Field(min_length=1)


class SurveySpec(Strict):
    key: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    version: int = 1
    description: str = ""
    respondent: Literal["organisation", "person"] = "organisation"
    sections: list[SectionSpec] = Field(min_length=1)

    def questions(self) -> list[QuestionSpec]:
        return [q for s in self.sections for q in s.questions]


class SurveyFile(Strict):
    survey: SurveySpec


# --- composite index ------------------------------------------------------------------------

MissingRule = Literal["drop", "zero", "reweight"]
Weight = Field(default=Decimal(1), gt=0)


class ItemSpec(Strict):
    """A question's contribution to an indicator: a score 0–1 per answer."""

    question: str = Field(pattern=SLUG)
    weight: Decimal = Weight
    scores: dict[str, Decimal] = {}  # option key → score 0–1 (yes_no, single and multiple)
    scale: bool = False  # scale question: (answer − min) / (max − min)
    if_not_asked: Decimal = Field(default=Decimal(0), ge=0, le=1)  # condition not met

    @model_validator(mode="after")
    def _check(self):
        if self.scale and self.scores:
            raise ValueError("ange antingen scores eller scale: true, inte båda")
        if not self.scale and not self.scores:
            raise ValueError("ange poäng per svar (scores) eller scale: true")
        for key, score in self.scores.items():
            if not Decimal(0) <= score <= Decimal(1):
                raise ValueError(f"poängen för '{key}' ska ligga mellan 0 och 1")
        return self


class IndicatorPartSpec(Strict):
    key: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    weight: Decimal = Weight
    catalogue_indicator: str = ""  # indicator code the indicator's results are published to
    items: list[ItemSpec] = Field(min_length=1)


class CategorySpec(Strict):
    key: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    weight: Decimal = Weight
    catalogue_indicator: str = ""  # indicator code the category's results are published to
    indicators: list[IndicatorPartSpec] = Field(min_length=1)


class ReferenceSpec(Strict):
    """A published comparison value, e.g. the national average from another report."""

    part: str = Field(min_length=1)  # "total" or a category or indicator key
    area: str = Field(min_length=1)
    period: str = Field(min_length=4)
    value: Decimal
    source_ref: str = Field(min_length=1)
    note: str = ""


class IndexSpec(Strict):
    key: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    survey: str = Field(pattern=SLUG)
    description: str = ""
    missing_rule: MissingRule = "reweight"
    catalogue_indicator: str = ""
    decimals: int = Field(default=0, ge=0, le=2)
    categories: list[CategorySpec] = Field(min_length=1)
    references: list[ReferenceSpec] = []


class IndexFile(Strict):
    index: IndexSpec


class SizeGroupSpec(Strict):
    label: str = Field(min_length=1)
    municipalities: list[str] = Field(min_length=1)


class SizeGroupsFile(Strict):
    source: str = Field(min_length=1)
    groups: list[SizeGroupSpec] = Field(min_length=1)
