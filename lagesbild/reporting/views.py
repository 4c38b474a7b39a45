"""Reporting pages: thin views over access rules, selectors and services.

Anonymous visitors are sent to the login page; logged-in people without a reporting role get
403; a submission another organisation owns is 404 (its existence is not disclosed).
"""

from __future__ import annotations

import datetime as dt
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
    InviteForm,
    MembershipForm,
    NotificationSettingsForm,
    OverviewFilterForm,
    ReminderScheduleForm,
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
    own = access.reporting_organisation_ids(request.user)
    return render(
        request,
        "reporting/round.html",
        {
            "round": rnd,
            "submissions": subs,
            "days_left": (rnd.closes_on - timezone.localdate()).days,
            "is_coordinator": access.is_coordinator(request.user),
            "may_upload": access.can_upload(request.user, rnd),
            "editable_count": sum(
                1 for s in subs if s.organisation_id in own and access.can_edit(request.user, s)
            ),
            "reminder_form": ReminderScheduleForm(
                initial={"day": timezone.localdate() + dt.timedelta(days=1)}
            )
            if access.is_coordinator(request.user) and not rnd.closed
            else None,
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
    """The coordinator's list of the round's submissions, filtered (att granska, försenade,
    organisation, goal), with boxes to approve several at once; the measures × organisations
    grid is behind ?vy=matris."""
    _coordinator(request)
    rnd = _round(year)
    days = (rnd.closes_on - timezone.localdate()).days
    context = {"round": rnd, "days_left": days, "days_late": -days}
    if request.GET.get("vy") == "matris":
        context.update(selectors.round_matrix(round=rnd), view="matrix")
        return render(request, "reporting/overview.html", context)
    filters = OverviewFilterForm(request.GET or None, round=rnd)
    data = filters.cleaned_data if filters.is_valid() else {}
    subs = selectors.round_submissions(
        round=rnd,
        state=data.get("lage") or "",
        organisation_id=data.get("organisation"),
        goal_id=data.get("mal"),
    )
    counts = Counter(Submission.objects.filter(round=rnd).values_list("state", flat=True))
    context.update(
        view="list",
        filters=filters,
        submissions=subs,
        totals=[(label, counts.get(value, 0)) for value, label in SubmissionState.choices],
    )
    return render(request, "reporting/overview.html", context)


def _public_consequences(subs) -> list[dict]:
    """What approving each submission makes public, and where."""
    out = []
    for sub in subs:
        values = [
            v
            for v in sub.values.select_related("indicator", "area")
            if v.value is not None or v.missing_reason
        ]
        item = {"submission": sub, "values": values, "directory": None}
        if sub.is_directory:
            try:
                changes = services.directory_preview(sub)
            except services.ReportingError as exc:
                item["directory_problems"] = [str(exc), *exc.problems]
                changes = []
            item["directory"] = Counter(c.action for c in changes)
        out.append(item)
    return out


@login_required
def approve(request, year: int, pk: int):
    """Before approving: what becomes public and where; the button posts the confirmation."""
    _coordinator(request)
    sub = _submission(request, year, pk)
    return render(
        request,
        "reporting/approve.html",
        {
            "round": sub.round,
            "items": _public_consequences([sub]),
            "submission": sub,
            "may_approve": sub.state == SubmissionState.SUBMITTED,
        },
    )


@login_required
@require_POST
def approve_many(request, year: int):
    """Approve several submitted submissions from the overview: the first POST (the ticked
    boxes) shows what becomes public; the second (confirm=ja) approves each, with the version
    shown, and says what happened to each."""
    _coordinator(request)
    rnd = _round(year)
    ids = [int(i) for i in request.POST.getlist("submission") if i.isdigit()]
    subs = list(
        Submission.objects.filter(round=rnd, pk__in=ids, state=SubmissionState.SUBMITTED)
        .select_related("round", "measure", "organisation")
        .order_by("measure__sort_key", "organisation__name")
    )
    if not subs:
        messages.error(request, _("Välj minst en inskickad inrapportering att godkänna."))
        return redirect("reporting-overview", year=rnd.year)
    if request.POST.get("confirm") != "ja":
        return render(
            request,
            "reporting/approve.html",
            {"round": rnd, "items": _public_consequences(subs), "many": True, "may_approve": True},
        )
    approved, refused = 0, []
    for sub in subs:
        version = request.POST.get(f"version_{sub.pk}", "")
        try:
            services.submission_transition(
                submission=sub,
                user=request.user,
                action="godkann",
                version=int(version) if version.isdigit() else None,
            )
        except services.ReportingError as exc:
            refused.append(f"{sub}: {' '.join([str(exc), *exc.problems])}")
        else:
            approved += 1
    if approved:
        messages.success(request, _("%(n)s inrapporteringar är godkända.") % {"n": approved})
    for line in refused:
        messages.error(request, line)
    return redirect("reporting-overview", year=rnd.year)


@login_required
@require_POST
def submit_all(request, year: int):
    """ "Skicka in alla": each of the user's drafts in the round is checked and sent in."""
    _reporting_user(request)
    rnd = _round(year)
    outcomes = services.submissions_submit_all(user=request.user, round=rnd)
    sent = [o for o in outcomes if o.sent]
    held = [o for o in outcomes if not o.sent]
    return render(
        request,
        "reporting/submit_all.html",
        {"round": rnd, "sent": sent, "held": held},
    )


@login_required
@require_POST
def reminders_schedule(request, year: int):
    """The coordinator schedules the round's reminders (a task run at the chosen time)."""
    from lagesbild.reporting.tasks import enqueue_after_commit, round_reminders_send

    _coordinator(request)
    rnd = _round(year)
    form = ReminderScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange dag och klockslag för påminnelsen."))
        return redirect("reporting-round", year=rnd.year)
    when = timezone.make_aware(
        dt.datetime.combine(form.cleaned_data["day"], form.cleaned_data["time"])
    )
    if when < timezone.now() or rnd.closed:
        messages.error(request, _("Välj en tid som inte har passerat, i en öppen omgång."))
        return redirect("reporting-round", year=rnd.year)
    enqueue_after_commit(round_reminders_send, rnd.pk, run_after=when)
    messages.success(
        request,
        _(
            "Påminnelsen skickas %(when)s till alla som har något kvar att skicka in "
            "(högst en per person och dag)."
        )
        % {"when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")},
    )
    return redirect("reporting-round", year=rnd.year)


@login_required
def notification_settings(request):
    """Each user chooses which e-mails they get, and in which language."""
    from lagesbild.reporting import people
    from lagesbild.reporting.notifications import notification_settings as prefs_of

    _reporting_user(request)
    form = NotificationSettingsForm(request.POST or None, prefs=prefs_of(request.user))
    if request.method == "POST" and form.is_valid():
        people.notification_settings_set(
            user=request.user, language=form.cleaned_data["language"], kinds=form.kinds()
        )
        messages.success(request, _("Dina val för e-post är sparade."))
        return redirect("reporting-settings")
    return render(request, "reporting/settings.html", {"form": form})


# ---------------------------------------------------------------- people (coordinator)


@login_required
def people_list(request):
    from django.contrib.auth.models import User

    _coordinator(request)
    users = User.objects.select_related("membership__organisation").order_by(
        "-is_active", "membership__organisation__name", "username"
    )
    return render(request, "reporting/people/list.html", {"users": users})


@login_required
def person_invite(request):
    from lagesbild.reporting import people

    _coordinator(request)
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = people.person_invite(
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    organisation=form.cleaned_data["organisation"],
                    role=form.cleaned_data["role"],
                    language=form.cleaned_data["language"],
                    base=request.build_absolute_uri("/"),
                )
            except services.ReportingError as exc:
                form.add_error("email", str(exc))
                status = 400
            else:
                messages.success(
                    request,
                    _("Inbjudan är skickad till %(e)s.") % {"e": user.email},
                )
                return redirect("reporting-person", pk=user.pk)
        else:
            status = 400
    return render(request, "reporting/people/invite.html", {"form": form}, status=status)


@login_required
def person_detail(request, pk: int):
    from django.contrib.auth.models import User

    from lagesbild.core.models import Membership
    from lagesbild.reporting import people

    _coordinator(request)
    person = get_object_or_404(User, pk=pk)
    membership = Membership.objects.filter(user=person).select_related("organisation").first()
    form = MembershipForm(
        initial={"organisation": membership.organisation_id, "role": membership.role}
        if membership
        else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "medlemskap":
                form = MembershipForm(request.POST)
                if not form.is_valid():
                    raise services.ReportingError(_("Välj organisation och roll."))
                people.membership_set_by(
                    actor=request.user,
                    user=person,
                    organisation=form.cleaned_data["organisation"],
                    role=form.cleaned_data["role"],
                )
                messages.success(request, _("Medlemskapet är sparat."))
            elif action == "ta-bort-medlemskap":
                people.membership_remove_by(actor=request.user, user=person)
                messages.success(request, _("Medlemskapet är borttaget."))
            elif action in ("avaktivera", "aktivera"):
                people.person_set_active(
                    actor=request.user,
                    user=person,
                    active=action == "aktivera",
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request,
                    _("Kontot är avaktiverat.")
                    if action == "avaktivera"
                    else _("Kontot är aktivt igen."),
                )
            elif action == "skicka-inbjudan":
                people.invitation_send(
                    actor=request.user, user=person, base=request.build_absolute_uri("/")
                )
                messages.success(request, _("Inbjudan är skickad igen."))
            else:
                return HttpResponse(status=400)
        except services.ReportingError as exc:
            messages.error(request, str(exc))
        return redirect("reporting-person", pk=person.pk)
    return render(
        request,
        "reporting/people/detail.html",
        {
            "person": person,
            "membership": membership,
            "form": form,
            "events": person.people_events.select_related("actor")[:100],
        },
    )


@login_required
def round_close(request, year: int):
    """GET: what is still missing, and a confirmation; POST with confirm=ja closes."""
    _coordinator(request)
    rnd = _round(year)
    if request.method != "POST" or request.POST.get("confirm") != "ja":
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        return render(
            request,
            "reporting/round_close.html",
            {
                "round": rnd,
                "missing": services.round_missing(round=rnd),
                "days_left": (rnd.closes_on - timezone.localdate()).days,
            },
        )
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
        submit = request.POST.get("action") == "skicka-in"
        form = SubmissionForm(request.POST, submission=sub)
        if form.is_valid():
            try:
                saved = services.submission_update(
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
                if not submit:
                    messages.success(request, _("Sparat. Inrapporteringen är inte inskickad ännu."))
                    return redirect("reporting-submission", year=year, pk=sub.pk)
                # "Skicka in": what was typed is saved first, then checked and sent in.
                try:
                    services.submission_transition(
                        submission=saved,
                        user=request.user,
                        action="skicka-in",
                        version=saved.version,
                    )
                except services.ReportingError as exc:
                    sub = saved
                    data = request.POST.copy()
                    data["version"] = str(saved.version)
                    form = SubmissionForm(data, submission=saved)
                    form.is_valid()
                    form.add_error(
                        None,
                        _("Det du skrev är sparat som utkast men inte inskickat: %(why)s")
                        % {"why": str(exc)},
                    )
                    for p in exc.problems:
                        form.add_error(None, p)
                    status = 400
                else:
                    messages.success(request, _("Sparat och inskickat till samordnaren."))
                    return redirect("reporting-submission", year=year, pk=sub.pk)
        else:
            status = 400
            if submit:
                form.add_error(
                    None, _("Inget sparades och inget skickades in; rätta det som är markerat.")
                )
    else:
        form = SubmissionForm(submission=sub)
    return render(
        request,
        "reporting/submission.html",
        {
            "submission": sub,
            "form": form if editable else None,
            "conflict": conflict,
            # with the form on the page, "Skicka in" is the form's own button (save, then send)
            "moves": [
                (name, move)
                for name, move in services.allowed_moves(submission=sub, user=request.user)
                if not (editable and name == "skicka-in")
            ],
            "transition_form": TransitionForm(),
            "comment_form": CommentForm() if access.can_comment(request.user, sub) else None,
            "problems": services.submission_problems(sub) if editable else [],
            "values": sub.values.select_related("indicator", "area"),
            "may_submit": editable
            and any(
                name == "skicka-in"
                for name, _m in services.allowed_moves(submission=sub, user=request.user)
            ),
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
    if (
        action == "godkann"
        and access.is_coordinator(request.user)
        and request.POST.get("confirm") != "ja"
    ):
        # approval publishes: it is confirmed on the page that shows what becomes public
        return redirect("reporting-approve", year=year, pk=sub.pk)
    value_comments = {
        int(key.removeprefix("value_comment_")): text
        for key, text in request.POST.items()
        if key.startswith("value_comment_") and key.removeprefix("value_comment_").isdigit()
    }
    try:
        services.submission_transition(
            submission=sub,
            user=request.user,
            action=action,
            comment=form.cleaned_data.get("comment", ""),
            version=form.cleaned_data.get("version"),
            value_comments=value_comments,
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
