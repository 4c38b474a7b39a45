import json
from decimal import Decimal

import pytest

from lagesbild.sources.base import ParseError
from lagesbild.sources.jsonstat import parse, summarize

from .conftest import PAYLOADS, payload

TAB638 = "scb_pxwebapi2_TAB638_data_jsonstat2.json"
TAB3554 = "scb_pxweb_v1_TAB3554_response_jsonstat2.json"
SSB = "ssb_pxweb_v1_07221_response_jsonstat2_with_status.json"


def doc(**over):
    base = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "Tid"],
        "size": [2, 3],
        "dimension": {
            "Region": {"label": "region", "category": {"index": {"00": 0, "01": 1}}},
            "Tid": {"label": "år", "category": {"index": ["2022", "2023", "2024"]}},
        },
        "value": [1, 2, 3, 4, 5, 6],
    }
    base.update(over)
    return json.dumps(base).encode()


def errors(exc: ParseError) -> list[str]:
    return [str(p) for p in exc.problems]


# --- the real payloads -----------------------------------------------------------------------------


def test_scb_v2_tab638():
    ds = parse(PAYLOADS / TAB638)
    assert ds.id == ["Region", "Civilstand", "Alder", "Kon", "ContentsCode", "Tid"]
    assert ds.size == [1, 1, 1, 1, 1, 1]
    assert len(ds.cells) == 1
    cell = ds.cells[0]
    assert cell.value == Decimal("50937")
    assert cell.status is None
    assert cell.dims == {
        "Region": "00",
        "Civilstand": "OG",
        "Alder": "0",
        "Kon": "1",
        "ContentsCode": "BE0101N1",
        "Tid": "2024",
    }
    assert cell.labels["Region"] == "Riket"
    assert cell.labels["ContentsCode"] == "Folkmängd"
    assert (cell.unit, cell.decimals) == ("antal personer", 0)
    assert ds.role == {"time": ["Tid"], "metric": ["ContentsCode"]}
    assert ds.updated == "2025-02-21T07:00:00Z"
    assert ds.source == "SCB"
    assert ds.label.startswith("Folkmängd efter region")
    assert len(ds.notes) == 3
    assert ds.dimensions["Region"].notes == [
        "År 1968–1998 redovisas enligt regional indelning 1998-01-01."
    ]
    assert ds.extension["px"]["tableid"] == "TAB638"
    assert summarize(ds) == {"rows": 1, "flags": {}}


def test_scb_v1_tab3554_row_major_last_id_fastest():
    ds = parse(PAYLOADS / TAB3554)
    assert ds.id == ["Kon", "Alder", "ContentsCode", "Tid"]  # Region was eliminated
    assert "Region" not in ds.dimensions
    assert len(ds.cells) == 9
    got = [(c.dims["Kon"], c.dims["Tid"], c.value) for c in ds.cells]
    assert got[:4] == [
        ("1", "2020", Decimal("332.8")),
        ("1", "2021", Decimal("343.9")),
        ("1", "2022", Decimal("359.9")),
        ("2", "2020", Decimal("254.6")),
    ]
    assert got[-1] == ("1+2", "2022", Decimal("316.6"))
    assert ds.cells[4].value == Decimal("263")
    assert ds.cells[0].labels["Kon"] == "män"
    assert (ds.cells[0].unit, ds.cells[0].decimals) == ("tkr", 1)
    assert ds.updated == "2024-01-12T05: 52: 00Z"  # kept verbatim, stray spaces and all
    assert ds.dimensions["Kon"].categories == [("1", "män"), ("2", "kvinnor"), ("1+2", "totalt")]


