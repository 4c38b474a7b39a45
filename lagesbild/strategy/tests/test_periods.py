"""Plan periods end to end: the synthetic earlier period (data/examples/tidigare-period) loaded
beside the Stockholm demo with the documented commands, and what must not mix."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import DATA_DIR
from lagesbild.indicators.models import Indicator, IndicatorMembership, Observation
from lagesbild.reporting.models import ReportingRound, Submission
from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.selectors import PlanError, report_data
from lagesbild.strategy.models import ActionPlan, Goal, Measure
from lagesbild.strategy.selectors import plan_in_force

pytestmark = pytest.mark.django_db

EXAMPLE = DATA_DIR.parent / "examples" / "tidigare-period"
EARLIER = "exempel-handlingsplan-2020-2023"
CURRENT = "handlingsplan-2024-2027"


def _canonical(year: int, plan_key: str | None = None) -> str:
    """The report's document model, serialised with every field (charts left out: they are
    drawn from the same tables)."""
    doc = report_build(year=year, chart_formats=(), data=report_data(year=year, plan_key=plan_key))
    return json.dumps(dataclasses.asdict(doc), sort_keys=True, default=str, ensure_ascii=False)


def _load_example():
    out = io.StringIO()
    call_command("load_config", str(EXAMPLE), stdout=out)
    call_command("load_followups", str(EXAMPLE / "followups-2022.yaml"), stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(stockholm_followups):
    """The Stockholm configuration and figures plus its 2025 follow-ups (as `lagesbild demo`)."""
    return stockholm_followups


def test_every_example_file_is_marked_synthetic():
    files = sorted(p for p in EXAMPLE.iterdir() if p.is_file())
    assert {p.name for p in files} >= {
        "README.md",
        "plan-2020-2023.yaml",
        "indicators.yaml",
        "followups-2022.yaml",
    }
    for path in files:
        assert "SYNTETISK" in path.read_text(encoding="utf-8").splitlines()[0], path.name


def test_the_2025_report_is_identical_after_loading_the_earlier_period(demo):
    before = _canonical(2025)
    memberships_2025 = IndicatorMembership.objects.filter(plan__key=CURRENT).count()
    _load_example()
    assert ActionPlan.objects.filter(key=EARLIER).exists()
    assert Submission.objects.filter(round__year=2022).count() == 2
    assert _canonical(2025) == before
    assert IndicatorMembership.objects.filter(plan__key=CURRENT).count() == memberships_2025


def test_the_earlier_report_shows_only_its_plans_measures_catalogue_and_notes(demo):
    _load_example()
    data = report_data(year=2022)
    assert data.plan.key == EARLIER
    assert [m.code for m in data.measures] == ["1.1", "2.6", "3.2"]
    assert all(m.plan_id == data.plan.pk for m in data.measures)
    placed = [(i.code, i.goal.number) for i in data.indicators]
    assert placed == [
        ("S1.1", 1),
        ("EX1.1", 1),
        ("EX2.6", 2),
        ("EX3.1", 3),
        ("S2.1", 4),  # under goal 4 in this plan, goal 2 in 2024–2027
        ("S5.7", 5),
        ("S6.1", 5),  # under two goals in one plan: two placed instances
        ("S6.1", 6),
    ]
    s61 = [i for i in data.indicators if i.code == "S6.1"]
    assert s61[0] is not s61[1]
    notes = {i.code: i.period_notes for i in data.indicators}
    assert notes["S1.1"].startswith("SYNTETISKT EXEMPEL: anmärkning för perioden 2020–2023")
    assert notes["S5.7"] == ""
    retired = next(i for i in data.indicators if i.code == "EX3.1")
    assert (retired.status, retired.retired_year, retired.last_data_year) == ("retired", 2022, 2021)
    assert retired.is_retired
    # the same indicator in the current plan keeps its own place and no earlier-period note
    current = {(i.code, i.goal.number): i for i in report_data(year=2025).indicators}
    assert ("S2.1", 2) in current and ("S2.1", 4) not in current
    assert current[("S1.1", 1)].period_notes == ""
    assert not {"EX1.1", "EX2.6", "EX3.1"} & {code for code, _n in current}
    # the earlier measures' indicators are those of that plan only
    s21 = next(i for i in data.indicators if i.code == "S2.1")
    assert [m.code for m in s21.measures.all()] == ["2.6"]
    assert s21.measures.get().plan.key == EARLIER
    # the submissions of 2022 belong to the earlier plan's measures
    assert set(data.submissions[0].measure.plan.key for _ in [0]) == {EARLIER}
    doc = report_build(year=2022, chart_formats=(), data=data)
    assert doc.plan == "SYNTETISKT EXEMPEL – Handlingsplan 2020–2023"


def test_dry_run_lists_every_change_and_writes_nothing(demo):
    counts = (
        ActionPlan.objects.count(),
        Measure.objects.count(),
        IndicatorMembership.objects.count(),
        Indicator.objects.count(),
        Indicator.history.count(),
        Measure.history.count(),
    )
    out = io.StringIO()
    call_command("load_config", str(EXAMPLE), "--dry-run", stdout=out)
    text = out.getvalue()
    assert counts == (
        ActionPlan.objects.count(),
        Measure.objects.count(),
        IndicatorMembership.objects.count(),
        Indicator.objects.count(),
        Indicator.history.count(),
        Measure.history.count(),
    )
    assert "inget har sparats" in text
    assert "Handlingsplaner: 1 nya, 0 ändrade" in text
    assert f"  + {EARLIER}" in text
    for code in ("1.1", "2.6", "3.2"):
        assert f"  + {EARLIER} {code}" in text
    for code in ("EX1.1", "EX2.6", "EX3.1"):
        assert f"  + {code}\n" in text
    assert "Indikatorer: 3 nya, 0 ändrade, 4 oförändrade" in text
    for key in ("S1.1 mål 1", "S2.1 mål 4", "S6.1 mål 5", "S6.1 mål 6", "EX3.1 mål 3"):
        assert f"  + {EARLIER} {key}" in text
    # the real load applies exactly what the dry run listed
    applied = io.StringIO()
    call_command("load_config", str(EXAMPLE), stdout=applied)
    assert applied.getvalue().replace("Ändringarna är sparade.", "") == text.replace(
        "Provkörning (--dry-run): inget har sparats.", ""
    )


def test_a_second_load_changes_nothing(demo):
    _load_example()
    out = io.StringIO()
    call_command("load_config", str(EXAMPLE), stdout=out)
    assert "Inget att ändra" in out.getvalue()
    assert "Handlingsplaner: 0 nya, 0 ändrade, 1 oförändrade" in out.getvalue()


def _example_copy(tmp_path: Path) -> Path:
    target = tmp_path / "tidigare"
    shutil.copytree(EXAMPLE, target)
    return target


def test_changing_another_plans_indicator_is_refused_naming_the_plan(demo, tmp_path):
    folder = _example_copy(tmp_path)
    catalogue = folder / "indicators.yaml"
    text = catalogue.read_text(encoding="utf-8")
    # the school-survey mean relabelled as a percentage: the bug that started issue 12
    start = text.index("- code: S1.1")
    end = text.index("- code: EX1.1")
    block = text[start:end].replace("unit: mean_0_10", "unit: percent")
    catalogue.write_text(text[:start] + block + text[end:], encoding="utf-8")
    unit_before = Indicator.objects.get(code="S1.1").unit
    with pytest.raises(CommandError) as exc:
        call_command("load_config", str(folder), stdout=io.StringIO())
    message = str(exc.value)
    assert "Inget har sparats" in message
    assert (
        "indikatorn S1.1 används av handlingsplanen handlingsplan-2024-2027 (2024–2027)" in message
    )
    assert "unit" in message and "replaces: S1.1" in message
    assert Indicator.objects.get(code="S1.1").unit == unit_before == "mean_0_10"
    assert not ActionPlan.objects.filter(key=EARLIER).exists()  # nothing of the load stays
    # meant: the flag lets it through, and the change set says field by field what changed
    out = io.StringIO()
    call_command("load_config", str(folder), "--allow-shared-changes", stdout=out)
    assert "      unit: 'mean_0_10' → 'percent'" in out.getvalue()
    assert Indicator.objects.get(code="S1.1").unit == "percent"


def test_changing_an_organisation_another_plan_uses_is_refused(demo, tmp_path):
    folder = _example_copy(tmp_path)
    (folder / "organisations.yaml").write_text(
        "# SYNTETISKT\norganisations:\n"
        "  - {key: kriminalvarden, name: Kriminalvården Region Stockholm, kind: state_agency}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("load_config", str(folder), stdout=io.StringIO())
    assert "organisationen kriminalvarden används av handlingsplanen handlingsplan-2024-2027" in (
        str(exc.value)
    )


def test_absent_optional_field_leaves_stored_data_unchanged(demo, tmp_path):
    """'absent = unchanged': leaving out `conditions` no longer wipes the goals' conditions."""
    folder = tmp_path / "stockholm"
    shutil.copytree(DATA_DIR, folder)
    path = folder / "strategy.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line.strip().startswith("conditions:"):
            skipping = True
            continue
        if skipping and line.startswith("      "):
            continue
        skipping = False
        kept.append(line)
    path.write_text("".join(kept), encoding="utf-8")
    assert "conditions:" not in path.read_text(encoding="utf-8")
    before = {g.number: g.conditions for g in Goal.objects.all()}
    assert all(before.values())
    out = io.StringIO()
    call_command("load_config", str(folder), stdout=out)
    assert {g.number: g.conditions for g in Goal.objects.all()} == before
    assert "Mål: 0 nya, 0 ändrade, 8 oförändrade" in out.getvalue()
    # written, even as empty, it changes: the change set shows it
    text = path.read_text(encoding="utf-8").replace(
        '    short_name: "Förebygga våld"',
        '    short_name: "Förebygga våld"\n    conditions: []',
        1,
    )
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("load_config", str(folder), "--dry-run", stdout=out)
    assert "Mål: 0 nya, 1 ändrade, 7 oförändrade" in out.getvalue()
    assert "      conditions: [" in out.getvalue()


