"""Writes to the support register. Every change is audited (django-simple-history) with who and
why; imports validate everything first and then write in one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from lagesbild.core.yamlschema import Problem
from lagesbild.directory import selectors
from lagesbild.directory.models import RegisterSnapshot, ReviewState, SupportService
from lagesbild.directory.tabular import (
    RegisterImportError,
    ServiceRow,
    read_file,
    row_to_dict,
    service_to_row,
    validate_rows,
)
from lagesbild.indicators.models import ImportKind, ImportRun, Indicator, IndicatorStatus
from lagesbild.indicators.services import ObservationInput, observation_upsert

COVERAGE_BREAKDOWNS = {"violence_type", "target", "provision"}
_STORED = Decimal("1e-10")  # Observation.value keeps ten decimals


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Ange ett skäl till ändringen.")
    return reason


def _row_changes(service: SupportService, row: ServiceRow) -> list[str]:
    """The columns writing the validated row would change in the stored service."""
    before = service_to_row(service)
    wanted = row_to_dict(row)
    if not row.verified_by:
        wanted["verified_by"] = before["verified_by"]
    return [c for c in wanted if wanted[c] != before.get(c)]


def _needs_review(service: SupportService, row: ServiceRow, *, user, changes: list[str]) -> bool:
    """An entry by someone other than the coordinator for an area that is not their own
    municipality waits for review (new, or its provision or areas changed)."""
    if user is None or selectors.is_register_keeper(user):
        return False
    m = selectors.membership_of(user)
    if m is not None and selectors.covers_only_own_area(m.organisation, row.areas):
        return False
    return service.pk is None or bool({"provision", "areas"} & set(changes))


def _apply_row(service: SupportService, row: ServiceRow, *, user, reason: str) -> str:
    """Write one validated row to a service (new or existing); returns the action."""
    created = service.pk is None
    changes = [] if created else _row_changes(service, row)
    if not created and not changes:
        return "unchanged"
    if _needs_review(service, row, user=user, changes=changes):
        service.review_state = ReviewState.PENDING
    for name in ServiceRow.SCALARS:
        setattr(service, name, getattr(row, name))
    if row.verified_by:
        service.verified_by_name = row.verified_by
        if service.verified_by_id and service.verifier != row.verified_by:
            service.verified_by = None
    # One history entry per change, holding the scalars and all three relations: without
    # skipping, simple_history writes a full entry (copying every relation) for the save and for
    # each of the three .set() calls.
    service.skip_history_when_saving = True
    try:
        service.save()
        service.exposed_to.set(row.exposed_to)
        service.perpetrator_of.set(row.perpetrator_of)
        service.areas.set(row.areas)
    finally:
        del service.skip_history_when_saving
    service._change_reason = reason
    if user is not None:
        service._history_user = user
    service.save()
    return "created" if created else "updated"


def service_save(
    *, row: ServiceRow, user=None, reason: str, service: SupportService | None = None
) -> tuple[SupportService, str]:
    """Create or update one service from a validated row; the reason goes into the history."""
    reason = _require_reason(reason)
    with transaction.atomic():
        # Always compare with the stored row: a bound ModelForm has already changed `service`.
        key = row.key if service is None else service.key
        service = SupportService.objects.select_for_update().filter(key=key).first()
        service = service or SupportService(key=row.key)
        action = _apply_row(service, row, user=user, reason=reason)
    return service, action


def service_review_approve(*, service: SupportService, user) -> SupportService:
    """The coordinator approves an entry waiting for review: it becomes public and counts."""
    if not selectors.is_register_keeper(user):
        raise PermissionDenied
    service.review_state = ReviewState.APPROVED
    service._change_reason = "Granskad och godkänd av samordnaren"
    service._history_user = user
    service.save(update_fields=["review_state"])
    return service


def service_verify(*, service: SupportService, user, on: date | None = None) -> SupportService:
    """Record that `user` checked the entry and found it correct."""
    if not selectors.can_edit(user, service):
        raise PermissionDenied
    _mark_verified(service, user, on or timezone.localdate(), "Uppgifterna kontrollerade")
    return service


def _mark_verified(service: SupportService, user, on: date, reason: str) -> None:
    service.verified_on = on
    service.verified_by = user
    service.verified_by_name = user.get_full_name() or user.username
    service._change_reason = reason
    service._history_user = user
    service.save(update_fields=["verified_on", "verified_by", "verified_by_name"])


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        counts = f"{self.created} nya, {self.updated} ändrade, {self.unchanged} oförändrade"
        return counts if self.created or self.updated else f"inget ändrat – {counts}"


def register_import_check(
    *, rows: list[tuple[int, dict[str, str]]], file_name: str, organisation=None
) -> tuple[list[ServiceRow], dict[str, SupportService]]:
    """Validate every row as an import would, without writing anything (a dry run).

    Returns the valid rows and the existing services they refer to (by key); raises
    RegisterImportError naming file, row and column of every problem. With `organisation`
    (the reporting round, or an organisation account) each row must be a service that
    organisation keeps (`selectors.organisation_may_keep`): a new one is assigned to it; an
    existing one whose row leaves `organisation` empty keeps the organisation it has.
    """
    valid = validate_rows(rows, file_name)
    existing = {
        s.key: s
        for s in SupportService.objects.filter(key__in=[r.key for r in valid]).prefetch_related(
            "areas", "exposed_to", "perpetrator_of"
        )
    }
    if organisation is not None:
        problems = []
        for r in valid:
            service = existing.get(r.key)
            if service is not None and not selectors.organisation_may_keep(organisation, service):
                problems.append(
                    Problem(file_name, r.line, "key", "verksamheten hör till en annan organisation")
                )
            if r.organisation is not None and r.organisation != organisation:
                problems.append(
                    Problem(
                        file_name,
                        r.line,
                        "organisation",
                        f"du kan bara rapportera för {organisation}",
                    )
                )
            if r.organisation is None:
                # A new entry is the organisation's; an existing one keeps its organisation
                # (an egen regi entry kept through its area stays without one).
                r.organisation = service.organisation if service is not None else organisation
            if not selectors.own_service_areas_ok(organisation, r.provision, r.areas):
                problems.append(
                    Problem(
                        file_name,
                        r.line,
                        "areas",
                        "egen regi kan bara gälla den egna kommunen och dess stadsdelar och "
                        "anges bara av kommunen själv",
                    )
                )
        if problems:
            raise RegisterImportError(problems)
    return valid, existing


@dataclass
class RowChange:
    """What a checked row would do to the register: `created`, `updated` or `unchanged`."""

    key: str
    name: str
    action: str
    columns: list[str] = field(default_factory=list)  # the changed columns, for `updated`


def register_import_preview(
    *, rows: list[tuple[int, dict[str, str]]], file_name: str, organisation=None
) -> list[RowChange]:
    """The dry run's outcome per row, in file order; writes nothing."""
    valid, existing = register_import_check(
        rows=rows, file_name=file_name, organisation=organisation
    )
    out = []
    for r in valid:
        service = existing.get(r.key)
        columns = [] if service is None else _row_changes(service, r)
        if service is None:
            action = "created"
        else:
            action = "updated" if columns else "unchanged"
        out.append(RowChange(r.key, r.name, action, columns))
    return out


