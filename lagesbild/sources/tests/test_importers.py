"""The import pipeline end to end on the recorded payloads: counts, flags, provenance,
idempotence, revisions, rejection of bad files with nothing written."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lagesbild.core.models import Area
from lagesbild.indicators.models import ImportRun, Observation
from lagesbild.sources.tests.conftest import PAYLOADS

SCB_TAB638 = PAYLOADS / "scb_pxwebapi2_TAB638_data_jsonstat2.json"
SCB_TAB3554 = PAYLOADS / "scb_pxweb_v1_TAB3554_response_jsonstat2.json"
SSB_07221 = PAYLOADS / "ssb_pxweb_v1_07221_response_jsonstat2_with_status.json"
KOLADA = PAYLOADS / "kolada_v3_sample.json"
KOLADA_OU = PAYLOADS / "kolada_v3_oudata_sample.json"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def imp(*args, expect_error: bool = False) -> dict:
    """Run ``lagesbild import … --json`` and return the parsed summary."""
    out = StringIO()
    if expect_error:
        with pytest.raises(CommandError):
            call_command("import_stats", *args, "--json", stdout=out, stderr=StringIO())
    else:
        call_command("import_stats", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def counts() -> tuple[int, int, int]:
    return (
        Observation.objects.count(),
        ImportRun.objects.count(),
        Observation.history.count(),
    )


@pytest.fixture
def areas(build):
    for code, name, level in [
        ("0180", "Stockholm", "municipality"),
        ("0184", "Solna", "municipality"),
        ("PR-STHLM", "Polisregion Stockholm", "police_region"),
    ]:
        Area.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": build.county}
        )
    return build


# --- JSON-stat ------------------------------------------------------------------------------------

TAB638_MAP = """
source: SCB, Folkmängd (TAB638)
source_ref: SCB TAB638
indicator: {value: T-FOLK}
area: {dimension: Region}
period: {dimension: Tid}
breakdown:
  sex: {dimension: Kon, map: {"1": man}}
"""

TAB3554_MAP = """
indicator: {dimension: ContentsCode, map: {HE0110J8: T-INKOMST}}
area: {value: "00"}
period: {dimension: Tid}
breakdown:
  sex: {dimension: Kon, map: {"1": man, "2": kvinnor, "1+2": null}}
