"""The indicator explorer: filters, stable URLs, chart + table, median, footnotes; reachability."""

from __future__ import annotations

import re
from collections import deque
from html import escape, unescape
from urllib.parse import urldefrag, urlsplit

import pytest

from lagesbild.indicators.models import Observation

pytestmark = pytest.mark.django_db


def _table(html: str) -> str:
    """The first data table of the series view."""
    return re.search(r"<table>.*?</table>", html, flags=re.S).group(0)


def test_filters_narrow_the_list_of_indicators(client, build):
    build.indicator("A1", goal=1, name="Indikator för mål ett", values={"2024": 1})
    build.indicator("B1", goal=2, name="Indikator för mål två", values={"2024": 2})
    build.indicator(
        "C1", goal=2, name="Utan publicerade värden", values={"2024": 2}, published=False
    )
    html = client.get("/utforska/?mal=2").content.decode()
    assert "Indikator för mål två" in html
    assert "Indikator för mål ett" not in html
    assert "Utan publicerade värden" not in html  # drafts never public
    assert 'href="?mal=2&amp;indikator=B1"' in html


def test_series_view_has_chart_table_and_filters_by_area_breakdown_and_period(client, build):
    ind = build.indicator(
        "S1", unit="percent", values={"2021": 10, "2022": 11, "2023": 12, "2024": 13}
    )
    for period, value in {"2022": 21, "2023": 22}.items():
        build.observation(ind, period, value, breakdown={"sex": "kvinnor"})
    html = client.get("/utforska/?indikator=S1").content.decode()
    assert "<svg" in html and "<table>" in html and "Diagrammet i text:" in html

    html = client.get("/utforska/?indikator=S1&fran=2022&till=2023&uppdelning=sex%3Dkvinnor")
    table = _table(html.content.decode())
    assert ">2022<" in table and ">2023<" in table
    assert ">2021<" not in table and ">2024<" not in table
    assert "Kvinnor" in table and ">11<" not in table and ">21<" in table


def test_every_view_is_a_stable_shareable_url(client, build):
    build.indicator("S1", values={"2023": 10, "2024": 13})
    url = "/utforska/?indikator=S1&fran=2024"
    first = client.get(url).content.decode()
    again = client.get(url).content.decode()
    assert first == again
    # the form shows the chosen values, so the URL reproduces the view without any state
    assert '<option value="2024" selected>2024</option>' in first
    # downloads carry the same selection
    assert "/indikator/S1/data.csv?fran=2024" in first


def test_invalid_selection_is_explained_not_an_error(client, build):
    build.indicator("S1", values={"2023": 10, "2024": 13})
    response = client.get("/utforska/?indikator=S1&fran=2024&till=2023")
    assert response.status_code == 200
    assert "Slutperioden ligger före startperioden." in response.content.decode()
    response = client.get("/utforska/?indikator=S1&omrade=finns-inte")
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_comparison_with_the_national_median(client, build):
    build.indicator(
        "S1", unit="percent", values={"2023": 31, "2024": 36}, median={"2023": 33, "2024": 30}
    )
    html = client.get("/utforska/?indikator=S1").content.decode()
    assert "Skillnad mot medianen i riket" in html
    comparison = html[html.index("Skillnad mot medianen i riket") :]
    row = re.search(r"<tbody>.*?</tbody>", comparison, flags=re.S).group(0)
    assert "−2 procentenheter" in row and "+6 procentenheter" in row
    # choosing an area keeps the median to compare with
    html = client.get("/utforska/?indikator=S1&omrade=01").content.decode()
    assert "Medianen i riket" in html and "+6 procentenheter" in html


def test_footnotes_for_revised_provisional_and_too_few_cases(client, build):
    from lagesbild.indicators.services import observation_revise

    ind = build.indicator("S1", unit="count", values={"2023": 634})
    observation_revise(
        observation=ind.observations.get(), value=650, reason="Rättad i uppföljningen"
    )
    build.observation(ind, "2024", 700, provisional=True)
    build.observation(ind, "2022", None, too_few_cases=True)
    html = client.get("/utforska/?indikator=S1").content.decode()
    notes = re.search(r'<ol class="footnotes">.*?</ol>', html, flags=re.S).group(0)
    assert "2023, Totalt: Uppgiften är reviderad; tidigare publicerat värde: 634." in notes
    assert "2024, Totalt: Uppgiften är preliminär." in notes
    assert "2022, Totalt: För få fall för att redovisa en andel." in notes
    # each flagged cell links to its footnote
    table = _table(html)
    assert table.count('href="#fotnot-') == 3
    # the indicator page has the same footnotes
    assert "tidigare publicerat värde: 634" in client.get("/indikator/S1/").content.decode()


LINK = re.compile(r'href="([^"]+)"')
CRAWLED = re.compile(r"^/($|mal/\d+/$|indikator/[^/]+/$|utforska/|atgard/)")


def test_every_published_series_is_reachable_from_the_start_page_in_three_clicks(client, stockholm):
    """Follow links from / (breadth first, at most three clicks) until every published series
    has been seen in a table on a page reached."""
    from lagesbild.indicators import selectors
    from lagesbild.indicators.models import Indicator

    wanted: dict[str, set[str]] = {}
    for ind in Indicator.objects.filter(observations__published=True).distinct():
        table = selectors.indicator_table(indicator=ind)
        wanted[ind.code] = {s.label for s in table.series}
    assert len(wanted) > 50

    seen_series: dict[str, set[str]] = {code: set() for code in wanted}
    depth = {"/": 0}
    queue = deque(["/"])
    while queue and any(seen_series[c] != wanted[c] for c in wanted):
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        code = _indicator_code(url)
        if code in wanted:
            rows = set(re.findall(r'<th scope="row">(.*?)</th>', html))
            seen_series[code] |= {lbl for lbl in wanted[code] if escape(lbl) in rows}
        if depth[url] == 3:
            continue
        for href in LINK.findall(html):
            href = urldefrag(unescape(href))[0]
            if href.startswith("?"):
                href = urlsplit(url).path + href
            if CRAWLED.match(href) and href not in depth:
                depth[href] = depth[url] + 1
                queue.append(href)
    missing = {c: wanted[c] - seen_series[c] for c in wanted if wanted[c] - seen_series[c]}
    assert missing == {}
    assert max(depth[u] for u in depth if _indicator_code(u)) <= 3


def _indicator_code(url: str) -> str | None:
    m = re.match(r"^/indikator/([^/]+)/$", url)
    if m:
        from urllib.parse import unquote

        return unquote(m.group(1))
    return None


def test_unpublished_observations_never_reach_the_explorer(client, build):
    ind = build.indicator("S1", values={"2023": 10})
    build.observation(ind, "2024", 987654, published=False)
    html = client.get("/utforska/?indikator=S1").content.decode()
    assert "987" not in html
    assert Observation.objects.filter(published=False).count() == 1


def test_internal_notes_never_reach_the_explorer_or_the_indicator_page(client, build):
    """A note marked internal (the coordinators' own) is not a public footnote; a public one is."""
    ind = build.indicator("S1", unit="count", values={})
    build.observation(ind, "2023", 5, note="Avser frivården.", note_audience="public")
    build.observation(
        ind, "2024", 6, note="Rapporten skriver 7; registrerat som 6.", note_audience="internal"
    )
    for url in ("/utforska/?indikator=S1", "/indikator/S1/"):
        html = client.get(url).content.decode()
        assert "Avser frivården." in html
        assert "Rapporten skriver" not in html
