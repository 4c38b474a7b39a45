"""Downloads round-trip: the values in CSV, XLSX and JSON-stat equal those in the database."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lagesbild.indicators.models import Observation
from lagesbild.sources.jsonstat.parse import parse_obj
from lagesbild.web.downloads import COLUMN_NAMES_SV

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(build):
    """A share with breakdowns, a national median, a revision, a provisional figure, a
    suppressed one, a missing one, an exact long decimal and an unpublished draft."""
    from lagesbild.indicators.services import observation_revise

    ind = build.indicator(
        "S6.1",
        unit="percent",
        decimals=1,
        name="Andel beviljade kontaktförbud",
        definition="Beviljade av ansökta kontaktförbud",
        source="Åklagarmyndigheten",
        values={"2022": "36.4", "2023": 37},
        median={"2022": "30.25", "2023": "31.123456789"},
    )
    build.observation(ind, "2023", 41, breakdown={"sex": "kvinnor"}, numerator=41, denominator=100)
    build.observation(ind, "2024", "38.5", provisional=True)
    build.observation(ind, "2021", None, too_few_cases=True)
    observation_revise(
        observation=ind.observations.get(period="2022", statistic="value"),
        value=Decimal("36.9"),
        reason="Rättad av källan",
    )
    build.observation(ind, "2025", 99, published=False)
    return ind


def _db(ind) -> dict[tuple, Observation]:
    return {
        (o.area.code, o.period, o.breakdown_key, o.statistic): o
        for o in Observation.objects.filter(indicator=ind, published=True).select_related("area")
    }


ENGLISH = {v: k for k, v in COLUMN_NAMES_SV.items()}


def _english(rows) -> list[dict]:
    """Rows of a Swedish download keyed by the English column identifiers."""
    return [{ENGLISH[k]: v for k, v in r.items()} for r in rows]


def test_column_names_are_swedish_in_swedish_and_english_under_en(client, series):
    sv = client.get("/indikator/S6.1/data.csv").content.decode("utf-8-sig").splitlines()[0]
    en = client.get("/en/indikator/S6.1/data.csv").content.decode("utf-8-sig").splitlines()[0]
    assert sv.startswith("indikator,indikatorns_namn,område,") and "värde" in sv
    assert en.startswith("indicator,indicator_name,area,") and "value" in en


def test_file_name_reflects_the_filter(client, series):
    response = client.get("/indikator/S6.1/data.csv?omrade=01&fran=2022&till=2024")
    assert 'filename="S6.1_omrade-01_2022-2024.csv"' in response["Content-Disposition"]


def _dec(text: str) -> Decimal | None:
    return Decimal(text) if text not in ("", None) else None


def test_csv_round_trip_with_bom_and_metadata(client, series):
    response = client.get("/indikator/S6.1/data.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="S6.1.csv"' in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads å, ä, ö right
    rows = _english(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    db = _db(series)
    assert len(rows) == len(db) == 7
    for row in rows:
        obs = db[(row["area"], row["period"], row["breakdown"], row["statistic"])]
        assert _dec(row["value"]) == obs.value
        assert _dec(row["numerator"]) == obs.numerator
        assert _dec(row["denominator"]) == obs.denominator
        assert row["flags"] == ",".join(obs.flags)
        assert row["source"] == "Åklagarmyndigheten"
        assert row["unit"] == "percent"
        assert row["definition"] == "Beviljade av ansökta kontaktförbud"
        assert row["retrieved_at"] and row["imported_at"]
    assert "99" not in {r["value"] for r in rows}  # the draft is not published
    flags = {
        r["period"]: r["flags"] for r in rows if r["statistic"] == "value" and not r["breakdown"]
    }
    assert flags == {
        "2021": "missing,too_few_cases",
        "2022": "revised",
        "2023": "",
        "2024": "provisional",
    }


def test_unknown_separator_is_a_clear_400(client, series):
    response = client.get("/indikator/S6.1/data.csv?separator=tab")
    assert response.status_code == 400
    assert "Okänd avgränsare: tab" in response.content.decode()
    assert client.get("/indikator/S6.1/data.csv?separator=comma").status_code == 200


def test_csv_swedish_variant_uses_semicolons_and_decimal_comma(client, series):
    body = client.get("/indikator/S6.1/data.csv?separator=semicolon").content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = _english(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    db = _db(series)
    median = next(r for r in rows if r["statistic"] == "median" and r["period"] == "2023")
    assert median["value"] == "31,123456789"
    for row in rows:
        obs = db[(row["area"], row["period"], row["breakdown"], row["statistic"])]
        assert _dec(row["value"].replace(",", ".")) == obs.value


def test_xlsx_round_trip_with_metadata_sheet(client, series):
    response = client.get("/indikator/S6.1/data.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    data = wb["Data"]
    header = [ENGLISH[c.value] for c in data[1]]
    db = _db(series)
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in data.iter_rows(min_row=2)]
    assert len(rows) == len(db)
    for row in rows:
        obs = db[(row["area"], row["period"], row["breakdown"] or "", row["statistic"])]
        for field in ("value", "numerator", "denominator"):
            cell = row[field]
            assert isinstance(cell, (int, float, type(None)))  # numbers, not text
            assert (None if cell is None else Decimal(str(cell))) == getattr(obs, field)
    meta = {r[0].value: r[1].value for r in wb["Metadata"].iter_rows()}
    assert meta["Källa"] == "Åklagarmyndigheten"
    assert meta["Definition"] == "Beviljade av ansökta kontaktförbud"
    assert meta["Enhet"] == "procent (percent)"
    assert meta["Hämtad"]


def test_jsonstat_round_trip_keeps_status_flags_and_metadata(client, series):
    response = client.get("/indikator/S6.1/data.json")
    doc = json.loads(response.content, parse_float=Decimal)
    assert doc["version"] == "2.0" and doc["class"] == "dataset"
    assert doc["source"] == "Åklagarmyndigheten" and doc["updated"]
    assert any("Beviljade av ansökta kontaktförbud" in n for n in doc["note"])
    assert doc["extension"]["lagesbild"]["unit"] == "percent"
    dataset = parse_obj(doc, file="S6.1.json")
    db = _db(series)
    found = 0
    for cell in dataset.cells:
        key = (
            cell.dims["area"],
            cell.dims["period"],
            "" if cell.dims["breakdown"] == "_T" else cell.dims["breakdown"],
            cell.dims["statistic"],
        )
        obs = db.get(key)
        if obs is None:
            assert cell.value is None and cell.status is None
            continue
        assert cell.value == getattr(obs, cell.dims["contents"])
        if cell.dims["contents"] == "value":
            found += 1
            letters = {"provisional": "p", "revised": "r", "too_few_cases": "u", "missing": "m"}
            expected = "".join(letters[f] for f in letters if f in obs.flags) or None
            assert cell.status == expected
    assert found == len(db)
    # the exact long decimal survives as a JSON number
    assert b"31.123456789" in response.content


def test_downloads_follow_the_explorers_selection(client, series):
    rows = _english(
        csv.DictReader(
            io.StringIO(
                client.get("/indikator/S6.1/data.csv?omrade=01&fran=2023&till=2023").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert {(r["area"], r["period"]) for r in rows} == {("01", "2023"), ("00", "2023")}
    assert client.get("/indikator/S6.1/data.csv?fran=2025&till=2020").status_code == 400
    assert client.get("/indikator/S6.1/data.pdf").status_code == 404
    assert client.get("/indikator/FINNS-EJ/data.csv").status_code == 404


def test_indicator_page_links_every_download(client, series):
    html = client.get("/indikator/S6.1/").content.decode()
    for href in (
        "/indikator/S6.1/data.csv",
        "/indikator/S6.1/data.csv?separator=semicolon",
        "/indikator/S6.1/data.xlsx",
        "/indikator/S6.1/data.json",
    ):
        assert f'href="{href}"' in html


def test_download_all_for_a_goal_is_a_zip_of_csv_and_xlsx_with_metadata(client, series):
    import zipfile

    response = client.get("/mal/1/data.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="mal-1.zip"' in response["Content-Disposition"]
    zf = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(zf.namelist())
    assert {"S6.1.csv", "mal-1.xlsx"} <= names
    wb = load_workbook(io.BytesIO(zf.read("mal-1.xlsx")))
    assert wb["Data"].cell(row=1, column=1).value == "indikator"
    assert wb["Data"].max_row == 1 + 7
    meta = [[c.value for c in r] for r in wb["Metadata"].iter_rows()]
    assert any(r[0] == "S6.1" and r[3] == "Åklagarmyndigheten" for r in meta)
    assert "Ladda ner allt för målet" in client.get("/mal/1/").content.decode()
    en = client.get("/en/mal/1/data.zip")
    assert 'filename="goal-1.zip"' in en["Content-Disposition"]