def test_report_for_a_year_without_a_plan_fails_with_a_clear_message(demo):
    with pytest.raises(CommandError) as exc:
        call_command("report", "2019", stdout=io.StringIO())
    assert str(exc.value) == (
        "Ingen handlingsplan gäller år 2019. Inlästa planer: handlingsplan-2024-2027 (2024–2027)."
    )
    _load_example()
    with pytest.raises(PlanError, match="Ingen handlingsplan gäller år 2019"):
        report_data(year=2019)
    assert plan_in_force(year=2022).key == EARLIER
    assert plan_in_force(year=2024).key == CURRENT


def test_two_plans_in_force_fail_listing_them_and_plan_chooses(demo, tmp_path):
    folder = _example_copy(tmp_path)
    for name in ("plan-2020-2023.yaml", "indicators.yaml"):
        path = folder / name
        path.write_text(
            path.read_text(encoding="utf-8").replace("period_end: 2023", "period_end: 2024"),
            encoding="utf-8",
        )
    call_command("load_config", str(folder), stdout=io.StringIO())
    with pytest.raises(CommandError) as exc:
        call_command("report", "2024", stdout=io.StringIO())
    assert str(exc.value) == (
        "Flera handlingsplaner gäller 2024: handlingsplan-2024-2027 (2024–2027), "
        f"{EARLIER} (2020–2024). Välj en med --plan NYCKEL (på webben ?plan=NYCKEL)."
    )
    assert report_data(year=2024, plan_key=EARLIER).plan.key == EARLIER
    with pytest.raises(PlanError, match="gäller 2024–2027, inte 2022"):
        report_data(year=2022, plan_key=CURRENT)


