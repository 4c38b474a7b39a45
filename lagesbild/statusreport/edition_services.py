"""Writes for report builds and published editions (see docs/statusreport.md).

A *build* renders one year's report into the "reports" storage in the background
(``tasks.report_build_run``): HTML, PDF, DOCX and XLSX, the page the site shows, the document
model as JSON and the versions of the observations it shows. A *publication* is a build that
ends by freezing an :class:`~.models.ReportEdition`; it is refused when the data has changed
since the draft the coordinator reviewed, so what is published is what was reviewed.

No request ever renders a document: views call :func:`build_request`, the worker calls
:func:`build_run`, and readers get stored files.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.errata import errata_between, errata_section
from lagesbild.statusreport.models import (
    BuildState,
    EditionObservation,
    ReportBuild,
    ReportEdition,
)
from lagesbild.statusreport.render import FORMATS, render_report
from lagesbild.statusreport.selectors import ReportData, report_data, report_version
from lagesbild.statusreport.serialize import dumps

logger = logging.getLogger(__name__)

STORAGE = "reports"
PAGE = "page"  # the stored fragment the site shows inside its own frame
# every chart image any format needs, so that one document serves all four renderers
ALL_CHART_FORMATS = ("svg", "png")


class PublishError(Exception):
    """A build or publication that cannot go on; the message is for the coordinator."""


def synthetic_content(document) -> list[str]:
    """Where a built report holds synthetic or demo-marked content (texts, follow-ups, notes,
    indicator names marked "SYNTETISKT EXEMPEL", "syntetiska testdata", "demodata" …): the
    report check's synthetic rule (:func:`..checks.report_check`), each place once. Synthetic
    figures never get this far: ``selectors.publishable_exclusion`` keeps them out."""
    from lagesbild.statusreport.checks import report_check

    found = report_check(document, spelling=False).synthetic
    return list(dict.fromkeys(found))


def synthetic_refusal(*, year: int, places: list[str], limit: int = 20) -> str:
    """The Swedish message that refuses publishing a report with synthetic content."""
    shown = "\n".join(f"– {p}" for p in places[:limit])
    more = f"\n… och {len(places) - limit} till." if len(places) > limit else ""
    return (
        f"Lägesrapporten för {year} kan inte publiceras: den innehåller syntetiska eller "
        f"demomärkta uppgifter, som aldrig får publiceras ({len(places)} ställen):\n"
        f"{shown}{more}\nTa bort exempeldata (till exempel uppföljningar och indikatorer märkta "
        "SYNTETISKT EXEMPEL) eller skriv om texterna, bygg ett nytt utkast och publicera igen."
    )


def report_storage():
    return storages[STORAGE]


def report_data_for(*, year: int, plan_key: str = "") -> ReportData:
    """The data of ``year``'s report; ``plan_key``, when given, must be the plan it shows."""
    data = report_data(year=year)
    if data is None:
        raise PublishError("Ingen strategi är inläst ännu.")
    shown = data.plan.key if data.plan else ""
    if plan_key and plan_key != shown:
        raise PublishError(
            f"Handlingsplanen {plan_key!r} är inte den som rapporten för {year} visar "
            f"({shown or 'ingen plan'})."
        )
    return data


def build_request(
    *,
    year: int,
    user,
    publish: bool = False,
    errata: list[dict] | None = None,
    confirmed_version: str = "",
    plan_key: str = "",
) -> ReportBuild:
    """Queue a build (a draft, or with ``publish`` a new edition) and return it at once.

    The row is saved (committed, outside a transaction) before the task is queued, so any task
    backend finds it; under the immediate backend (tests) the build has run on return.
    """
    from lagesbild.statusreport.tasks import report_build_run

    build = ReportBuild.objects.create(
        year=year,
        plan_key=plan_key,
        publish=publish,
        requested_by=user,
        errata=errata,
        confirmed_version=confirmed_version,
        steps=len(FORMATS),
    )
    report_build_run.enqueue(build_id=build.pk)
    build.refresh_from_db()
    return build


def edition_publish(
    *, year: int, user=None, plan_key: str = "", errata: list[dict] | None = None
) -> ReportEdition:
    """Publish ``year``'s report now, in this process (the ``lagesbild publish`` command).

    Without ``errata`` the errata of a second or later edition are the generated list.
    """
    build = ReportBuild.objects.create(
        year=year,
        plan_key=plan_key,
        publish=True,
        requested_by=user,
        errata=errata,
        confirmed_version=report_version(year=year),
        steps=len(FORMATS),
    )
    build = build_run(build_id=build.pk)
    if build.state != BuildState.DONE:
        raise PublishError(build.error)
    return build.edition


