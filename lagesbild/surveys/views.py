"""Survey pages: the respondent's form (personal link), the coordinator's pages, public results.

Who sees what:
* anonymous public – only published, aggregated results of closed rounds (never free text, never
  a breakdown with fewer than three respondents);
* a respondent – only their own response, through the personal link; the link logs nobody in;
* the coordinator (and admin) – everything, including free text, progress and non-response.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lagesbild.core.models import Area, AreaLevel, Organisation, Role
from lagesbild.core.numbers import format_number, format_percent
from lagesbild.core.uploads import UploadRefused, upload_read
from lagesbild.core.yamlschema import ConfigError, Problem

from . import scoring, selectors, services
from .charts import bar_chart
from .forms import answers_from_post, parse_answer
from .models import CompositeIndex, Response, ResponseState, Survey, SurveyRound

RULE_TEXT = {
    "drop": gettext_lazy(
        "Utesluta: en del med ett saknat svar får inget värde, och inte heller delarna ovanför. "
        "Kommunen får då inget totalvärde och räknas inte med i rangordning och fördelning."
    ),
    "zero": gettext_lazy(
        "Noll poäng: ett saknat svar räknas som det lägsta svaret (0 poäng). Alla kommuner med "
        "inskickat svar får ett värde, men ett obesvarat svar drar ner det."
    ),
    "reweight": gettext_lazy(
        "Omviktning: ett saknat svar lämnas utanför och de övriga frågornas vikter i samma del "
        "räknas upp så att de summerar till ett. En del helt utan svar viktas om på samma sätt "
        "en nivå upp."
    ),
}
RULE_NAME = {
    "drop": gettext_lazy("utesluta"),
    "zero": gettext_lazy("noll poäng"),
    "reweight": gettext_lazy("omviktning"),
}


# --- permissions --------------------------------------------------------------------------------


def is_coordinator(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    membership = getattr(user, "membership", None)
    return membership is not None and membership.role in (Role.COORDINATOR, Role.ADMIN)


def coordinator_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_coordinator(request.user):
            raise PermissionDenied(_("Bara länets samordnare hanterar enkäter."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _visible_round(request, pk: int) -> SurveyRound:
    """A round whose results the visitor may see: published, or any closed one for the coordinator."""
    rnd = get_object_or_404(SurveyRound.objects.select_related("survey", "area"), pk=pk)
    if rnd.results_published:
        return rnd
    if is_coordinator(request.user) and not rnd.is_open:
        return rnd
    raise Http404(_("Resultaten är inte publicerade."))


# --- the respondent ------------------------------------------------------------------------------


def _question_rows(spec, answers, errors):
    rows = []
    numbers = {}
    n = 0
    for section in spec.sections:
        qs = []
        for q in section.questions:
            n += 1
            numbers[q.key] = n
            if q.type == "yes_no":
                options = scoring.YES_NO_OPTIONS
            elif q.type == "scale":
                options = [(str(v), str(v)) for v in range(q.scale_min, q.scale_max + 1)]
            else:
                options = [(o.key, o.label) for o in q.options]
            value = answers.get(q.key)
            chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
            condition = None
            if q.show_if is not None:
                parent = next(x for x in spec.questions() if x.key == q.show_if.question)
                labels = dict(
                    scoring.YES_NO_OPTIONS
                    if parent.type == "yes_no"
                    else [(o.key, o.label) for o in parent.options]
                )
                condition = {
                    "number": numbers.get(parent.key),
                    "answers": " eller ".join(labels.get(v, v) for v in q.show_if.equals),
                    "active": scoring.is_asked(q, answers),
                }
            qs.append(
                {
                    "q": q,
                    "number": n,
                    "options": [(k, label, k in chosen) for k, label in options],
                    "value": "" if value is None or isinstance(value, list) else value,
                    "empty": value is None or value == "",
                    "error": errors.get(q.key),
                    "condition": condition,
                }
            )
        rows.append({"section": section, "questions": qs})
    return rows


def respond(request, token: str):
    """The personal link: one response, nothing else. Wrong or unknown links get a plain 404."""
    respondent = services.respondent_by_token(token)
    if respondent is None:
        raise Http404(_("Länken är ogiltig."))
    rnd = respondent.round
    spec = rnd.survey.spec
    response = Response.objects.filter(respondent=respondent).first()
    answers = dict(response.answers) if response else {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not rnd.is_open:
            messages.error(request, _("Omgången är stängd. Svaren kan inte längre ändras."))
            status = 409
        else:
            posted, errors = answers_from_post(spec, request.POST)
            submit = "skicka" in request.POST
            if errors:
                answers = posted
                messages.error(
                    request, _("Något svar behöver rättas. Inget har sparats ännu, se nedan.")
                )
                status = 400
            else:
                try:
                    response = services.response_save(
                        respondent=respondent, answers=posted, submit=False
                    )
                    if submit:
                        response = services.response_save(
                            respondent=respondent, answers=posted, submit=True
                        )
                        messages.success(request, _("Tack! Svaren är inskickade."))
                    else:
                        messages.success(
                            request,
                            _("Svaren är sparade som utkast. Du kan fortsätta senare via länken."),
                        )
                    return redirect(request.path)
                except services.SurveyError as exc:
                    messages.error(request, str(exc))
                    response = Response.objects.filter(respondent=respondent).first()
                    answers = dict(response.answers) if response else posted
                    missing = services.unanswered_required(spec, answers)
                    errors = {q.key: _("Frågan behöver besvaras.") for q in missing}
                    status = 400
    frozen = not rnd.is_open
    return render(
        request,
        "surveys/respond.html",
        {
            "round": rnd,
            "survey": spec,
            "respondent": respondent,
            "response": response,
            "rows": _question_rows(spec, answers, errors),
            "errors": errors,
            "frozen": frozen,
            "submitted": response is not None and response.state == ResponseState.SUBMITTED,
            "robots": "noindex",
        },
        status=status,
    )


# --- the coordinator ----------------------------------------------------------------------------


@coordinator_required
def manage(request):
    if request.method == "POST":
        upload = request.FILES.get("fil")
        if upload is None:
            messages.error(request, _("Välj en YAML-fil att läsa in."))
        else:
            try:
                data = upload_read(upload)  # size checked before the file is read
            except UploadRefused as exc:
                return render(
                    request,
                    "surveys/manage.html",
                    _manage_context()
                    | {
                        "problems": [Problem(upload.name, None, "", exc.message)],
                        "file_name": upload.name,
                    },
                    status=400,
                )
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "upload.yaml"
                path.write_bytes(data)
                try:
                    from .loader import load_survey_file  # pydantic models and YAML

                    loaded = load_survey_file(path, display_name=upload.name)
                except ConfigError as exc:
                    return render(
                        request,
                        "surveys/manage.html",
                        _manage_context() | {"problems": exc.problems, "file_name": upload.name},
                        status=400,
                    )
            what = _("Enkäten") if loaded.kind == "survey" else _("Indexet")
            messages.success(request, f"{what} {loaded.title} är inläst.")
            return redirect("surveys:manage")
    return render(request, "surveys/manage.html", _manage_context())


def _manage_context():
    return {
        "surveys": Survey.objects.prefetch_related("indices"),
        "rounds": SurveyRound.objects.select_related("survey"),
    }


def _invitees_from_form(data, groups: dict[str, str]):
    """Recipients from the form: plain addresses, and 'organisation email' lines where the
    organisation is named by its key or, for a municipality, by its SCB code (0180)."""
    invitees: list[services.Invitee] = []
    contacts: dict[int, tuple[Organisation, str]] = {}  # organisation pk → (organisation, email)
    plain: list[str] = []
    problems: list[str] = []
    for i, line in enumerate((data.get("mottagare") or "").splitlines(), start=1):
        parts = line.replace(";", " ").replace(",", " ").split()
        if not parts:
            continue
        if len(parts) == 1 and "@" in parts[0]:
            plain.append(parts[0])
        elif len(parts) == 2 and "@" in parts[1]:
            org = services.invitee_organisation(key=parts[0])
            if org is None:
                if parts[0].isdigit():
                    problems.append(
                        _("Rad %(n)s: ingen kommun har koden '%(code)s'.")
                        % {"n": i, "code": parts[0]}
                    )
                else:
                    problems.append(_("Organisationen '%(key)s' finns inte.") % {"key": parts[0]})
            elif org.pk in contacts:
                problems.append(
                    _("Rad %(n)s: %(org)s står redan på en tidigare rad.") % {"n": i, "org": org}
                )
            else:
                contacts[org.pk] = (org, parts[1])
        else:
            problems.append(
                _(
                    "Rad %(n)s: skriv en e-postadress, eller kommunkod eller organisationsnyckel "
                    "och e-post."
                )
                % {"n": i}
            )
    if data.get("kommuner"):
        county = Area.objects.filter(pk=data.get("lan") or 0, level=AreaLevel.COUNTY).first()
        if county is None:
            problems.append(_("Välj länet vars kommuner ska få enkäten."))
        else:
            for org in services.municipality_organisations(county=county):
                _org, email = contacts.pop(org.pk, (org, ""))
                invitees.append(
                    services.Invitee(
                        organisation=org, email=email, group=groups.get(org.area.code, "")
                    )
                )
    for org, email in contacts.values():
        invitees.append(services.Invitee(organisation=org, email=email))
    invitees += [services.Invitee(email=e) for e in plain]
    return invitees, problems


@coordinator_required
def round_new(request):
    from .loader import size_groups

    surveys = Survey.objects.all()
    counties = Area.objects.filter(level=AreaLevel.COUNTY)
    context = {"surveys": surveys, "counties": counties, "data": request.POST or {}}
    if request.method == "POST":
        problems = []
        survey = Survey.objects.filter(pk=request.POST.get("enkat") or 0).first()
        if survey is None:
            problems.append(_("Välj en enkät."))
        title = (request.POST.get("titel") or "").strip()
        period = (request.POST.get("period") or "").strip()
        if not title:
            problems.append(_("Ange en titel."))
        if not (len(period) == 4 and period.isdigit()):
            problems.append(_("Ange perioden som ett år, till exempel 2025."))
        area = Area.objects.filter(pk=request.POST.get("lan") or 0).first()
        invitees, more = _invitees_from_form(request.POST, size_groups())
        problems += more
        if not problems:
            try:
                rnd = services.round_open(
                    survey=survey,
                    title=title,
                    period=period,
                    invitees=invitees,
                    area=area,
                    user=request.user,
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except services.SurveyError as exc:
                problems.append(str(exc))
            else:
                messages.success(
                    request,
                    _("Omgången är öppnad för %(n)s mottagare.") % {"n": rnd.respondents.count()},
                )
                return redirect("surveys:round", rnd.pk)
        context["problems"] = problems
        return render(request, "surveys/round_new.html", context, status=400)
    return render(request, "surveys/round_new.html", context)


@coordinator_required
def round_detail(request, pk: int):
    rnd = get_object_or_404(SurveyRound.objects.select_related("survey", "area"), pk=pk)
    progress = selectors.round_progress(round=rnd)
    links = [
        (r, services.respondent_link(r, request.build_absolute_uri("/").rstrip("/")))
        for r in progress.non_response
    ]
    return render(
        request,
        "surveys/round.html",
        {
            "round": rnd,
            "progress": progress,
            "rate_text": format_percent(progress.rate, 0) if progress.rate is not None else "–",
            "links": links,
            "free_text": selectors.free_text_answers(round=rnd),
            "indices": rnd.survey.indices.all(),
        },
    )


@require_POST
@coordinator_required
def round_action(request, pk: int, action: str):
    rnd = get_object_or_404(SurveyRound, pk=pk)
    try:
        if action == "paminn":
            n = services.round_remind(
                round=rnd, base_url=request.build_absolute_uri("/").rstrip("/")
            )
            messages.success(request, _("%(n)s påminnelser skickade, en per person.") % {"n": n})
        elif action == "stang":
            services.round_close(round=rnd, user=request.user)
            messages.success(request, _("Omgången är stängd. Svaren är nu låsta."))
        elif action == "publicera":
            if rnd.is_open:
                raise services.SurveyError(_("Stäng omgången innan resultaten publiceras."))
            indices = list(rnd.survey.indices.all())
            for index in indices:
                services.round_publish(round=rnd, index=index, user=request.user)
            if not indices:  # a survey without an index: question summaries only
                SurveyRound.objects.filter(pk=rnd.pk).update(results_published=True)
            messages.success(request, _("Resultaten är publicerade."))
        else:
            raise Http404
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    return redirect("surveys:round", rnd.pk)


@coordinator_required
def response_detail(request, pk: int):
    response = get_object_or_404(
        Response.objects.select_related("respondent__round__survey", "respondent__organisation"),
        pk=pk,
    )
    rnd = response.respondent.round
    spec = rnd.survey.spec
    if request.method == "POST":
        key = request.POST.get("fraga", "")
        question = next((q for q in spec.questions() if q.key == key), None)
        try:
            if question is None:
                raise services.SurveyError(_("Välj en fråga."))
            try:
                value = parse_answer(question, request.POST.get("svar", ""))
            except ValueError as exc:
                raise services.SurveyError(str(exc)) from None
            services.response_revise(
                response=response,
                question=key,
                value=value,
                reason=request.POST.get("skal", ""),
                user=request.user,
            )
            messages.success(request, _("Svaret är ändrat. Ändringen och skälet är sparade."))
            return redirect("surveys:response", response.pk)
        except services.SurveyError as exc:
            messages.error(request, str(exc))
    rows = _question_rows(spec, response.answers, {})
    return render(
        request,
        "surveys/response.html",
        {
            "round": rnd,
            "response": response,
            "rows": rows,
            "revisions": response.revisions.select_related("user"),
            "questions": spec.questions(),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- public results -----------------------------------------------------------------------------


def results_index(request):
    return render(
        request,
        "surveys/index.html",
        {"rounds": selectors.rounds_published(), "coordinator": is_coordinator(request.user)},
    )


def _fmt(value: Decimal | None, decimals: int = 0) -> str:
    return format_number(value, decimals)


def _dist_row(label: str, dist: scoring.Distribution, decimals: int, invited: int | None = None):
    return {
        "label": label,
        "invited": invited,
        "n": dist.n,
        "suppressed": dist.suppressed,
        "cells": [
            _fmt(v, decimals)
            for v in (dist.mean, dist.minimum, dist.q1, dist.median, dist.q3, dist.maximum)
        ],
    }


def _index_for(rnd: SurveyRound) -> CompositeIndex | None:
    return rnd.survey.indices.first()


def results(request, pk: int):
    rnd = _visible_round(request, pk)
    index = _index_for(rnd)
    context = {
        "round": rnd,
        "progress": selectors.round_progress(round=rnd),
        "summaries": selectors.question_summaries(round=rnd),
        "min_n": scoring.MIN_RESPONDENTS,
        "preview": not rnd.results_published,
    }
    context["rate_text"] = format_percent(context["progress"].rate, 0)
    if index is not None:
        res = selectors.round_index_results(round=rnd, index=index)
        spec = res.spec
        d = spec.decimals
        parts = [("total", spec.title)] + [(c.key, c.title) for c in spec.categories]
        dist_rows = [_dist_row(title, res.distribution(key), d) for key, title in parts]
        group_rows = [_dist_row(g, dist, d, invited) for g, invited, dist in res.by_group("total")]
        # Only organisations' own results are shown one by one; a person's never are.
        ranked = [(r, u) for r, u in res.ranked("total") if u.respondent.organisation_id]
        table = []
        for rank_, u in ranked:
            table.append(
                {
                    "rank": rank_,
                    "unit": u,
                    "total": _fmt(u.result.value, d) if u.result else None,
                    "parts": [_fmt(c.value, d) for c in u.result.categories] if u.result else [],
                }
            )
        with_value = [
            (u.label, u.result.value) for _r, u in ranked if u.result and u.result.value is not None
        ]
        total = res.distribution("total")
        chart = None
        if with_value and not total.suppressed:
            desc = _(
                "%(n)s kommuner med värde. Högst %(top)s (%(tv)s), lägst %(low)s (%(lv)s). "
                "Länets median är %(median)s."
            ) % {
                "n": len(with_value),
                "top": with_value[0][0],
                "tv": _fmt(with_value[0][1], d),
                "low": with_value[-1][0],
                "lv": _fmt(with_value[-1][1], d),
                "median": _fmt(total.median, d),
            }
            chart = {
                "svg": bar_chart(
                    labels=[lbl for lbl, _v in with_value],
                    values=[v for _l, v in with_value],
                    title=f"{spec.title} per kommun, {rnd.period}",
                    description=desc,
                    reference=(_("länets median"), total.median),
                ),
                "description": desc,
            }
        context.update(
            {
                "index": index,
                "spec": spec,
                "dist_rows": dist_rows,
                "group_rows": group_rows,
                "table": table,
                "categories": spec.categories,
                "chart": chart,
                "rule": spec.missing_rule,
                "rule_name": RULE_NAME[spec.missing_rule],
                "rules": [(k, RULE_NAME[k], RULE_TEXT[k]) for k in scoring.RULES],
                "references": [
                    {
                        "part": dict(parts).get(r.part, r.part),
                        "area": Area.objects.filter(code=r.area).first() or r.area,
                        "period": r.period,
                        "value": _fmt(r.value, d),
                        "source": r.source_ref,
                    }
                    for r in spec.references
                ],
            }
        )
    return render(request, "surveys/results.html", context)


def drilldown(request, pk: int, code: str):
    rnd = _visible_round(request, pk)
    index = _index_for(rnd)
    if index is None:
        raise Http404
    res = selectors.round_index_results(round=rnd, index=index)
    unit = res.unit(code)
    if unit is None:
        raise Http404(_("Kommunen ingår inte i omgången."))
    spec = res.spec
    labels = {}
    for q in res.questions.values():
        if q.type == "yes_no":
            labels[q.key] = dict(scoring.YES_NO_OPTIONS)
        else:
            labels[q.key] = {o.key: o.label for o in q.options}

    def answer_text(item):
        if not item.asked:
            return _("Frågan ställdes inte (villkoret uppfylldes inte)")
        if item.answer is None or item.answer == [] or item.answer == "":
            return _("Inget svar")
        values = item.answer if isinstance(item.answer, list) else [item.answer]
        return ", ".join(str(labels.get(item.question, {}).get(str(v), v)) for v in values)

    return render(
        request,
        "surveys/drilldown.html",
        {
            "round": rnd,
            "spec": spec,
            "unit": unit,
            "d": spec.decimals,
            "answer_text": answer_text,
            "tree": _tree(unit.result, spec.decimals, answer_text) if unit.result else None,
            "rule": spec.missing_rule,
            "rule_name": RULE_NAME[spec.missing_rule],
            "rule_text": RULE_TEXT[spec.missing_rule],
            "median": _fmt(res.distribution("total").median, spec.decimals),
        },
    )


def _tree(result: scoring.IndexResult, d: int, answer_text):
    cats = []
    for c in result.categories:
        inds = []
        for i in c.children:
            items = [
                {
                    "text": it.text,
                    "answer": answer_text(it),
                    "score": _fmt(it.score, 0) if it.score is not None else None,
                    "weight": format_number(it.weight.normalize(), None),
                    "missing": it.missing,
                }
                for it in i.children
            ]
            inds.append(
                {
                    "title": i.title,
                    "value": _fmt(i.value, d),
                    "weight": format_number(i.weight.normalize(), None),
                    "items": items,
                }
            )
        cats.append(
            {
                "title": c.title,
                "value": _fmt(c.value, d),
                "weight": format_number(c.weight.normalize(), None),
                "indicators": inds,
            }
        )
    return {"value": _fmt(result.value, d), "categories": cats}


def sensitivity(request, pk: int):
    rnd = _visible_round(request, pk)
    index = _index_for(rnd)
    if index is None:
        raise Http404
    res = selectors.round_index_results(round=rnd, index=index)
    d = res.spec.decimals
    rows = [
        {
            "unit": unit,
            "cells": [(_fmt(row.values[r], d), row.ranks[r]) for r in scoring.RULES],
            "missing": row.missing_questions,
            "range": row.rank_range,
        }
        for unit, row in res.sensitivity()
        if unit.respondent.organisation_id  # a person's own index is never shown
    ]
    return render(
        request,
        "surveys/sensitivity.html",
        {
            "round": rnd,
            "spec": res.spec,
            "rows": rows,
            "rules": [(k, RULE_NAME[k], RULE_TEXT[k]) for k in scoring.RULES],
            "rule_name": RULE_NAME[res.spec.missing_rule],
            "changed": sum(1 for r in rows if r["range"]),
        },
    )
