"""Coverage shares from the register: equal to the 2025 report, stored with provenance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from lagesbild.core.numbers import round_half_up
from lagesbild.directory.models import RegisterSnapshot, SupportService
from lagesbild.directory.selectors import coverage_as_of
from lagesbild.directory.services import coverage_store, service_save
from lagesbild.directory.tabular import read_csv, validate_rows
from lagesbild.indicators.models import ImportKind, Observation

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 11, 30)
# The 2025 report's coverage figures (Mål 4, Diagram 3 and 4, and the summary), in percent,
# as the report states them. The demo stores the register's figures, not these.
REPORT_2025 = {
    ("vinr", "barn", "totalt"): 100,
    ("vinr", "vuxna", "totalt"): 100,
    ("vinr", "vuxna", "egen-regi"): 100,
    ("vinr", "barn", "egen-regi"): 96,
    ("heder", "barn", "totalt"): 100,
    ("heder", "barn", "egen-regi"): 96,
    ("heder", "vuxna", "egen-regi"): 100,
    ("heder", "vuxna", "totalt"): 100,
    ("sexuellt-vald", "barn", "totalt"): 100,
    ("sexuellt-vald", "barn", "egen-regi"): 81,
    ("sexuellt-vald", "vuxna", "egen-regi"): 88,
    ("sexuellt-vald", "barn", "avtalssamverkan"): 100,
    ("sexuellt-vald", "vuxna", "avtalssamverkan"): 0,
    ("sexuellt-vald", "vuxna", "totalt"): 100,
    ("prostitution", "barn", "totalt"): 100,
    ("prostitution", "barn", "egen-regi"): 77,
    ("prostitution", "vuxna", "egen-regi"): 88,
    ("prostitution", "vuxna", "avtalssamverkan"): 85,
    ("prostitution", "vuxna", "totalt"): 100,
    ("manniskohandel", "barn", "totalt"): 100,
    ("manniskohandel", "vuxna", "egen-regi"): 88,
    ("manniskohandel", "vuxna", "avtalssamverkan"): 81,
    ("manniskohandel", "vuxna", "totalt"): 100,
}
# The one cell where the report contradicts itself (see support-services.csv and
# docs/directory.md): the summary says all municipalities support adults exposed to sexual
# violence; the section says 88 percent in egen regi and no agreement. The register follows the
# section.
DOCUMENTED_CHOICE = {("sexuellt-vald", "vuxna", "totalt"): (Decimal(100), Decimal(88))}


def test_demo_register_reproduces_the_2025_report(register):
    report = {key: Decimal(v) for key, v in REPORT_2025.items()}
    cells, _detail = coverage_as_of(on=AS_OF)
    derived = {(c.violence_type, c.target, c.provision): round_half_up(c.share, 0) for c in cells}
    for key, published in report.items():
        if key in DOCUMENTED_CHOICE:
            assert (published, derived[key]) == DOCUMENTED_CHOICE[key]
            continue
        assert derived[key] == published, key
    # The headline figures of the issue, with their counts out of 26.
    by_key = {(c.violence_type, c.target, c.provision): c for c in cells}
    assert by_key[("prostitution", "vuxna", "avtalssamverkan")].numerator == 22
    assert by_key[("manniskohandel", "vuxna", "avtalssamverkan")].numerator == 21
    assert by_key[("vinr", "barn", "egen-regi")].numerator == 25
    assert {c.denominator for c in cells} == {26}


def test_referral_only_does_not_count(register):
    cells, _ = coverage_as_of(on=AS_OF)
    own = next(
        c
        for c in cells
        if (c.violence_type, c.target, c.provision) == ("vinr", "barn", "egen-regi")
    )
    assert "0187" not in own.municipalities  # Vaxholm lists only socialjour/orosanmälan


def test_a_service_ending_before_the_date_is_left_out(register):
    svc = SupportService.objects.get(key="nacka-barn")
    rows = validate_rows(read_csv(_export_one(svc)), "t.csv")
    row = rows[0]
    row.valid_to = date(2025, 6, 30)
    service_save(row=row, reason="Verksamheten lades ned", service=svc)
    cells, _ = coverage_as_of(on=AS_OF)
    own = {(c.violence_type, c.target): c for c in cells if c.provision == "egen-regi"}
    assert "0182" not in own[("vinr", "barn")].municipalities
    cells_before, _ = coverage_as_of(on=date(2025, 6, 1))
    own_before = {
        (c.violence_type, c.target): c for c in cells_before if c.provision == "egen-regi"
    }
    assert "0182" in own_before[("vinr", "barn")].municipalities


def _export_one(service) -> str:
    from lagesbild.directory.tabular import rows_to_csv, service_to_row

    return rows_to_csv([service_to_row(service)]).decode()


def test_coverage_store_writes_observations_with_snapshot_provenance(register):
    result = coverage_store(on=AS_OF, period="2025")
    assert result.counts["created"] == 30  # 5 violence types × 2 targets × 3 provisions
    obs = Observation.objects.get(
        indicator__code="S4.3",
        area__code="01",
        period="2025",
        breakdown_key="provision=avtalssamverkan;target=vuxna;violence_type=prostitution",
    )
    assert obs.published
    assert (obs.numerator, obs.denominator) == (Decimal(22), Decimal(26))
    assert round_half_up(obs.value, 0) == Decimal(85)
    run = obs.import_run
    assert run.kind == ImportKind.DIRECTORY
    assert isinstance(run.origin, RegisterSnapshot)
    assert run.origin.as_of == AS_OF
    assert run.sha256 == run.origin.sha256 and len(run.sha256) == 64
    assert any(r["key"] == "mikamottagningen" for r in run.origin.register)
    assert "prostitution/vuxna/avtalssamverkan" in run.origin.coverage["0182"]
    # Same register, same date: nothing changes and no second snapshot.
    again = coverage_store(on=AS_OF, period="2025")
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 30}
    assert RegisterSnapshot.objects.count() == 1


def test_a_changed_register_revises_with_a_new_snapshot(register):
    coverage_store(on=AS_OF, period="2025")
    svc = SupportService.objects.get(key="mikamottagningen")
    svc.areas.remove(*svc.areas.filter(code="0182"))
    coverage_store(on=AS_OF, period="2025")
    obs = Observation.objects.get(
        indicator__code="S4.3",
        period="2025",
        breakdown_key="provision=avtalssamverkan;target=vuxna;violence_type=prostitution",
    )
    assert obs.numerator == 21 and obs.revised
    assert RegisterSnapshot.objects.count() == 2
    assert obs.history.count() == 2


def test_command(register, capsys):
    call_command("directory_coverage", "--date", "2025-11-30", "--period", "2025")
    out = capsys.readouterr().out
    assert "prostitution     vuxna  avtalssamverkan   22 av 26  85 procent" in out
    assert Observation.objects.filter(indicator__code="S4.3", period="2025").count() == 30


def test_command_rejects_a_bad_date(register):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="inget datum"):
        call_command("directory_coverage", "--date", "30/11/2025")


def test_demo_step_stores_the_2025_coverage_from_the_register(db):
    """`lagesbild demo`'s directory step: the report's 2025 coverage figures are computed from
    the demo register as of 2025-11-30, not typed into observations.csv."""
    import io

    from lagesbild.directory import demo
    from lagesbild.indicators.demo import load_observation_files
    from lagesbild.indicators.models import ImportRun
    from lagesbild.strategy.loader import load_config

    from .conftest import DATA_DIR

    load_config(DATA_DIR)
    load_observation_files(DATA_DIR)  # earlier years of the indicator stay as typed
    demo.load(DATA_DIR, io.StringIO())
    snapshot = RegisterSnapshot.objects.get()
    assert (snapshot.as_of, snapshot.period) == (AS_OF, "2025")
    obs = list(
        Observation.objects.filter(indicator__code="S4.3", period="2025").select_related(
            "import_run", "area"
        )
    )
    assert len(obs) == 30 and {o.area.code for o in obs} == {"01"}
    for o in obs:
        assert o.import_run.kind == ImportKind.DIRECTORY
        assert o.import_run.origin == snapshot
        assert o.denominator == 26 and o.published
        # born from the register: no hand-typed figure that the register then revised
        assert not o.revised and o.history.count() == 1
    derived = {
        (o.breakdown["violence_type"], o.breakdown["target"], o.breakdown["provision"]): (
            round_half_up(o.value, 0)
        )
        for o in obs
    }
    for key, published in REPORT_2025.items():
        expected = DOCUMENTED_CHOICE[key][1] if key in DOCUMENTED_CHOICE else published
        assert derived[key] == expected, key
    assert Observation.objects.filter(indicator__code="S4.3", period="2024").count() == 7
    # Running the step again changes nothing.
    before = (
        Observation.objects.count(),
        Observation.history.count(),
        RegisterSnapshot.objects.count(),
        ImportRun.objects.filter(kind=ImportKind.DIRECTORY).count(),
    )
    out = io.StringIO()
    demo.load(DATA_DIR, out)
    assert (
        Observation.objects.count(),
        Observation.history.count(),
        RegisterSnapshot.objects.count(),
        ImportRun.objects.filter(kind=ImportKind.DIRECTORY).count(),
    ) == before
    assert "30 oförändrade" in out.getvalue()
