"""Read API, /api/v1 (OpenAPI at /api/v1/openapi.json).

Values are strings holding the exact decimal as stored ("6.9", "0.93", "1613"), never floats, so
no figure is changed by binary rounding. Anonymous callers see published observations only.
Labels (names, units, breakdowns) follow the request's language: `Accept-Language: en` gives
English where a translation exists, Swedish otherwise. See docs/open-data.md.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError

from lagesbild.indicators import selectors
from lagesbild.indicators.models import Indicator, Observation, Statistic
from lagesbild.indicators.services import parse_breakdown
from lagesbild.web import downloads
from lagesbild.web import selectors as web_selectors
from lagesbild.web.downloads import decimal_text

api = NinjaAPI(
    title="Lägesbild API",
    version="1",
    description=(
        "Läsgränssnitt för strategins mål, handlingsplanens åtgärder, indikatorer och "
        "publicerade observationer. Värden är strängar med det exakta decimaltalet."
    ),
    urls_namespace="api-v1",
)


def localized(view):
    """Answer in the language the caller asks for with Accept-Language (Swedish by default).

    The site's LocaleMiddleware fixes un-prefixed paths to Swedish (i18n_patterns with
    prefix_default_language=False); the API lives outside those patterns and honours the header.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = translation.get_language_from_request(request, check_path=False)
        if not request.headers.get("Accept-Language"):
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapper


api.add_decorator(localized, mode="view")


class GoalOut(Schema):
    number: int
    name: str
    formulation: str


class MeasureOut(Schema):
    code: str
    goal: int
    text: str
    responsible: list[str]
    responsible_text: str
    frequency: str
    follow_up: str


class IndicatorOut(Schema):
    code: str
    name: str
    goal: int
    unit: str
    decimals: int
    kind: str
    status: str
    source: str
    plan: str
    replaces: str | None = None


class ObservationOut(Schema):
    period: str
    area: str
    area_name: str
    breakdown: dict[str, str]
    breakdown_label: str
    statistic: str
    statistic_label: str
    value: str | None
    # "" (exact), "at_least" (a lower bound: "minst") or "approximately" ("cirka")
    qualifier: str
    qualifier_label: str
    numerator: str | None
    denominator: str | None
    unit: str
    unit_label: str
    flags: list[str]
    missing_reason: str
    source_ref: str


class ErrorOut(Schema):
    detail: str | list[dict]


@api.get("/goals", response={200: list[GoalOut], 400: ErrorOut}, summary="Strategins mål")
def goals(request):
    strategy = selectors.current_strategy()
    if strategy is None:
        return []
    return [
        GoalOut(number=g.number, name=g.display_name, formulation=g.display_formulation)
        for g in selectors.goals_for_strategy(strategy=strategy)
    ]


def _unknown_plan(key: str) -> Status:
    return Status(404, {"detail": f"Det finns ingen handlingsplan med nyckeln '{key}'."})


@api.get(
    "/measures",
    response={200: list[MeasureOut], 400: ErrorOut, 404: ErrorOut},
    summary="Den aktuella handlingsplanens åtgärder (eller ?plan=NYCKEL)",
)
def measures(request, plan: str | None = None):
    key = plan
    plan = selectors.current_plan(plan_key=key)
    if plan is None:
        if key:
            return _unknown_plan(key)
        return Status(200, [])
    return Status(
        200,
        [
            MeasureOut(
                code=m.code,
                goal=m.goal.number,
                text=m.display_text,
                responsible=[o.name for o in m.responsible.all()],
                responsible_text=m.responsible_text,
                frequency=m.frequency,
                follow_up=m.follow_up,
            )
            for m in selectors.measures_for_plan(plan=plan)
        ],
    )


@api.get(
    "/indicators",
    response={200: list[IndicatorOut], 400: ErrorOut, 404: ErrorOut},
    summary="Indikatorkatalogen för den aktuella handlingsplanen (eller ?plan=NYCKEL)",
)
def indicators(request, plan: str | None = None):
    chosen = selectors.current_plan(plan_key=plan)
    if chosen is None:
        if plan:
            return _unknown_plan(plan)
        return Status(200, [])
    return Status(
        200,
        [
            IndicatorOut(
                code=i.code,
                name=i.display_name,
                goal=i.goal.number,
                unit=i.unit,
                decimals=i.decimals,
                kind=i.kind,
                status=i.status,
                source=i.source,
                plan=chosen.key,
                replaces=i.replaces.code if i.replaces_id else None,
            )
            for i in selectors.plan_indicators(plan=chosen)
        ],
    )


def observation_out(o: Observation) -> ObservationOut:
    return ObservationOut(
        period=o.period,
        area=o.area.code,
        area_name=o.area.name,
        breakdown=o.breakdown,
        breakdown_label=str(selectors.breakdown_label(o.breakdown)),
        statistic=o.statistic,
        statistic_label=str(Statistic(o.statistic).label),
        value=decimal_text(o.value),
        qualifier=o.qualifier,
        qualifier_label=o.qualifier_word,
        numerator=decimal_text(o.numerator),
        denominator=decimal_text(o.denominator),
        unit=o.indicator.unit,
        unit_label=str(o.indicator.get_unit_display()),
        flags=o.flags,
        missing_reason=o.missing_reason,
        source_ref=o.source_ref,
    )


