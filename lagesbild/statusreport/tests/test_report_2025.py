"""Done-when tests: the 2025 report built from the demo data, against the published report.

The demo data is loaded once for the module inside a transaction that is rolled back, and the
report is built and rendered once; the tests only read the resulting document and files.
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction

from lagesbild.statusreport.build import NO_SUBMISSION, report_build
from lagesbild.statusreport.document import BulletList, Chart, Paragraph, Table
from lagesbild.statusreport.render import CHART_FORMATS, FORMATS, render_report

# Marks the module as using the database, so pytest-django sets the test database up even when
# this module runs on its own (the tests themselves read the module fixture's results).
pytestmark = pytest.mark.django_db

# The published 2025 report (seed 000), written out: row label → values per column.
PUBLISHED = {
    "Tabell 1": (
        ["2022/2023", "2023/2024", "2024/2025"],
        [
            ("År 2 på gymnasiet", ["6,9", "6,9", "6,9"]),
            ("Flickor", ["6,6", "6,5", "6,5"]),
            ("Pojkar", ["7,1", "7,1", "7,1"]),
            ("Åk 8 i grundskolan", ["5,8", "5,8", "5,9"]),
            ("Flickor", ["5,4", "5,4", "5,6"]),
            ("Pojkar", ["6,3", "6,2", "6,3"]),
        ],
    ),
    "Tabell 2": (
        ["2022/2023", "2023/2024", "2024/2025"],
        [("Gymnasiet", ["7,8", "7,7", "7,7"]), ("Grundskolan", ["7,6", "7,6", "7,6"])],
    ),
    "Tabell 3": (
        ["2022/2023", "2023/2024", "2024/2025"],
        [
            ("År 2 på gymnasiet", ["7,4", "7,3", "7,3"]),
            ("Flickor", ["7,3", "7,2", "7,2"]),
            ("Pojkar", ["7,3", "7,2", "7,1"]),
            ("Åk 8 i grundskolan", ["6,1", "5,9", "6,0"]),
            ("Flickor", ["6,2", "6,1", "6,2"]),
            ("Pojkar", ["6,1", "5,7", "5,7"]),
        ],
    ),
    "Tabell 4": (
        ["2022/2023", "2023/2024", "2024/2025"],
        [
            ("Gymnasiet", ["8,3", "8,3", "8,3"]),
            ("I vilken utsträckning arbetar skolan", ["7,2", "7,2", "7,2"]),
            ("Tycker du att ni lärare", ["9,1", "9,1", "9,1"]),
            ("Grundskolan", ["8,1", "8,1", "8,2"]),
            ("I vilken utsträckning arbetar skolan", ["7,2", "7,1", "7,1"]),
            ("Tycker du att ni lärare", ["8,9", "8,9", "9,0"]),
        ],
    ),
    "Tabell 5": (
        ["2019", "2020", "2021", "2022", "2023", "2024", "2025"],
        [
            ("Fullföljda", ["31", "21", "52", "110", "94", "70", "127"]),
            ("Påbörjade", ["39", "72", "74", "33", "141", "146", "226"]),
            ("Pågående", ["–", "44", "31", "64", "52", "36", "133"]),
        ],
    ),
    "Tabell 6": (
        ["2022", "2023", "2024", "2025"],
        [
            ("Grov fridskränkning", ["", "", "", ""]),
            ("Lagföringsbeslut", ["49", "55", "48", "67"]),
            ("Lagförda personer", ["38", "41", "37", "58"]),
            ("Grov kvinnofridskränkning", ["", "", "", ""]),
            ("Lagföringsbeslut", ["72", "71", "87", "94"]),
            ("Lagförda personer", ["71", "71", "86", "93"]),
            ("Misshandel i parrelation", ["", "", "", ""]),
            ("Lagföringsbeslut", ["611", "587", "693", "749"]),
            ("Lagförda personer", ["467", "462", "552", "601"]),
            ("Våldtäkt (inklusive försök)", ["", "", "", ""]),
            ("Lagföringsbeslut", ["325", "344", "336", "421"]),
            ("Lagförda personer", ["189", "216", "229", "225"]),
            ("Utnyttjande av barn genom köp av sexuell handling", ["", "", "", ""]),
            ("Lagföringsbeslut", ["12", "52", "8", "18"]),
            ("Lagförda personer", ["3", "21", "5", "7"]),
        ],
    ),
    "Tabell 7": (
        ["2019", "2020", "2021", "2022", "2023", "2024", "2025"],
        [("Åklagarområde Stockholm", ["25", "25", "25", "28", "31", "37", "39"])],
    ),
    "Tabell 8": (
        ["2019", "2020", "2021", "2022", "2023", "2024", "2025"],
        [("Åklagarområde Stockholm", ["58", "62", "65", "60", "56", "57", "59"])],
    ),
}
# Which of our tables holds each published table: a phrase of its caption.
CAPTIONS = {
    "Tabell 1": "litar på att de vuxna i skolan",
    "Tabell 2": "pedagogisk personal i grundskolan och gymnasiet om de upplever",
    "Tabell 3": "behandlar alla elever lika",
    "Tabell 4": "främja jämställdhet",
    "Tabell 5": "behandlingsprogram",
    "Tabell 6": "åtagande 5.2",
    "Tabell 7": "beviljade kontaktförbud",
    "Tabell 8": "90 dagar",
}
RETIRED = {
    "Andel kommuner som har aktuell information på sin webbplats om vilket stöd": "2020",
    "stödsamtal med biståndsbeslut till våldsutövare": "2024",
    "stödsamtal utan biståndsbeslut till våldsutövare": "2024",
    "skyddat boende med biståndsbeslut": "2019",
    "samlad plan för handläggarnas kompetensutveckling": "2021",
    "kartlagt antalet barn": "2021",
    "kartlagt antalet vuxna": "2021",
    "FREDA-kortfrågor": "2022",
}


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """(document, {format: (filename, mimetype, bytes)}, strategy indicator series, annual
    measures, the coverage indicator's 2025 figures and the register snapshot behind them)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        from lagesbild.indicators.models import Observation
        from lagesbild.strategy.models import Measure

        series = {
            (o.indicator.code, o.breakdown_key)
            for o in Observation.objects.filter(
                published=True,
                statistic="value",
                indicator__kind="strategy",
                indicator__memberships__status="active",
            )
            # The report follows the county: national figures appear only as comparison
            # series (the national median), not as series of their own.
            .exclude(area__level="country")
            .select_related("indicator")
        }
        annual = set(Measure.objects.filter(frequency="annual").values_list("code", flat=True))
        coverage = _coverage_provenance()
        documents = {
            fmt: report_build(year=2025, chart_formats=CHART_FORMATS[fmt]) for fmt in FORMATS
        }
        files = {fmt: render_report(documents[fmt], fmt) for fmt in FORMATS}
        transaction.set_rollback(True)
    return documents["html"], files, series, annual, coverage, documents["pdf"]


def _coverage_provenance() -> SimpleNamespace:
    """What the demo stored for the coverage indicator (S4.3) in 2025, and where it came from."""
    from lagesbild.directory.models import RegisterSnapshot
    from lagesbild.directory.selectors import municipalities
    from lagesbild.indicators.models import Observation
    from lagesbild.strategy.models import ViolenceType

    observations = list(
        Observation.objects.filter(indicator__code="S4.3", period="2025").select_related(
            "import_run", "indicator"
        )
    )
    snapshot = RegisterSnapshot.objects.order_by("-created_at").first()
    return SimpleNamespace(
        indicator=observations[0].indicator.name if observations else "",
        observations=[
            (o.breakdown, o.value, o.import_run.kind, o.import_run.origin) for o in observations
        ],
        snapshot=snapshot,
        violence_types=[(vt.key, str(vt)) for vt in ViolenceType.objects.order_by("sort_order")],
        municipalities=[
            (m.code, m.name) for m in municipalities(on=snapshot.as_of) if snapshot is not None
        ],
    )


def _table(document, name: str) -> Table:
    matches = [t for t in document.tables() if CAPTIONS[name] in t.caption]
    assert matches, f"{name} saknas"
    return matches[0]


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_every_published_table_has_the_same_values(built, name):
    document = built[0]
    periods, rows = PUBLISHED[name]
    table = _table(document, name)
    header = [c.text for c in table.header_rows[0][1:]]
    assert header == periods
    body = [(r[0].text, [c.text for c in r[1:]]) for r in table.body_rows]
    assert len(body) == len(rows)
    for (label, values), (want_label, want_values) in zip(body, rows, strict=True):
        assert label.startswith(want_label) or want_label in label, (label, want_label)
        assert values == want_values, label
    assert table.source


def test_tables_are_numbered_and_carry_their_source(built):
    tables = built[0].tables()
    assert [t.number for t in tables] == list(range(1, len(tables) + 1))
    assert all(t.source for t in tables)
    assert _table(built[0], "Tabell 1").label == "Tabell 1."


def _coverage_shares(snapshot, key: str) -> Decimal:
    """The share of municipalities the snapshot's per-municipality coverage gives for
    ``violence_type/target/provision`` (provision ``totalt``: egen regi or avtal)."""
    vt, target, provision = key.split("/")
    provisions = ("egen-regi", "avtalssamverkan") if provision == "totalt" else (provision,)
    n = sum(
        1
        for cells in snapshot.coverage.values()
        if any(cells.get(f"{vt}/{target}/{p}") for p in provisions)
    )
    return (Decimal(n) / Decimal(snapshot.municipality_count) * 100).quantize(Decimal("1e-10"))


def test_coverage_figures_shown_come_from_the_register_snapshot(built):
    """Issue #6 §4: the 2025 coverage indicator is computed from the register as of a date,
    stored with the register snapshot as provenance, and shown in the report."""
    from lagesbild.directory.models import RegisterSnapshot
    from lagesbild.indicators.models import ImportKind

    document, coverage = built[0], built[4]
    snapshot = coverage.snapshot
    assert isinstance(snapshot, RegisterSnapshot) and str(snapshot.as_of) == "2025-11-30"
    assert len(coverage.observations) == 30
    for breakdown, value, kind, origin in coverage.observations:
        assert kind == ImportKind.DIRECTORY
        assert origin == snapshot
        key = f"{breakdown['violence_type']}/{breakdown['target']}/{breakdown['provision']}"
        assert value == _coverage_shares(snapshot, key), key
    table = next(t for t in document.tables() if t.caption.startswith(coverage.indicator))
    periods = [c.text for c in table.header_rows[0]]
    column = periods.index("2025")
    counts = {"Antal i täljaren", "Antal i nämnaren"}
    shown = [
        row[column].value
        for row in table.body_rows
        if row[column].text and row[0].text not in counts
    ]
    assert Counter(shown) == Counter(value for _b, value, _k, _o in coverage.observations)
    # the register's 88 percent for adults exposed to sexual violence, not the summary's 100
    assert "88" in [row[column].text for row in table.body_rows]


def test_the_invented_demo_register_is_never_an_appendix(built):
    """The demo support register says itself that it is invented: its per-municipality table
    is not printed (no ReportMetadata declares the register publishable), in no format."""
    document, files, *_ = built
    assert "Bilaga: Stöd per kommun" not in [s.title for s in document.sections]
    assert document.sections[-1].title == "Sammanfattning och utvecklingsområden"
    assert "Stöd till våldsutsatta per kommun" not in files["html"][2].decode()


def _sections(document, title):
    return [s for s in document.walk() if s.title == title]


def test_every_measure_followed_up_in_2025(built):
    document, _files, _series, annual, *_ = built
    measures = [s for a in _sections(document, "Åtaganden i handlingsplanen") for s in a.sections]
    codes = [s.title.split()[0] for s in measures]
    assert len(annual) == 39
    assert set(codes) == annual | {"3.1"}
    assert len(codes) == 40
    for s in measures:
        texts = [b for b in s.blocks if isinstance(b, Paragraph)]
        assert texts[0].text.startswith("Ansvariga: ")
        assert not any(p.text == NO_SUBMISSION for p in texts), s.title
        assert any(p.html for p in texts), f"{s.title} saknar godkänd text"
    m24 = next(s for s in measures if s.title.startswith("2.4 "))
    assert any("733" in p.text for p in m24.blocks if isinstance(p, Paragraph))


def test_the_eight_retired_indicators(built):
    document = built[0]
    retired = [s for r in _sections(document, "Indikatorer som utgått") for s in r.sections]
    assert len(retired) == 8
    for phrase, year in RETIRED.items():
        section = next(s for s in retired if phrase in s.title)
        texts = " ".join(b.text for b in section.blocks)
        assert f"Senaste år med data: {year}." in texts
        assert len(section.blocks[0].text) > 20  # the reason


def test_drafted_narrative_for_every_indicator(built):
    """One drafted paragraph per indicator (key ``ind:<code>``), not one per series."""
    document, _files, series, *_ = built
    keys = [p.key for p in document.paragraphs() if p.key.startswith("ind:")]
    assert len(keys) == len(set(keys))
    codes = {code for code, _b in series}
    assert codes <= {k.split(":")[1] for k in keys}
    assert len(series) > 50 and len(codes) < len(series)


def _all_text(document) -> str:
    parts = []
    for s in document.walk():
        parts.append(s.title)
        for b in s.blocks:
            if isinstance(b, Paragraph):
                parts.append(b.text)
                parts.extend(f.text for f in b.footnotes)
            elif isinstance(b, BulletList):
                parts.extend(b.items)
    return "\n".join(parts)


def test_no_change_in_a_share_is_ever_in_procent(built):
    document = built[0]
    generated = "\n".join(
        [p.text for p in document.paragraphs() if p.generated]
        + [
            i
            for s in document.walk()
            for b in s.blocks
            if isinstance(b, BulletList)
            for i in b.items
        ]
    )
    assert "procentenheter" in generated
    # "en ökning med 4 procent" would be a share change in procent; counts read "med 23 (16 procent)".
    assert not re.search(r"(ökning|minskning) med [0-9 ,−]+ procent(?!enhet)", generated)


def test_school_year_periods_in_the_built_report(built):
    document = built[0]
    s11 = [p.text for p in document.paragraphs() if p.key == "ind:S1.1"]
    assert any("läsåret 2024/2025" in t for t in s11)
    assert "2025/2026" not in _all_text(document)


def test_revision_footnote_in_the_built_report(built):
    document, files, *_ = built
    notes = [f.text for p in document.paragraphs() for f in p.footnotes]
    assert any(n.startswith("Siffran för 2024 har reviderats från 634 till 650.") for n in notes)
    assert "Siffran för 2024 har reviderats från 634 till 650" in files["html"][2].decode()


def test_summary_is_drafted_from_flags(built):
    """Every goal has a drafted summary of 3–6 sentences from the chapter's flags, and an
    overall summary is drafted from them."""
    from lagesbild.statusreport.checks import sentences

    document = built[0]
    drafts = document.summary_drafts
    assert set(drafts) == {f"sammanfattning:{n}" for n in range(0, 9)}
    for key, text in drafts.items():
        assert 3 <= len(sentences(text)) <= 6, (key, text)
    assert "i önskad riktning" in drafts["sammanfattning:5"]
    assert "Tydliga förbättringar syns inom mål" in drafts["sammanfattning:0"]


def test_method_section_is_generated_from_data(built):
    document = built[0]
    text = " ".join(
        b.text for b in _sections(document, "Hur lägesrapporten har tagits fram")[0].blocks
    )
    assert "den sjätte uppföljningen" in text
    assert "Skolinspektionen (Skolenkäten) (2022/2023–2024/2025)" in text
    for org in ("Arbetsförmedlingen", "Kriminalvården", "Polismyndigheten", "Åklagarmyndigheten"):
        assert org in text


def test_charts_have_a_text_alternative_and_a_table(built):
    document = built[0]
    charts = document.charts()
    assert charts
    tables = {t.id for t in document.tables()}
    for c in charts:
        assert c.table_id in tables
        assert f"tabell {c.table_id.split('-')[-1]}" in c.description
        assert c.description.startswith(("Linjediagram.", "Stapeldiagram."))
        assert c.svg.startswith(b"<svg")
    assert any("medianen i riket" in c.description.lower() for c in charts)


# --- the formats --------------------------------------------------------------------------------


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.ids, self._in = [], [], None
        self.generated = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in = [tag, ""]
        if a.get("data-generated") == "true":
            self.generated += 1

    def handle_data(self, data):
        if self._in:
            self._in[1] += data

    def handle_endtag(self, tag):
        if self._in and tag == self._in[0]:
            self.headings.append((tag, self._in[1].strip()))
            self._in = None


def _norm(text: str) -> str:
    # a line broken after a hyphen ("FREDA-" / "kortfrågor") comes out of the PDF as "FREDA- "
    return re.sub(r"(?<=\w-) ", "", re.sub(r"\s+", " ", text)).strip()


def test_html_headings_are_in_order_and_ids_unique(built):
    document, files, *_ = built
    parser = _Headings()
    parser.feed(files["html"][2].decode())
    levels = [int(t[1]) for t, _ in parser.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert len(parser.ids) == len(set(parser.ids))
    assert parser.generated > 30
    html = files["html"][2].decode()
    assert html.count("<caption>") == len(document.tables())
    assert 'scope="col"' in html and 'scope="row"' in html
    assert html.count('role="img"') == len(document.charts())


def test_the_three_formats_open_and_have_the_same_headings(built):
    from docx import Document
    from pypdf import PdfReader

    document, files, *_ = built
    expected = [_norm(h) for h in document.headings()]

    parser = _Headings()
    parser.feed(files["html"][2].decode())
    html_headings = [_norm(t) for tag, t in parser.headings if tag != "h1" and t != "Innehåll"]
    assert html_headings == expected

    name, mimetype, content = files["docx"]
    assert name == "lagesrapport-2025.docx" and "wordprocessingml" in mimetype
    doc = Document(io.BytesIO(content))
    docx_headings = [_norm(p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert docx_headings == expected
    assert len(doc.tables) == len(document.tables())

    name, mimetype, content = files["pdf"]
    assert name == "lagesrapport-2025.pdf" and mimetype == "application/pdf"
    pdf = PdfReader(io.BytesIO(content))
    text = _norm(" ".join(page.extract_text() for page in pdf.pages))
    position = 0
    for heading in expected:
        found = text.find(heading, position)
        assert found >= 0, heading
        position = found + len(heading)


def test_docx_uses_heading_styles_toc_field_and_alt_text(built):
    from docx import Document

    document, files, *_ = built
    doc = Document(io.BytesIO(files["docx"][2]))
    body = doc.element.body.xml
    assert 'TOC \\o "1-3"' in body
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"} <= styles
    descr = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', body)
    assert len(descr) == len(document.charts())
    assert all(len(d) > 30 for d in descr)


def test_pdf_has_page_numbers_running_header_and_toc_with_pages(built):
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(built[1]["pdf"][2]))
    pages = [p.extract_text() for p in pdf.pages]
    assert len(pages) > 10
    assert f"Sida 3 av {len(pages)}" in pages[2]
    assert "Lägesrapport 2025" in pages[5]  # running header
    toc = pages[1]
    assert re.search(r"Mål 1: Förebygga våld \.+ *\d+", toc)


def test_xlsx_holds_every_table_as_numbers(built):
    from decimal import Decimal

    from openpyxl import load_workbook

    document, files, *_ = built
    wb = load_workbook(io.BytesIO(files["xlsx"][2]))
    assert len(wb.sheetnames) == len(document.tables()) + len(document.charts()) + 1
    t7 = _table(document, "Tabell 7")
    ws = wb[t7.sheet_name]
    values = [c.value for c in ws[5][1:]]
    assert [Decimal(str(v)) for v in values] == [25, 25, 25, 28, 31, 37, 39]
    t1 = _table(document, "Tabell 1")
    ws = wb[t1.sheet_name]
    assert ws[5][0].value == "År 2 på gymnasiet"
    assert Decimal(str(ws[5][1].value)) == Decimal("6.9")
    assert ws[5][1].number_format == "#,##0.0"


def test_no_table_or_chart_is_dropped_by_a_renderer(built):
    document = built[0]
    blocks = [b for s in document.walk() for b in s.blocks]
    assert sum(isinstance(b, Table) for b in blocks) == len(document.tables())
    assert sum(isinstance(b, Chart) for b in blocks) == len(document.charts())


def test_synthetic_survey_results_never_enter_the_report(built):
    """The demo's prevention index is synthetic: no table, chart or sentence shows it."""
    document, files, *_ = built
    assert not [t for t in document.tables() if "Preventionsindex" in t.caption]
    assert "syntetisk" not in _all_text(document).lower()
    assert "syntetisk" not in files["html"][2].decode().lower()


def _internal_notes() -> set[str]:
    """The demo's notes marked internal (curator notes), from its observations file."""
    import csv
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.BASE_DIR) / "data" / "stockholm" / "observations.csv"
    with path.open(encoding="utf-8") as f:
        return {r["note"] for r in csv.DictReader(f) if r["note_audience"] == "internal"}


def test_report_check_finds_nothing(built):
    """The issue's report check over the demo's 2025 report: 0 of each, ≤ 3 sentences."""
    from lagesbild.statusreport.checks import report_check

    document = built[0]
    internal = _internal_notes()
    assert len(internal) > 20
    assert any("Rapporten skriver" in n for n in internal)
    assert any("registrerat som nämnare" in n for n in internal)
    # the first period of every table (a series' first period is the first column it fills)
    first = {t.header_rows[0][1].text for t in document.tables() if len(t.header_rows[0]) > 1}
    assert {"2019", "2022/2023"} <= first
    result = report_check(document, internal_notes=internal, first_periods=first)
    assert result.synthetic == []
    assert result.internal_notes == []
    assert result.since_first_period == []
    assert result.relative_on_small_base == []
    assert result.subjectless == []
    assert result.unknown_words == []
    assert result.too_long == []
    html = built[1]["html"][2].decode()
    assert not [n for n in internal if n[:60] in html]


def test_goal_5_shows_handled_and_cleared_counts(built):
    """Every handled (denominator) and cleared (numerator) count the demo stores for Mål 5's
    clearance rates is in the table next to the share."""
    import csv
    from pathlib import Path

    from django.conf import settings

    document = built[0]
    path = Path(settings.BASE_DIR) / "data" / "stockholm" / "observations.csv"
    with path.open(encoding="utf-8") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["indicator"].startswith("S5.")
            and r["statistic"] == "value"
            and (r["numerator"] or r["denominator"])
        ]
    assert len(rows) > 20
    tables = {t.caption: t for t in document.tables()}
    for r in rows:
        t = next(t for c, t in tables.items() if c.startswith(_indicator_name(r["indicator"])))
        periods = [c.text for c in t.header_rows[0]]
        column = periods.index(r["period"])
        for field, label in (("denominator", "Handlagda brott"), ("numerator", "Personuppklarade")):
            if r[field]:
                shown = [
                    row[column].value
                    for row in t.body_rows
                    if row[0].text.startswith(label) and row[column].value is not None
                ]
                assert Decimal(r[field]) in shown, (r["indicator"], r["period"], field)


def _indicator_name(code: str) -> str:
    return _indicator_names()[code]


@functools.cache
def _indicator_names() -> dict[str, str]:
    import yaml
    from django.conf import settings

    path = f"{settings.BASE_DIR}/data/stockholm/indicators.yaml"
    with open(path, encoding="utf-8") as f:
        return {i["code"]: i["name"].rstrip(".") for i in yaml.safe_load(f)["indicators"]}


def test_pdf_is_tagged_with_language_alt_texts_and_bookmarks(built):
    """PDF/UA-1 via WeasyPrint, checked with pikepdf on the structure tree."""
    import pikepdf

    document, files, *_ = built
    pdf = pikepdf.open(io.BytesIO(files["pdf"][2]))
    root = pdf.Root
    assert str(root.Lang) == "sv"
    assert bool(root.MarkInfo.Marked)
    assert "/StructTreeRoot" in root and "/Outlines" in root
    figures, kinds = [], Counter()

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                kinds[str(node.S)] += 1
                if str(node.S) == "/Figure":
                    figures.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node.K)
        elif isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)

    walk(root.StructTreeRoot.K)
    # a table that continues on the next page is tagged once per page
    assert kinds["/Table"] >= len(document.tables())
    assert len(figures) == len(document.charts()) and all(len(a) > 30 for a in figures)
    assert len(pdf.pages) <= 45


