"""Reporting pages: thin views over access rules, selectors and services.

Anonymous visitors are sent to the login page; logged-in people without a reporting role get
403; a submission another organisation owns is 404 (its existence is not disclosed).
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lagesbild.directory.selectors import organisation_services
from lagesbild.directory.tabular import (
    RegisterImportError,
    read_bytes,
    rows_download,
)
from lagesbild.reporting import access, excel, selectors, services
from lagesbild.reporting.forms import (
    CommentForm,
    DirectoryUploadForm,
    RoundOpenForm,
    SubmissionForm,
    TransitionForm,
    UploadForm,
)
from lagesbild.reporting.models import ReportingRound, Submission, SubmissionState


def _reporting_user(request):
    if not access.may_use_reporting(request.user):
        raise PermissionDenied(_("Du har ingen roll i rapporteringen. Kontakta samordnaren."))


def _coordinator(request):
    if not access.is_coordinator(request.user):
        raise PermissionDenied(_("Sidan är bara för samordnare."))


def _round(year: int) -> ReportingRound:
    return get_object_or_404(ReportingRound.objects.select_related("plan"), year=year)


def _submission(request, year: int, pk: int) -> Submission:
    return get_object_or_404(
        access.visible_submissions(request.user).select_related("round__plan"),
        round__year=year,
        pk=pk,
    )


@login_required
def index(request):
    _reporting_user(request)
    rounds = []
    for rnd in ReportingRound.objects.all():
        subs = access.visible_submissions(request.user).filter(round=rnd)
        counts = Counter(subs.values_list("state", flat=True))
        rounds.append(
            {
                "round": rnd,
                "total": sum(counts.values()),
                "counts": [
                    (label, counts.get(value, 0)) for value, label in SubmissionState.choices
                ],
                "days_left": (rnd.closes_on - timezone.localdate()).days,
            }
        )
    return render(
        request,
        "reporting/index.html",
        {"rounds": rounds, "is_coordinator": access.is_coordinator(request.user)},
    )


@login_required
def round_open(request):
    _coordinator(request)
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["include_end_of_plan"]
        try:
            rnd = services.round_open(
                year=form.cleaned_data["year"],
                plan=form.cleaned_data["plan"],
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                user=request.user,
                include_end_of_plan={"auto": None, "yes": True, "no": False}[choice],
                extra_measures=form.cleaned_data["extra_measures"],
                include_directory=form.cleaned_data["include_directory"],
            )
        except services.ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Omgången %(year)s är öppnad med %(n)s inrapporteringar.")
                % {"year": rnd.year, "n": rnd.submissions.count()},
            )
            return redirect("reporting-round", year=rnd.year)
    return render(request, "reporting/round_open.html", {"form": form})


@login_required
def round_detail(request, year: int):
    _reporting_user(request)
    rnd = _round(year)
    subs = (
        access.visible_submissions(request.user)
        .filter(round=rnd)
        .order_by("measure__sort_key", "organisation__name")
    )
    return render(
        request,
        "reporting/round.html",
        {
            "round": rnd,
            "submissions": subs,
            "days_left": (rnd.closes_on - timezone.localdate()).days,
            "is_coordinator": access.is_coordinator(request.user),
            "may_upload": access.can_upload(request.user, rnd),
        },
    )


@login_required
def workbook(request, year: int):
    _reporting_user(request)
    rnd = _round(year)
    data = excel.workbook_build(user=request.user, round=rnd)
    org = access.membership(request.user)
    name = f"rapportering-{rnd.year}-{org.organisation.key if org else 'alla'}.xlsx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def upload(request, year: int):
    _reporting_user(request)
    rnd = _round(year)
    form = UploadForm(request.POST or None, request.FILES or None)
    may_upload = access.can_upload(request.user, rnd)
    errors: list = []
    status = 200
    if request.method == "POST" and not may_upload:
        status = 403
    elif request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                plan = excel.upload_parse(upload=f, user=request.user, round=rnd)
                n = excel.upload_apply(plan=plan, user=request.user, file_name=f.name)
            except excel.UploadRejected as exc:
                errors = exc.errors
                status = 400
            except services.ReportingError as exc:
                errors = [excel.UploadError("", None, "", str(exc))]
                status = 409
            else:
                messages.success(
                    request,
                    _(
                        "Filen är inläst: %(n)s inrapporteringar uppdaterade, %(u)s oförändrade. "
                        "Glöm inte att skicka in dem."
                    )
                    % {"n": n, "u": plan.unchanged},
                )
                return redirect("reporting-round", year=rnd.year)
        else:
            status = 400
    return render(
        request,
        "reporting/upload.html",
        {"round": rnd, "form": form, "errors": errors, "may_upload": may_upload},
        status=status,
    )


@login_required
def overview(request, year: int):
    _coordinator(request)
    rnd = _round(year)
    matrix = selectors.round_matrix(round=rnd)
    days = (rnd.closes_on - timezone.localdate()).days
    return render(
        request,
        "reporting/overview.html",
        {"round": rnd, "days_left": days, "days_late": -days, **matrix},
    )


@login_required
@require_POST
def round_close(request, year: int):
    _coordinator(request)
    rnd = _round(year)
    try:
        services.round_close(round=rnd, user=request.user)
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Omgången %(year)s är stängd. Rapportörerna kan inte längre spara eller "
                "skicka in; du kan fortfarande granska och godkänna."
            )
            % {"year": rnd.year},
        )
    return redirect("reporting-overview", year=rnd.year)


@login_required
def submission_detail(request, year: int, pk: int):
    _reporting_user(request)
    sub = _submission(request, year, pk)
    if sub.is_directory:
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return _directory_page(request, sub)
    editable = access.can_edit(request.user, sub)
    conflict = None
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Inrapporteringen kan inte ändras i sitt nuvarande läge."))
        form = SubmissionForm(request.POST, submission=sub)
        if form.is_valid():
            try:
                services.submission_update(
                    submission=sub,
                    user=request.user,
                    version=form.cleaned_data["version"],
                    implementation_status=form.cleaned_data["implementation_status"],
                    narrative_source=form.cleaned_data["narrative_source"],
                    values=form.cleaned_data["values"],
                )
            except services.ConflictError as exc:
                conflict = str(exc)
                status = 409
                sub.refresh_from_db()
            except services.ReportingError as exc:
                form.add_error(None, str(exc))
                for p in exc.problems:
                    form.add_error(None, p)
                status = 400
            else:
                messages.success(request, _("Sparat. Inrapporteringen är inte inskickad ännu."))
                return redirect("reporting-submission", year=year, pk=sub.pk)
        else:
            status = 400
    else:
        form = SubmissionForm(submission=sub)
    return render(
        request,
        "reporting/submission.html",
        {
            "submission": sub,
            "form": form if editable else None,
            "conflict": conflict,
            "moves": services.allowed_moves(submission=sub, user=request.user),
            "transition_form": TransitionForm(),
            "comment_form": CommentForm() if access.can_comment(request.user, sub) else None,
            "problems": services.submission_problems(sub) if editable else [],
            "values": sub.values.select_related("indicator", "area"),
        },
        status=status,
    )


def _directory_submission(request, year: int, pk: int) -> Submission:
    sub = _submission(request, year, pk)
    if not sub.is_directory:
        raise Http404
    return sub


def _directory_page(
    request, sub: Submission, *, form=None, errors=(), conflict: str = "", status: int = 200
):
    """A support register submission: download, upload, what would change, workflow."""
    editable = access.can_edit(request.user, sub)
    preview_problems: list[str] = []
    try:
        changes = services.directory_preview(sub)
    except services.ReportingError as exc:
        changes, preview_problems = [], [str(exc), *exc.problems]
    counts = Counter(c.action for c in changes)
    if editable and form is None:
        form = DirectoryUploadForm(initial={"version": sub.version})
    return render(
        request,
        "reporting/directory_submission.html",
        {
            "submission": sub,
            "form": form if editable else None,
            "errors": list(errors),
            "conflict": conflict,
            "changes": changes,
            "counts": {a: counts.get(a, 0) for a in ("created", "updated", "unchanged")},
            "preview_problems": preview_problems,
            "service_count": organisation_services(sub.organisation).count(),
            "moves": services.allowed_moves(submission=sub, user=request.user),
            "transition_form": TransitionForm(),
            "comment_form": CommentForm() if access.can_comment(request.user, sub) else None,
        },
        status=status,
    )


@login_required
def directory_export(request, year: int, pk: int, fmt: str):
    """The organisation's own register rows, to look over and upload again."""
    _reporting_user(request)
    sub = _directory_submission(request, year, pk)
    rows = selectors.directory_export_rows(submission=sub)
    return rows_download(rows, fmt, f"stodregister-{sub.round.year}-{sub.organisation.key}")


