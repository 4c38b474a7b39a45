"""Lower bounds and approximate values ("minst", "cirka", issue 12): the tidy ``qualifier``
column end to end – import, history, the indicator page, the status report in every format, the
downloads and the API – and a qualified value never feeds a computed change."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from lagesbild.core.yamlschema import ConfigError
from lagesbild.indicators.models import Observation, Qualifier
from lagesbild.indicators.tidy import read_observations
from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.render import render_report

pytestmark = pytest.mark.django_db


def _import(path: Path, *, expect_error: bool = False) -> dict:
    out = StringIO()
    if expect_error:
        with pytest.raises(CommandError):
            call_command("import_stats", "tidy", str(path), "--json", stdout=out, stderr=StringIO())
    else:
        call_command("import_stats", "tidy", str(path), "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def counted(build):
    """A count indicator in a plan in force 2025, with an exact 2024 and a lower bound 2025."""
    build.plan()
    ind = build.indicator(
        "Q1",
        name="Antal anmälda brott mot kvinnor",
        unit="count",
        direction="down",
        values={"2023": 1500},
    )
    return ind


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_tidy_column_stores_the_qualifier_with_history(counted, tmp_path):
    path = _write(
        tmp_path,
        "indicator,area,period,value,qualifier\n"
        "Q1,01,2024,1613,\n"
        "Q1,01,2025,634,Minst\n"
        "Q1,00,2025,1600,cirka\n",
    )
    summary = _import(path)
    assert summary["created"] == 3
    county = Observation.objects.filter(indicator=counted, area__code="01")
    got = dict(county.values_list("period", "qualifier"))
    assert got == {"2023": "", "2024": "", "2025": Qualifier.AT_LEAST}
    country = Observation.objects.get(indicator=counted, area__code="00")
    assert country.qualifier == Qualifier.APPROXIMATELY
    lower = Observation.objects.get(indicator=counted, area__code="01", period="2025")
    assert lower.history.get().qualifier == Qualifier.AT_LEAST
    # English words work too; a changed qualifier is a change, kept in the history
    _write(tmp_path, "indicator,area,period,value,qualifier\nQ1,01,2025,634,approx\n", "en.csv")
    assert _import(tmp_path / "en.csv")["updated"] == 1
    lower.refresh_from_db()
    assert lower.qualifier == Qualifier.APPROXIMATELY
    assert [h.qualifier for h in lower.history.order_by("history_id")] == [
        "at_least",
        "approximately",
    ]
    assert not lower.revised  # the figure itself did not change


def test_a_bad_qualifier_is_a_swedish_error_naming_row_and_column(counted, tmp_path):
    path = _write(
        tmp_path,
        "indicator,area,period,value,kvalificering\nQ1,01,2024,10,\nQ1,01,2025,12,ungefär\n",
        "fel.csv",
    )
    before = Observation.objects.count()
    summary = _import(path, expect_error=True)
    assert summary["errors"] == [
        "fel.csv rad 3, kolumn 'kvalificering': okänd kvalificering 'ungefär' "
        "(tillåtna: minst eller cirka, på engelska at_least eller approx; tomt = exakt)"
    ]
    assert Observation.objects.count() == before
    # the project's own observation files (the demo loader) give the same message
    demo = _write(
        tmp_path,
        "indicator,area,period,value,qualifier\nQ1,01,2025,12,högst\n",
        "observations.csv",
    )
    with pytest.raises(ConfigError) as exc:
        read_observations(demo)
    assert "observations.csv rad 2, fält 'qualifier': okänd kvalificering 'högst'" in str(exc.value)


def test_the_demo_observation_files_read_the_qualifier(counted, tmp_path):
    path = _write(tmp_path, "indicator,area,period,value,qualifier\nQ1,01,2025,40,minst\n")
    [(_line, data)] = read_observations(path)
    assert data.qualifier == Qualifier.AT_LEAST


@pytest.fixture
def qualified(counted, tmp_path):
    _write(
        tmp_path,
        "indicator,area,period,value,qualifier\nQ1,01,2024,1613,\nQ1,01,2025,634,minst\n",
    )
    _import(tmp_path / "data.csv")
    return counted


def test_the_indicator_page_shows_the_word_and_no_computed_change(client, qualified):
    html = client.get(f"/indikator/{qualified.code}/").content.decode()
    assert "minst 634" in html
    assert "1 613" in html and "minst 1 613" not in html
    # the headline names the lower bound and computes no change from it
    assert "minskning med" not in html and "ökning med" not in html
    with translation.override("en"):
        html_en = client.get(f"/en/indikator/{qualified.code}/").content.decode()
    assert "at least 634" in html_en


def test_the_report_shows_the_word_in_every_format_and_no_change_sentence(qualified):
    doc = report_build(year=2025, chart_formats=())
    table = next(t for t in doc.tables() if "anmälda brott" in t.caption)
    cells = [c.text for row in table.body_rows for c in row]
    assert "minst 634" in cells and "1 613" in cells
    paragraph = next(p for p in doc.paragraphs() if p.key == "ind:Q1")
    assert "minst 634 år 2025" in paragraph.text
    assert "minskade" not in paragraph.text and "procent" not in paragraph.text
    assert any("nedre gräns" in f.text for f in paragraph.footnotes)

    _name, _mime, html = render_report(doc, "html")
    assert "minst 634" in html.decode()
    _name, _mime, docx = render_report(doc, "docx")
    from docx import Document

    texts = {c.text for t in Document(io.BytesIO(docx)).tables for r in t.rows for c in r.cells}
    assert "minst 634" in texts
    _name, _mime, xlsx = render_report(doc, "xlsx")
    ws = load_workbook(io.BytesIO(xlsx))[table.sheet_name]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 634)
    assert cell.number_format.startswith('"minst "')  # still a number, shown "minst 634"
    _name, _mime, pdf = render_report(doc, "pdf")
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "minst 634" in text.replace("\xa0", " ")


def test_downloads_have_a_qualifier_column_and_the_api_a_field(client, qualified):
    csv = client.get(f"/indikator/{qualified.code}/data.csv").content.decode("utf-8-sig")
    header, *rows = [line.split(",") for line in csv.strip().splitlines()]
    assert "kvalificering" in header
    col, val = header.index("kvalificering"), header.index("värde")
    by_period = {r[header.index("period")]: (r[val], r[col]) for r in rows}
    assert by_period["2025"] == ("634", "minst")  # the number unmangled, the word beside it
    assert by_period["2024"] == ("1613", "")
    xlsx = client.get(f"/indikator/{qualified.code}/data.xlsx")
    ws = load_workbook(
        io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content)
    )["Data"]
    rows = list(ws.iter_rows(values_only=True))
    assert "kvalificering" in rows[0]
    assert ("minst", 634) in {
        (r[rows[0].index("kvalificering")], r[rows[0].index("värde")]) for r in rows[1:]
    }
    # JSON-stat: the word by the value's index in the extension, explained in a note
    stat = client.get(f"/indikator/{qualified.code}/data.json").json()
    periods = stat["dimension"]["period"]["category"]["index"]
    words = stat["extension"]["lagesbild"]["qualifier"]
    shown = {stat["value"][i]: w for i, w in words.items()}
    assert shown == {634: "minst"} and len(periods) >= 2
    assert any(n.startswith("Kvalificering: minst") for n in stat["note"])
    english = client.get(f"/en/indikator/{qualified.code}/data.json").json()
    assert set(english["extension"]["lagesbild"]["qualifier"].values()) == {"at least"}
    api = client.get(f"/api/v1/indicators/{qualified.code}/observations").json()
    items = api["items"] if isinstance(api, dict) else api
    got = {o["period"]: (o["value"], o["qualifier"], o["qualifier_label"]) for o in items}
    assert got["2025"] == ("634", "at_least", "minst")
    assert got["2024"] == ("1613", "", "")


def test_a_qualified_value_never_feeds_a_change(qualified):
    from lagesbild.indicators.presenters import headline
    from lagesbild.indicators.selectors import indicator_table

    head = headline(qualified, indicator_table(indicator=qualified))
    assert head.latest_text == "minst 634"
    assert head.change_text == "" and head.assessment == ""
    # an exact value after it is compared with nothing qualified either
    obs = Observation.objects.get(indicator=qualified, period="2025")
    assert obs.value == Decimal("634")