def build_run(*, build_id: int) -> ReportBuild:
    """Do a queued build: render every format into storage, step by step; then, for a
    publication, freeze the edition. Failures are recorded on the build, never raised."""
    claimed = ReportBuild.objects.filter(pk=build_id, state=BuildState.QUEUED).update(
        state=BuildState.RUNNING, started_at=timezone.now(), step=0
    )
    build = ReportBuild.objects.get(pk=build_id)
    if not claimed:
        return build  # already run (or running) elsewhere
    try:
        _run(build)
    except Exception as exc:
        if isinstance(exc, PublishError):
            message = str(exc)
        else:
            logger.exception("Rapportbygge %s misslyckades", build_id)
            message = f"Bygget misslyckades: {type(exc).__name__}: {exc}"
        ReportBuild.objects.filter(pk=build_id).update(
            state=BuildState.FAILED, error=message, finished_at=timezone.now()
        )
    build.refresh_from_db()
    return build


def _run(build: ReportBuild) -> None:
    year = build.year
    # read the version BEFORE the data: what is built is never older than its version
    version = report_version(year=year)
    if build.publish and build.confirmed_version and version != build.confirmed_version:
        raise PublishError(_CHANGED)
    data = report_data_for(year=year, plan_key=build.plan_key)
    versions = observation_versions(data=data)
    document = report_build(year=year, chart_formats=ALL_CHART_FORMATS, data=data)
    if build.publish:
        places = synthetic_content(document)
        if places:
            raise PublishError(synthetic_refusal(year=year, places=places))
    previous = number = errata = None
    if build.publish:
        previous = ReportEdition.objects.filter(year=year).order_by("-number").first()
        number = previous.number + 1 if previous else 1
        if previous is not None:
            errata = build.errata
            if errata is None:
                from lagesbild.statusreport.edition_selectors import document_of

                errata = errata_between(document_of(previous), document)
            document.sections.append(
                errata_section(errata=errata, edition=number, previous=previous.number)
            )
    kind = "publicering" if build.publish else "utkast"
    folder = f"{year}/{kind}-{build.pk}"
    files = {}
    for i, fmt in enumerate(FORMATS, start=1):
        ReportBuild.objects.filter(pk=build.pk).update(step=i)
        filename, mimetype, content = render_report(document, fmt)
        files[fmt] = _store(folder, filename, mimetype, content)
        if fmt == "html":
            page = _page_fragment(document, content, year=year, draft=not build.publish)
            files[PAGE] = _store(folder, "sida.html", "text/html; charset=utf-8", page.encode())
    if build.publish and report_version(year=year) != version:
        raise PublishError(_CHANGED)
    with transaction.atomic():
        build.files = files
        build.document = dumps(document, drop_bytes=True)
        build.version = version
        build.observation_versions = versions
        build.state = BuildState.DONE
        build.step = build.steps
        build.finished_at = timezone.now()
        if build.publish:
            build.errata = errata or []
        build.save()
        if build.publish:
            edition = ReportEdition.objects.create(
                year=year,
                number=number,
                plan_key=data.plan.key if data.plan else "",
                published_at=build.finished_at,
                published_by=build.requested_by,
                document=build.document,
                files=files,
                errata=errata or [],
                version=version,
                build=build,
            )
            EditionObservation.objects.bulk_create(
                [
                    EditionObservation(
                        edition=edition, indicator_id=ind, observation_id=obs, history_id=hist
                    )
                    for ind, obs, hist in versions
                ],
                batch_size=500,
            )
            from lagesbild.indicators.services import bump_data_version

            bump_data_version()  # indicator pages show the new edition's vintages


_CHANGED = (
    "Uppgifterna i rapporten har ändrats sedan utkastet som granskades byggdes. "
    "Bygg ett nytt utkast, granska det och publicera igen."
)


def observation_versions(*, data: ReportData) -> list[tuple[int, int, int]]:
    """(indicator id, observation id, history id) of every observation the report shows: the
    newest history row of each, i.e. the version the report was built from."""
    from lagesbild.indicators.models import Observation

    shown = {o.pk: o.indicator_id for obs in data.observations.values() for o in obs}
    ids = sorted(shown)
    history = Observation.history.model.objects
    out = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = history.filter(id__in=chunk).values("id").annotate(h=Max("history_id"))
        out.extend((shown[r["id"]], r["id"], r["h"]) for r in rows)
    return sorted(out)


def _store(folder: str, filename: str, mimetype: str, content: bytes) -> dict:
    name = report_storage().save(f"{folder}/{filename}", ContentFile(content))
    return {
        "name": name,
        "filename": filename,
        "mimetype": mimetype,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }


_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S | re.I)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


def _page_fragment(document, html: bytes, *, year: int, draft: bool) -> str:
    """What the site shows inside its frame: the stored HTML file's styles and body.

    A draft's page carries the coordinator's edit links where the HTML renderer offers them.
    """
    if draft:
        from lagesbild.statusreport.render import html as html_renderer

        base = reverse("statusreport:edit_paragraph", args=[year])

        def edit_url(key: str) -> str:
            return f"{base}?{urlencode({'nyckel': key})}"

        try:
            return (
                f"<style>{html_renderer.stylesheet()}</style>\n"
                f"{html_renderer.body(document, edit_url=edit_url)}"
            )
        except (AttributeError, TypeError):  # a renderer without edit links
            pass
    text = html.decode("utf-8")
    styles = "\n".join(_STYLE.findall(text))
    body = _BODY.search(text)
    return f"{styles}\n{body.group(1) if body else text}"