@login_required
@require_POST
def directory_upload(request, year: int, pk: int):
    """A changed register file: checked in full, stored on the submission (not yet in the
    register). Any problem: every one is listed with row and column, and nothing is stored."""
    _reporting_user(request)
    sub = _directory_submission(request, year, pk)
    if not access.can_edit(request.user, sub):
        raise PermissionDenied(_("Inrapporteringen kan inte ändras i sitt nuvarande läge."))
    form = DirectoryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _directory_page(request, sub, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        rows = read_bytes(upload, upload.name)  # checked before it is read or opened
        changes = services.directory_upload(
            submission=sub,
            user=request.user,
            version=form.cleaned_data["version"],
            rows=rows,
            file_name=upload.name,
        )
    except RegisterImportError as exc:
        return _directory_page(request, sub, form=form, errors=exc.problems, status=400)
    except services.ConflictError as exc:
        sub.refresh_from_db()
        return _directory_page(request, sub, conflict=str(exc), status=409)
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc))
    except services.ReportingError as exc:
        return _directory_page(
            request, sub, form=form, errors=[str(exc), *exc.problems], status=400
        )
    counts = Counter(c.action for c in changes)
    messages.success(
        request,
        _(
            "Filen är kontrollerad och sparad: %(new)s nya, %(changed)s ändrade och "
            "%(same)s oförändrade verksamheter. Stödregistret ändras när samordnaren godkänner "
            "inrapporteringen; glöm inte att skicka in den."
        )
        % {
            "new": counts.get("created", 0),
            "changed": counts.get("updated", 0),
            "same": counts.get("unchanged", 0),
        },
    )
    return redirect("reporting-submission", year=year, pk=sub.pk)


