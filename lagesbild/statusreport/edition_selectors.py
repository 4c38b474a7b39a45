"""Reads for report builds, published editions and figures "as published" (vintages)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lagesbild.statusreport import document as document_module
from lagesbild.statusreport.document import Report
from lagesbild.statusreport.models import (
    BuildState,
    EditionObservation,
    ReportBuild,
    ReportEdition,
)
from lagesbild.statusreport.serialize import loads


def document_of(frozen: ReportEdition | ReportBuild) -> Report:
    """The document model an edition (or a finished build) stored."""
    return loads(frozen.document, types=document_module)


def latest_edition(*, year: int) -> ReportEdition | None:
    """The year's newest edition (its document model is loaded only when read)."""
    return (
        ReportEdition.objects.filter(year=year)
        .defer("document")
        .select_related("published_by__membership__organisation")
        .order_by("-number")
        .first()
    )


def edition_get(*, year: int, number: int) -> ReportEdition | None:
    return (
        ReportEdition.objects.filter(year=year, number=number)
        .defer("document")
        .select_related("published_by__membership__organisation")
        .first()
    )


def editions(*, year: int) -> list[ReportEdition]:
    return list(
        ReportEdition.objects.filter(year=year)
        .defer("document")
        .select_related("published_by__membership__organisation")
        .order_by("number")
    )


def published_years() -> dict[int, int]:
    """{year: number of its latest edition} for every published year."""
    from django.db.models import Max

    rows = ReportEdition.objects.values("year").annotate(n=Max("number"))
    return {r["year"]: r["n"] for r in rows}


def latest_build(*, year: int) -> ReportBuild | None:
    return ReportBuild.objects.filter(year=year).defer("document").first()


def latest_draft(*, year: int) -> ReportBuild | None:
    """The newest finished draft build of the year (the coordinator's preview)."""
    return ReportBuild.objects.filter(year=year, publish=False, state=BuildState.DONE).first()


def build_get(*, year: int, pk: int) -> ReportBuild | None:
    return ReportBuild.objects.filter(year=year, pk=pk).defer("document").first()


@dataclass
class PublishSummary:
    """What publishing ``year`` now would freeze (the confirmation page)."""

    year: int
    draft: ReportBuild | None
    current: bool  # the draft shows the data as it is now
    previous: ReportEdition | None
    tables: int = 0
    charts: int = 0
    paragraphs: int = 0
    drafted_paragraphs: int = 0  # generated texts nobody has accepted or edited
    observations: int = 0
    round: object | None = None  # reporting.ReportingRound
    submissions: dict[str, int] = field(default_factory=dict)  # state label → count
    errata: list[dict] = field(default_factory=list)
    # where the draft holds synthetic or demo-marked content: such a report is never published
    synthetic: list[str] = field(default_factory=list)

    @property
    def refusal(self) -> str:
        """Why publishing is refused because of synthetic content ("" when it is not)."""
        if not self.synthetic:
            return ""
        from lagesbild.statusreport.edition_services import synthetic_refusal

        return synthetic_refusal(year=self.year, places=self.synthetic)

    @property
    def number(self) -> int:
        return self.previous.number + 1 if self.previous else 1

    @property
    def can_publish(self) -> bool:
        return self.draft is not None and self.current and not self.synthetic


def publish_summary(*, year: int) -> PublishSummary:
    from lagesbild.reporting.models import ReportingRound, Submission
    from lagesbild.statusreport.errata import errata_between
    from lagesbild.statusreport.selectors import report_version

    draft = latest_draft(year=year)
    previous = latest_edition(year=year)
    summary = PublishSummary(
        year=year,
        draft=draft,
        current=draft is not None and draft.version == report_version(year=year),
        previous=previous,
    )
    rnd = ReportingRound.objects.filter(year=year).first()
    summary.round = rnd
    if rnd is not None:
        states = Counter(Submission.objects.filter(round=rnd).values_list("state", flat=True))
        labels = dict(Submission._meta.get_field("state").choices)
        summary.submissions = {str(labels.get(s, s)): n for s, n in sorted(states.items())}
    if draft is None:
        return summary
    doc = document_of(draft)
    paragraphs = [p for p in doc.paragraphs() if getattr(p, "editable", False)]
    summary.tables = len(doc.tables())
    summary.charts = len(doc.charts())
    summary.paragraphs = len(paragraphs)
    summary.drafted_paragraphs = sum(1 for p in paragraphs if p.generated)
    summary.observations = len(draft.observation_versions)
    from lagesbild.statusreport.edition_services import synthetic_content

    summary.synthetic = synthetic_content(doc)
    if previous is not None:
        summary.errata = errata_between(document_of(previous), doc)
    return summary


