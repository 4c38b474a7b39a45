"""The builder on a small report: what is shown, what is not, and how many queries it takes."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lagesbild.core.models import Area
from lagesbild.indicators.models import ImportKind, ImportRun, Observation
from lagesbild.reporting.models import Submission, SubmissionState
from lagesbild.statusreport.build import NO_SUBMISSION, report_build
from lagesbild.statusreport.render import html as html_renderer
from lagesbild.statusreport.services import paragraph_decide, report_text_save
from lagesbild.statusreport.tests.conftest import APPROVED_TEXT, DRAFT_TEXT

pytestmark = pytest.mark.django_db


def _measure_codes(document):
    return [
        s.title.split()[0]
        for a in document.walk()
        if a.title == "Åtaganden i handlingsplanen"
        for s in a.sections
    ]


def _text(document) -> str:
    return html_renderer.page(document)


def test_title_page_and_structure(small_report):
    doc = report_build(year=2025, chart_formats=())
    assert doc.title == "Lägesrapport 2025"
    assert doc.county == "Stockholms län"
    assert doc.publisher == "Länsstyrelsen Stockholm"
    assert [s.title for s in doc.sections] == [
        "Förord",
        "Hur lägesrapporten har tagits fram",
        "Hur lägesrapporten kan användas",
        "Resultat – strategi och handlingsplan",
        "Sammanfattning och utvecklingsområden",
    ]
    goals = [s.title for s in doc.sections[3].sections]
    assert goals == ["Mål 1: Förebygga våld", "Mål 2: Förebygga våld"]
    assert doc.sections[3].sections[0].blocks[0].text == "Formulering för mål 1"


def test_only_approved_submissions_and_published_figures(small_report):
    html = _text(report_build(year=2025, chart_formats=()))
    assert APPROVED_TEXT in html
    assert DRAFT_TEXT not in html
    assert "4 711" not in html and "4711" not in html
    assert "Antal opublicerade figurer" in html  # the indicator is there, without its figure


def test_annual_measures_every_year_end_of_plan_when_submitted_or_last_year(small_report):
    assert _measure_codes(report_build(year=2025, chart_formats=())) == ["1.1", "2.1"]
    Submission.objects.create(
        round=small_report.round,
        measure=small_report.end_of_plan,
        organisation=small_report.polisen,
        state=SubmissionState.APPROVED,
        narrative="<p>Redan klart.</p>",
    )
    assert _measure_codes(report_build(year=2025, chart_formats=())) == ["1.1", "1.2", "2.1"]
    Submission.objects.filter(measure=small_report.end_of_plan).delete()
    assert _measure_codes(report_build(year=2027, chart_formats=())) == ["1.1", "1.2", "2.1"]


def test_measure_without_approved_report_says_so(small_report):
    doc = report_build(year=2025, chart_formats=())
    section = next(s for s in doc.walk() if s.title.startswith("2.1 "))
    texts = [b.text for b in section.blocks]
    assert texts[0] == "Ansvariga: Polismyndigheten."
    assert NO_SUBMISSION in texts


def test_generated_paragraphs_are_marked_and_edits_are_not(small_report, coordinator):
    doc = report_build(year=2025, chart_formats=())
    html = html_renderer.body(doc)
    key = "ind:S1"
    assert re.search(r'<p class="utkast" data-generated="true" data-key="ind:S1">', html)
    paragraph_decide(
        year=2025,
        key=key,
        action="edited",
        text="Kontaktförbuden ökade.",
        draft="x",
        user=coordinator,
    )
    html = html_renderer.body(report_build(year=2025, chart_formats=()))
    assert '<p data-key="ind:S1">Kontaktförbuden ökade.<' in html
    assert html.count('data-generated="true"') > 0  # the other drafts still are


def test_edits_survive_regeneration_with_new_data(small_report, coordinator):
    paragraph_decide(
        year=2025, key="ind:S1", action="replaced", text="Egen text.", draft="", user=coordinator
    )
    obs = Observation.objects.get(indicator=small_report.share, period="2025", statistic="value")
    from lagesbild.indicators.services import observation_revise

    observation_revise(observation=obs, value=41, reason="Rättelse från källan", user=coordinator)
    doc = report_build(year=2025, chart_formats=())
    paragraph = next(p for p in doc.paragraphs() if p.key == "ind:S1")
    assert paragraph.text == "Egen text." and not paragraph.generated
    # the revision still reaches the table and its footnote
    assert "Siffran för 2025 har reviderats från 39 till 41 procent." in [
        f.text.split(" Rättelse")[0] for f in paragraph.footnotes
    ]


def test_an_accepted_draft_never_keeps_figures_that_have_changed(small_report, coordinator):
    from lagesbild.indicators.services import observation_revise

    draft = next(
        p for p in report_build(year=2025, chart_formats=()).paragraphs() if p.key == "ind:S1"
    )
    assert "39 procent" in draft.text
    paragraph_decide(
        year=2025, key="ind:S1", action="accepted", text="", draft=draft.text, user=coordinator
    )
    accepted = next(
        p for p in report_build(year=2025, chart_formats=()).paragraphs() if p.key == "ind:S1"
    )
    assert accepted.text == draft.text and not accepted.generated
    obs = Observation.objects.get(indicator=small_report.share, period="2025", statistic="value")
    observation_revise(observation=obs, value=41, reason="Rättelse från källan", user=coordinator)
    after = next(
        p for p in report_build(year=2025, chart_formats=()).paragraphs() if p.key == "ind:S1"
    )
    assert "41 procent" in after.text and "39 procent 2025" not in after.text
    assert after.generated  # to be reviewed again


def test_per_year_texts(small_report, coordinator):
    report_text_save(
        year=2025, kind="forord", text="Första stycket.\n\nAndra stycket.", user=coordinator
    )
    report_text_save(
        year=2025, kind="utvecklingsomraden", goal_number=1, text="- Ett\n- Två", user=coordinator
    )
    doc = report_build(year=2025, chart_formats=())
    foreword = doc.sections[0].blocks
    assert [p.text for p in foreword] == ["Första stycket.", "Andra stycket."]
    assert not any(p.generated for p in foreword)
    assert report_build(year=2026, chart_formats=()).sections[0].blocks[0].generated
    summary = doc.sections[-1].sections[0]
    lists = [b.items for b in summary.blocks if hasattr(b, "items")]
    assert ["Ett", "Två"] in lists


def test_share_narrative_median_and_flags(small_report):
    doc = report_build(year=2025, chart_formats=())
    text = next(p.text for p in doc.paragraphs() if p.key == "ind:S1")
    assert "ökade från 37 procent 2024 till 39 procent 2025, en ökning med 2 procentenheter" in text
    assert "och är den högsta under perioden 2019–2025" in text
    assert "under medianen i riket (40 procent), alltså sämre än riket" in text
    notes = [f.text for p in doc.paragraphs() if p.key == "ind:S1" for f in p.footnotes]
    assert "Det finns inga uppgifter för 2020, 2021 och 2022." in notes
    summary = next(p.text for p in doc.paragraphs() if p.key == "sammanfattning:1")
    assert "sämre till än medianen i riket för andelen beviljade kontaktförbud" in summary


def test_school_year_narrative(small_report):
    doc = report_build(year=2025, chart_formats=())
    text = next(p.text for p in doc.paragraphs() if p.key == "ind:S2")
    assert "från 6,8 läsåret 2023/2024 till 6,9 läsåret 2024/2025" in text


def test_chart_only_where_a_median_exists(small_report):
    doc = report_build(year=2025, chart_formats=("svg", "png"))
    charts = doc.charts()
    assert len(charts) == 1
    assert charts[0].png.startswith(b"\x89PNG") and b"<desc" in charts[0].svg


def test_queries_do_not_grow_with_the_report(small_report):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            report_build(year=2025, chart_formats=())
        return len(ctx.captured_queries)

    before = count()
    b = small_report.build
    for i in range(4, 10):
        b.indicator(f"S{i}", unit="count", goal=1 + i % 2, values={"2024": i, "2025": i + 1})
    for i in range(3, 8):
        b.measure(
            small_report.plan,
            f"1.{i}",
            text="Fler",
            responsible=[small_report.polisen],
            responsible_text="Polisen",
            follow_up="x",
        )
    assert count() == before
    assert before <= 15


def test_other_counties_and_older_years_are_not_read(small_report):
    other = Area.objects.create(
        code="03", name="Uppsala län", level="county", parent=small_report.build.country
    )
    small_report.build.observation(small_report.share, "2025", 77, area=other)
    small_report.build.observation(small_report.share, "2010", 12)
    html = _text(report_build(year=2025, chart_formats=()))
    assert "Uppsala" not in html and "2010" not in html


def test_report_command_writes_every_format(small_report, tmp_path):
    for fmt in ("html", "docx", "pdf", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        stdout = io.StringIO()
        call_command("report", "2025", "--format", fmt, "--out", str(out), stdout=stdout)
        assert out.stat().st_size > 1000
        assert f"Lägesrapport 2025 ({fmt})" in stdout.getvalue()
    assert out.read_bytes()[:2] == b"PK"
    assert (tmp_path / "r.pdf").read_bytes()[:4] == b"%PDF"


def test_report_command_without_strategy(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ingen strategi"):
        call_command("report", "2025", "--out", str(tmp_path / "x.html"), stdout=io.StringIO())


def test_bench_data_adds_synthetic_history_without_changing_the_report(small_report):
    for code in ("03", "04"):
        Area.objects.create(
            code=code, name=f"Län {code}", level="county", parent=small_report.build.country
        )
    before = re.sub(
        r"<svg.*?</svg>", "", _text(report_build(year=2025, chart_formats=("svg",))), flags=re.S
    )
    stdout = io.StringIO()
    call_command("bench_data", "--scale", "national", stdout=stdout)
    run = ImportRun.objects.get(kind=ImportKind.SYNTHETIC)
    added = Observation.objects.filter(import_run=run)
    # 2 indicators × (2 other counties × 20 years + the county's own 20 − 7 shown years)
    assert added.count() == 2 * (2 * 20 + 13)
    assert not added.filter(area__code="01", period_sort__gte=2019).exists()
    assert added.first().history.first().history_change_reason.startswith("Syntetiska")
    after = re.sub(
        r"<svg.*?</svg>", "", _text(report_build(year=2025, chart_formats=("svg",))), flags=re.S
    )
    assert after == before
    call_command("bench_data", "--scale", "national", stdout=io.StringIO())
    assert (
        Observation.objects.filter(import_run__kind=ImportKind.SYNTHETIC).count() == added.count()
    )


def test_same_data_gives_the_same_report(small_report):
    first = _text(report_build(year=2025, chart_formats=("svg",)))
    assert first == _text(report_build(year=2025, chart_formats=("svg",)))


def test_a_pdf_with_unreviewed_drafts_says_so_on_its_title_page(small_report, coordinator):
    from pypdf import PdfReader

    from lagesbild.statusreport.render import pdf as pdf_renderer

    doc = report_build(year=2025, chart_formats=())
    drafts = sum(1 for p in doc.paragraphs() if p.generated)
    assert drafts > 1
    first_page = PdfReader(io.BytesIO(pdf_renderer.render(doc)[2])).pages[0].extract_text()
    assert "Utkast." in first_page and f"{drafts} stycken" in first_page
    report_text_save(year=2025, kind="forord", text="Förord.", user=coordinator)
    for goal in (1, 2):
        report_text_save(
            year=2025, kind="sammanfattning", goal_number=goal, text="Summering.", user=coordinator
        )
    for p in doc.paragraphs():
        if p.generated and not p.key.startswith(("forord", "sammanfattning:1", "sammanfattning:2")):
            paragraph_decide(
                year=2025, key=p.key, action="accepted", text="", draft=p.text, user=coordinator
            )
    reviewed = report_build(year=2025, chart_formats=())
    assert [p.key for p in reviewed.paragraphs() if p.generated] == []
    assert "Utkast." not in html_renderer.body(reviewed)


def test_the_report_follows_the_strategys_own_plan_not_another_organisations(small_report):
    """A region's own, newer plan against the same goals is not the report's action plan."""
    b = small_report.build
    region = b.organisation("region", "Region Stockholm", "region")
    own = b.plan("region-plan", title="Regionens plan 2025–2028", owner=region, period=(2025, 2028))
    b.measure(own, "1.9", text="Regionens egen åtgärd", responsible=[region])
    report = report_build(year=2025, chart_formats=())
    html = html_renderer.body(report)
    assert "Åtgärd 1.1" in html
    assert "Regionens egen åtgärd" not in html


@pytest.mark.parametrize(
    ("drafts", "text"),
    [
        (
            1,
            "1 stycke är framtaget automatiskt ur statistiken och har ännu inte granskats; det är ",
        ),
        (
            3,
            "3 stycken är framtagna automatiskt ur statistiken och har ännu inte granskats; de är ",
        ),
    ],
)
def test_the_draft_notice_agrees_in_number(drafts, text):
    from types import SimpleNamespace

    paragraphs = [SimpleNamespace(generated=True)] * drafts + [SimpleNamespace(generated=False)]
    notice = html_renderer._draft_notice(SimpleNamespace(paragraphs=lambda: paragraphs))
    assert text in notice


def test_the_report_version_changes_with_a_new_register_snapshot(small_report):
    """The appendix "Stöd per kommun" comes from the newest snapshot: a new one must not be
    served from a cached file of the old."""
    import datetime as dt

    from lagesbild.directory.models import RegisterSnapshot
    from lagesbild.statusreport.selectors import report_version

    before = report_version(year=2025)
    assert report_version(year=2025) == before
    RegisterSnapshot.objects.create(
        as_of=dt.date(2025, 11, 30),
        period="2025",
        sha256="0" * 64,
        service_count=0,
        municipality_count=0,
    )
    assert report_version(year=2025) != before