def test_ssb_status_dotdot_cells_are_null_not_zero():
    raw = json.loads(payload(SSB))
    n_status = sum(1 for s in raw["status"].values() if s == "..")
    ds = parse(PAYLOADS / SSB)
    assert len(ds.cells) == 12 * 3 * 1 * 8
    nulls = [i for i, c in enumerate(ds.cells) if c.value is None]
    assert len(nulls) == n_status == 24
    assert nulls == sorted(int(k) for k in raw["status"])
    for i in nulls:
        assert ds.cells[i].value is None
        assert ds.cells[i].value != Decimal(0)
        assert ds.cells[i].status == ".."
    # flat index 176 = Region position 7 ("007"), Boligtype position 1 ("02"), first quarter
    assert ds.cells[176].dims == {
        "Region": "007",
        "Boligtype": "02",
        "ContentsCode": "Boligindeks",
        "Tid": "2022K1",
    }
    assert ds.cells[175].value == Decimal("131.5")
    assert ds.cells[175].status is None
    assert summarize(ds) == {"rows": 288, "flags": {"..": 24}}
    assert ds.notes[1].startswith(".. = Tallgrunnlag mangler")


def test_utf8_bom_is_accepted():
    ds = parse(b"\xef\xbb\xbf" + payload(TAB3554), file="bom.json")
    assert len(ds.cells) == 9


# --- variants of the format ------------------------------------------------------------------------


def test_sparse_value_object():
    ds = parse(doc(value={"0": 10, "5": 2.5}))
    assert [c.value for c in ds.cells] == [Decimal(10), None, None, None, None, Decimal("2.5")]
    assert ds.cells[5].dims == {"Region": "01", "Tid": "2024"}


def test_status_as_string_applies_to_every_cell():
    ds = parse(doc(status="p"))
    assert {c.status for c in ds.cells} == {"p"}
    assert summarize(ds)["flags"] == {"p": 6}


def test_status_as_array_and_status_on_a_cell_with_a_value():
    ds = parse(doc(value=[1, None, 3, 4, 5, 6], status=[None, "..", None, None, "e", None]))
    assert (ds.cells[1].value, ds.cells[1].status) == (None, "..")
    assert (ds.cells[4].value, ds.cells[4].status) == (Decimal(5), "e")  # note kept, value kept
    assert summarize(ds) == {"rows": 6, "flags": {"..": 1, "e": 1}}


def test_status_object_keyed_by_flat_index():
    ds = parse(doc(value=[1, 2, None, 4, 5, 6], status={"2": "-"}))
    assert ds.cells[2].status == "-" and ds.cells[2].value is None


def test_index_missing_with_single_label():
    dims = {
        "Region": {"category": {"label": {"00": "Riket"}}},
        "Tid": {"category": {"index": {"2024": 0}, "label": {"2024": "2024"}}},
    }
    ds = parse(doc(size=[1, 1], dimension=dims, value=[7]))
    assert ds.cells[0].dims == {"Region": "00", "Tid": "2024"}
    assert ds.cells[0].labels["Region"] == "Riket"


def test_index_missing_with_two_labels_is_an_error():
    dims = {
        "Region": {"category": {"label": {"00": "Riket", "01": "Stockholms län"}}},
        "Tid": {"category": {"index": ["2022", "2023", "2024"]}},
    }
    with pytest.raises(ParseError) as exc:
        parse(doc(dimension=dims), file="x.json")
    assert "dimension.Region.category.index" in str(exc.value)


def test_category_index_order_comes_from_positions_not_key_order():
    dims = {
        "Region": {"category": {"index": {"01": 1, "00": 0}}},
        "Tid": {"category": {"index": ["2022", "2023", "2024"]}},
    }
    ds = parse(doc(dimension=dims))
    assert ds.cells[0].dims["Region"] == "00"
    assert ds.cells[3].dims["Region"] == "01"


# --- bad input -------------------------------------------------------------------------------------


def test_truncated_json_names_file_and_position():
    data = payload(TAB3554)[:500]
    with pytest.raises(ParseError) as exc:
        parse(data, file="TAB3554.json")
    (problem,) = exc.value.problems
    assert problem.file == "TAB3554.json"
    assert problem.row is not None and problem.row > 1
    text = str(exc.value)
    assert text.startswith(f"TAB3554.json rad {problem.row}: ogiltig JSON vid tecken ")
    assert "position" in text


