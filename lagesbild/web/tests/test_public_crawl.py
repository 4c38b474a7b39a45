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


@pytest.fixture(scope="module")
def crawl(demo, django_db_blocker) -> dict[str, str]:
    """Every public page kind in Swedish and English, fetched once for the module's checks
    (internal codes, base years, English chart text): the crawl is the costly part."""
    from django.core.cache import cache
    from django.test import Client

    reader = Client()
    pages: dict[str, str] = {}
    with django_db_blocker.unblock():
        cache.clear()
        paths = _public_paths() + ["/rapport/"]
        for path in paths:
            for prefix in ("", "/en"):
                response = reader.get(prefix + path)
                assert response.status_code == 200, prefix + path
                pages[prefix + path] = response.content.decode()
    return pages


def _internal_codes(client, paths) -> list[str]:
    found = []
    for path in paths:
        for prefix in ("", "/en"):
            response = client.get(prefix + path)
            assert response.status_code == 200, prefix + path
            for m in INTERNAL.finditer(visible_text(response.content.decode())):
                found.append(f"{prefix}{path}: {m.group(0)}")
    return found


def test_no_internal_code_on_any_measure_or_report_page(demo, client):
    """The agencies' follow-ups as the public reads them (measure pages show reported values by
    breakdown: labels, never keys) and the report pages."""
    paths = [f"/atgard/{m.code}/" for m in selectors.current_plan().measures.all()]
    assert len(paths) >= 40
    assert _internal_codes(client, paths + ["/rapport/", "/rapport/2025/"]) == []


def test_no_internal_code_on_any_public_page_or_download(crawl, client):
    found = [
        f"{url}: {m.group(0)}"
        for url, html in crawl.items()
        for m in INTERNAL.finditer(visible_text(html))
    ]
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


def test_every_explorer_chart_has_its_marks(crawl):
    """The explorer draws the same chart as the indicator page: every value of every drawn
    line sits at its own period (S5.1 and E1.1 were blank when the periods were misaligned)."""
    checked = 0
    for ind in published_indicators():
        table = selectors.indicator_table(indicator=ind)
        lines = presenters.chart_lines(table)
        periods = presenters.chart_periods(table)
        for line in lines:
            assert len(line.values) == len(periods), ind.code
        html = crawl[f"/utforska/?indikator={ind.code}"]
        if not presenters.series_chart_drawn(table):
            continue
        drawn = [v for line in lines for v in line.values if v is not None]
        assert drawn, ind.code
        assert "<svg" in html, ind.code
        figure = html[html.index("<svg") : html.index("</svg>")]
        # one marker <use> per value drawn, at least (tick marks add more)
        assert figure.count("<use ") >= len(drawn), ind.code
        for period in periods:
            assert f"{period}" in figure or period in html, (ind.code, period)
        checked += 1
    assert checked > 20
    for code in ("S5.1", "E1.1"):
        assert "<svg" in crawl[f"/utforska/?indikator={code}"], code


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


def test_english_crawl_finds_no_swedish_chart_label_unit_or_caption(crawl):
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
    # (the English downloads' headers: test_english_pages_charts_and_downloads_…)
    for ind in published_indicators():
        html = crawl[f"/en/indikator/{ind.code}/"]
        for cap in re.findall(r'<figcaption id="diagram-text">(.*?)</figcaption>', html, re.S):
            if m := SWEDISH_ONLY.search(cap):
                found.append(f"/en/indikator/{ind.code}/ caption: {m.group(0)}")
    assert found == [], found[:20]


# Chart and table words that are Swedish only (proper names such as Stockholms län are not).
SWEDISH_CHART_WORD = re.compile(
    SWEDISH_ONLY.pattern[:-3]
    + r"|Länet|länet|Riket|riket|Medianen|medianen|kommunerna|axeln|börjar|saknas|uppgift|"
    r"jämfört|sedan|ökning|minskning|Diagrammet|Staplar|stapel|linje|år|Antal|Andel|andel|"
    r"Procent|Värde|Område|Källa|Enhet|Indikator|indikator|Kön|Ålder)\b"
)


# An indicator code ("M8.1-kast-studie-andel-stockholm") is an identifier, not a label.
CODE = re.compile(r"\b[A-Z]{1,2}\d+(\.\d+)*(-[\w-]+)?")


def _swedish_word(text: str):
    return SWEDISH_CHART_WORD.search(CODE.sub("", text))


