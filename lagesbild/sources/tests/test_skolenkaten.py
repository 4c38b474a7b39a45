from decimal import Decimal

import pytest

from lagesbild.sources.base import ParseError
from lagesbild.sources.skolenkaten import TOO_FEW, group_code, parse

from .conftest import make_workbook, skolenkat_rows


def cells_by(result):
    return {
        (c.dims["indicator"], c.dims["group"], c.dims.get("skolenhet") or c.dims["kommun"]): c
        for c in result.cells()
    }


def test_synthetic_workbook(skolenkat_xlsx):
    result = parse(skolenkat_xlsx)
    assert result.indices == ["Trygghet", "Studiero"]
    assert result.period == "2024"  # from the file name
    assert len(result.rows) == 4 and len(result.cells()) == 8
    cells = cells_by(result)
    trygg = cells[("trygghet", "elever-ak8", "12345678")]
    assert (trygg.value, trygg.status, trygg.unit) == (Decimal("7.8"), None, "index")
    assert trygg.dims == {
        "indicator": "trygghet",
        "group": "elever-ak8",
        "kommun": "0180",
        "skolenhet": "12345678",
        "period": "2024",
    }
    assert trygg.labels["skolenhet"] == "Exempelskolan"
    assert trygg.labels["group"] == "Elever åk 8"
    assert cells[("studiero", "elever-gy2", "87654321")].value == Decimal("5.25")
    assert result.notes == ["Källa: syntetiska testdata, inte Skolinspektionens siffror."]


def test_blank_index_is_too_few_respondents_but_zero_stays_zero(skolenkat_xlsx):
    cells = cells_by(parse(skolenkat_xlsx))
    blank = cells[("trygghet", "pedagogisk-personal", "12345678")]
    assert (blank.value, blank.status) == (None, TOO_FEW) == (None, "för få svarande")
    zero = cells[("trygghet", "elever-gy2", "87654321")]
    assert (zero.value, zero.status) == (Decimal(0), None)


def test_kommunkod_stored_as_number_gets_its_zero_back(skolenkat_xlsx):
    result = parse(skolenkat_xlsx)
    solna = result.rows[-1]
    assert (solna.kommun_code, solna.school_code, solna.respondents) == ("0184", None, 4)
    assert "skolenhet" not in solna.cells[0].dims


def test_columns_found_by_header_name_not_position(tmp_path):
    a = parse(make_workbook({"R": skolenkat_rows()}), file="a-2024.xlsx")
    b = parse(make_workbook({"R": skolenkat_rows(index_first=True)}), file="b-2024.xlsx")
    assert [(c.dims, c.value, c.status) for c in a.cells()] == [
        (c.dims, c.value, c.status) for c in b.cells()
    ]


def test_blank_index_with_enough_respondents_is_missing_not_too_few():
    rows = skolenkat_rows()
    rows[4][6] = 30  # the pedagogisk personal row now has 30 respondents, index still blank
    result = parse(make_workbook({"R": rows}), file="s.xlsx")
    cell = cells_by(result)[("trygghet", "pedagogisk-personal", "12345678")]
    assert (cell.value, cell.status) == (None, "värde saknas")
    assert result.period is None


@pytest.mark.parametrize(
    "label,code",
    [
        ("Elever åk 8", "elever-ak8"),
        ("Elever i årskurs 5", "elever-ak5"),
        ("Elever gymnasiet år 2", "elever-gy2"),
        ("Gymnasieskolan år 2", "elever-gy2"),
        ("Pedagogisk personal", "pedagogisk-personal"),
        ("Vårdnadshavare grundskola", "vardnadshavare"),
        ("Elever i anpassad grundskola", "elever-i-anpassad-grundskola"),
    ],
)
def test_group_codes(label, code):
    assert group_code(label) == code


def test_problems_name_sheet_row_and_column():
    rows = skolenkat_rows()
    rows[3][7] = "hög"  # Trygghet index, first data row (Excel row 4)
    rows[5][0] = "18O"  # a letter O in the kommunkod (Excel row 6)
    rows[6][6] = "fyra"  # Antal svarande
    with pytest.raises(ParseError) as exc:
        parse(make_workbook({"Resultat": rows}), file="s.xlsx")
    assert [str(p) for p in exc.value.problems] == [
        "s.xlsx, bladet 'Resultat' rad 4, kolumn 'Trygghet': 'hög' är inte ett tal",
        "s.xlsx, bladet 'Resultat' rad 6, kolumn 'Kommunkod': '18O' är inte en kod med 4 siffror",
        "s.xlsx, bladet 'Resultat' rad 7, kolumn 'Antal svarande': 'fyra' är inte ett tal",
    ]


def test_no_index_header():
    data = make_workbook({"R": [["Kommun", "Trygghet"], ["Stockholm", 7]]})
    with pytest.raises(ParseError, match="Hittar ingen rubrikrad med 'Index' i något blad"):
        parse(data, file="s.xlsx")


def test_missing_group_column():
    rows = skolenkat_rows()
    rows[0][5] = "Grupp X"
    with pytest.raises(ParseError, match="kolumnen 'Respondentgrupp' saknas"):
        parse(make_workbook({"R": rows}), file="s.xlsx")


def test_duplicate_unit_and_group():
    rows = skolenkat_rows()
    rows.insert(4, list(rows[3]))
    with pytest.raises(ParseError, match="rad 5, kolumn 'Respondentgrupp': samma enhet"):
        parse(make_workbook({"R": rows}), file="s.xlsx")


def test_only_sheets_with_index_header_are_read():
    data = make_workbook({"Om enkäten": [["Text om enkäten"]], "Resultat": skolenkat_rows()})
    assert len(parse(data, file="s.xlsx").rows) == 4
    with pytest.raises(ParseError, match="bladet 'Saknas' saknas"):
        parse(data, file="s.xlsx", sheet="Saknas")