def test_a_pxweb_query_is_named_as_a_query_not_a_broken_dataset():
    # refdata holds the POST body SCB answered with TAB3554: a query, not a JSON-stat response.
    with pytest.raises(ParseError) as exc:
        parse(payload("scb_pxweb_v1_TAB3554_query_jsonstat2.json"), file="fraga.json")
    (problem,) = exc.value.problems
    assert str(problem).startswith(
        "fraga.json: filen är en PxWeb-fråga ('query'/'selection'), inte ett JSON-stat-svar"
    )
    selection = {"selection": [{"variableCode": "Tid", "valueCodes": ["2024"]}]}
    with pytest.raises(ParseError, match="PxWeb-fråga"):
        parse(json.dumps(selection).encode(), file="urval.json")


def test_empty_file():
    with pytest.raises(ParseError, match="filen är tom"):
        parse(b"", file="tom.json")


def test_size_mismatch_with_value_count():
    dims = {
        "Region": {"category": {"index": ["00", "01", "03", "04"]}},
        "Tid": {"category": {"index": ["2022", "2023", "2024"]}},
    }
    with pytest.raises(ParseError) as exc:
        parse(doc(size=[4, 3], dimension=dims, value=list(range(11))), file="data.json")
    assert errors(exc.value) == [
        "data.json, fält 'value': 'size' stämmer inte med antalet värden: väntade 12, fick 11"
    ]


def test_all_structural_problems_in_one_error():
    with pytest.raises(ParseError) as exc:
        parse(doc(size=[4, 3], value=list(range(11))), file="data.json")
    text = str(exc.value)
    assert "'size' säger 4 för dimensionen 'Region' men den har 2 kategorier" in text
    assert "'size' stämmer inte med antalet värden: väntade 12, fick 11" in text


def test_size_and_id_lengths_differ():
    with pytest.raises(ParseError, match="'size'.*har 3 element men 'id' har 2"):
        parse(doc(size=[2, 3, 1]))


def test_size_differs_from_category_count():
    with pytest.raises(ParseError, match="'size' säger 4 för dimensionen 'Region'"):
        parse(doc(size=[4, 3], value=list(range(12))))


def test_non_numeric_values_all_reported_in_one_error():
    with pytest.raises(ParseError) as exc:
        parse(doc(value=[1, "abc", 3, True, 5, {"x": 1}]), file="data.json")
    msgs = errors(exc.value)
    assert msgs == [
        "data.json, fält 'value[1]': 'abc' är inte ett tal",
        "data.json, fält 'value[3]': true är inte ett tal",
        "data.json, fält 'value[5]': {\"x\": 1} är inte ett tal",
    ]


def test_numeric_strings_are_accepted():
    ds = parse(doc(value=["1", "2.5", 3, 4, 5, 6]))
    assert ds.cells[1].value == Decimal("2.5")


def test_sparse_key_out_of_range():
    with pytest.raises(ParseError, match=r"nyckeln måste vara ett index 0\.\.5"):
        parse(doc(value={"6": 1}))


def test_status_array_wrong_length():
    with pytest.raises(ParseError, match="listan har 2 element men tabellen har 6 celler"):
        parse(doc(status=["a", "b"]))


def test_not_a_dataset():
    with pytest.raises(ParseError, match="klassen 'collection' stöds inte"):
        parse(json.dumps({"class": "collection"}).encode())


def test_problems_are_capped_at_100():
    with pytest.raises(ParseError) as exc:
        parse(doc(size=[2, 100], dimension=_big_dims(), value=["x"] * 200), file="big.json")
    assert len(exc.value.problems) == 100
    assert exc.value.total == 200
    assert "och 100 problem till" in str(exc.value)


def _big_dims():
    return {
        "Region": {"category": {"index": ["00", "01"]}},
        "Tid": {"category": {"index": [str(2000 + i) for i in range(100)]}},
    }