"""


@pytest.fixture
def tab638(areas, tmp_path):
    areas.indicator("T-FOLK", unit="count", breakdowns=["sex"])
    return write(tmp_path / "tab638.yaml", TAB638_MAP)


def test_jsonstat_without_map_counts_every_cell_and_flags(db):
    ssb = imp("jsonstat", str(SSB_07221), "--dry-run")
    assert ssb["rows"] == 12 * 3 * 1 * 8
    assert ssb["flags"] == {"..": 24}
    assert ssb["errors"] == []
    assert imp("jsonstat", str(SCB_TAB3554), "--dry-run")["rows"] == 9


def test_jsonstat_without_map_needs_dry_run(db):
    with pytest.raises(CommandError, match="--map"):
        call_command("import_stats", "jsonstat", str(SCB_TAB638), stdout=StringIO())


def test_scb_tab638_imports_with_provenance_and_reimport_changes_nothing(tab638, admin):
    summary = imp("jsonstat", str(SCB_TAB638), "--map", str(tab638), "--user", "admin")
    assert (summary["rows"], summary["created"], summary["updated"]) == (1, 1, 0)
    obs = Observation.objects.get()
    assert obs.value == Decimal("50937")
    assert (obs.indicator.code, obs.area.code, obs.period, obs.breakdown) == (
        "T-FOLK",
        "00",
        "2024",
        {"sex": "man"},
    )
    assert obs.published is True and obs.revised is False
    assert obs.source_ref == "SCB TAB638"
    run = obs.import_run
    assert run.source == "SCB, Folkmängd (TAB638)"
    assert run.file_name == SCB_TAB638.name
    import hashlib

    assert run.sha256 == hashlib.sha256(SCB_TAB638.read_bytes()).hexdigest()
    assert run.user == admin and run.finished_at is not None
    assert run.summary["created"] == 1
    history = obs.history.get()
    assert history.history_type == "+" and history.history_user == admin
    assert SCB_TAB638.name in history.history_change_reason

    before = counts()
    again = imp("jsonstat", str(SCB_TAB638), "--map", str(tab638))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    after = counts()
    assert after[0] == before[0] and after[2] == before[2]  # no observation, no history row
    assert Observation.objects.get().import_run == run  # untouched rows keep their provenance


def test_changed_value_is_a_revision_on_page_and_in_api(tab638, tmp_path, client):
    imp("jsonstat", str(SCB_TAB638), "--map", str(tab638))
    changed = tmp_path / "TAB638-rev.json"
    changed.write_text(
        SCB_TAB638.read_text(encoding="utf-8").replace("50937", "50940"), encoding="utf-8"
    )
    summary = imp("jsonstat", str(changed), "--map", str(tab638))
    assert (summary["updated"], summary["created"]) == (1, 0)
    obs = Observation.objects.get()
    assert obs.value == Decimal("50940") and obs.revised
    assert obs.import_run.file_name == "TAB638-rev.json"
    latest = obs.history.first()
    assert latest.history_type == "~"
    assert "TAB638-rev.json" in latest.history_change_reason
    assert [h.value for h in obs.history.order_by("history_date", "history_id")] == [
        Decimal("50937"),
        Decimal("50940"),
    ]
    api = client.get("/api/v1/indicators/T-FOLK/observations").json()
    assert "revised" in api[0]["flags"]
    page = client.get("/indikator/T-FOLK/").content.decode()
    assert "reviderad" in page
    assert "50 937" in page and "50 940" in page  # old and new value in the revision table
    assert "TAB638-rev.json" in page


def test_dry_run_prints_changes_and_writes_nothing(tab638):
    before = counts()
    out = StringIO()
    call_command(
        "import_stats",
        "jsonstat",
        str(SCB_TAB638),
        "--map",
        str(tab638),
        "--dry-run",
        stdout=out,
    )
    text = out.getvalue()
    assert "T-FOLK 00 2024 sex=man (value) ny: 50 937" in text
    assert "Provkörning: ingenting har skrivits." in text
    assert counts() == before


def test_scb_tab3554_sex_map_with_total(areas, tmp_path):
    areas.indicator("T-INKOMST", unit="count", decimals=1, breakdowns=["sex"])
    mapping = write(tmp_path / "m.yaml", TAB3554_MAP)
    summary = imp("jsonstat", str(SCB_TAB3554), "--map", str(mapping))
    assert (summary["rows"], summary["created"]) == (9, 9)
    total_2022 = Observation.objects.get(period="2022", breakdown_key="")
    assert total_2022.value == Decimal("316.6")
    assert Observation.objects.get(period="2020", breakdown_key="sex=kvinnor").value == Decimal(
        "254.6"
    )


SSB_MAP = """
source: Statistics Norway, tabell 07221
select: {Tid: ["2022K4", "2023K4"]}
indicator: {value: T-BOLIG}
area:
  dimension: Region
  map: {TOTAL: NO-00, "001": NO-01, "002": NO-02, "003": NO-03, "004": NO-04, "005": NO-05,
        "006": NO-06, "007": NO-07, "008": NO-08, "009": NO-09, "010": NO-10, "011": NO-11}
period: {dimension: Tid, map: {2022K4: "2022", 2023K4: "2023"}}
breakdown:
  boligtype: {dimension: Boligtype, map: {"01": eneboliger, "02": smahus, "03": blokk}}