def register_import_rows(
    *,
    rows: list[tuple[int, dict[str, str]]],
    file_name: str,
    user=None,
    reason: str,
    organisation=None,
) -> ImportResult:
    """Validate every row (`register_import_check`), then write all of them in one
    transaction (or nothing)."""
    reason = _require_reason(reason)
    valid, existing = register_import_check(
        rows=rows, file_name=file_name, organisation=organisation
    )
    result = ImportResult()
    with transaction.atomic():
        for r in valid:
            service = existing.get(r.key) or SupportService(key=r.key)
            action = _apply_row(service, r, user=user, reason=reason)
            setattr(result, action, getattr(result, action) + 1)
    return result


def register_import_file(*, path: Path, user=None, reason: str = "") -> ImportResult:
    path = Path(path)
    return register_import_rows(
        rows=read_file(path),
        file_name=path.name,
        user=user,
        reason=reason or f"Import från {path.name}",
    )


def directory_submission_apply(
    *, organisation, rows: list[tuple[int, dict[str, str]]], user, reason: str, file_name: str
) -> ImportResult:
    """For the reporting round (submission kind DIRECTORY): apply an organisation's approved
    register rows, all or nothing, checking that each row is the organisation's to keep (the
    organisation's, not the approver's: a coordinator approves, the municipality's rights apply).
    """
    return register_import_rows(
        rows=rows, file_name=file_name, user=user, reason=reason, organisation=organisation
    )


