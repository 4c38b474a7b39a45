"""The indicator explorer (/utforska/) and the downloads of every indicator's series.

The explorer is a plain GET form, so every view of it is a stable, shareable URL and it works
without JavaScript. Downloads take the same filter parameters as the explorer.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagesbild.core.params import parse_code, parse_int
from lagesbild.indicators import presenters, selectors
from lagesbild.indicators.labels import dimension_label, value_label
from lagesbild.indicators.models import Indicator, Observation
from lagesbild.indicators.services import parse_breakdown
from lagesbild.strategy.models import ViolenceType
from lagesbild.web import downloads
from lagesbild.web import presenters as web_presenters
from lagesbild.web import selectors as web_selectors
from lagesbild.web.caching import cached_page

FILTER_PARAMS = ("omrade", "uppdelning", "fran", "till")


class ExplorerForm(forms.Form):
    mal = forms.TypedChoiceField(
        label=gettext_lazy("Mål"), required=False, coerce=int, empty_value=None
    )
    vald = forms.ChoiceField(label=gettext_lazy("Våldstyp"), required=False)
    indikator = forms.ChoiceField(label=gettext_lazy("Indikator"), required=False)
    omrade = forms.ChoiceField(label=gettext_lazy("Område"), required=False)
    uppdelning = forms.ChoiceField(label=gettext_lazy("Uppdelning"), required=False)
    fran = forms.ChoiceField(label=gettext_lazy("Från och med period"), required=False)
    till = forms.ChoiceField(label=gettext_lazy("Till och med period"), required=False)

    def __init__(self, data, *, indicator: Indicator | None):
        super().__init__(data)
        every = _("Alla")
        strategy = selectors.current_strategy()
        goals = selectors.goals_for_strategy(strategy=strategy) if strategy else []
        self.fields["mal"].choices = [("", every)] + [(g.number, str(g)) for g in goals]
        self.fields["vald"].choices = [("", every)] + [
            (v.key, str(v)) for v in ViolenceType.objects.all()
        ]
        goal, vt = data.get("mal"), data.get("vald")
        inds = web_selectors.published_indicators(goal=parse_int(goal), violence_type=vt or None)
        self.fields["indikator"].choices = [("", _("Välj en indikator"))] + [
            (i.code, f"{i.code} {i.display_name}") for i in inds
        ]
        areas, periods, breakdowns = web_selectors.explorer_choices(indicator=indicator)
        self.fields["omrade"].choices = [("", every)] + list(areas.items())
        self.fields["uppdelning"].choices = [("", _("Alla"))] + [
            (key, _breakdown_choice_label(key)) for key in breakdowns
        ]
        self.fields["fran"].choices = [("", _("Första"))] + [(p, p) for p in periods]
        self.fields["till"].choices = [("", _("Senaste"))] + [(p, p) for p in periods]

    def clean(self):
        data = super().clean()
        start = web_selectors.period_bounds(data.get("fran") or None)
        end = web_selectors.period_bounds(data.get("till") or None)
        if start is not None and end is not None and start > end:
            self.add_error("till", _("Slutperioden ligger före startperioden."))
        return data


def _breakdown_choice_label(key: str) -> str:
    dim, _sep, value = key.partition("=")
    return f"{dimension_label(dim)}: {value_label(dim, value)}"


def _filters(cleaned: dict) -> dict:
    return {
        "area": cleaned.get("omrade") or None,
        "period_from": cleaned.get("fran") or None,
        "period_to": cleaned.get("till") or None,
        "breakdown": parse_breakdown(cleaned["uppdelning"]) if cleaned.get("uppdelning") else None,
    }


def explorer(request):
    def build():
        code = parse_code(request.GET.get("indikator") or "")
        indicator = selectors.indicator_placed(code=code) if code else None
        form = ExplorerForm(request.GET, indicator=indicator)
        valid = form.is_valid()
        context = {"form": form, "indicator": None}
        inds = list(form.fields["indikator"].choices)[1:]
        context["choices"] = web_selectors.published_indicators(
            goal=form.cleaned_data.get("mal") if valid else None,
            violence_type=(form.cleaned_data.get("vald") or None) if valid else None,
        )
        context["indicator_count"] = len(inds)
        if valid and indicator is not None:
            context.update(_series_view(request, indicator, form.cleaned_data))
        return "web/explorer.html", context, _("Utforska indikatorerna")

    return cached_page(request, "explorer", build)


def _series_view(request, indicator: Indicator, cleaned: dict) -> dict:
    observations = list(
        web_selectors.filtered_observations(indicator=indicator, **_filters(cleaned))
    )
    table = selectors.indicator_table(indicator=indicator, observations=observations)
    previous = _earlier_values([o for o in observations if o.revised])
    notes, note_numbers = web_presenters.footnotes(indicator, table, previous)
    description = presenters.chart_description(indicator, table)
    chart = presenters.series_chart_svg(indicator, table)
    query = {k: cleaned.get(k) for k in FILTER_PARAMS if cleaned.get(k)}
    from urllib.parse import urlencode

    return {
        "indicator": indicator,
        "table": table,
        "chart_svg": chart,
        "chart_description": description,
        "notes": notes,
        "note_numbers": note_numbers,
        "comparison": web_presenters.median_comparison(indicator, table),
        "download_query": urlencode(query),
        "headline": presenters.headline(indicator, table),
    }


def _earlier_values(observations: list[Observation]) -> dict[int, list]:
    """Earlier published values of revised observations, oldest first, from their history."""
    if not observations:
        return {}
    model = Observation.history.model
    out: dict[int, list] = {}
    rows = model.objects.filter(id__in=[o.pk for o in observations], published=True).order_by(
        "id", "history_date", "history_id"
    )
    current = {o.pk: o.value for o in observations}
    for h in rows:
        values = out.setdefault(h.id, [])
        if h.value is not None and (not values or values[-1] != h.value):
            values.append(h.value)
    for pk, values in out.items():
        if values and values[-1] == current.get(pk):
            values.pop()
    return out


RENDERERS = {"csv", "xlsx", "json"}


def _as_published(indicator: Indicator, vintage: str, filters: dict):
    """The figures as the report edition ``vintage`` ("2025", "2025-2") showed them."""
    from lagesbild.statusreport import edition_selectors

    try:
        year, number = edition_selectors.parse_vintage(vintage)
        edition = edition_selectors.vintage_edition(year=year, number=number)
    except ValueError:
        return HttpResponseBadRequest(
            _("Ogiltig utgåva: %(v)s (skriv till exempel 2025 eller 2025-2)") % {"v": vintage},
            content_type="text/plain; charset=utf-8",
        )
    except edition_selectors.UnknownVintage:
        raise Http404(_("Lägesrapporten %(v)s är inte publicerad.") % {"v": vintage})
    return edition_selectors.observations_as_published(
        indicator=indicator,
        edition=edition,
        area=filters["area"],
        period_from=web_selectors.period_bounds(filters["period_from"]),
        period_to=web_selectors.period_bounds(filters["period_to"]),
        breakdown=filters["breakdown"],
    )


def indicator_download(request, code: str, fmt: str):
    """An indicator's series (optionally filtered like the explorer) as CSV, XLSX or JSON-stat."""
    if fmt not in RENDERERS:
        raise Http404(_("Formatet finns inte: %(fmt)s") % {"fmt": fmt})
    indicator = get_object_or_404(Indicator, code=code)
    form = ExplorerForm(request.GET, indicator=indicator)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return HttpResponseBadRequest(
            _("Ogiltigt urval: %(e)s") % {"e": errors}, content_type="text/plain; charset=utf-8"
        )
    filters = _filters(form.cleaned_data)
    shown = {k: form.cleaned_data[k] for k in FILTER_PARAMS if form.cleaned_data.get(k)}
    vintage = request.GET.get("as_published", "")
    if vintage:
        observations = _as_published(indicator, vintage, filters)
        if isinstance(observations, HttpResponseBadRequest):
            return observations
        shown["as_published"] = vintage
    else:
        observations = web_selectors.filtered_observations(indicator=indicator, **filters)
    table = downloads.download_table(indicator=indicator, observations=observations, filters=shown)
    separator = request.GET.get("separator", "")
    if separator not in ("", "comma", "semicolon"):
        return HttpResponseBadRequest(
            _("Okänd avgränsare: %(s)s (välj comma eller semicolon)") % {"s": separator},
            content_type="text/plain; charset=utf-8",
        )
    if fmt == "csv":
        swedish = separator == "semicolon"
        name, mime, body = downloads.render_csv(table, swedish=swedish)
    elif fmt == "xlsx":
        name, mime, body = downloads.render_xlsx(table)
    else:
        name, mime, body = downloads.render_jsonstat(table)
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def goal_download(request, number: int):
    """Every published indicator of a goal: a zip of CSV files and one XLSX with metadata."""
    from lagesbild.strategy.models import Goal

    strategy = selectors.current_strategy()
    goal = get_object_or_404(Goal, strategy=strategy, number=number)
    tables = [
        downloads.download_table(
            indicator=ind,
            observations=web_selectors.filtered_observations(indicator=ind),
        )
        for ind in web_selectors.published_indicators(goal=number)
    ]
    from django.utils.translation import get_language

    name = f"goal-{number}" if (get_language() or "sv").startswith("en") else f"mal-{number}"
    title = _("Mål %(n)s: %(name)s") % {"n": goal.number, "name": goal.display_name}
    filename, mime, body = downloads.render_goal_zip(tables, name=name, title=title)
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