@login_required
@require_POST
def transition(request, year: int, pk: int, action: str):
    _reporting_user(request)
    sub = _submission(request, year, pk)
    if action not in services.TRANSITIONS:
        raise Http404
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.submission_transition(
            submission=sub,
            user=request.user,
            action=action,
            comment=form.cleaned_data.get("comment", ""),
            version=form.cleaned_data.get("version"),
        )
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc))
    except services.ReportingError as exc:
        messages.error(request, " ".join([str(exc), *exc.problems]))
    else:
        messages.success(
            request,
            _("Inrapporteringen är nu %(state)s.") % {"state": sub.get_state_display().lower()},
        )
    return redirect("reporting-submission", year=year, pk=sub.pk)


@login_required
@require_POST
def comment(request, year: int, pk: int):
    _reporting_user(request)
    sub = _submission(request, year, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(submission=sub, user=request.user, text=form.cleaned_data["text"])
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc))
        messages.success(request, _("Kommentaren är sparad."))
    else:
        messages.error(request, _("Kommentaren är tom."))
    return redirect("reporting-submission", year=year, pk=sub.pk)


@login_required
def audit(request, year: int, pk: int):
    _reporting_user(request)
    sub = _submission(request, year, pk)
    return render(
        request,
        "reporting/audit.html",
        {"submission": sub, "events": selectors.submission_audit(submission=sub)},
    )
