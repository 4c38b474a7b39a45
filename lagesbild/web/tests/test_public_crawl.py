"""The whole demo, as a reader sees it: every public page kind and every download, in Swedish
and English, carries no internal code; every explorer chart has marks; every municipal
indicator ranks all municipalities; every municipality has a page."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from lagesbild.core.models import Area, AreaLevel
from lagesbild.indicators import presenters, selectors
from lagesbild.web import municipal
from lagesbild.web.selectors import published_indicators

pytestmark = pytest.mark.django_db

# "000 Tabell 1", "004 Figur 3": a seed document's number; "stage=fullfoljda": a breakdown key;
# "reweight": a rule key; "Demo:"/"Demodata": the register's curator notes.
INTERNAL = re.compile(
    r"\b\d{3} (Tabell|Figur|Diagram|Mål)\b|\b[a-z_]+=[a-z_]+\b|reweight|Demo:|Demodata"
)


class _Text(HTMLParser):
    """The text a reader sees (no tags, attributes, scripts or styles; SVG text included)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(p.parts)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


def _public_paths() -> list[str]:
    indicators = list(published_indicators())
    paths = ["/", "/utforska/", "/stod/", "/kommun/", "/hjalp/", "/tillganglighet/", "/sok/?q=våld"]
    paths += [f"/mal/{n}/" for n in range(1, 9)]
    paths += [f"/indikator/{i.code}/" for i in indicators]
    paths += [f"/utforska/?indikator={i.code}" for i in indicators]
    paths += [f"/kommun/{a.code}/" for a in Area.objects.filter(level=AreaLevel.MUNICIPALITY)]
    paths += ["/stod/?kommun=0182&alder=15&kon=flicka&typ=heder&roll=utsatt"]
    return paths


def test_no_internal_code_on_any_public_page_or_download(demo, client):
    found = []
    for path in _public_paths():
        for prefix in ("", "/en"):
            response = client.get(prefix + path)
            assert response.status_code == 200, prefix + path
            for m in INTERNAL.finditer(visible_text(response.content.decode())):
                found.append(f"{prefix}{path}: {m.group(0)}")
    for ind in published_indicators():
        for prefix in ("", "/en"):
            for fmt in ("csv", "json"):
                body = client.get(f"{prefix}/indikator/{ind.code}/data.{fmt}").content.decode(
                    "utf-8-sig"
                )
                body = re.sub(r'"?[a-z_]+=[a-z_]+"?,', "", body) if fmt == "csv" else body
                for m in re.finditer(r"\b\d{3} (Tabell|Figur|Mål)\b|reweight", body):
                    found.append(f"{prefix}/indikator/{ind.code}/data.{fmt}: {m.group(0)}")
    assert found == [], found[:20]


def test_every_explorer_chart_has_its_marks(demo, client):
    """The explorer draws the same chart as the indicator page: every value of every drawn
    line sits at its own period (S5.1 and E1.1 were blank when the periods were misaligned)."""
    checked = 0
    for ind in published_indicators():
        table = selectors.indicator_table(indicator=ind)
        lines = presenters.chart_lines(table)
        periods = presenters.chart_periods(table)
        for line in lines:
            assert len(line.values) == len(periods), ind.code
        svg = presenters.series_chart_svg(ind, table)
        if svg is None:
            continue
        drawn = [v for line in lines for v in line.values if v is not None]
        assert drawn, ind.code
        html = client.get(f"/utforska/?indikator={ind.code}").content.decode()
        assert "<svg" in html, ind.code
        figure = html[html.index("<svg") : html.index("</svg>")]
        # one marker <use> per value drawn, at least (tick marks add more)
        assert figure.count("<use ") >= len(drawn), ind.code
        for period in periods:
            assert f"{period}" in figure or period in html, (ind.code, period)
        checked += 1
    assert checked > 20
    for code in ("S5.1", "E1.1"):
        assert "<svg" in client.get(f"/utforska/?indikator={code}").content.decode(), code


def test_every_municipal_indicator_ranks_all_26_and_every_municipality_has_a_page(demo, client):
    from lagesbild.directory.selectors import municipalities

    munis = municipalities()
    assert len(munis) == 26
    indicators = municipal.municipal_indicators()
    assert {"E1.1"} <= {i.code for i in indicators}
    for ind in indicators:
        ranking = municipal.municipal_ranking(indicator=ind)
        own = ranking.rows[-1].area
        html = client.get(f"/indikator/{ind.code}/?kommun={own.code}").content.decode()
        section = html[html.index('id="kommunerna"') :]
        svg = section[section.index("<svg") : section.index("</svg>")]
        # every municipality is named: in the chart and table, or as one without a value
        for m in munis:
            assert m.name in section, (ind.code, m.name)
            assert (m.name in svg) or (m in ranking.missing), (ind.code, m.name)
        assert f">{own.name}</a> <strong>(vald)</strong>" in section
    for m in munis:
        response = client.get(f"/kommun/{m.code}/")
        assert response.status_code == 200
        text = visible_text(response.content.decode())
        assert m.name in text and "Stöd i kommunen" in text
    assert client.get("/kommun/9999/").status_code == 404


# Swedish words that must not stand in an English chart's labels, units or a download's header.
SWEDISH_ONLY = re.compile(
    r"\b(Totalt|Kvinnor|Män|Flickor|Pojkar|Medianen|procent|procentenheter|antal|invånare|"
    r"indikatorns_namn|område|värde|källa)\b"
)


def test_english_crawl_finds_no_swedish_chart_label_unit_or_download_header(demo, client):
    from django.utils import translation

    found = []
    with translation.override("en"):
        for ind in published_indicators():
            table = selectors.indicator_table(indicator=ind)
            for line in presenters.chart_lines(table):
                if SWEDISH_ONLY.search(line.label):
                    found.append(f"{ind.code} legend: {line.label}")
            unit = str(ind.get_unit_display())
            if SWEDISH_ONLY.search(unit):
                found.append(f"{ind.code} unit: {unit}")
            description = presenters.chart_description(ind, table)
            if m := SWEDISH_ONLY.search(description):
                found.append(f"{ind.code} chart text: {m.group(0)}")
    for ind in published_indicators():
        html = client.get(f"/en/indikator/{ind.code}/").content.decode()
        for cap in re.findall(r'<figcaption id="diagram-text">(.*?)</figcaption>', html, re.S):
            if m := SWEDISH_ONLY.search(cap):
                found.append(f"/en/indikator/{ind.code}/ caption: {m.group(0)}")
        header = client.get(f"/en/indikator/{ind.code}/data.csv").content.decode("utf-8-sig")
        if m := SWEDISH_ONLY.search(header.splitlines()[0]):
            found.append(f"/en/indikator/{ind.code}/data.csv header: {m.group(0)}")
    assert found == [], found[:20]
