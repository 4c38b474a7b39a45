"""A small builder: goal → indicator → observations in one call, for tests."""

from __future__ import annotations

from decimal import Decimal

from lagesbild.core.models import Area, Organisation
from lagesbild.indicators.models import ImportKind, ImportRun, Indicator, IndicatorMembership
from lagesbild.indicators.services import ObservationInput, observation_upsert
from lagesbild.strategy.models import ActionPlan, Goal, Measure, Strategy, measure_sort_key


class Builder:
    def __init__(self):
        self.country, _ = Area.objects.get_or_create(
            code="00", defaults={"name": "Riket", "level": "country"}
        )
        self.county, _ = Area.objects.get_or_create(
            code="01",
            defaults={"name": "Stockholms län", "level": "county", "parent": self.country},
        )
        owner, _ = Organisation.objects.get_or_create(
            key="lansstyrelsen",
            defaults={"name": "Länsstyrelsen Stockholm", "kind": "state_agency"},
        )
        self.strategy, _ = Strategy.objects.get_or_create(
            key="test-strategi",
            defaults={
                "title": "Teststrategi 2020–2026",
                "period_start": 2020,
                "period_end": 2026,
                "owner": owner,
                "area": self.county,
            },
        )
        self.run = ImportRun.objects.create(kind=ImportKind.MANUAL, source="test")
        # the plan indicators are placed in when a test has not made one (claimed, i.e. given
        # the key and period, by the test's first own plan of the strategy's owner)
        self._auto_plan: ActionPlan | None = None

    def goal(self, number: int = 1, short_name: str = "Förebygga våld") -> Goal:
        goal, _ = Goal.objects.get_or_create(
            strategy=self.strategy,
            number=number,
            defaults={"short_name": short_name, "formulation": f"Formulering för mål {number}"},
        )
        return goal

    def organisation(self, key: str, name: str, kind: str = "state_agency") -> Organisation:
        return Organisation.objects.get_or_create(key=key, defaults={"name": name, "kind": kind})[0]

    def plan(
        self,
        key: str = "testplan",
        *,
        title: str = "Testplan 2024–2027",
        owner: Organisation | None = None,
        period: tuple[int, int] = (2024, 2027),
    ) -> ActionPlan:
        """An action plan against the builder's strategy, by default adopted by its owner.

        The first own plan a test makes takes over the plan its earlier indicators were placed
        in, so they belong to the test's plan."""
        owner = owner or self.strategy.owner
        fields = {
            "key": key,
            "title": title,
            "period_start": period[0],
            "period_end": period[1],
            "owner": owner,
        }
        if self._auto_plan is not None and owner == self.strategy.owner:
            plan, self._auto_plan = self._auto_plan, None
            for name, value in fields.items():
                setattr(plan, name, value)
            plan.save()
            return plan
        return ActionPlan.objects.create(strategy=self.strategy, **fields)

    def default_plan(self) -> ActionPlan:
        """The strategy's newest own plan, else one made for the test (2020–2027)."""
        if self._auto_plan is not None:
            return self._auto_plan
        plan = (
            ActionPlan.objects.filter(strategy=self.strategy, owner=self.strategy.owner)
            .order_by("-period_start")
            .first()
        )
        if plan is None:
            plan = self._auto_plan = ActionPlan.objects.create(
                key="builder-plan",
                title="Testplan",
                strategy=self.strategy,
                period_start=2020,
                period_end=2027,
                owner=self.strategy.owner,
            )
        return plan

    def place(
        self,
        indicator: Indicator,
        *,
        plan: ActionPlan | None = None,
        goal: int | Goal = 1,
        **fields,
    ) -> IndicatorMembership:
        """Put ``indicator`` in ``plan`` (default: `default_plan`) under ``goal``."""
        return IndicatorMembership.objects.create(
            plan=plan or self.default_plan(),
            indicator=indicator,
            goal=goal if isinstance(goal, Goal) else self.goal(goal),
            **fields,
        )

    def measure(
        self,
        plan: ActionPlan,
        code: str,
        *,
        goal: int | Goal = 1,
        text: str = "",
        responsible: list[Organisation] = (),
        responsible_text: str | None = None,
        follow_up: str = "Uppföljning",
        frequency: str = "annual",
        sort_key: int | None = None,
    ) -> Measure:
        """A measure of ``plan``; ``responsible`` sets the organisations that report on it."""
        measure = Measure.objects.create(
            plan=plan,
            goal=goal if isinstance(goal, Goal) else self.goal(goal),
            code=code,
            sort_key=measure_sort_key(code) if sort_key is None else sort_key,
            text=text or f"Åtgärd {code}",
            responsible_text=(
                responsible_text
                if responsible_text is not None
                else ", ".join(o.name for o in responsible)
            ),
            follow_up=follow_up,
            frequency=frequency,
        )
        if responsible:
            measure.responsible.set(responsible)
        return measure

    def indicator(
        self,
        code: str = "T1",
        *,
        goal: int = 1,
        unit: str = "percent",
        decimals: int = 0,
        values: dict[str, object] | None = None,
        median: dict[str, object] | None = None,
        published: bool = True,
        breakdowns: list[str] | None = None,
        plan: ActionPlan | None = None,
        **fields,
    ) -> Indicator:
        """An indicator placed in ``plan`` (default: `default_plan`) under ``goal``; the
        membership's fields (violence_type, sort_order, status, retired_reason, …) are taken
        from the keyword arguments."""
        placement = {
            name: fields.pop(name)
            for name in (
                "violence_type",
                "sort_order",
                "status",
                "retired_year",
                "retired_reason",
                "last_data_year",
                "notes",
            )
            if name in fields
        }
        indicator = Indicator.objects.create(
            strategy=self.strategy,
            code=code,
            name=fields.pop("name", f"Indikator {code}"),
            kind=fields.pop("kind", "strategy"),
            unit=unit,
            decimals=decimals,
            source=fields.pop("source", "Testkälla"),
            area_level=fields.pop("area_level", "county"),
            breakdowns=breakdowns or [],
            **fields,
        )
        self.place(indicator, plan=plan, goal=goal, **placement)
        for period, value in (values or {}).items():
            self.observation(indicator, period, value, published=published)
        for period, value in (median or {}).items():
            self.observation(
                indicator, period, value, statistic="median", area=self.country, published=published
            )
        return indicator

    def observation(
        self,
        indicator,
        period,
        value,
        *,
        breakdown=None,
        statistic="value",
        area=None,
        published=True,
        **extra,
    ):
        data = ObservationInput(
            indicator=indicator,
            area=area or self.county,
            period=str(period),
            breakdown=breakdown or {},
            value=None if value is None else Decimal(str(value)),
            statistic=statistic,
            missing_reason="" if value is not None else "Saknas i testet",
            **extra,
        )
        obs, _ = observation_upsert(data=data, import_run=self.run, published=published)
        return obs