def test_follow_ups_attach_to_their_own_plans_measure(demo, client):
    _load_example()
    earlier = Submission.objects.get(round__year=2022, measure__code="2.6")
    assert earlier.measure.plan.key == EARLIER
    assert ReportingRound.objects.get(year=2022).plan.key == EARLIER
    current_page = client.get("/atgard/2.6/").content.decode()
    earlier_page = client.get(f"/atgard/2.6/?plan={EARLIER}").content.decode()
    assert "under 2022 utbildades handläggare" not in current_page
    assert "under 2022 utbildades handläggare" in earlier_page
    assert "SYNTETISKT EXEMPEL: utbilda handläggare" in earlier_page
    assert client.get("/atgard/2.6/?plan=finns-inte").status_code == 404


def test_load_followups_dry_run_and_wrong_plan(demo):
    _load_example_config_only()
    out = io.StringIO()
    call_command("load_followups", str(EXAMPLE / "followups-2022.yaml"), "--dry-run", stdout=out)
    assert "2 nya godkända inrapporteringar" in out.getvalue()
    assert not Submission.objects.filter(round__year=2022).exists()
    assert not ReportingRound.objects.filter(year=2022).exists()
    with pytest.raises(CommandError, match="gäller 2024–2027, inte 2022"):
        call_command(
            "load_followups",
            str(EXAMPLE / "followups-2022.yaml"),
            "--plan",
            CURRENT,
            stdout=io.StringIO(),
        )


