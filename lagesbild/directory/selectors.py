"""Reads of the support register: the public search, coverage as of a date, stale entries,
and who may edit what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lagesbild.core.models import Area, AreaLevel, Role
from lagesbild.directory.models import Provision, ReviewState, SupportService, TargetGroup
from lagesbild.indicators.stats import share_from_counts
from lagesbild.strategy.models import Strategy, ViolenceType

ADULT_AGE = 18
STALE_AFTER = timedelta(days=365)


class Reach:
    """Where a result comes from, in the order the search lists them."""

    OWN = 1
    AGREEMENT = 2
    COUNTY = 3
    NATIONAL = 4
    LABELS = {
        OWN: _("I kommunen"),
        AGREEMENT: _("Genom avtal mellan kommuner"),
        COUNTY: _("För hela länet"),
        NATIONAL: _("Nationella stödlinjer och verksamheter"),
    }


SEX_CHOICES = {
    "kvinna": _("kvinna"),
    "man": _("man"),
    "flicka": _("flicka"),
    "pojke": _("pojke"),
    "annan": _("annan eller vill inte ange"),
}
ROLE_CHOICES = {
    "utsatt": _("är utsatt för våld"),
    "utovare": _("utövar eller riskerar att utöva våld"),
}
_FEMALE = {"kvinna", "flicka"}
_MALE = {"man", "pojke"}


def home_county() -> Area | None:
    """The county the current strategy covers (no county named in code)."""
    strategy = Strategy.objects.select_related("area").order_by("-period_start").first()
    return strategy.area if strategy else None


def municipalities(*, county: Area | None = None, on: date | None = None) -> list[Area]:
    county = county or home_county()
    if county is None:
        return []
    qs = Area.objects.filter(level=AreaLevel.MUNICIPALITY, parent=county)
    if on is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    return list(qs.order_by("name"))


def target_groups_for(sex: str, age: int | None) -> set[str] | None:
    """The target groups a person belongs to; None: no gender given (no filter)."""
    if not sex:
        return None
    if sex == "annan":
        return {TargetGroup.LGBTQI}
    if sex in _FEMALE:
        if age is None:
            return {TargetGroup.GIRLS if sex == "flicka" else TargetGroup.WOMEN}
        return {TargetGroup.GIRLS if age < ADULT_AGE else TargetGroup.WOMEN}
    if age is None:
        return {TargetGroup.BOYS if sex == "pojke" else TargetGroup.MEN}
    return {TargetGroup.BOYS if age < ADULT_AGE else TargetGroup.MEN}


def _serves_group(service: SupportService, groups: set[str] | None, age: int | None) -> bool:
    if groups is None or not service.target_groups:
        return True
    offered = set(service.target_groups)
    if groups & offered:
        return True
    if TargetGroup.LGBTQI in groups:
        # Someone who does not state a gender: a service for both sexes (of that age) fits.
        adult = {TargetGroup.WOMEN, TargetGroup.MEN}
        child = {TargetGroup.GIRLS, TargetGroup.BOYS}
        if age is None:
            return adult <= offered or child <= offered
        return (child if age < ADULT_AGE else adult) <= offered
    return False


def _serves_age(service: SupportService, age: int | None, sex: str = "") -> bool:
    """Exact age rules. Without an age, "kvinna"/"man" is an adult of any age: only services
    without an upper age limit fit (a youth service up to 20 is not for every woman);
    "flicka"/"pojke" is a child: a service must take people under 18."""
    if age is None:
        if sex in {"kvinna", "man"}:
            return service.age_max is None
        if sex in {"flicka", "pojke"}:
            return service.age_min is None or service.age_min < ADULT_AGE
        return True
    if service.age_min is not None and age < service.age_min:
        return False
    return not (service.age_max is not None and age > service.age_max)


def public_services() -> QuerySet:
    """The services the public sees and the coverage counts: those not waiting for review."""
    return SupportService.objects.filter(review_state=ReviewState.APPROVED)


def pending_services() -> QuerySet:
    """Entries waiting for the coordinator's review, oldest key first."""
    return SupportService.objects.filter(review_state=ReviewState.PENDING).order_by("key")