PERIOD_PATTERN = r"^\d{4}(/\d{4})?$"
AS_PUBLISHED_PATTERN = r"^\d{4}(-\d{1,3})?$"


class ObservationFilters(Schema):
    area: str | None = None
    period_from: str | None = Query(None, pattern=PERIOD_PATTERN)
    period_to: str | None = Query(None, pattern=PERIOD_PATTERN)
    breakdown: list[str] = Query(
        [],
        description="Uppdelning som dimension=värde, t.ex. sex=kvinnor; kan upprepas.",
    )
    statistic: str | None = Query(None, pattern="^(value|median)$")
    as_published: str | None = Query(
        None,
        pattern=AS_PUBLISHED_PATTERN,
        description=(
            "Siffrorna som lägesrapporten för året visade dem när den publicerades: 2025 "
            "(första utgåvan) eller 2025-2 (utgåva 2). Bara de siffror rapporten visade."
        ),
    )


def _filtered(code: str, filters: ObservationFilters):
    indicator = get_object_or_404(Indicator, code=code)
    breakdown = _breakdown(filters)
    if filters.as_published:
        return indicator, _as_published(indicator, filters, breakdown)
    qs = web_selectors.filtered_observations(
        indicator=indicator,
        area=filters.area,
        period_from=filters.period_from,
        period_to=filters.period_to,
        breakdown=breakdown or None,
        with_median=False,
    )
    if filters.statistic:
        qs = qs.filter(statistic=filters.statistic)
    return indicator, qs.select_related("indicator")


def _breakdown(filters: ObservationFilters) -> dict[str, str]:
    breakdown: dict[str, str] = {}
    for item in filters.breakdown:
        try:
            part = parse_breakdown(item)
        except ValueError as exc:
            raise HttpError(422, _("Ogiltig uppdelning: %(e)s") % {"e": exc})
        if len(part) != 1:
            raise HttpError(422, _("Ange en uppdelning per parameter: dimension=värde."))
        breakdown.update(part)
    return breakdown


def _as_published(indicator: Indicator, filters: ObservationFilters, breakdown: dict) -> list:
    """The indicator's figures as the report edition ``as_published`` showed them."""
    from lagesbild.statusreport import edition_selectors

    year, number = edition_selectors.parse_vintage(filters.as_published)
    try:
        edition = edition_selectors.vintage_edition(year=year, number=number)
    except edition_selectors.UnknownVintage:
        raise HttpError(
            404,
            _("Lägesrapporten %(v)s är inte publicerad.") % {"v": filters.as_published},
        )
    return edition_selectors.observations_as_published(
        indicator=indicator,
        edition=edition,
        area=filters.area,
        period_from=web_selectors.period_bounds(filters.period_from),
        period_to=web_selectors.period_bounds(filters.period_to),
        breakdown=breakdown or None,
        statistic=filters.statistic,
    )


@api.get(
    "/indicators/{code}/observations",
    response={200: list[ObservationOut], 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="En indikators publicerade observationer",
    description=(
        "Filter: `area` (områdeskod), `period_from`/`period_to` (år 2024 eller läsår "
        "2023/2024, jämförs på startåret), `breakdown` (dimension=värde, kan upprepas), "
        "`statistic` (value eller median). Sidor: med `limit` (1–1000) och `offset` svarar "
        "API:et med en del av listan och anger hela antalet i rubriken `X-Total-Count` och "
        "nästa sida i rubriken `Link` (rel=next). Utan `limit` kommer hela listan, som "
        "tidigare."
    ),
)
def observations(
    request: HttpRequest,
    response: HttpResponse,
    code: str,
    filters: Query[ObservationFilters],
    limit: int | None = Query(None, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
):
    _indicator, qs = _filtered(code, filters)
    if limit is None and not offset:
        return [observation_out(o) for o in qs]
    total = len(qs) if isinstance(qs, list) else qs.count()
    end = offset + (limit or 1000)
    response["X-Total-Count"] = str(total)
    if end < total:
        params = request.GET.copy()
        params["offset"] = str(end)
        params["limit"] = str(limit or 1000)
        response["Link"] = f'<{request.path}?{params.urlencode()}>; rel="next"'
    return [observation_out(o) for o in qs[offset:end]]


@api.get(
    "/indicators/{code}/observations.jsonstat",
    response={200: dict, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="En indikators publicerade observationer som JSON-stat 2.0",
    description=(
        "Samma filter som /observations. Ett JSON-stat 2.0-dataset (gles `value` och "
        "`status`): statusbokstäverna p = preliminär, r = reviderad, u = för få fall, "
        "m = uppgift saknas. Källa, enhet, definition och hämtningstid finns i `source`, "
        "`note`, `updated` och `extension.lagesbild`."
    ),
)
def observations_jsonstat(request: HttpRequest, code: str, filters: Query[ObservationFilters]):
    indicator, qs = _filtered(code, filters)
    shown = {
        k: v
        for k, v in (
            ("area", filters.area),
            ("period_from", filters.period_from),
            ("period_to", filters.period_to),
            ("breakdown", ";".join(filters.breakdown)),
            ("statistic", filters.statistic),
            ("as_published", filters.as_published),
        )
        if v
    }
    table = downloads.download_table(indicator=indicator, observations=qs, filters=shown)
    return HttpResponse(
        downloads.dumps_exact(downloads.jsonstat(table)),
        content_type="application/json; charset=utf-8",
    )


__all__ = ["api", "decimal_text"]
