"""The Stockholm demo data: every figure of the 2025 report, with its source and its history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from conftest import DATA_DIR
from lagesbild.core.numbers import round_half_up
from lagesbild.core.yamlschema import ConfigError
from lagesbild.indicators.demo import load_observation_files
from lagesbild.indicators.models import Indicator, IndicatorMembership, Observation
from lagesbild.strategy.loader import load_config

pytestmark = pytest.mark.django_db


def series(code: str, **breakdown) -> list[tuple[str, Decimal | None]]:
    qs = Observation.objects.filter(indicator__code=code, statistic="value", breakdown=breakdown)
    return [(o.period, o.value) for o in qs.order_by("period_sort")]


@pytest.fixture
def demo_figures(stockholm):
    """Every demo figure: observations.csv and the coverage the directory demo step derives from
    the demo support register."""
    import io

    from lagesbild.directory.demo import load as load_directory_demo

    load_directory_demo(DATA_DIR, io.StringIO())
    return DATA_DIR


def test_every_observation_cites_its_source(demo_figures):
    assert Observation.objects.count() > 300
    assert not Observation.objects.filter(source_ref="").exists()
    assert not Observation.objects.filter(import_run__isnull=True).exists()


def test_table_7_contact_bans(stockholm):
    code = Indicator.objects.get(report_ref__contains="Tabell 7").code
    assert [int(v) for _p, v in series(code)] == [25, 25, 25, 28, 31, 37, 39]


def test_table_1_school_survey_by_school_year_and_sex(stockholm):
    ind = Indicator.objects.get(report_ref__contains="Tabell 1")
    assert ind.unit == "mean_0_10"
    values = series(ind.code, school_year="ak8", sex="flickor")
    assert values == [
        ("2022/2023", Decimal("5.4")),
        ("2023/2024", Decimal("5.4")),
        ("2024/2025", Decimal("5.6")),
    ]


def test_revised_contact_ban_violations_keep_the_earlier_value(stockholm):
    obs = Observation.objects.get(indicator__code="M2.4-overtradelser", period="2024")
    assert obs.value == Decimal("650")
    assert obs.revised is True
    history = list(obs.history.order_by("history_date"))
    assert [h.value for h in history] == [Decimal("634"), Decimal("650")]
    assert "fotnot 10" in history[-1].history_change_reason


def test_table_5_keeps_the_table_value_and_notes_the_conflict(stockholm):
    obs = Observation.objects.get(
        indicator__report_ref__contains="Tabell 5", period="2024", breakdown={"stage": "pagaende"}
    )
    assert obs.value == Decimal("36")
    assert "125" in obs.note


def test_eight_retired_indicators_with_reasons(stockholm):
    retired = IndicatorMembership.objects.filter(
        plan__key="handlingsplan-2024-2027", status="retired"
    )
    assert retired.count() == 8
    assert all(m.retired_reason for m in retired)
    assert set(retired.values_list("goal__number", flat=True)) == {2, 4, 7, 8}


def test_2025_coverage_comes_from_the_register_snapshot(demo_figures):
    from lagesbild.directory.models import RegisterSnapshot
    from lagesbild.indicators.models import ImportKind

    obs = Observation.objects.filter(indicator__code="S4.3", period="2025").select_related(
        "import_run"
    )
    assert obs.count() == 30  # 5 violence types × barn/vuxna × egen regi/avtal/totalt
    snapshot = RegisterSnapshot.objects.get()
    assert str(snapshot.as_of) == "2025-11-30"
    assert {(o.import_run.kind, o.import_run.origin) for o in obs} == {
        (ImportKind.DIRECTORY, snapshot)
    }
    assert not any(o.revised for o in obs)  # nothing hand-typed for 2025 to revise
    # the register's figure where the 2025 report contradicts itself (docs/directory.md)
    sexual_adults = obs.get(
        breakdown={"violence_type": "sexuellt-vald", "target": "vuxna", "provision": "totalt"}
    )
    assert (sexual_adults.numerator, sexual_adults.denominator) == (23, 26)
    # earlier years stay as typed (the register only knows its current state)
    vinr_children = series("S4.3", violence_type="vinr", target="barn", provision="egen-regi")
    assert [(p, round_half_up(v, 0)) for p, v in vinr_children] == [
        ("2023", Decimal("85")),
        ("2024", Decimal("92")),
        ("2025", Decimal("96")),  # 25 of 26
    ]


def test_loading_twice_changes_nothing(stockholm):
    before = (Observation.objects.count(), Observation.history.count())
    counts = load_observation_files(DATA_DIR)
    assert counts["created"] == counts["updated"] == counts["revised"] == 0
    assert (Observation.objects.count(), Observation.history.count()) == before


def test_bad_observation_row_is_rejected_with_row_and_column_and_nothing_written(tmp_path, db):
    load_config(DATA_DIR)
    path = tmp_path / "observations.csv"
    lines = (DATA_DIR / "observations.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    bad = lines[5].split(",")
    bad[header.index("value")] = "sju"
    lines[5] = ",".join(bad)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_observation_files(tmp_path)
    problem = exc.value.problems[0]
    assert (problem.file, problem.line, problem.field) == ("observations.csv", 6, "value")
    assert "'sju' är inte ett tal" in problem.message
    assert Observation.objects.count() == 0


def test_unknown_indicator_and_out_of_range_share_are_both_reported(tmp_path, db):
    load_config(DATA_DIR)
    (tmp_path / "observations.csv").write_text(
        "indicator,area,period,breakdown,statistic,value,numerator,denominator,respondents,flags,"
        "missing_reason,source_ref,note\n"
        "FINNS-INTE,01,2024,,,5,,,,,,x,\n"
        "S6.1,AO-STHLM,2024,,,140,,,,,,x,\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as exc:
        load_observation_files(tmp_path)
    messages = [str(p) for p in exc.value.problems]
    assert "observations.csv rad 2, fält 'indicator': okänd indikator 'FINNS-INTE'" in messages
    assert any("rad 3" in m and "mellan 0 och 100" in m for m in messages)
    assert Observation.objects.count() == 0


def test_demo_command_is_idempotent(db, capsys):
    call_command("demo")
    first = (Indicator.objects.count(), Observation.objects.count(), Observation.history.count())
    call_command("demo")
    assert (
        Indicator.objects.count(),
        Observation.objects.count(),
        Observation.history.count(),
    ) == first
    assert "Demodata inläst" in capsys.readouterr().out
