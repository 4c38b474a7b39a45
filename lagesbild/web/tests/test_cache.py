"""Cached pages never outlive their figures: import, revision and approval invalidate them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache

from lagesbild.indicators import selectors
from lagesbild.indicators.services import DATA_VERSION_KEY, ObservationInput, observation_upsert

pytestmark = pytest.mark.django_db


def test_indicator_page_is_served_from_the_cache(client, build, django_assert_max_num_queries):
    build.indicator("S1", values={"2023": 10, "2024": 13})
    first = client.get("/indikator/S1/").content
    with django_assert_max_num_queries(1):  # only the data version
        again = client.get("/indikator/S1/").content
    assert again == first


def test_import_invalidates_the_cached_page(client, build):
    ind = build.indicator("S1", unit="count", values={"2023": 634})
    assert "634" in client.get("/indikator/S1/").content.decode()
    observation_upsert(
        data=ObservationInput(
            indicator=ind, area=build.county, period="2023", breakdown={}, value=Decimal(650)
        ),
        import_run=build.run,
    )
    html = client.get("/indikator/S1/").content.decode()
    assert "650" in html
    assert "tidigare publicerat värde: 634" in html


def test_revision_invalidates_goal_home_explorer_and_downloads(client, build):
    from lagesbild.indicators.services import observation_revise

    ind = build.indicator("S1", unit="count", values={"2023": 1234, "2024": 4321})
    urls = ["/", "/mal/1/", "/indikator/S1/", "/utforska/?indikator=S1", "/en/mal/1/"]
    for url in urls:
        client.get(url)
    obs = ind.observations.get(period="2024")
    observation_revise(observation=obs, value=Decimal(5555), reason="Rättad")
    for url in urls[1:]:
        assert "5 555" in client.get(url).content.decode(), url
    assert "5555" in client.get("/indikator/S1/data.csv").content.decode()


def test_approval_invalidates_the_measure_state(client, build, plan_round):
    from lagesbild.reporting.models import Submission

    sub = Submission.objects.create(
        round=plan_round["round"],
        measure=plan_round["measure"],
        organisation=plan_round["polisen"],
        state="inskickad",
        implementation_status="genomford",
    )
    assert "Genomförd" not in client.get("/mal/1/").content.decode()
    sub.state = "godkand"
    sub.save()
    assert "Polismyndigheten: Genomförd" in client.get("/mal/1/").content.decode()


def test_drafts_leave_the_public_pages_cached_and_approval_does_not(
    client, build, plan_round, django_assert_max_num_queries
):
    """The deadline's saves and uploads are drafts the public pages never show: the cached
    pages (and the report's version) stay; approving a report, or moving it out of approved,
    gives both a new version (the same approved reports as before: the same version)."""
    from lagesbild.reporting.models import Submission
    from lagesbild.statusreport.selectors import report_version
    from lagesbild.web.selectors import page_version

    year = plan_round["round"].year
    sub = Submission.objects.create(
        round=plan_round["round"],
        measure=plan_round["measure"],
        organisation=plan_round["polisen"],
        implementation_status="pagaende",
    )
    first = client.get("/mal/1/").content
    pages, report = page_version(), report_version(year=year)
    sub.narrative_source = "Ett utkast som ändras i sista minuten."
    sub.save()
    Submission.objects.filter(pk=sub.pk).update(state="inskickad")
    assert (page_version(), report_version(year=year)) == (pages, report)
    with django_assert_max_num_queries(1):  # the version only: the page is still cached
        assert client.get("/mal/1/").content == first
    sub.state = "godkand"
    sub.save()
    approved = page_version(), report_version(year=year)
    assert approved[0] != pages and approved[1] != report
    assert "Polismyndigheten: Pågående" in client.get("/mal/1/").content.decode()
    Submission.objects.filter(pk=sub.pk).update(state="atersand")  # not approved any more
    assert page_version() != approved[0] and report_version(year=year) != approved[1]
    assert "Polismyndigheten: Pågående" not in client.get("/mal/1/").content.decode()


def test_writes_bump_the_data_version_after_commit(build, django_capture_on_commit_callbacks):
    ind = build.indicator("S1", values={"2023": 10})
    before = cache.get(DATA_VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        observation_upsert(
            data=ObservationInput(
                indicator=ind, area=build.county, period="2024", breakdown={}, value=Decimal(3)
            ),
            import_run=build.run,
        )
    assert callbacks, "observation_upsert must schedule bump_data_version"
    assert cache.get(DATA_VERSION_KEY) == before  # nothing bumped before commit
    for callback in callbacks:
        callback()
    assert cache.get(DATA_VERSION_KEY) != before


def test_a_write_from_another_process_changes_the_version_too(build):
    """Another process (a CLI import) bumps its own memory cache, not ours: the database stamp
    in the version still changes, so our cached pages are not served."""
    ind = build.indicator("S1", values={"2023": 10})
    version = selectors.data_version()
    observation_upsert(  # inside the test transaction: the on-commit bump never runs
        data=ObservationInput(
            indicator=ind, area=build.county, period="2023", breakdown={}, value=Decimal(11)
        ),
        import_run=build.run,
    )
    assert cache.get(DATA_VERSION_KEY) is not None
    assert selectors.data_version() != version


def test_version_survives_an_evicted_counter_without_reusing_an_old_value(build):
    first = selectors.data_version()
    cache.delete(DATA_VERSION_KEY)
    assert selectors.data_version() != first


def test_a_chart_is_drawn_once_for_what_it_shows(build, record_calls):
    """The indicator page and the unfiltered explorer share one drawing; a narrower table,
    another language or a changed value is a drawing of its own."""
    from django.utils import translation

    from lagesbild.indicators import presenters

    drawn = record_calls(presenters, "line_chart")
    ind = build.indicator("S1", values={"2023": 10, "2024": 13})
    build.observation(ind, "2023", 11, breakdown={"kon": "kvinna"})
    build.observation(ind, "2024", 15, breakdown={"kon": "kvinna"})
    table = selectors.indicator_table(indicator=ind)
    assert len(table.series) == 2
    first = presenters.series_chart_svg(ind, table)
    assert presenters.series_chart_svg(ind, selectors.indicator_table(indicator=ind)) == first
    assert len(drawn) == 1
    totals = [o for o in selectors.observations_for_indicator(indicator=ind) if not o.breakdown]
    narrower = selectors.indicator_table(indicator=ind, observations=totals)
    assert presenters.series_chart_svg(ind, narrower) != first
    assert len(drawn) == 2
    with translation.override("en"):
        presenters.series_chart_svg(ind, table)
    assert len(drawn) == 3
    build.observation(ind, "2024", 14)
    assert presenters.series_chart_svg(ind, selectors.indicator_table(indicator=ind)) != first
    assert len(drawn) == 4
    assert any(Decimal(14) in line.values for line in drawn[-1]["lines"])
