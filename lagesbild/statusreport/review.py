"""The coordinator's review of the drafted report, one goal per page.

Each drafted paragraph stands beside the figures it was drafted from (the table or chart before
it in the same section); the coordinator accepts or edits it inline (htmx swaps only that row
and the counter), accepts all drafts of a section at once, sees how many are reviewed and jumps
to the next unreviewed paragraph. Spelling findings (``spelling.check_text``, words looked up
without hunspell's slow suggestions) are shown next to the text, for drafts and for the
agencies' follow-ups; nothing is changed.
Without JavaScript every form posts and the page reloads at the same place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lagesbild.statusreport import services
from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.document import Chart, Paragraph, Section, Table
from lagesbild.statusreport.models import OverrideAction
from lagesbild.statusreport.permissions import coordinator_required
from lagesbild.statusreport.render import html as html_renderer
from lagesbild.statusreport.selectors import report_data, report_version, report_years


@dataclass
class Item:
    key: str
    anchor: str
    draft: str
    text: str  # what the report prints now (the decision, or the draft)
    decision: object | None
    figures: str = ""  # rendered HTML of the table (and chart title) it was drafted from
    spelling: list = field(default_factory=list)

    @property
    def reviewed(self) -> bool:
        return self.decision is not None and (
            self.decision.action != OverrideAction.ACCEPTED
            or self.decision.draft.strip() == self.draft.strip()
        )


@dataclass
class Group:
    title: str
    id: str
    items: list[Item] = field(default_factory=list)
    agency: list = field(default_factory=list)  # (who, findings) of the agencies' texts


def _items_of(section: Section, decisions: dict, spelling: bool) -> tuple[list[Item], list]:
    from lagesbild.statusreport.spelling import check_text

    items, agency, figures = [], [], ""
    for b in section.blocks:
        if isinstance(b, Table):
            figures = html_renderer.table(b)
        elif isinstance(b, Chart):
            figures += f'<p class="diagramrubrik">{b.label} {b.title}</p>'
        elif isinstance(b, Paragraph) and b.editable and b.key:
            decision = decisions.get(b.key)
            shown = decision.text if decision is not None else b.text
            items.append(
                Item(
                    key=b.key,
                    anchor="stycke-" + slugify(b.key.replace(":", "-").replace(".", "-")),
                    draft=b.text,
                    text=shown,
                    decision=decision,
                    figures=figures,
                    spelling=check_text(shown, suggest=False) if spelling else [],
                )
            )
        elif isinstance(b, Paragraph) and b.key.startswith("rapport:") and spelling:
            found = [f for f in check_text(b.text, suggest=False) if f.kind != "sammansättning"]
            if found:
                agency.append((b.text[:80], found))
    return items, agency


def _drafts(year: int, data):
    """The report as drafted, without the coordinator's decisions: built once per drafts'
    version (figures, texts, configuration; not the decisions, which the review page lays over
    it) and language, so accepting a paragraph or opening the next goal reads it from the
    cache instead of building the report again."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    key = (
        f"statusreport:drafts:{year}:{get_language()}:{report_version(year=year, decisions=False)}"
    )
    document = cache.get(key)
    if document is None:
        document = report_build(year=year, chart_formats=(), data=data)
        cache.set(key, document, 24 * 3600)
    return document


def review_groups(*, year: int, goal: int, spelling: bool = True) -> tuple[list[Group], object]:
    """The goal's chapter and its summary as review groups (sections with drafts)."""
    data = report_data(year=year)
    if data is None or goal not in {g.number for g in data.goals}:
        raise Http404(_("Målet finns inte."))
    decisions = dict(data.overrides)
    data.overrides = {}  # build the drafts themselves
    document = _drafts(year, data)
    roots = [s for s in document.walk() if s.id in (f"mal-{goal}", f"sammanfattning-mal-{goal}")]
    groups = []
    for root in roots:
        for sec in root.walk():
            items, agency = _items_of(sec, decisions, spelling)
            if items or agency:
                groups.append(Group(sec.title, f"avsnitt-{sec.id}", items, agency))
    goal_obj = next(g for g in data.goals if g.number == goal)
    return groups, goal_obj


def _context(year: int, goal: int, groups, goal_obj) -> dict:
    items = [i for g in groups for i in g.items]
    reviewed = sum(1 for i in items if i.reviewed)
    nxt = next((i for i in items if not i.reviewed), None)
    return {
        "year": year,
        "goal": goal_obj,
        "groups": groups,
        "reviewed": reviewed,
        "total": len(items),
        "next": nxt,
        "goals": list(range(1, 9)),
        "url": reverse("statusreport:review_goal", args=[year, goal]),
    }


def _year_or_404(year: int) -> None:
    if year not in report_years():
        raise Http404(_("Det finns ingen lägesrapport för %(year)s.") % {"year": year})


@coordinator_required
def review_goal(request, year: int, goal: int):
    _year_or_404(year)
    groups, goal_obj = review_groups(year=year, goal=goal)
    ctx = _context(year, goal, groups, goal_obj)
    ctx["goals"] = [g.number for g in report_data(year=year).goals]
    return render(request, "statusreport/review_goal.html", ctx)


@coordinator_required
@require_POST
def review_item(request, year: int, goal: int):
    """Accept or save one paragraph; htmx gets the row and the counter back."""
    _year_or_404(year)
    key = request.POST.get("nyckel", "")
    groups, goal_obj = review_groups(year=year, goal=goal, spelling=False)
    item = next((i for g in groups for i in g.items if i.key == key), None)
    if item is None:
        raise Http404(_("Stycket finns inte i rapporten."))
    action = request.POST.get("action", "")
    text = request.POST.get("text", "").strip()
    if action == "accept" or (action == "save" and text == item.draft.strip()):
        services.paragraph_decide(
            year=year,
            key=key,
            action=OverrideAction.ACCEPTED,
            text="",
            draft=item.draft,
            user=request.user,
        )
    elif action == "save" and text:
        services.paragraph_decide(
            year=year,
            key=key,
            action=OverrideAction.EDITED,
            text=text,
            draft=item.draft,
            user=request.user,
        )
    elif action == "reset":
        services.paragraph_reset(year=year, key=key)
    return _respond(request, year, goal, anchor=item.anchor)


@coordinator_required
@require_POST
def review_accept_section(request, year: int, goal: int):
    """Accept every draft of one section that nobody has decided on yet."""
    _year_or_404(year)
    section = request.POST.get("avsnitt", "")
    groups, _goal = review_groups(year=year, goal=goal, spelling=False)
    group = next((g for g in groups if g.id == section), None)
    if group is None:
        raise Http404(_("Avsnittet finns inte."))
    services.paragraphs_accept(
        year=year,
        drafts={i.key: i.draft for i in group.items if not i.reviewed},
        user=request.user,
    )
    return _respond(request, year, goal, anchor=group.id)


def _respond(request, year: int, goal: int, *, anchor: str):
    if request.headers.get("HX-Request"):
        groups, goal_obj = review_groups(year=year, goal=goal)
        ctx = _context(year, goal, groups, goal_obj)
        return render(request, "statusreport/review_list.html", ctx)
    return redirect(reverse("statusreport:review_goal", args=[year, goal]) + f"#{anchor}")