def _load_example_config_only():
    call_command("load_config", str(EXAMPLE), stdout=io.StringIO())


def test_series_start_is_configurable_per_report(demo):
    default = report_data(year=2025)
    assert default.first_period_year == 2019
    assert min(o.period_sort for obs in default.observations.values() for o in obs) >= 2019
    later = report_data(year=2025, first_year=2022)
    assert later.first_period_year == 2022
    assert min(o.period_sort for obs in later.observations.values() for o in obs) >= 2022
    plan = ActionPlan.objects.get(key=CURRENT)
    plan.series_first_year = 2021
    plan.save()
    assert report_data(year=2025).first_period_year == 2021


def test_goal_and_start_pages_have_a_plan_selector(demo, client):
    _load_example()
    home = client.get("/").content.decode()
    assert 'name="plan"' in home and EARLIER in home
    goal = client.get(f"/mal/4/?plan={EARLIER}").content.decode()
    assert "Antal stödsökande till Välj att sluta" in goal  # S2.1 under goal 4 then
    assert "Antal stödsökande till Välj att sluta" not in client.get("/mal/4/").content.decode()


def test_observations_stay_one_series_per_indicator(demo):
    """A shared code is one Indicator with one series, whichever plans use it."""
    before = Observation.objects.filter(indicator__code="S2.1").count()
    _load_example()
    assert Indicator.objects.filter(code="S2.1").count() == 1
    assert Observation.objects.filter(indicator__code="S2.1").count() == before
    assert set(
        IndicatorMembership.objects.filter(indicator__code="S2.1").values_list(
            "plan__key", "goal__number"
        )
    ) == {(CURRENT, 2), (EARLIER, 4)}


def test_breakdown_labels_come_from_configuration_in_swedish_and_english(stockholm, tmp_path):
    from django.utils import translation

    from lagesbild.indicators.labels import dimension_label, value_label, value_order

    folder = tmp_path / "stockholm"
    shutil.copytree(DATA_DIR, folder)
    with (folder / "labels.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "  - key: malgrupp\n    label: Målgrupp\n    label_en: Target group\n    values:\n"
            "      - {key: vuxna, label: Vuxna, label_en: Adults}\n"
            "      - {key: kvinnor-flickor, label: Kvinnor och flickor, label_en: Women and girls}\n"
        )
    assert dimension_label("malgrupp") == "malgrupp"  # not configured yet: the slug
    out = io.StringIO()
    call_command("load_config", str(folder), stdout=out)
    assert "  + malgrupp=kvinnor-flickor" in out.getvalue()
    assert dimension_label("malgrupp") == "Målgrupp"
    assert value_label("malgrupp", "kvinnor-flickor") == "Kvinnor och flickor"
    assert value_order("malgrupp", "vuxna") < value_order("malgrupp", "kvinnor-flickor")
    assert dimension_label("sex") == "Kön"
    with translation.override("en"):
        assert dimension_label("malgrupp") == "Target group"
        assert value_label("malgrupp", "kvinnor-flickor") == "Women and girls"
        assert value_label("sex", "kvinnor") == "Women"