def valid_on(qs: QuerySet, on: date) -> QuerySet:
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


@dataclass
class ResultGroup:
    reach: int
    label: str
    services: list[SupportService] = field(default_factory=list)


def has_local(groups: list[ResultGroup]) -> bool:
    """True when the municipality's own support is among the results."""
    return any(g.reach == Reach.OWN and g.services for g in groups)


def national_lines(*, role: str = "", on: date | None = None) -> list[SupportService]:
    """National support lines (services for the whole country) with a phone number, for a
    search that found nothing: whatever the person's details, these can always be called."""
    on = on or date.today()
    qs = (
        valid_on(SupportService.objects.all(), on)
        .filter(areas__level=AreaLevel.COUNTRY)
        .exclude(phone="")
    )
    if role == "utovare":
        qs = qs.filter(perpetrator_of__isnull=False)
    elif role == "utsatt":
        qs = qs.filter(exposed_to__isnull=False)
    lines = list(SupportService.objects.filter(id__in=qs.values("id")).order_by("name"))
    for service in lines:
        service.stale = is_stale(service, today=on)
    return lines


def is_stale(service: SupportService, *, today: date | None = None) -> bool:
    """Not checked in the last 12 months (or never)."""
    today = today or date.today()
    return service.verified_on is None or service.verified_on < today - STALE_AFTER


def reach_of(service: SupportService, area_ids_local: set[int], levels: dict[int, str]) -> int:
    """Reach of a service for a municipality, from its provision and the areas it covers."""
    if service.provision == Provision.AGREEMENT:
        return Reach.AGREEMENT
    ids = {a.id for a in service.areas.all()}
    if ids & area_ids_local:
        return Reach.OWN
    if any(levels.get(i) == AreaLevel.COUNTY for i in ids):
        return Reach.COUNTY
    return Reach.NATIONAL


def support_search(
    *,
    municipality: Area,
    age: int | None = None,
    sex: str = "",
    violence_type: ViolenceType | None = None,
    role: str = "",
    on: date | None = None,
) -> list[ResultGroup]:
    """Services that fit the person, grouped: own municipality, agreements, county, national.

    A service fits when it covers the municipality (directly, through one of its districts, the
    county or the country), is in force on `on` (default today), helps people in `role` for
    `violence_type`, and takes the person's age and group.
    """
    on = on or date.today()
    districts = list(Area.objects.filter(parent=municipality, level=AreaLevel.DISTRICT))
    local = {municipality.id, *(d.id for d in districts)}
    wider = []
    parent = municipality.parent
    while parent is not None:
        wider.append(parent)
        parent = parent.parent if parent.parent_id else None
    levels = {a.id: a.level for a in [municipality, *districts, *wider]}
    qs = valid_on(public_services(), on).filter(areas__in=[*local, *(a.id for a in wider)])
    if role == "utovare":
        qs = qs.filter(perpetrator_of__isnull=False)
        if violence_type is not None:
            qs = qs.filter(perpetrator_of=violence_type)
    elif role == "utsatt":
        qs = qs.filter(exposed_to__isnull=False)
        if violence_type is not None:
            qs = qs.filter(exposed_to=violence_type)
    elif violence_type is not None:
        qs = qs.filter(Q(exposed_to=violence_type) | Q(perpetrator_of=violence_type))
    ids = qs.values("id").distinct()
    services = (
        SupportService.objects.filter(id__in=ids)
        .select_related("verified_by")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("code")))
        .order_by("name")
    )
    groups_wanted = target_groups_for(sex, age)
    groups: dict[int, ResultGroup] = {
        r: ResultGroup(r, str(label)) for r, label in Reach.LABELS.items()
    }
    for service in services:
        if not _serves_age(service, age, sex) or not _serves_group(service, groups_wanted, age):
            continue
        service.local_areas = [a for a in service.areas.all() if a.id in local]
        service.stale = is_stale(service, today=on)
        groups[reach_of(service, local, levels)].services.append(service)
    return [g for g in groups.values() if g.services]


