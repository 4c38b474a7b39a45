"""The schema of a county's configuration files (docs/data-format.md), as pydantic models.

Optional fields follow one rule when a row already exists: a field that is absent from the file
leaves the stored value unchanged ("absent = unchanged"); only a field that is written, even as
an empty value, changes it. The loader reads `model_fields_set` for this.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


NonEmpty = Field(min_length=1)


class OrganisationSpec(Strict):
    key: str = NonEmpty
    name: str = NonEmpty
    short_name: str = ""
    kind: Literal[
        "state_agency",
        "region",
        "municipality",
        "municipal_association",
        "municipalities_collective",
        "cooperation_platform",
        "civil_society",
    ]
    aliases: list[str] = []
    area: str | None = None


class OrganisationsFile(Strict):
    organisations: list[OrganisationSpec]


class StrategySpec(Strict):
    key: str = NonEmpty
    title: str = NonEmpty
    period_start: int
    period_end: int
    owner: str = NonEmpty
    area: str = NonEmpty


class ViolenceTypeSpec(Strict):
    key: str = NonEmpty
    name: str = NonEmpty
    name_en: str = ""


class GoalSpec(Strict):
    number: int
    short_name: str = NonEmpty
    short_name_en: str = ""
    formulation: str = NonEmpty
    formulation_en: str = ""
    conditions: list[str] = []


class StrategyFile(Strict):
    strategy: StrategySpec
    violence_types: list[ViolenceTypeSpec]
    goals: list[GoalSpec]


class PlanSpec(Strict):
    key: str = NonEmpty
    title: str = NonEmpty
    strategy: str = NonEmpty
    period_start: int
    period_end: int
    owner: str = NonEmpty
    series_first_year: int | None = None


class DevelopmentAreaSpec(Strict):
    goal: int
    text: str = NonEmpty


class MeasureSpec(Strict):
    code: str = Field(pattern=r"^\d+\.\d+$")
    goal: int
    text: str = NonEmpty
    text_en: str = ""
    responsible_text: str = NonEmpty
    responsible: list[str] = Field(min_length=1)
    follow_up: str = NonEmpty
    frequency: Literal["annual", "end_of_plan"]
    note: str = ""


class PlanFile(Strict):
    plan: PlanSpec
    development_areas: list[DevelopmentAreaSpec] = []
    measures: list[MeasureSpec]


class IndicatorSpec(Strict):
    code: str = NonEmpty
    name: str = NonEmpty
    name_en: str = ""
    short_name: str = ""
    short_name_en: str = ""
    definition: str = ""
    definition_en: str = ""
    goal: int | list[int]
    kind: Literal["strategy", "measure"]
    violence_type: str | None = None
    measures: list[str] = []
    unit: Literal["percent", "count", "mean_0_10", "rate_per_100k", "index_0_100"]
    decimals: int = Field(default=0, ge=0, le=6)
    direction: Literal["up", "down", "none"] = "none"
    source: str = NonEmpty
    area_level: Literal[
        "country", "county", "municipality", "district", "police_region", "prosecution_area"
    ]
    breakdowns: list[str] = []
    status: Literal["active", "retired"] = "active"
    retired_year: int | None = None
    retired_reason: str = ""
    last_data_year: int | None = None
    small_number_threshold: int | None = Field(default=None, ge=1)
    report_ref: str = ""
    source_codes: dict[str, list[str] | str] = {}
    notes: str = ""
    # who may read the notes: "public" (the report, the pages) or "internal" (coordinators)
    notes_audience: Literal["public", "internal"] = "public"
    replaces: str | None = None

    @property
    def goals(self) -> list[int]:
        return self.goal if isinstance(self.goal, list) else [self.goal]


class LabelValueSpec(Strict):
    key: str = NonEmpty
    label: str = NonEmpty
    label_en: str = ""


class DimensionSpec(Strict):
    key: str = NonEmpty
    label: str = NonEmpty
    label_en: str = ""
    values: list[LabelValueSpec] = []


class LabelsFile(Strict):
    dimensions: list[DimensionSpec]


class IndicatorsFile(Strict):
    plan: str | None = None
    indicators: list[IndicatorSpec]