class _ChartText(HTMLParser):
    """The words of an English page's charts and tables: the text (and, for SVG drawn by
    matplotlib, the comments naming each text) inside <svg>, <figcaption>, <caption>, <th>
    and <legend> that is not inside an element marked lang="sv"."""

    ZONES = ("svg", "figcaption", "caption", "th", "legend")
    VOID = {"br", "img", "input", "meta", "link", "hr", "use", "source", "wbr", "col", "path"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.parts: list[str] = []

    def _collecting(self) -> bool:
        return any(t in self.ZONES for t, _ in self.stack) and not any(
            lang == "sv" for _, lang in self.stack
        )

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self._collecting() and data.strip():
            self.parts.append(data.strip())

    def handle_comment(self, data):
        if self._collecting() and data.strip():
            self.parts.append(data.strip())


def chart_text(html: str) -> list[str]:
    p = _ChartText()
    p.feed(html)
    return p.parts


def _english_pages() -> list[str]:
    indicators = list(published_indicators())
    paths = ["/", "/utforska/", "/kommun/", "/hjalp/", "/tillganglighet/", "/rapport/"]
    paths += ["/stod/?kommun=0182&alder=15&kon=flicka&typ=heder&roll=utsatt", "/sok/?q=våld"]
    paths += [f"/mal/{n}/" for n in range(1, 9)]
    paths += [f"/indikator/{i.code}/" for i in indicators]
    paths += [f"/utforska/?indikator={i.code}" for i in indicators]
    paths += [f"/kommun/{a.code}/" for a in Area.objects.filter(level=AreaLevel.MUNICIPALITY)]
    return ["/en" + p for p in paths]


def _xlsx_headers(content: bytes) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)
    words = list(wb.sheetnames)
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        first = next(rows, ())
        words += [str(v) for v in first if v is not None]
        if ws.title.lower().startswith(("metadata", "om ")) or ws.title == wb.sheetnames[-1]:
            words += [str(r[0]) for r in rows if r and r[0] is not None]
    return words


def test_english_pages_charts_and_downloads_carry_no_swedish_only_label(crawl, client):
    """Every English public page kind: the SVG charts (labels, legends, units, axis titles),
    figure captions, table captions and header cells; and the English downloads: the CSV and
    XLSX headers of every indicator and every goal's "download all" zip. Text marked
    lang="sv" (the register's names, the agencies' narratives) is Swedish on purpose."""
    import zipfile

    found = []
    for path in _english_pages():
        html = crawl.get(path)
        if html is None:
            response = client.get(path)
            assert response.status_code == 200, path
            html = response.content.decode()
        for text in chart_text(html):
            if m := _swedish_word(text):
                found.append(f"{path}: {m.group(0)!r} in {text[:80]!r}")
    for ind in published_indicators():
        url = f"/en/indikator/{ind.code}/data"
        csv_head = client.get(url + ".csv").content.decode("utf-8-sig").splitlines()[0]
        if m := _swedish_word(csv_head):
            found.append(f"{url}.csv header: {m.group(0)}")
        for word in _xlsx_headers(client.get(url + ".xlsx").content):
            if m := _swedish_word(word):
                found.append(f"{url}.xlsx: {word!r}")
    for n in range(1, 9):
        response = client.get(f"/en/mal/{n}/data.zip")
        zf = zipfile.ZipFile(io.BytesIO(response.content))
        for name in zf.namelist():
            if name.endswith(".csv"):
                head = zf.read(name).decode("utf-8-sig").splitlines()[0]
                if m := _swedish_word(head):
                    found.append(f"/en/mal/{n}/data.zip {name} header: {m.group(0)}")
            elif name.endswith(".xlsx"):
                for word in _xlsx_headers(zf.read(name)):
                    if m := _swedish_word(word):
                        found.append(f"/en/mal/{n}/data.zip {name}: {word!r}")
    assert found == [], sorted(set(found))[:40]


# A change after its arrow (↑ ↓ →): the words up to the next separator.
ARROW_CHANGE = re.compile(r"[↑↓→]\s+([^·↑↓→]{0,90})")
BASE_YEAR = re.compile(r"\b(sedan|jämfört med|since) \d{4}")


def test_every_change_shown_names_its_base_year(crawl):
    """Indicator headlines, goal page rows, the explorer's headline and the front page's
    overview: each change after an arrow says against which year ("sedan 2019", "since 2019")."""
    paths = ["/"] + [f"/mal/{n}/" for n in range(1, 9)]
    paths += [f"/indikator/{i.code}/" for i in published_indicators()]
    paths += [f"/utforska/?indikator={i.code}" for i in published_indicators()]
    found, changes = [], 0
    for prefix in ("", "/en"):
        for path in paths:
            text = " ".join(visible_text(crawl[prefix + path]).split())
            for m in ARROW_CHANGE.finditer(text):
                words = m.group(1)
                if not re.match(
                    r"(ökning|minskning|oförändrat|increase|decrease|unchanged|"
                    r"[−\d][^ ]* ?(procentenheter|percentage points?)? ?(upp|ned|up|down))|"
                    r"(up|down) ",
                    words,
                ):
                    continue  # an arrow in a legend or a cue, not a change
                changes += 1
                if not BASE_YEAR.search(words):
                    found.append(f"{prefix}{path}: {words[:70]!r}")
    assert changes > 50
    assert found == [], found[:20]
