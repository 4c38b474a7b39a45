"""`lagesbild load-report-texts FILE --year N [--dry-run]`: texts and metadata, all or nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.models import ReportMetadata, ReportText, TextKind

pytestmark = pytest.mark.django_db
DEMO = Path(settings.BASE_DIR) / "data" / "stockholm" / "report-2025.yaml"


def test_dry_run_writes_nothing_and_the_load_is_repeatable(small_report):
    out = io.StringIO()
    call_command("load_report_texts", str(DEMO), "--year", "2025", "--dry-run", stdout=out)
    assert "Skulle skriva: forord" in out.getvalue()
    assert not ReportText.objects.exists() and not ReportMetadata.objects.exists()
    call_command("load_report_texts", str(DEMO), "--year", "2025", stdout=io.StringIO())
    assert ReportText.objects.filter(kind=TextKind.SUMMARY).count() == 8
    meta = ReportMetadata.objects.get(year=2025)
    assert (meta.isbn, meta.report_number, meta.publisher) == (
        "978-91-7937-407-5",
        "2026:7",
        "Länsstyrelsen Stockholm",
    )
    again = io.StringIO()
    call_command("load_report_texts", str(DEMO), "--year", "2025", stdout=again)
    assert "0 texter skrivna" in again.getvalue()


def test_title_page_and_summary_come_from_the_file(small_report):
    call_command("load_report_texts", str(DEMO), "--year", "2025", stdout=io.StringIO())
    doc = report_build(year=2025, chart_formats=())
    assert doc.isbn == "978-91-7937-407-5" and doc.report_number == "2026:7"
    assert doc.sections[0].blocks[0].text.startswith("Operation Kvinnofrid grundades 1996")
    from lagesbild.statusreport.render import html

    page = html.page(doc)
    assert "978-91-7937-407-5" in page and "2026:7" in page


def test_a_bad_file_is_refused_whole_with_a_swedish_error(small_report, tmp_path):
    bad = tmp_path / "texter.yaml"
    bad.write_text(
        "year: 2025\nforeword: Nytt förord.\nmetadata:\n  isbn: 12\n  farg: blå\ngoals:\n"
        "  1:\n    summary: x\n    extra: y\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("load_report_texts", str(bad), "--year", "2025", stdout=io.StringIO())
    message = str(exc.value)
    assert "metadata.isbn: ska vara str" in message
    assert "okänd uppgift 'farg'" in message
    assert "goals.1: okända nycklar" in message
    assert not ReportText.objects.exists()
    with pytest.raises(CommandError, match="year är 2025, men --year är 2024"):
        call_command("load_report_texts", str(DEMO), "--year", "2024", stdout=io.StringIO())
