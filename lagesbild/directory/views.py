"""Thin views: the public search, and upkeep for organisation accounts and the coordinator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lagesbild.directory import selectors
from lagesbild.directory.forms import ImportForm, SearchForm, ServiceForm
from lagesbild.directory.models import ReviewState, SupportService
from lagesbild.directory.services import (
    register_import_rows,
    service_review_approve,
    service_save,
    service_verify,
)
from lagesbild.directory.tabular import (
    RegisterImportError,
    read_bytes,
    rows_download,
    service_to_row,
)
from lagesbild.indicators.selectors import data_version
from lagesbild.strategy.models import ViolenceType
from lagesbild.web.caching import cached_response


def search(request):
    # Whole page cached for the public: the register's newest history entry and the day (the
    # search only lists services valid today) make the version.
    version = f"{data_version(extra_models=(SupportService,))}|{timezone.localdate()}"
    return cached_response(request, "support-search", lambda: _search(request), version=version)


def _search(request):
    violence_types = list(ViolenceType.objects.order_by("sort_order"))
    municipalities = selectors.municipalities()
    form = SearchForm(
        request.GET or None, municipalities=municipalities, violence_types=violence_types
    )
    groups = None
    criteria = None
    fallback = []
    if form.is_bound and form.is_valid():
        criteria = form.search_kwargs()
        if criteria is not None:
            groups = selectors.support_search(**criteria)
            if not groups:
                fallback = selectors.national_lines(role=criteria["role"])
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "searched": criteria is not None,
            "groups": groups,
            "has_local": selectors.has_local(groups or []),
            "fallback": fallback,
            "result_count": sum(len(g.services) for g in groups or []),
            "criteria": criteria,
            "municipalities": municipalities,
            "kommun_value": form.municipality_name() if form.is_bound else "",
            "share_url": request.build_absolute_uri(),
        },
    )


def service_detail(request, key: str):
    service = get_object_or_404(
        SupportService.objects.select_related("verified_by").prefetch_related(
            "areas", "exposed_to", "perpetrator_of"
        ),
        key=key,
    )
    can_edit = selectors.can_edit(request.user, service)
    if service.review_state != ReviewState.APPROVED and not can_edit:
        raise Http404  # waiting for the coordinator's review: not public yet
    service.stale = selectors.is_stale(service)
    return render(
        request,
        "directory/service.html",
        {"service": service, "can_edit": can_edit},
    )


def _require_member(user):
    if not selectors.is_register_keeper(user) and selectors.membership_of(user) is None:
        raise PermissionDenied


def _require_keeper(user):
    if not selectors.is_register_keeper(user):
        raise PermissionDenied


@login_required
def manage(request):
    _require_member(request.user)
    services = selectors.editable_services(request.user)
    return render(
        request,
        "directory/manage.html",
        {
            "services": services,
            "keeper": selectors.is_register_keeper(request.user),
            "pending": (
                selectors.pending_services()
                if selectors.is_register_keeper(request.user)
                else services.filter(review_state=ReviewState.PENDING)
            ),
            "stale_limit": timezone.localdate() - selectors.STALE_AFTER,
        },
    )


@login_required
def stale(request):
    _require_keeper(request.user)
    return render(
        request,
        "directory/stale.html",
        {"services": selectors.stale_services(), "today": timezone.localdate()},
    )


def _own_organisation(user):
    m = selectors.membership_of(user)
    return m.organisation if m else None


@login_required
def service_edit(request, key: str | None = None):
    _require_member(request.user)
    service = None
    if key is not None:
        service = get_object_or_404(SupportService.objects.prefetch_related("areas"), key=key)
        if not selectors.can_edit(request.user, service):
            raise PermissionDenied
    form = ServiceForm(request.POST or None, instance=service, user=request.user)
    if request.method == "POST" and form.is_valid():
        if selectors.is_register_keeper(request.user):
            organisation = service.organisation if service else None
        else:
            organisation = _own_organisation(request.user)
        saved, _action = service_save(
            row=form.to_row(organisation=organisation),
            user=request.user,
            reason=form.cleaned_data["reason"],
            service=service,
        )
        messages.success(request, _("Uppgifterna om %(name)s är sparade.") % {"name": saved.name})
        return redirect("directory:manage")
    history = (
        service.history.select_related("history_user").order_by("-history_date")[:20]
        if service
        else []
    )
    return render(
        request, "directory/edit.html", {"form": form, "service": service, "history": history}
    )


@login_required
@require_POST
def verify(request, key: str):
    service = get_object_or_404(SupportService.objects.prefetch_related("areas"), key=key)
    if not selectors.can_edit(request.user, service):
        raise PermissionDenied
    service_verify(service=service, user=request.user)
    messages.success(
        request, _("%(name)s är markerad som kontrollerad i dag.") % {"name": service.name}
    )
    return redirect("directory:manage")


@login_required
@require_POST
def approve(request, key: str):
    """The coordinator approves an entry waiting for review."""
    _require_keeper(request.user)
    service = get_object_or_404(SupportService, key=key)
    service_review_approve(service=service, user=request.user)
    messages.success(request, _("%(name)s är godkänd och visas nu.") % {"name": service.name})
    return redirect("directory:manage")


@login_required
def export(request, fmt: str):
    _require_keeper(request.user)
    rows = [service_to_row(s) for s in selectors.register_all()]
    return rows_download(rows, fmt, f"stodregister-{timezone.localdate().isoformat()}")


@login_required
def import_file(request):
    _require_member(request.user)
    keeper = selectors.is_register_keeper(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = register_import_rows(
                rows=read_bytes(upload, upload.name),  # checked before it is read or opened
                file_name=upload.name,
                user=request.user,
                reason=form.cleaned_data["reason"],
                organisation=None if keeper else _own_organisation(request.user),
            )
        except RegisterImportError as exc:
            problems = [str(p) for p in exc.problems]
        else:
            messages.success(request, _("Inläst: %(result)s.") % {"result": result})
            return redirect("directory:manage")
    status = 400 if problems else 200
    return render(
        request, "directory/import.html", {"form": form, "problems": problems}, status=status
    )