"""


@pytest.fixture
def ssb(build, tmp_path):
    for i in range(12):
        Area.objects.create(code=f"NO-{i:02d}", name=f"Norsk region {i}", level="county")
    build.indicator("T-BOLIG", unit="index_0_100", decimals=1, breakdowns=["boligtype"])
    return write(tmp_path / "ssb.yaml", SSB_MAP)


def test_ssb_suppressed_cells_become_flagged_missing_values_not_zeros(ssb):
    summary = imp("jsonstat", str(SSB_07221), "--map", str(ssb))
    assert summary["rows"] == 288
    assert summary["skipped"] == 288 - 12 * 3 * 2
    assert summary["created"] == 72
    assert summary["flags"] == {"..": 6}
    missing = Observation.objects.filter(value__isnull=True)
    assert missing.count() == 6
    assert Observation.objects.filter(value=0).count() == 0
    for obs in missing:
        assert obs.status_symbol == ".."
        assert obs.missing_reason == "Uppgift saknas eller är skyddad i källan (..)"
        assert "missing" in obs.flags
    # cells 176–183 are region 007 (Innlandet), boligtype 02 (småhus), every quarter
    assert set(missing.values_list("area__code", "breakdown_key")) == {
        ("NO-07", "boligtype=smahus"),
        ("NO-10", "boligtype=smahus"),
        ("NO-11", "boligtype=smahus"),
    }
    assert imp("jsonstat", str(SSB_07221), "--map", str(ssb))["unchanged"] == 72


def test_mapping_errors_name_the_field_and_write_nothing(ssb, tmp_path):
    before = counts()
    bad = write(tmp_path / "bad.yaml", SSB_MAP.replace('"03": blokk', '"04": blokk'))
    summary = imp("jsonstat", str(SSB_07221), "--map", str(bad), expect_error=True)
    text = "\n".join(summary["errors"])
    assert "bad.yaml, fält 'breakdown.boligtype.map': koden '04' finns inte" in text
    assert "kategorin '03' (Blokkleiligheter)" in text
    no_select = write(
        tmp_path / "nosel.yaml", SSB_MAP.replace('select: {Tid: ["2022K4", "2023K4"]}', "")
    )
    summary = imp("jsonstat", str(SSB_07221), "--map", str(no_select), expect_error=True)
    assert any("kategorin '2022K1'" in e for e in summary["errors"])
    typo = write(tmp_path / "typo.yaml", SSB_MAP + "extra: 1\n")
    summary = imp("jsonstat", str(SSB_07221), "--map", str(typo), expect_error=True)
    assert any("typo.yaml" in e and "okänt fält" in e for e in summary["errors"])
    assert counts() == before


def test_unknown_indicator_and_area_codes_are_rejected(tab638, tmp_path):
    before = counts()
    mapping = write(tmp_path / "m.yaml", TAB638_MAP.replace("T-FOLK", "T-FINNS-INTE"))
    summary = imp("jsonstat", str(SCB_TAB638), "--map", str(mapping), expect_error=True)
    assert summary["errors"] == [
        f"{SCB_TAB638.name} rad 1, kolumn 'Region=00, Civilstand=OG, Alder=0, Kon=1, "
        "ContentsCode=BE0101N1, Tid=2024': indikatorn 'T-FINNS-INTE' finns inte i "
        "indikatorkatalogen"
    ]
    mapping = write(
        tmp_path / "m2.yaml", TAB638_MAP.replace("area: {dimension: Region}", "area: {value: '99'}")
    )
    summary = imp("jsonstat", str(SCB_TAB638), "--map", str(mapping), expect_error=True)
    assert "området '99' finns inte" in summary["errors"][0]
    assert counts() == before


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda t: t[: len(t) // 2], "ogiltig JSON"),
        (lambda t: t.replace('"size":[1,1,1,1,1,1]', '"size":[1,1,1,1,1,2]'), "'size' säger 2"),
        (lambda t: t.replace("[50937]", '["många"]'), "'många' är inte ett tal"),
        (lambda t: t.replace("[50937]", "[50937, 1]"), "'size' stämmer inte med antalet värden"),
    ],
    ids=["truncated", "size", "non-numeric", "value-count"],
)
def test_bad_jsonstat_files_are_rejected_with_nothing_written(tab638, tmp_path, mutate, message):
    text = SCB_TAB638.read_text(encoding="utf-8")
    compact = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    bad = tmp_path / "bad.json"
    bad.write_text(mutate(compact), encoding="utf-8")
    before = counts()
    summary = imp("jsonstat", str(bad), "--map", str(tab638), expect_error=True)
    assert any(message in e for e in summary["errors"]), summary["errors"]
    assert all(e.startswith("bad.json") for e in summary["errors"])
    assert counts() == before


# --- Kolada ---------------------------------------------------------------------------------------


@pytest.fixture
def kolada(areas):
    areas.indicator(
        "T-TRYGG", unit="percent", breakdowns=["sex"], source_codes={"kolada": ["N15643"]}
    )
    areas.indicator("T-STUDIERO", unit="percent", source_codes={"kolada": "N15633"})
    return areas


def test_kolada_sample_imports_with_sex_breakdown_missing_values_and_real_zero(kolada):
    summary = imp("kolada", str(KOLADA))
    assert summary["rows"] == 9  # cells after dropping the deleted row
    assert summary["created"] == 7
    assert summary["skipped"] == 2  # the municipality group, K for an indicator without sex
    assert summary["flags"] == {"Missing": 1}
    assert any("isdeleted" in w for w in summary["warnings"])
    obs = Observation.objects.filter(indicator__code="T-TRYGG")
    assert set(
        obs.filter(area__code="00", period="2023").values_list("breakdown_key", "value")
    ) == {
        ("", Decimal("74.1")),
        ("sex=kvinnor", Decimal("71.3")),
        ("sex=man", Decimal("76.9")),
    }
    assert obs.get(area__code="0180", period="2024").value == Decimal("70.2")  # live, not deleted
    missing = obs.get(area__code="0184")
    assert missing.value is None and missing.status_symbol == "Missing"
    assert missing.missing_reason == "Uppgift saknas i Kolada (Missing)"
    zero = Observation.objects.get(indicator__code="T-STUDIERO")
    assert zero.value == Decimal("0") and zero.status_symbol == ""
    assert imp("kolada", str(KOLADA))["unchanged"] == 7


def test_kolada_kpi_missing_from_catalogue_is_an_error(areas):
    areas.indicator(
        "T-TRYGG", unit="percent", breakdowns=["sex"], source_codes={"kolada": ["N15643"]}
    )
    before = counts()
    summary = imp("kolada", str(KOLADA), expect_error=True)
    assert any("KPI 'N15633' är inte kopplad till någon indikator" in e for e in summary["errors"])
    assert counts() == before


def test_kolada_ou_needs_an_area_map(kolada, tmp_path):
    summary = imp("kolada", str(KOLADA_OU), expect_error=True)
    assert "V15E018000101" in summary["errors"][0] and "--map" in summary["errors"][0]
    for code in ("0180-A", "0180-B"):
        Area.objects.create(code=code, name=code, level="district")
    mapping = write(tmp_path / "ou.yaml", "areas: {V15E018000101: 0180-A, V15E018000102: 0180-B}\n")
    summary = imp("kolada", str(KOLADA_OU), "--map", str(mapping))
    assert summary["created"] == 2
    missing = Observation.objects.get(area__code="0180-B")
    assert missing.value is None and missing.status_symbol == "saknas"


# --- Brå ------------------------------------------------------------------------------------------

BRA_MAP = """
source: Brå, Handlagda brott (tabell 300)
measure: personuppklaringsprocent
crimes:
  - crime: Fullbordat mord och dråp
    indicator: T-MORD
    rows:
      - {match: {}, breakdown: {}}
      - {match: {sex: kvinnor-flickor}, breakdown: {sex: kvinnor-flickor}}
      - {match: {sex: man-pojkar}, breakdown: {sex: man-pojkar}}
  - crime: 3 kap. 1, 2 § BrB Försök till mord eller dråp
    indicator: T-FORSOK
    rows:
      - {match: {sex: flickor, age: under-18}, breakdown: {sex: flickor}}
      - {match: {sex: kvinnor, age: 18+, relation: parrelation},
         breakdown: {sex: kvinnor, relation: parrelation}}
  - crime: Grov kvinnofridskränkning
    indicator: T-MORD
