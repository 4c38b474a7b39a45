"""Every public page answers, in Swedish, with accessible structure."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_goals(client, build):
    build.goal(1, "Förebygga våld")
    build.goal(2, "Förebygga återfall")
    html = client.get("/").content.decode()
    assert '<html lang="sv">' in html
    assert "Mål 1: Förebygga våld" in html
    assert "Mål 2: Förebygga återfall" in html
    assert 'href="#innehall"' in html  # skip link


def test_home_without_configuration_is_404_with_guidance(client, db):
    response = client.get("/")
    assert response.status_code == 404


def test_goal_page_shows_indicators_with_latest_value_and_change(client, build):
    build.indicator(
        "T1", goal=1, name="Andelen beviljade", values={"2024": 37, "2025": 39}, direction="up"
    )
    html = client.get("/mal/1/").content.decode()
    assert "Andelen beviljade" in html
    assert "39 procent" in html
    assert "2 procentenheter upp sedan 2024" in html
    assert "i önskad riktning" in html


def test_indicator_page_has_table_chart_with_text_alternative_and_median(client, build):
    build.indicator(
        "T1",
        name="Andel personuppklarade",
        values={"2023": 31, "2024": 36},
        median={"2023": 38, "2024": 40},
        definition="Andel av handlagda brott.",
    )
    html = client.get("/indikator/T1/").content.decode()
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "Medianen i riket" in html
    assert '<svg role="img"' in html
    assert re.search(r"<title id=\"c[0-9a-f]+-t\">Andel personuppklarade</title>", html)
    assert (
        "Diagrammet i text:" in html and "2024: 36 procent" in html and "2024: 40 procent" in html
    )
    assert "Andel av handlagda brott." in html


def test_indicator_page_shows_revision_history(client, build):
    from lagesbild.indicators.services import observation_revise

    ind = build.indicator("T5", unit="count", values={"2024": 634})
    obs = ind.observations.get()
    observation_revise(observation=obs, value=650, reason="Siffran justerades i uppföljningen 2025")
    html = client.get("/indikator/T5/").content.decode()
    assert "Siffran justerades i uppföljningen 2025" in html
    assert "634" in html and "650" in html
    assert "reviderad" in html


def test_indicator_page_hides_unpublished(client, build):
    ind = build.indicator("T6", unit="count", values={"2024": 10})
    build.observation(ind, "2025", 4321, published=False)
    html = client.get("/indikator/T6/").content.decode()
    assert "4 321" not in html and "4321" not in html
    assert ">2025<" not in html  # the unpublished period is not even a column


def test_unknown_indicator_and_goal_are_404(client, build):
    build.goal(1)
    assert client.get("/indikator/NOPE/").status_code == 404
    assert client.get("/mal/9/").status_code == 404


def test_english_prefix(client, build):
    build.goal(1)
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_stockholm_pages(client, stockholm):
    from lagesbild.indicators.models import Indicator
    from lagesbild.strategy.models import Measure

    assert client.get("/").status_code == 200
    for n in range(1, 9):
        assert client.get(f"/mal/{n}/").status_code == 200
    for code in Indicator.objects.values_list("code", flat=True):
        assert client.get(f"/indikator/{code}/").status_code == 200, code
    for code in Measure.objects.values_list("code", flat=True):
        assert client.get(f"/atgard/{code}/").status_code == 200, code
    html = client.get("/atgard/2.8/").content.decode()
    assert "Polismyndigheten, kommunerna i länet, Kriminalvården och Region Stockholm" in html
    assert client.get("/admin/").status_code == 302  # login required


def test_a_page_for_another_role_says_so_in_swedish_and_english(client, reporter_polisen):
    """The wrong role gets the site's own page (status 403), not a bare "403 Forbidden"."""
    client.force_login(reporter_polisen)
    response = client.get("/enkat/hantera/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Du har inte behörighet till sidan</h1>" in html
    assert 'href="/rapportering/"' in html
    english = client.get("/en/enkat/hantera/")
    assert english.status_code == 403
    assert "You do not have access to this page" in english.content.decode()
