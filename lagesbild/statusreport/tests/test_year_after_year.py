"""Issue 12, the report side of "year after year": breakdown labels from the configuration, the
plan period's notes of the year's own plan, and no publication of synthetic content (by the
command and by the web confirmation page)."""

from __future__ import annotations

import io
import shutil

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from lagesbild.indicators.labels import labels_changed
from lagesbild.indicators.models import BreakdownLabel, IndicatorMembership
from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.edition_services import (
    PublishError,
    build_request,
    edition_publish,
)
from lagesbild.statusreport.models import BuildState, ReportBuild, ReportEdition
from lagesbild.strategy.tests.test_periods import EARLIER, EXAMPLE, _load_example, demo  # noqa: F401

pytestmark = pytest.mark.django_db

EARLIER_NOTE = "SYNTETISKT EXEMPEL: anmärkning för perioden 2020–2023 om Skolenkäten."


def _texts(doc) -> str:
    """Every text of a built report: paragraphs, footnotes, table cells and notes."""
    parts = []
    for sec in doc.walk():
        parts.append(sec.title)
        for b in sec.blocks:
            parts.append(getattr(b, "text", "") or "")
            parts += [f.text for f in getattr(b, "footnotes", [])]
            parts += list(getattr(b, "items", []) or [])
    for t in doc.tables():
        parts.append(t.caption)
        parts += t.notes
        parts += [c.text for row in t.header_rows + t.body_rows for c in row]
    return "\n".join(parts)


# --- breakdown labels from labels.yaml ---------------------------------------------------------


def test_report_tables_use_labels_only_the_configuration_defines(build):
    build.plan()
    ind = build.indicator(
        "L1", name="Antal stödsamtal", unit="count", breakdowns=["malgrupp"], values={}
    )
    for value, n in (("totalt", 30), ("kvinnor-flickor", 18), ("vuxna-man", 12)):
        build.observation(ind, "2025", n, breakdown={"malgrupp": value})
    for dimension, value, label, label_en, order in (
        ("malgrupp", "", "Målgrupp i samtalen", "Target group of the talks", 0),
        ("malgrupp", "vuxna-man", "Vuxna män", "Adult men", 1),
        ("malgrupp", "kvinnor-flickor", "Kvinnor och flickor", "Women and girls", 2),
    ):
        BreakdownLabel.objects.create(
            dimension=dimension, value=value, label=label, label_en=label_en, sort_order=order
        )
    labels_changed()

    def table(doc):
        t = next(t for t in doc.tables() if "stödsamtal" in t.caption)
        return t.header_rows[0][0].text, [row[0].text for row in t.body_rows]

    head, rows = table(report_build(year=2025, chart_formats=()))
    assert head == "Målgrupp i samtalen"
    # configured labels, in the configured order (the slug would read "Kvinnor flickor")
    assert rows == ["Totalt", "Vuxna män", "Kvinnor och flickor"]
    with translation.override("en"):
        head, rows = table(report_build(year=2025, chart_formats=()))
    assert head == "Target group of the talks"
    assert rows[1:] == ["Adult men", "Women and girls"]
    # without configuration the Python defaults still apply
    BreakdownLabel.objects.all().delete()
    labels_changed()
    ind2 = build.indicator("L2", name="Antal anmälningar", unit="count", breakdowns=["sex"])
    build.observation(ind2, "2025", 5, breakdown={"sex": "kvinnor"})
    doc = report_build(year=2025, chart_formats=())
    t = next(t for t in doc.tables() if "anmälningar" in t.caption)
    assert (t.header_rows[0][0].text, t.body_rows[0][0].text) == ("Kön", "Kvinnor")


# --- the plan period's notes --------------------------------------------------------------------


def test_each_years_report_prints_the_notes_of_its_own_plan(demo):  # noqa: F811
    _load_example()
    earlier = _texts(report_build(year=2022, chart_formats=()))
    assert EARLIER_NOTE in earlier
    assert "SYNTETISKT EXEMPEL: redovisades under både mål 5 och mål 6." in earlier
    current = _texts(report_build(year=2025, chart_formats=()))
    assert "anmärkning för perioden 2020–2023" not in current
    assert "redovisades under både mål 5 och mål 6" not in current


def test_internal_period_notes_never_reach_the_report(demo, tmp_path):  # noqa: F811
    folder = tmp_path / "tidigare"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "indicators.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    s11 = next(i for i in spec["indicators"] if i["code"] == "S1.1")
    s11["notes"] = "INTERNT: siffran för 2021 är omräknad av samordnaren"
    s11["notes_audience"] = "internal"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    call_command("load_config", str(folder), stdout=io.StringIO())
    membership = IndicatorMembership.objects.get(plan__key=EARLIER, indicator__code="S1.1")
    assert membership.notes_audience == "internal"
    text = _texts(report_build(year=2022, chart_formats=()))
    assert "INTERNT" not in text
    assert "SYNTETISKT EXEMPEL: redovisades under både mål 5 och mål 6." in text  # public


# --- no publication of synthetic content --------------------------------------------------------


def test_publish_command_refuses_a_year_with_synthetic_content(demo):  # noqa: F811
    _load_example()
    with pytest.raises(CommandError) as exc:
        call_command("publish", "2022", stdout=io.StringIO())
    message = str(exc.value)
    assert message.startswith("Lägesrapporten för 2022 kan inte publiceras")
    assert "syntetiska eller demomärkta uppgifter" in message
    assert "SYNTETISKT EXEMPEL: under 2022 utbildades handläggare" in message  # a follow-up
    assert EARLIER_NOTE[:60] in message  # a period note
    assert not ReportEdition.objects.exists()
    build = ReportBuild.objects.get()
    assert build.state == BuildState.FAILED and build.files == {}  # refused before rendering
    with pytest.raises(PublishError, match="kan inte publiceras"):
        edition_publish(year=2022)


def test_the_confirmation_page_refuses_a_year_with_synthetic_content(
    demo,  # noqa: F811
    client,
    coordinator,
):
    _load_example()
    client.force_login(coordinator)
    client.post("/rapport/2022/utkast/bygg/")
    assert ReportBuild.objects.get().state == BuildState.DONE  # a draft may show it
    html = client.get("/rapport/2022/publicera/").content.decode()
    assert "Rapporten kan inte publiceras: den innehåller syntetiska" in html
    assert "SYNTETISKT EXEMPEL: under 2022 utbildades handläggare" in html
    assert "Publicera utgåva 1" not in html
    response = client.post("/rapport/2022/publicera/", {}, follow=True)
    assert "Lägesrapporten för 2022 kan inte publiceras" in response.content.decode()
    assert not ReportEdition.objects.exists()
    # the background build refuses too, whoever queues it
    build = build_request(year=2022, user=coordinator, publish=True)
    assert build.state == BuildState.FAILED and "syntetiska" in build.error
    assert not ReportEdition.objects.exists()