"""


@pytest.fixture
def bra(areas, tmp_path):
    areas.indicator("T-MORD", breakdowns=["sex"])
    areas.indicator("T-FORSOK", breakdowns=["sex", "relation"])
    return write(tmp_path / "bra.yaml", BRA_MAP)


def test_bra_table_300_imports_percent_with_handled_offences_as_denominator(bra, bra_xlsx):
    summary = imp("bra", str(bra_xlsx), "--map", str(bra))
    assert summary["rows"] == 17  # data rows under the header
    assert summary["created"] == 5
    assert summary["skipped"] == 12
    assert any("Grov kvinnofridskränkning" in w for w in summary["warnings"])
    total = Observation.objects.get(indicator__code="T-MORD", breakdown_key="")
    assert total.area.code == "00" and total.period == "2025"
    assert total.value == Decimal("15.3386454183")  # stored to 10 decimals
    assert total.denominator == 502
    parrel = Observation.objects.get(breakdown_key="relation=parrelation;sex=kvinnor")
    assert parrel.value == Decimal("27.5862068966") and parrel.denominator == 58
    assert "rad 19" in parrel.source_ref
    assert imp("bra", str(bra_xlsx), "--map", str(bra))["unchanged"] == 5


def test_bra_workbook_without_header_row_is_rejected(bra, tmp_path):
    from lagesbild.sources.tests.conftest import bra_preview_sheets, make_workbook

    sheets = bra_preview_sheets()
    sheets["Samtliga handlagda brott"] = [
        r for r in sheets["Samtliga handlagda brott"] if r[0] != "Lagrum"
    ]
    path = tmp_path / "300La-2025.xlsx"
    path.write_bytes(make_workbook(sheets))
    before = counts()
    summary = imp("bra", str(path), "--map", str(bra), expect_error=True)
    assert summary["errors"] == [
        "300La-2025.xlsx: Hittar ingen rubrikrad med 'Brottstyp' i bladet 'Samtliga handlagda brott'"
    ]
    assert counts() == before


def test_bra_mapping_with_unknown_indicator_is_rejected(areas, bra_xlsx, tmp_path):
    mapping = write(tmp_path / "bra.yaml", BRA_MAP)
    summary = imp("bra", str(bra_xlsx), "--map", str(mapping), expect_error=True)
    assert (
        "bra.yaml, fält 'crimes[0].indicator': indikatorn 'T-MORD' finns inte"
        in summary["errors"][0]
    )


def test_shipped_stockholm_bra_mapping_fits_the_catalogue(stockholm, bra_xlsx):
    mapping = Path(stockholm) / "bra-mapping.yaml"
    summary = imp("bra", str(bra_xlsx), "--map", str(mapping), "--dry-run")
    assert summary["errors"] == []
    from lagesbild.sources.bra.importer import load_mapping

    codes = {rule.indicator for rule in load_mapping(mapping).crimes}
    assert {f"S5.{i}" for i in (1, 2, 3, 5, 6, 7, 8, 9, 10, 11)} <= codes


# --- Skolenkäten ----------------------------------------------------------------------------------


def test_skolenkaten_imports_index_with_respondents_and_too_few(areas, skolenkat_xlsx):
    areas.indicator(
        "T-TRYGGHET",
        unit="mean_0_10",
        decimals=1,
        breakdowns=["school_year", "respondent_group", "skolenhet"],
        source_codes={"skolenkaten": ["trygghet"]},
    )
    summary = imp("skolenkaten", str(skolenkat_xlsx))
    assert summary["rows"] == 8
    assert (summary["created"], summary["skipped"]) == (4, 4)
    assert summary["flags"] == {"för få svarande": 2}
    ak8 = Observation.objects.get(breakdown_key="school_year=ak8;skolenhet=12345678")
    assert ak8.value == Decimal("7.8") and ak8.respondents == 54 and ak8.period == "2024"
    solna = Observation.objects.get(area__code="0184")
    assert solna.value is None and solna.too_few_cases and solna.respondents == 4
    zero = Observation.objects.get(breakdown_key="school_year=gy2;skolenhet=87654321")
    assert zero.value == Decimal("0")
    assert any("Studiero" in w for w in summary["warnings"])


# --- tidy -----------------------------------------------------------------------------------------


@pytest.fixture
def tidy_ind(areas):
    areas.indicator("T-ANDEL", breakdowns=["sex"])
    return areas


def test_tidy_csv_cp1252_semicolon_decimal_comma(tidy_ind, tmp_path):
    path = tmp_path / "andel.csv"
    path.write_bytes(
        "indikator;område;år;sex;värde;täljare;nämnare;flaggor\r\n"
        "T-ANDEL;01;2024;kvinnor;12,5;25;200;\r\n"
        "T-ANDEL;01;2024;;;;;..\r\n"
        "T-ANDEL;0180;2024;man;7,25;;;provisional\r\n".encode("cp1252")
    )
    summary = imp("tidy", str(path))
    assert summary["detected"] == (
        "teckenkodning Windows-1252, avgränsare semikolon, decimaltecken komma"
    )
    assert (summary["rows"], summary["created"]) == (3, 3)
    assert summary["flags"] == {"..": 1}
    women = Observation.objects.get(breakdown_key="sex=kvinnor")
    assert women.value == Decimal("12.5") and (women.numerator, women.denominator) == (25, 200)
    assert Observation.objects.get(area__code="0180").provisional
    assert imp("tidy", str(path))["unchanged"] == 3


def test_tidy_rejects_bad_rows_with_row_and_column(tidy_ind, tmp_path):
    path = write(
        tmp_path / "fel.csv",
        "indicator,area,period,sex,value\n"
        "T-ANDEL,01,2024,kvinnor,abc\n"
        "T-OKAND,01,2024,kvinnor,1\n"
        "T-ANDEL,01,2024,kvinnor,2\n"
        "T-ANDEL,01,2024,kvinnor,3\n",
    )
    before = counts()
    summary = imp("tidy", str(path), expect_error=True)
    assert summary["errors"] == [
        "fel.csv rad 2, kolumn 'value': 'abc' är inte ett tal",
        "fel.csv rad 3: indikatorn 'T-OKAND' finns inte i indikatorkatalogen",
    ]
    assert counts() == before
    dup = write(
        tmp_path / "dup.csv",
        "indicator,area,period,sex,value\nT-ANDEL,01,2024,kvinnor,2\nT-ANDEL,01,2024,kvinnor,3\n",
    )
    summary = imp("tidy", str(dup), expect_error=True)
    assert summary["errors"] == [
        "dup.csv rad 3: samma indikator, område, period, uppdelning och mått som rad 2"
    ]
    assert counts() == before


def test_tidy_wrong_encoding_and_excel_without_header(tidy_ind, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("indicator;area;period;value\nT-ANDEL;01;2024;1\n".encode("utf-16"))
    summary = imp("tidy", str(path), expect_error=True)
    assert "Filen är varken UTF-8 eller Windows-1252" in summary["errors"][0]
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(
        "indikator;område;år;värde\n".encode() + "T-ANDEL;Järva;2024;1\n".encode("cp1252")
    )
    summary = imp("tidy", str(mixed), expect_error=True)
    assert "Filen är varken UTF-8 eller Windows-1252" in summary["errors"][0]

    from lagesbild.sources.tests.conftest import make_workbook

    xlsx = tmp_path / "utan-rubrik.xlsx"
    xlsx.write_bytes(make_workbook({"Data": [["T-ANDEL", "01", "2024", "kvinnor", 1.5]]}))
    before = counts()
    summary = imp("tidy", str(xlsx), expect_error=True)
    assert summary["errors"][0].startswith("utan-rubrik.xlsx rad 1")
    assert (
        "rubrikraden saknar kolumnen/kolumnerna indicator, area, period, value"
        in summary["errors"][0]
    )
    assert counts() == before


def test_progress_bar_on_request(tidy_ind, tmp_path, capsys):
    path = write(tmp_path / "p.csv", "indicator,area,period,value\nT-ANDEL,01,2024,1\n")
    call_command("import_stats", "tidy", str(path), "--progress", stdout=StringIO())
    assert "p.csv" in capsys.readouterr().err
