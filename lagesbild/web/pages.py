"""Public pages beyond the dashboards: site search, municipalities, help, the accessibility
statement and the error pages. Thin views over selectors and presenters."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from lagesbild.core.models import Area, AreaLevel
from lagesbild.web import municipal
from lagesbild.web import presenters as web_presenters
from lagesbild.web.caching import cached_page
from lagesbild.web.search import site_search


def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    hits = site_search(query=query) if query else []
    groups = [
        (label, [h for h in hits if h.kind == kind])
        for kind, label in (
            ("indicator", _("Indikatorer")),
            ("measure", _("Åtgärder")),
            ("service", _("Stödverksamheter")),
        )
    ]
    return render(
        request,
        "web/search.html",
        {"query": query, "hits": hits, "groups": [g for g in groups if g[1]]},
    )


def municipality_list(request):
    def build():
        from lagesbild.directory.selectors import municipalities

        return (
            "web/municipalities.html",
            {
                "municipalities": municipalities(),
                "indicators": municipal.municipal_indicators(),
            },
            _("Kommunerna i länet"),
        )

    return cached_page(request, "municipalities", build)


def municipality_detail(request, code: str):
    def build():
        from lagesbild.directory.selectors import support_search
        from lagesbild.surveys.selectors import rounds_published

        area = Area.objects.filter(code=code, level=AreaLevel.MUNICIPALITY).first()
        if area is None:
            raise Http404(_("Kommunen finns inte: %(code)s") % {"code": code})
        surveys = []
        for rnd in rounds_published().select_related("survey"):
            respondent = rnd.respondents.filter(organisation__area=area).first()
            if respondent is not None:
                surveys.append((rnd, respondent))
        context = {
            "area": area,
            "figures": municipal.municipality_figures(municipality=area),
            "comparisons": web_presenters.COMPARISONS,
            "support": support_search(municipality=area),
            "surveys": surveys,
        }
        return "web/municipality.html", context, area.name

    return cached_page(request, "municipality", build)


def help_page(request):
    return render(request, "web/help.html", {})


# The date the accessibility statement was last reviewed (DIGG asks for it on the page).
STATEMENT_DATE = "2026-12-02"


def accessibility(request):
    from lagesbild.indicators.selectors import current_strategy

    strategy = current_strategy()
    owner = getattr(getattr(strategy, "owner", None), "name", "") if strategy else ""
    return render(
        request,
        "web/accessibility.html",
        {"owner": owner, "contact": "", "statement_date": STATEMENT_DATE},
    )


def not_found(request, exception=None):
    return render(request, "404.html", {"path": request.path}, status=404)


def server_error(request):
    # No database or context processors that may be the cause: a plain render of the layout.
    from django.http import HttpResponseServerError
    from django.template import loader

    try:
        body = loader.get_template("500.html").render({"request": request})
    except Exception:  # noqa: BLE001 - the error page must never fail
        body = "<h1>Serverfel / Server error</h1>"
    return HttpResponseServerError(body)
