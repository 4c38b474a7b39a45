"""The coordinator's editing of the status report's texts.

Thin views: data comes from selectors, the document from ``build`` (without chart images; no
file is rendered here). The report itself, its downloads, builds and publishing are in
``edition_views``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lagesbild.statusreport import services
from lagesbild.statusreport.build import report_build, summary_drafts
from lagesbild.statusreport.forms import ParagraphForm, ReportTextForm
from lagesbild.statusreport.models import OverrideAction, TextKind, text_key
from lagesbild.statusreport.permissions import coordinator_required
from lagesbild.statusreport.selectors import PlanError, report_data, report_years


def _year_or_404(year: int) -> int:
    if year not in report_years():
        raise Http404(_("Det finns ingen lägesrapport för %(year)s.") % {"year": year})
    return year


def _report_data(year: int):
    """The year's report data; a year no single plan covers is a page that says so."""
    try:
        return report_data(year=year)
    except PlanError as exc:
        raise Http404(str(exc)) from None


def _document(year: int, chart_formats=(), *, drafts: bool = False):
    data = _report_data(year)
    if data is None:
        raise Http404(_("Ingen strategi är inläst ännu."))
    if drafts:  # the generated text of every paragraph, ignoring the coordinator's decisions
        data.overrides = {}
    return report_build(year=year, chart_formats=chart_formats, data=data)


# --- editing (coordinator) ----------------------------------------------------------------------


@coordinator_required
def edit_index(request, year: int):
    _year_or_404(year)
    data = _report_data(year)
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
    data_overrides = _report_data(year).overrides
    decision = data_overrides.get(key)
    back = reverse("statusreport:draft", args=[year]) + f"#{_anchor(document, key)}"
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
    data = _report_data(year)
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
