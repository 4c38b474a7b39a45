"""Public pages: thin views over selectors and presenters."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from lagesbild.indicators import presenters, selectors
from lagesbild.indicators.models import Indicator, IndicatorStatus
from lagesbild.strategy.models import Goal, Measure
from lagesbild.web import municipal
from lagesbild.web import presenters as web_presenters
from lagesbild.web import selectors as web_selectors
from lagesbild.web.caching import cached_page


def _plan(request):
    """The plan a page shows: ``?plan=KEY`` or the current plan; an unknown key is a 404."""
    key = request.GET.get("plan") or None
    plan = selectors.current_plan(plan_key=key)
    if key and plan is None:
        raise Http404(_("Det finns ingen handlingsplan med nyckeln %(key)s.") % {"key": key})
    return plan


def _plan_context(request, plan) -> dict:
    """The plan selector on goal, measure and start pages."""
    return {
        "plan": plan,
        "plans": selectors.plan_choices(),
        "plan_query": f"?plan={plan.key}" if request.GET.get("plan") and plan else "",
    }


def _strategy_or_404():
    strategy = selectors.current_strategy()
    if strategy is None:
        raise Http404(
            _("Ingen strategi är inläst ännu. Kör 'lagesbild demo' eller 'lagesbild load-config'.")
        )
    return strategy


def _overview_rows(indicators) -> list:
    rows = []
    for ind in indicators:
        table = selectors.indicator_table(indicator=ind)
        rows.append(web_presenters.overview_row(ind, table))
    return rows


def home(request):
    def build():
        plan = _plan(request)
        strategy = plan.strategy if plan else _strategy_or_404()
        goals = list(selectors.goals_for_strategy(strategy=strategy).prefetch_related("measures"))
        catalogue = selectors.plan_indicators(plan=plan) if plan else []
        round_year, states = web_selectors.measure_states(plan=plan)
        cards = []
        for goal in goals:
            placed = [i for i in catalogue if i.goal_id == goal.pk]
            active = [
                i for i in placed if i.status == IndicatorStatus.ACTIVE and i.kind == "strategy"
            ]
            rows = _overview_rows(active)
            measures = [m for m in goal.measures.all() if plan and m.plan_id == plan.pk]
            status_counts = Counter()
            for m in measures:
                state = states.get(m.pk)
                for key, label, n in state.summary if state else []:
                    status_counts[(key, label or _("utan angivet läge"))] += n
            cards.append(
                {
                    "goal": goal,
                    "indicator_count": len(placed),
                    "measure_count": len(measures),
                    "assessments": web_presenters.assessment_counts(rows),
                    "measure_statuses": [(k, lbl, n) for (k, lbl), n in status_counts.items()],
                    "reported": sum(1 for m in measures if m.pk in states),
                }
            )
        context = {
            "strategy": strategy,
            "cards": cards,
            "round_year": round_year,
            "series_count": len(web_selectors.published_indicators(plan=plan)),
            **_plan_context(request, plan),
        }
        return "web/home.html", context, _("Mål och indikatorer")

    return cached_page(request, "home", build)


def goal_detail(request, number: int):
    def build():
        plan = _plan(request)
        strategy = plan.strategy if plan else _strategy_or_404()
        goal = get_object_or_404(Goal, strategy=strategy, number=number)
        indicators = selectors.indicators_for_goal(goal=goal, plan=plan) if plan else []
        active = [
            i for i in indicators if i.status == IndicatorStatus.ACTIVE and i.kind == "strategy"
        ]
        measure_indicators = [
            i for i in indicators if i.status == IndicatorStatus.ACTIVE and i.kind == "measure"
        ]
        retired = [i for i in indicators if i.status == IndicatorStatus.RETIRED]
        rows = _overview_rows(active)
        groups = [
            (vt, list(items))
            for vt, items in groupby(rows, key=lambda r: r.indicator.violence_type)
        ]
        measures = list(selectors.measures_for_plan(plan=plan).filter(goal=goal)) if plan else []
        round_year, states = web_selectors.measure_states(plan=plan)
        context = {
            "goal": goal,
            "groups": groups,
            "assessments": web_presenters.assessment_counts(rows),
            "retired": retired,
            "measures": [(m, states.get(m.pk)) for m in measures],
            "round_year": round_year,
            "measure_rows": _overview_rows(measure_indicators),
            "development_areas": goal.developmentarea_set.filter(plan=plan) if plan else [],
            **_plan_context(request, plan),
        }
        title = _("Mål %(n)s: %(name)s") % {"n": goal.number, "name": goal.display_name}
        return "web/goal.html", context, title

    return cached_page(request, "goal", build)


def indicator_detail(request, code: str):
    def build():
        indicator = selectors.indicator_placed(code=code, plan=_plan(request))
        if indicator is None:
            raise Http404(_("Det finns ingen indikator med koden %(code)s.") % {"code": code})
        from lagesbild.statusreport.edition_selectors import vintage_differences
        from lagesbild.web.explore import _earlier_values

        observations = list(
            selectors.observations_for_indicator(indicator=indicator).select_related("import_run")
        )
        table = selectors.indicator_table(indicator=indicator, observations=observations)
        history = _revision_history(indicator)
        head = presenters.headline(indicator, table)
        previous = _earlier_values([o for o in observations if o.revised])
        notes, note_numbers = web_presenters.footnotes(indicator, table, previous)
        ranking = municipal.municipal_ranking(indicator=indicator)
        context = {
            "last_updated": max((o.updated_at for o in observations if o.published), default=None),
            "indicator": indicator,
            "table": table,
            "headline": head,
            "assessment": web_presenters.assess(indicator, head),
            "assessments": web_presenters.ASSESSMENTS,
            "chart_svg": presenters.series_chart_svg(indicator, table),
            "chart_description": presenters.chart_description(indicator, table),
            "history": history,
            "measures": indicator.measures.filter(plan=getattr(indicator, "plan", None))
            if getattr(indicator, "plan", None)
            else indicator.measures.all(),
            "placements": selectors.indicator_plans(indicator=indicator),
            "vintages": vintage_differences(indicator=indicator, observations=observations),
            "comparison": web_presenters.median_comparison(indicator, table),
            "download_query": "",
            "notes": notes,
            "note_numbers": note_numbers,
            "total_label": _("Totalt"),
        }
        if ranking is not None:
            context.update(
                web_presenters.ranking_context(indicator, ranking, request.GET.get("kommun", ""))
            )
        return "web/indicator.html", context, indicator.display_name

    return cached_page(request, "indicator", build)


def _revision_history(indicator: Indicator):
    """Earlier values of published observations: each change with when, which organisation
    and why. A public page names the organisation, never the person (their user name)."""
    from lagesbild.indicators.models import Observation

    model = Observation.history.model
    rows = (
        model.objects.filter(indicator_id=indicator.pk, published=True)
        .select_related("history_user__membership__organisation", "area", "import_run")
        .order_by("period_sort", "breakdown_key", "id", "history_date")
    )
    out = []
    for _obs_id, entries in groupby(rows, key=lambda h: h.id):
        entries = list(entries)
        if len(entries) < 2:
            continue
        for before, after in zip(entries, entries[1:], strict=False):
            if before.value != after.value:
                out.append(
                    {
                        "entry": after,
                        "old": before.value,
                        "new": after.value,
                        "organisation": _organisation_of(after.history_user),
                    }
                )
    return out


def _organisation_of(user) -> str:
    membership = getattr(user, "membership", None) if user is not None else None
    return membership.organisation.name if membership is not None else ""


def measure_detail(request, code: str):
    plan = _plan(request)
    if plan is None:
        _strategy_or_404()
    measure = get_object_or_404(
        Measure.objects.select_related("goal", "plan").prefetch_related(
            "responsible", "indicators"
        ),
        plan=plan,
        code=code,
    )
    return render(
        request,
        "web/measure.html",
        {
            "measure": measure,
            **_plan_context(request, plan),
        },
    )
