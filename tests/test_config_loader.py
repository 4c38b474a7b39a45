"""Loading a county's configuration: the real Stockholm files, idempotence, and bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import DATA_DIR
from lagesbild.core.models import Area, Organisation
from lagesbild.core.yamlschema import ConfigError
from lagesbild.indicators.models import Indicator
from lagesbild.strategy.loader import load_config
from lagesbild.strategy.models import Goal, Measure

pytestmark = pytest.mark.django_db


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "county"
    shutil.copytree(DATA_DIR, target)
    return target


def _counts():
    return (
        Area.objects.count(),
        Organisation.objects.count(),
        Goal.objects.count(),
        Measure.objects.count(),
        Indicator.objects.count(),
    )


def test_stockholm_plan_has_8_goals_and_55_measures():
    load_config(DATA_DIR)
    assert Goal.objects.count() == 8
    assert list(Goal.objects.values_list("short_name", flat=True)) == [
        "Förebygga våld",
        "Förebygga återfall",
        "Upptäcka tidigt",
        "Skydda och stödja",
        "Effektiv brottsbekämpning",
        "Trygg rättsprocess",
        "Systematisk kunskapsutveckling",
        "Kunskap och forskning",
    ]
    assert Measure.objects.count() == 55
    assert Measure.objects.filter(frequency="annual").count() == 39
    assert Measure.objects.filter(frequency="end_of_plan").count() == 16
    per_goal = [Measure.objects.filter(goal__number=n).count() for n in range(1, 9)]
    assert per_goal == [7, 10, 9, 6, 4, 4, 9, 6]


def test_measures_keep_plan_wording_and_normalised_organisations():
    load_config(DATA_DIR)
    m = Measure.objects.get(code="2.8")
    assert (
        m.responsible_text
        == "Polismyndigheten, kommunerna i länet, Kriminalvården och Region Stockholm"
    )
    assert set(m.responsible.values_list("key", flat=True)) == {
        "polisen",
        "lanets-kommuner",
        "kriminalvarden",
        "region-stockholm",
    }
    # "länets kommuner" (4.6) and "kommunerna i länet" (2.9) are the same organisation
    assert Measure.objects.get(code="4.6").responsible.filter(key="lanets-kommuner").exists()
    assert Measure.objects.get(code="2.9").responsible.filter(key="lanets-kommuner").exists()
    # words split by the PDF's line breaks are joined back
    assert "förebyggande metoder" in Measure.objects.get(code="1.1").text
    assert "  " not in "".join(Measure.objects.values_list("text", flat=True))


def test_measure_codes_sort_numerically():
    load_config(DATA_DIR)
    codes = list(Measure.objects.filter(goal__number=2).values_list("code", flat=True))
    assert codes == [f"2.{n}" for n in range(1, 11)]


def test_areas_have_codes_and_hierarchy():
    load_config(DATA_DIR)
    assert Area.objects.filter(level="municipality", parent__code="01").count() == 26
    assert Area.objects.get(code="0182").name == "Nacka"
    assert Area.objects.get(code="0114").name == "Upplands Väsby"
    assert Area.objects.filter(level="district", parent__code="0180").exists()
    assert Area.objects.filter(code="PR-STHLM", level="police_region").exists()
    assert Area.objects.filter(code="AO-STHLM", level="prosecution_area").exists()


def test_reloading_changes_nothing():
    load_config(DATA_DIR)
    before = _counts()
    history_before = Measure.history.count() + Indicator.history.count() + Goal.history.count()
    load_config(DATA_DIR)
    assert _counts() == before
    assert (
        Measure.history.count() + Indicator.history.count() + Goal.history.count() == history_before
    )


def test_invalid_yaml_names_file_and_line_and_writes_nothing(tmp_path):
    d = _copy(tmp_path)
    text = (d / "strategy.yaml").read_text(encoding="utf-8").splitlines()
    text.insert(3, "  title: [unclosed")
    (d / "strategy.yaml").write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(d)
    message = str(exc.value)
    assert "strategy.yaml rad" in message
    assert "ogiltig YAML" in message
    assert _counts() == (0, 0, 0, 0, 0)


def test_schema_error_names_field_and_line(tmp_path):
    d = _copy(tmp_path)
    path = d / "plan-2024-2027.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "frequency: annual" in line)
    lines[index] = lines[index].replace("annual", "varje vecka")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(d)
    problem = exc.value.problems[0]
    assert problem.file == "plan-2024-2027.yaml"
    assert problem.line == index + 1
    assert problem.field.endswith(".frequency")
    assert "varje vecka" in problem.message
    assert _counts() == (0, 0, 0, 0, 0)


def test_unknown_field_and_unknown_organisation_are_reported_together(tmp_path):
    d = _copy(tmp_path)
    path = d / "plan-2024-2027.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("responsible: [lansstyrelsen]", "responsible: [lanstyrelsen]", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(d)
    assert any(
        "okänd organisation 'lanstyrelsen'" in p.message and p.line for p in exc.value.problems
    )
    assert Measure.objects.count() == 0


def test_extra_field_is_rejected(tmp_path):
    d = _copy(tmp_path)
    path = d / "strategy.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("strategy:") + 1
    lines.insert(at, "  färg: blå")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(d)
    assert any(
        p.message == "okänt fält" and p.field == "strategy.färg" and p.line == at + 1
        for p in exc.value.problems
    )


def test_bad_area_csv_names_row_and_column(tmp_path):
    d = _copy(tmp_path)
    path = d / "areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("planet,99,Mars,00,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(d)
    assert (
        str(exc.value.problems[0])
        == f"areas.csv rad {len(lines)}, fält 'level': okänd nivå 'planet'"
    )
    assert Area.objects.count() == 0


def test_another_county_loads_its_own_files(tmp_path):
    """Nothing in the code names Stockholm: a minimal other county loads."""
    d = tmp_path / "uppsala"
    d.mkdir()
    (d / "areas.csv").write_text(
        "level,code,name,parent_code,valid_from,valid_to,note\ncountry,00,Riket,,,,\n"
        "county,03,Uppsala län,00,,,\nmunicipality,0380,Uppsala,03,,,\n",
        encoding="utf-8",
    )
    (d / "organisations.yaml").write_text(
        "organisations:\n  - {key: lst-uppsala, name: Länsstyrelsen Uppsala, kind: state_agency}\n",
        encoding="utf-8",
    )
    (d / "strategy.yaml").write_text(
        "strategy: {key: uppsala, title: Uppsalastrategin, period_start: 2022, period_end: 2030,"
        " owner: lst-uppsala, area: '03'}\nviolence_types:\n  - {key: vinr, name: Våld i nära relationer}\n"
        "goals:\n  - {number: 1, short_name: Förebygga, formulation: Våld förebyggs}\n",
        encoding="utf-8",
    )
    (d / "plan-2025.yaml").write_text(
        "plan: {key: up-plan, title: Plan, strategy: uppsala, period_start: 2025, period_end: 2026,"
        " owner: lst-uppsala}\nmeasures:\n  - {code: '1.1', goal: 1, text: Gör något,"
        " responsible_text: Länsstyrelsen, responsible: [lst-uppsala], follow_up: Antal,"
        " frequency: annual}\n",
        encoding="utf-8",
    )
    (d / "indicators.yaml").write_text(
        "indicators:\n  - {code: U1, name: Andel, goal: 1, kind: strategy, unit: percent,"
        " source: SCB, area_level: county}\n",
        encoding="utf-8",
    )
    counts = load_config(d)
    assert counts["measures"] == 1
    assert Goal.objects.get().strategy.title == "Uppsalastrategin"


def test_load_config_command_reports_errors_in_swedish(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("load_config", str(tmp_path / "finns-inte"))
    assert "mappen finns inte" in str(exc.value)
    assert "Inget har sparats" in str(exc.value)


def test_schema_and_cross_reference_errors_of_one_file_come_in_one_run(tmp_path):
    d = _copy(tmp_path)
    path = d / "plan-2024-2027.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("frequency: annual", "frequency: weekly", 1)  # schema, first measure
    text = text.replace("responsible: [polisen]", "responsible: [polis]", 1)  # cross-reference
    text = text.replace("responsible: [lansstyrelsen]", "responsible: []", 1)  # list too short
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(d)
    messages = [p.message for p in exc.value.problems]
    assert "otillåtet värde 'weekly', tillåtna: 'annual' eller 'end_of_plan'" in messages
    assert "listan måste ha minst 1 element" in messages
    assert "okänd organisation 'polis'" in messages
    assert not any("should" in m or " or " in m for m in messages)  # no pydantic English
    assert Measure.objects.count() == 0
