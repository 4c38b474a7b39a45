"""The status report on the web: public pages and downloads, and the coordinator's editing.

Thin views: data comes from selectors, the document from ``build``, bytes from ``render``.
Public pages show published observations and approved submissions only (the builder reads
nothing else); editing is for the coordinator.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lagesbild.statusreport import services
from lagesbild.statusreport.build import report_build, summary_drafts
from lagesbild.statusreport.forms import ParagraphForm, ReportTextForm
from lagesbild.statusreport.models import OverrideAction, TextKind, text_key
from lagesbild.statusreport.permissions import coordinator_required, is_coordinator
from lagesbild.statusreport.render import CHART_FORMATS, FORMATS, render_report
from lagesbild.statusreport.render import html as html_renderer
from lagesbild.statusreport.selectors import (
    open_round_years,
    report_data,
    report_version,
    report_years,
)
from lagesbild.web.caching import cached_response

_EXTENSIONS = {"html": "html", "docx": "docx", "pdf": "pdf", "xlsx": "xlsx"}


def _year_or_404(year: int) -> int:
    if year not in report_years():
        raise Http404(_("Det finns ingen lägesrapport för %(year)s.") % {"year": year})
    return year


def _document(year: int, chart_formats=("svg",), *, drafts: bool = False):
    data = report_data(year=year)
    if data is None:
        raise Http404(_("Ingen strategi är inläst ännu."))
    if drafts:  # the generated text of every paragraph, ignoring the coordinator's decisions
        data.overrides = {}
    return report_build(year=year, chart_formats=chart_formats, data=data)


def report_index(request):
    preliminary = open_round_years()
    years = [(year, year in preliminary) for year in report_years()]
    return render(request, "statusreport/index.html", {"years": years})


def report_detail(request, year: int):
    _year_or_404(year)
    if is_coordinator(request.user):  # edit links: never cached
        return _report_page(request, year, coordinator=True)
    # The public page is built once per report version and language (docs/performance.md).
    version = f"{report_version(year=year)}|{year in open_round_years()}"
    return cached_response(
        request, "report", lambda: _report_page(request, year, coordinator=False), version=version
    )


def _report_page(request, year: int, *, coordinator: bool):
    document = _document(year)
    edit_url = None
    if coordinator:
        base = reverse("statusreport:edit_paragraph", args=[year])

        def edit_url(key: str) -> str:
            return f"{base}?{urlencode({'nyckel': key})}"

    downloads = [
        (fmt, reverse("statusreport:download", args=[year, year, _EXTENSIONS[fmt]]))
        for fmt in FORMATS
    ]
    return render(
        request,
        "statusreport/detail.html",
        {
            "year": year,
            "document": document,
            "report_html": html_renderer.body(document, edit_url=edit_url),
            "report_css": html_renderer.stylesheet(),
            "downloads": downloads,
            "coordinator": coordinator,
            "preliminary": year in open_round_years(),
        },
    )


def report_download(request, year: int, year2: int, ext: str):
    if year != year2 or ext not in _EXTENSIONS.values():
        raise Http404
    _year_or_404(year)
    fmt = next(f for f, e in _EXTENSIONS.items() if e == ext)
    key = f"statusreport:{year}:{fmt}:{report_version(year=year)}"
    cached = cache.get(key)
    if cached is None:
        document = _document(year, CHART_FORMATS[fmt])
        cached = render_report(document, fmt)
        cache.set(key, cached, 3600)
    filename, mimetype, content = cached
    response = HttpResponse(content, content_type=mimetype)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- editing (coordinator) ----------------------------------------------------------------------


@coordinator_required
def edit_index(request, year: int):
    _year_or_404(year)
    data = report_data(year=year)
    decisions = dict(data.overrides)
    data.overrides = {}
    document = report_build(year=year, chart_formats=(), data=data)
    rows, seen = [], set()
    for sec in document.walk():
        for p in sec.blocks:
            if getattr(p, "editable", False) and p.key not in seen:
                seen.add(p.key)
                rows.append(
                    {
                        "section": sec.title,
                        "key": p.key,
                        "text": p.text,
                        "decision": decisions.get(p.key),
                        "url": reverse("statusreport:edit_paragraph", args=[year])
                        + "?"
                        + urlencode({"nyckel": p.key}),
                    }
                )
    texts = [
        {
            "label": _("Förord"),
            "url": reverse("statusreport:edit_text", args=[year, TextKind.FOREWORD, 0]),
            "stored": text_key(TextKind.FOREWORD) in data.texts,
        }
    ]
    for goal in data.goals:
        for kind, label in (
            (TextKind.SUMMARY, _("Sammanfattning")),
            (TextKind.DEVELOPMENT_AREAS, _("Utvecklingsområden")),
        ):
            texts.append(
                {
                    "label": f"Mål {goal.number}: {goal.display_name} – {label}",
                    "url": reverse("statusreport:edit_text", args=[year, kind, goal.number]),
                    "stored": text_key(kind, goal.number) in data.texts,
                }
            )
    return render(
        request,
        "statusreport/edit_index.html",
        {"year": year, "rows": rows, "texts": texts},
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def edit_paragraph(request, year: int):
    _year_or_404(year)
    key = request.POST.get("nyckel") or request.GET.get("nyckel") or ""
    document = _document(year, (), drafts=True)
    draft = next((p for p in document.paragraphs() if p.editable and p.key == key), None)
    if draft is None:
        raise Http404(_("Stycket finns inte i rapporten."))
    data_overrides = report_data(year=year).overrides
    decision = data_overrides.get(key)
    back = reverse("statusreport:detail", args=[year]) + f"#{_anchor(document, key)}"
    if request.method == "POST":
        action = request.POST.get("action", "")
        form = ParagraphForm(request.POST)
        if action == "reset":
            services.paragraph_reset(year=year, key=key)
            messages.success(request, _("Stycket visar nu utkastet igen."))
            return redirect(back)
        if action == "accept":
            services.paragraph_decide(
                year=year,
                key=key,
                action=OverrideAction.ACCEPTED,
                text="",
                draft=draft.text,
                user=request.user,
            )
            messages.success(request, _("Utkastet är godkänt."))
            return redirect(back)
        if action == "save" and form.is_valid():
            text = form.cleaned_data["text"].strip()
            if not text:
                form.add_error("text", _("Skriv en text, eller godkänn utkastet."))
            else:
                replaced = _similarity(text, draft.text) < 0.5
                services.paragraph_decide(
                    year=year,
                    key=key,
                    action=OverrideAction.REPLACED if replaced else OverrideAction.EDITED,
                    text=text,
                    draft=draft.text,
                    user=request.user,
                )
                messages.success(request, _("Stycket är sparat."))
                return redirect(back)
    else:
        form = ParagraphForm(initial={"text": decision.text if decision else draft.text})
    return render(
        request,
        "statusreport/edit_paragraph.html",
        {
            "year": year,
            "key": key,
            "draft": draft,
            "decision": decision,
            "draft_changed": decision is not None and decision.draft.strip() != draft.text.strip(),
            "form": form,
            "back": back,
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def edit_text(request, year: int, kind: str, goal: int):
    _year_or_404(year)
    if kind not in TextKind.values or (kind == TextKind.FOREWORD) != (goal == 0):
        raise Http404
    data = report_data(year=year)
    goal_obj = next((g for g in data.goals if g.number == goal), None)
    if goal and goal_obj is None:
        raise Http404
    stored = data.texts.get(text_key(kind, goal))
    initial = stored.text if stored else ""
    if not stored and kind == TextKind.SUMMARY:
        document = report_build(year=year, chart_formats=(), data=data)
        initial = summary_drafts(document).get(goal, "")
    if request.method == "POST":
        form = ReportTextForm(request.POST)
        if form.is_valid():
            services.report_text_save(
                year=year,
                kind=kind,
                goal_number=goal,
                text=form.cleaned_data["text"],
                user=request.user,
            )
            messages.success(request, _("Texten är sparad."))
            return redirect("statusreport:edit_index", year=year)
    else:
        form = ReportTextForm(initial={"text": initial})
    label = TextKind(kind).label
    title = f"{label} – Mål {goal_obj.number}: {goal_obj.display_name}" if goal_obj else label
    return render(
        request,
        "statusreport/edit_text.html",
        {"year": year, "form": form, "title": title, "stored": stored, "kind": kind},
    )


def _anchor(document, key: str) -> str:
    for sec in document.walk():
        if any(getattr(b, "key", "") == key for b in sec.blocks):
            return sec.id
    return ""


def _similarity(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio()