# ------------------------------------------------------------------------------------- coverage

TARGETS = ("barn", "vuxna")
PROVISIONS = (Provision.OWN.value, Provision.AGREEMENT.value)


def serves_children(service) -> bool:
    return service.age_min is None or service.age_min < ADULT_AGE


def serves_adults(service) -> bool:
    """Adults without an upper age limit. Youth services (Origo 13–26, stödcentrum up to about
    21) count as support to children, as the status report does (2025, footnote 19)."""
    return service.age_max is None


def _with_relations(services: QuerySet[SupportService]) -> list[SupportService]:
    return list(
        services.select_related("organisation", "verified_by")
        .prefetch_related("exposed_to", "perpetrator_of", "areas")
        .order_by("key")
    )


def register_as_of(on: date) -> list[SupportService]:
    """The services in force on a date, with what the coverage needs, in key order."""
    return _with_relations(valid_on(public_services(), on))


def register_of(organisation) -> list[SupportService]:
    """Every service the organisation keeps, with its relations, in key order (the register
    rows of its support register submission)."""
    return _with_relations(organisation_services(organisation))


def register_all() -> list[SupportService]:
    """The whole register for export, ended and future entries too, in key order: what an
    export holds is what an import of it gives back."""
    return _with_relations(SupportService.objects.all())


@dataclass
class CoverageCell:
    violence_type: str
    target: str
    provision: str  # egen-regi | avtalssamverkan | totalt
    municipalities: list[str]  # SCB codes
    denominator: int

    @property
    def numerator(self) -> int:
        return len(self.municipalities)

    @property
    def share(self) -> Decimal:
        return share_from_counts(self.numerator, self.denominator)


def coverage_as_of(
    *, on: date, services: list[SupportService] | None = None, county: Area | None = None
) -> tuple[list[CoverageCell], dict[str, dict[str, list[str]]]]:
    """For each violence type × (barn, vuxna) × (egen regi, avtalssamverkan, totalt): which of the
    county's municipalities offer support to people exposed to it, as of `on`.

    Counted: services in force on `on` with provision egen regi or avtalssamverkan that are not
    referral only (socialjour/orosanmälan). A service covers a municipality when it lists the
    municipality, all of its districts in force, the county or the country. Returns the cells
    and, per municipality, the service keys behind each cell (for the snapshot).
    """
    county = county or home_county()
    munis = municipalities(county=county, on=on)
    services = register_as_of(on) if services is None else services
    districts: dict[int, set[int]] = defaultdict(set)
    for d in Area.objects.filter(level=AreaLevel.DISTRICT, parent__in=munis):
        if (d.valid_from is None or d.valid_from <= on) and (
            d.valid_to is None or d.valid_to >= on
        ):
            districts[d.parent_id].add(d.id)
    wide = {county.id, county.parent_id} if county else set()
    covered: dict[tuple[str, str, str], dict[str, list[str]]] = defaultdict(dict)
    for s in services:
        if s.referral_only or s.provision not in PROVISIONS:
            continue
        area_ids = {a.id for a in s.areas.all()}
        targets = [t for t, ok in (("barn", serves_children(s)), ("vuxna", serves_adults(s))) if ok]
        for m in munis:
            if not (
                m.id in area_ids
                or area_ids & wide
                or (districts[m.id] and districts[m.id] <= area_ids)
            ):
                continue
            for vt in s.exposed_to.all():
                for t in targets:
                    covered[(vt.key, t, s.provision)].setdefault(m.code, []).append(s.key)
    cells = []
    detail: dict[str, dict[str, list[str]]] = {}
    for vt in ViolenceType.objects.order_by("sort_order"):
        for t in TARGETS:
            own = covered.get((vt.key, t, Provision.OWN.value), {})
            agreement = covered.get((vt.key, t, Provision.AGREEMENT.value), {})
            total = sorted(set(own) | set(agreement))
            for prov, codes in (
                (Provision.OWN.value, sorted(own)),
                (Provision.AGREEMENT.value, sorted(agreement)),
                ("totalt", total),
            ):
                cells.append(CoverageCell(vt.key, t, prov, codes, len(munis)))
            for code, keys in own.items():
                detail.setdefault(code, {})[f"{vt.key}/{t}/egen-regi"] = sorted(keys)
            for code, keys in agreement.items():
                detail.setdefault(code, {})[f"{vt.key}/{t}/avtalssamverkan"] = sorted(keys)
    return cells, detail