def organisation_services_verify(*, organisation, user, reason: str, on: date | None = None) -> int:
    """Mark every service the organisation keeps as checked on `on` (default today) by `user`,
    with `reason` in the history: the reporting round's "nothing to change". Returns the count."""
    reason = _require_reason(reason)
    on = on or timezone.localdate()
    n = 0
    with transaction.atomic():
        for service in selectors.organisation_services(organisation):
            _mark_verified(service, user, on, reason)
            n += 1
    return n


# --------------------------------------------------------------------------------- coverage


def coverage_indicator(code: str | None = None) -> Indicator:
    """The indicator the coverage feeds: `code`, or the one active indicator broken down by
    violence_type, target and provision (S4.3 in the Stockholm catalogue)."""
    if code:
        try:
            return Indicator.objects.get(code=code)
        except Indicator.DoesNotExist:
            raise ValueError(f"Indikatorn {code} finns inte i katalogen.") from None
    found = [
        i
        for i in Indicator.objects.filter(memberships__status=IndicatorStatus.ACTIVE).distinct()
        if set(i.breakdowns or []) == COVERAGE_BREAKDOWNS
    ]
    if len(found) != 1:
        raise ValueError(
            "Hittar inte en entydig täckningsindikator (uppdelning violence_type, target, "
            f"provision); fann {len(found)}. Ange --indicator."
        )
    return found[0]


def register_snapshot_create(*, on: date, period: str, user=None) -> RegisterSnapshot:
    """Freeze the register as of `on`: its rows, the per-municipality coverage and a hash."""
    services = selectors.register_as_of(on)
    rows = [service_to_row(s) for s in services]
    cells, detail = selectors.coverage_as_of(on=on, services=services)
    payload = json.dumps(
        {"as_of": on.isoformat(), "register": rows}, ensure_ascii=False, sort_keys=True
    )
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    same = RegisterSnapshot.objects.filter(as_of=on, period=period, sha256=digest).first()
    if same is not None:
        return same  # the register has not changed since: the same provenance
    return RegisterSnapshot.objects.create(
        as_of=on,
        period=period,
        sha256=digest,
        register=rows,
        coverage=detail,
        service_count=len(rows),
        municipality_count=cells[0].denominator if cells else 0,
        created_by=user,
    )


@dataclass
class CoverageResult:
    snapshot: RegisterSnapshot
    import_run: ImportRun
    counts: dict[str, int]
    cells: list[selectors.CoverageCell]


def coverage_store(
    *, on: date, period: str | None = None, user=None, indicator_code: str | None = None
) -> CoverageResult:
    """Compute the coverage as of `on` and store it as published observations of the coverage
    indicator for `period` (default: the year of `on`), with the snapshot as provenance."""
    period = period or str(on.year)
    indicator = coverage_indicator(indicator_code)
    county = selectors.home_county()
    if county is None:
        raise ValueError("Ingen strategi är inläst: länet är okänt.")
    with transaction.atomic():
        snapshot = register_snapshot_create(on=on, period=period, user=user)
        cells, _detail = selectors.coverage_as_of(on=on, county=county)
        if not cells or cells[0].denominator == 0:
            raise ValueError(f"Inga kommuner i {county} den {on:%Y-%m-%d}.")
        run = ImportRun.objects.filter(
            kind=ImportKind.DIRECTORY, object_id=snapshot.pk, sha256=snapshot.sha256
        ).first() or ImportRun.objects.create(
            kind=ImportKind.DIRECTORY,
            source=f"Stödregistret per {on:%Y-%m-%d}",
            file_name=f"stodregister-{on:%Y-%m-%d}",
            sha256=snapshot.sha256,
            user=user,
            content_type=ContentType.objects.get_for_model(RegisterSnapshot),
            object_id=snapshot.pk,
        )
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for cell in cells:
            n = cell.numerator
            data = ObservationInput(
                indicator=indicator,
                area=county,
                period=period,
                breakdown={
                    "violence_type": cell.violence_type,
                    "target": cell.target,
                    "provision": cell.provision,
                },
                value=cell.share.quantize(_STORED),
                numerator=n,
                denominator=cell.denominator,
                source_ref=f"Stödregistret per {on:%Y-%m-%d} (ögonblicksbild {snapshot.pk})",
            )
            _obs, action = observation_upsert(
                data=data,
                import_run=run,
                user=user,
                reason=f"Härlett ur stödregistret per {on:%Y-%m-%d}",
            )
            counts[action] += 1
        run.finished_at = timezone.now()
        run.summary = counts
        run.save(update_fields=["finished_at", "summary"])
    return CoverageResult(snapshot, run, counts, cells)
