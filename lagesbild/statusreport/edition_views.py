"""The status report for readers (published editions) and the coordinator's builds and publishing.

Nothing here renders a document: a reader gets a stored edition's files and page, the
coordinator queues a build (``edition_services.build_request``) and watches its progress
(htmx polling, a plain link without JavaScript), then opens the stored draft.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lagesbild.statusreport import edition_selectors as selectors
from lagesbild.statusreport.edition_services import PAGE, build_request, report_storage
from lagesbild.statusreport.forms import ErratumFormSet
from lagesbild.statusreport.models import ReportEdition
from lagesbild.statusreport.permissions import coordinator_required, is_coordinator
from lagesbild.statusreport.render import FORMATS
from lagesbild.statusreport.selectors import open_round_years, report_years

EXTENSIONS = {"html": "html", "docx": "docx", "pdf": "pdf", "xlsx": "xlsx"}
LONG = 365 * 24 * 3600  # an edition's own URLs never change content


def _year_or_404(year: int) -> int:
    if year not in report_years():
        raise Http404(_("Det finns ingen lägesrapport för %(year)s.") % {"year": year})
    return year


def _fmt(year: int, year2: int, ext: str) -> str:
    if year != year2 or ext not in EXTENSIONS.values():
        raise Http404
    return next(f for f, e in EXTENSIONS.items() if e == ext)


def _stored_text(files: dict, key: str) -> str:
    meta = files.get(key)
    if not meta:
        return ""
    with report_storage().open(meta["name"], "rb") as fh:
        return fh.read().decode("utf-8")


def _serve(files: dict, fmt: str, *, max_age: int) -> FileResponse:
    meta = files.get(fmt)
    if not meta:
        raise Http404
    response = FileResponse(
        report_storage().open(meta["name"], "rb"),
        content_type=meta["mimetype"],
        as_attachment=fmt != "html",
        filename=meta["filename"],
    )
    response["ETag"] = f'"{meta["sha256"]}"'
    response["Cache-Control"] = f"max-age={max_age}" + (", immutable" if max_age == LONG else "")
    return response


def _downloads(year: int, number: int | None = None) -> list[tuple[str, str]]:
    if number is None:
        return [
            (fmt, reverse("statusreport:download", args=[year, year, EXTENSIONS[fmt]]))
            for fmt in FORMATS
        ]
    return [
        (fmt, reverse("statusreport:edition_download", args=[year, number, year, EXTENSIONS[fmt]]))
        for fmt in FORMATS
    ]


# --- readers ---------------------------------------------------------------------------------------


def report_index(request):
    published = selectors.published_years()
    preliminary = open_round_years()
    years = [
        {"year": y, "edition": published.get(y), "preliminary": y in preliminary}
        for y in report_years()
    ]
    return render(
        request,
        "statusreport/index.html",
        {"years": years, "coordinator": is_coordinator(request.user)},
    )


def report_detail(request, year: int):
    """Whole from the cache for visitors without a session, under the site's data version
    (which changes with every published edition, so a new edition shows at once)."""
    from lagesbild.web.caching import cached_response
    from lagesbild.web.selectors import page_version

    return cached_response(
        request, "report-detail", lambda: _report_detail(request, year), version=page_version()
    )


def _report_detail(request, year: int):
    _year_or_404(year)
    edition = selectors.latest_edition(year=year)
    if edition is None:
        return render(
            request,
            "statusreport/not_published.html",
            {"year": year, "coordinator": is_coordinator(request.user)},
        )
    return _edition_page(request, edition, latest=True)


def edition_detail(request, year: int, number: int):
    from lagesbild.web.caching import cached_response
    from lagesbild.web.selectors import page_version

    return cached_response(
        request,
        "report-edition",
        lambda: _edition_detail(request, year, number),
        version=page_version(),
    )


def _edition_detail(request, year: int, number: int):
    edition = selectors.edition_get(year=year, number=number)
    if edition is None:
        raise Http404(_("Utgåvan finns inte."))
    latest = selectors.latest_edition(year=year)
    return _edition_page(request, edition, latest=latest.pk == edition.pk)


def _edition_page(request, edition: ReportEdition, *, latest: bool):
    year = edition.year
    return render(
        request,
        "statusreport/edition.html",
        {
            "year": year,
            "edition": edition,
            "latest": latest,
            "editions": selectors.editions(year=year),
            "report_page": _stored_text(edition.files, PAGE),
            "downloads": _downloads(year, None if latest else edition.number),
            "coordinator": is_coordinator(request.user),
            "title": _("Lägesrapport %(year)s") % {"year": year},
        },
    )


def report_download(request, year: int, year2: int, ext: str):
    fmt = _fmt(year, year2, ext)
    edition = selectors.latest_edition(year=year)
    if edition is None:
        raise Http404(_("Lägesrapporten för %(year)s är inte publicerad ännu.") % {"year": year})
    return _serve(edition.files, fmt, max_age=300)


def edition_download(request, year: int, number: int, year2: int, ext: str):
    fmt = _fmt(year, year2, ext)
    edition = selectors.edition_get(year=year, number=number)
    if edition is None:
        raise Http404(_("Utgåvan finns inte."))
    return _serve(edition.files, fmt, max_age=LONG)


# --- the coordinator: draft builds and publishing ---------------------------------------------------


@coordinator_required
def draft(request, year: int):
    _year_or_404(year)
    build = selectors.latest_build(year=year)
    shown = selectors.latest_draft(year=year)
    return render(
        request,
        "statusreport/draft.html",
        {
            "year": year,
            "build": build,
            "shown": shown,
            "draft_page": _stored_text(shown.files, PAGE) if shown else "",
            "draft_downloads": _build_downloads(shown) if shown else [],
            "edition": selectors.latest_edition(year=year),
            "preliminary": year in open_round_years(),
        },
    )


def _build_downloads(build) -> list[tuple[str, str]]:
    return [
        (
            fmt,
            reverse(
                "statusreport:build_download",
                args=[build.year, build.pk, build.year, EXTENSIONS[fmt]],
            ),
        )
        for fmt in FORMATS
        if fmt in build.files
    ]


@coordinator_required
@require_POST
def draft_build(request, year: int):
    _year_or_404(year)
    build_request(year=year, user=request.user)
    messages.info(request, _("Utkastet byggs i bakgrunden."))
    return redirect("statusreport:draft", year=year)


@coordinator_required
def build_status(request, year: int, pk: int):
    build = selectors.build_get(year=year, pk=pk)
    if build is None:
        raise Http404
    return render(
        request,
        "statusreport/_build.html",
        {"year": year, "build": build, "downloads": _build_downloads(build)},
    )


@coordinator_required
def build_download(request, year: int, pk: int, year2: int, ext: str):
    fmt = _fmt(year, year2, ext)
    build = selectors.build_get(year=year, pk=pk)
    if build is None:
        raise Http404
    response = _serve(build.files, fmt, max_age=0)
    response["Cache-Control"] = "private, no-store"
    return response


@coordinator_required
@require_http_methods(["GET", "POST"])
def publish(request, year: int):
    _year_or_404(year)
    summary = selectors.publish_summary(year=year)
    formset = ErratumFormSet(
        request.POST or None,
        initial=[{**e, "keep": True} for e in summary.errata],
        prefix="rattelse",
    )
    if request.method == "POST":
        if summary.synthetic:
            messages.error(request, summary.refusal)
            return redirect("statusreport:publish", year=year)
        if not summary.can_publish:
            messages.error(request, _("Bygg ett nytt utkast och granska det innan du publicerar."))
            return redirect("statusreport:publish", year=year)
        if summary.previous is None or formset.is_valid():
            errata = formset.errata() if summary.previous is not None else []
            build_request(
                year=year,
                user=request.user,
                publish=True,
                errata=errata,
                confirmed_version=summary.draft.version,
                plan_key=summary.draft.plan_key,
            )
            messages.info(
                request,
                _("Utgåva %(n)s av lägesrapporten byggs och publiceras i bakgrunden.")
                % {"n": summary.number},
            )
            return redirect("statusreport:draft", year=year)
    return render(
        request,
        "statusreport/publish.html",
        {"year": year, "summary": summary, "formset": formset},
    )