# -------------------------------------------------------------------------------- upkeep, access


def stale_services(*, today: date | None = None) -> QuerySet:
    """Services in force that nobody has verified in the last 12 months (or ever)."""
    today = today or date.today()
    limit = today - STALE_AFTER
    return (
        valid_on(SupportService.objects.all(), today)
        .filter(Q(verified_on__isnull=True) | Q(verified_on__lt=limit))
        .select_related("organisation", "verified_by")
        .order_by("verified_on", "name")
    )


def membership_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "membership", None)


def is_register_keeper(user) -> bool:
    """Coordinators and administrators keep the whole register."""
    if getattr(user, "is_superuser", False):
        return True
    m = membership_of(user)
    return m is not None and m.role in {Role.COORDINATOR, Role.ADMIN}


def can_edit(user, service: SupportService) -> bool:
    """Coordinators/admins edit everything; a reporter edits the services of their own
    organisation, and a municipality's reporter its own egen regi services in its area."""
    if is_register_keeper(user):
        return True
    m = membership_of(user)
    if m is None or m.role != Role.REPORTER:
        return False
    return organisation_may_keep(m.organisation, service)


def organisation_may_keep(organisation, service: SupportService) -> bool:
    """An organisation keeps the services it owns, and a municipality its egen regi services
    covering only its own area (the municipality and its districts)."""
    if service.organisation_id and service.organisation_id == organisation.pk:
        return True
    org_area = organisation.area_id
    if org_area and service.provision == Provision.OWN:
        ids = {a.id for a in service.areas.all()} | {
            a.parent_id for a in service.areas.all() if a.level == AreaLevel.DISTRICT
        }
        return ids == {org_area}
    return False


def organisation_services(organisation) -> QuerySet:
    """The services an organisation keeps (see `organisation_may_keep`), by name."""
    qs = SupportService.objects.select_related("organisation", "verified_by").order_by("name")
    cond = Q(organisation=organisation)
    if organisation.area_id:
        cond |= Q(provision=Provision.OWN) & (
            Q(areas=organisation.area_id) | Q(areas__parent=organisation.area_id)
        )
    candidates = qs.filter(cond).distinct().prefetch_related("areas")
    return qs.filter(id__in=[s.id for s in candidates if organisation_may_keep(organisation, s)])


def own_service_areas_ok(organisation, provision: str, areas) -> bool:
    """A municipality's egen regi entry covers only that municipality and its districts; an
    organisation without an area of its own (a state agency, a region's unit, an NGO) cannot
    enter egen regi at all (`organisation` None: the coordinator, who may)."""
    if organisation is None or provision != Provision.OWN:
        return True
    if not organisation.area_id:
        return False
    return all(
        a.id == organisation.area_id
        or (a.level == AreaLevel.DISTRICT and a.parent_id == organisation.area_id)
        for a in areas
    )


def editable_services(user) -> QuerySet:
    qs = SupportService.objects.select_related("organisation", "verified_by").order_by("name")
    if is_register_keeper(user):
        return qs
    m = membership_of(user)
    if m is None or m.role != Role.REPORTER:
        return qs.none()
    return organisation_services(m.organisation)


def covers_only_own_area(organisation, areas) -> bool:
    """True when every area is the organisation's municipality or one of its districts."""
    if organisation is None or not organisation.area_id:
        return False
    areas = list(areas)
    return bool(areas) and all(
        a.id == organisation.area_id
        or (a.level == AreaLevel.DISTRICT and a.parent_id == organisation.area_id)
        for a in areas
    )