def test_pdf_boxes_stay_inside_the_right_margin(built):
    """Laid out with WeasyPrint: no table, figure or block reaches past the text area."""
    from lagesbild.statusreport.render.pdf import layout

    def walk(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    laid_out = layout(built[5])
    assert len(laid_out.pages) <= 45
    checked = 0
    for page in laid_out.pages:
        pb = page._page_box
        right = pb.margin_width() - pb.margin_right - pb.padding_right - pb.border_right_width
        for box in walk(pb):
            if type(box).__name__ in (
                "TableBox",
                "TableWrapperBox",
                "BlockReplacedBox",
                "BlockBox",
            ):
                checked += 1
                assert box.position_x + box.margin_width() <= right + 1, type(box).__name__
    assert checked > 100


def test_footnotes_run_once_through_the_document(built):
    document, files, *_ = built
    n = sum(len(p.footnotes) for p in document.paragraphs())
    assert n > 10
    html = files["html"][2].decode()
    assert re.findall(r'id="fotnot-(\d+)"', html) == [str(i) for i in range(1, n + 1)]
    from docx import Document

    doc = Document(io.BytesIO(files["docx"][2]))
    refs = [
        r.text
        for p in doc.paragraphs
        for r in p.runs
        if r.font.superscript and r.text.strip().isdigit() and not p.text.startswith(r.text)
    ]
    assert refs == [str(i) for i in range(1, n + 1)]


def test_docx_is_a4(built):
    from docx import Document
    from docx.shared import Cm

    doc = Document(io.BytesIO(built[1]["docx"][2]))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.1)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.1)


def test_charts_where_the_published_report_has_one_and_their_data_in_xlsx(built):
    from openpyxl import load_workbook

    document, files, *_ = built
    charts = document.charts()
    # diagrams 2–5 of the published report (diagram 1 and 6 have no figures in its text version)
    titles = " ".join(c.title for c in charts)
    for subject in ("rutin för skolgång", "kommuner som erbjuder stöd", "köp av sexuell handling"):
        assert subject in titles
    wb = load_workbook(io.BytesIO(files["xlsx"][2]))
    for c in charts:
        ws = wb[f"Diagram {c.number}"]
        assert [cell.value for cell in ws[4][1:]] == c.periods
        assert ws.max_row - 4 == len(c.series)