# --- vintages: figures as an edition showed them -------------------------------------------------


class UnknownVintage(LookupError):
    pass


def parse_vintage(text: str) -> tuple[int, int | None]:
    """'2025' → (2025, None): the first edition; '2025-2' → (2025, 2)."""
    year, _, number = text.partition("-")
    if not year.isdigit() or (number and not number.isdigit()):
        raise ValueError(text)
    return int(year), int(number) if number else None


def vintage_edition(*, year: int, number: int | None = None) -> ReportEdition:
    """The edition whose figures ``?as_published=`` returns: without a number the first
    edition of the year, i.e. the figures as the report was first published."""
    qs = ReportEdition.objects.filter(year=year).defer("document")
    edition = qs.filter(number=number).first() if number else qs.order_by("number").first()
    if edition is None:
        raise UnknownVintage(year if number is None else f"{year}-{number}")
    return edition


def observations_as_published(
    *,
    indicator,
    edition: ReportEdition,
    area: str | None = None,
    period_from: int | None = None,
    period_to: int | None = None,
    breakdown: dict[str, str] | None = None,
    statistic: str | None = None,
) -> list:
    """The indicator's observations exactly as ``edition`` showed them (their versions at
    publication, rebuilt from history), in the order of the live series. Only figures the
    edition showed are returned."""
    from lagesbild.core.models import Area
    from lagesbild.indicators.models import ImportRun, Observation

    history_ids = EditionObservation.objects.filter(
        edition=edition, indicator_id=indicator.pk
    ).values("history_id")
    rows = [
        h.instance for h in Observation.history.model.objects.filter(history_id__in=history_ids)
    ]
    areas = Area.objects.in_bulk({o.area_id for o in rows})
    runs = ImportRun.objects.in_bulk({o.import_run_id for o in rows if o.import_run_id})
    out = []
    for o in rows:
        o.indicator = indicator
        o.area = areas[o.area_id]
        if o.import_run_id:
            o.import_run = runs.get(o.import_run_id)
        if area and o.area.code != area:
            continue
        if period_from is not None and o.period_sort < period_from:
            continue
        if period_to is not None and o.period_sort > period_to:
            continue
        if breakdown and any((o.breakdown or {}).get(k) != v for k, v in breakdown.items()):
            continue
        if statistic and o.statistic != statistic:
            continue
        out.append(o)
    out.sort(key=lambda o: (o.period_sort, o.period, o.area.code, o.breakdown_key, o.statistic))
    return out


@dataclass
class VintageDifference:
    period: str
    area: str
    breakdown: dict
    statistic: str
    edition: ReportEdition
    published: object  # Decimal | None: as the edition showed it
    current: object  # Decimal | None: the value now
    revised_year: int  # when the value now was last changed


def vintage_differences(*, indicator, observations) -> list[VintageDifference]:
    """Figures of the indicator that a published edition showed with another value than now
    (the first edition of each published year)."""
    from lagesbild.indicators.models import Observation

    now = {o.pk: o for o in observations}
    firsts = {}
    for e in ReportEdition.objects.defer("document").order_by("year", "number"):
        firsts.setdefault(e.year, e)
    if not firsts:
        return []
    links = EditionObservation.objects.filter(
        edition__in=list(firsts.values()), indicator_id=indicator.pk
    ).values_list("edition_id", "history_id")
    by_history = dict((h, e) for e, h in links)
    by_id = {e.pk: e for e in firsts.values()}
    out = []
    for h in Observation.history.model.objects.filter(history_id__in=list(by_history)):
        current = now.get(h.id)
        if current is None or current.value == h.value:
            continue
        out.append(
            VintageDifference(
                period=h.period,
                area=current.area.name,
                breakdown=h.breakdown or {},
                statistic=h.statistic,
                edition=by_id[by_history[h.history_id]],
                published=h.value,
                current=current.value,
                revised_year=current.updated_at.year,
            )
        )
    out.sort(key=lambda d: (d.period, d.area, str(d.breakdown), d.edition.year))
    return out
