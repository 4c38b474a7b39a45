import tracemalloc
import types
from decimal import Decimal

import pytest

from lagesbild.sources.base import ParseError
from lagesbild.sources.tabular import Detected, detect, iter_rows, open_tidy, validate_all

from .conftest import make_workbook

NEITHER = "Filen är varken UTF-8 eller Windows-1252"


def write(tmp_path, data: bytes | str, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def problems(rows):
    return [str(p) for r in rows for p in r.problems]


# --- detection -------------------------------------------------------------------------------------


def test_semicolon_decimal_comma_utf8(tmp_path):
    path = write(
        tmp_path,
        "indicator;area;period;value;sex;status\n"
        "S6.1;0180;2024;12,5;kvinnor;\n"
        "S6.1;0180;2024;;man;..\n",
    )
    reader = open_tidy(path)
    assert reader.detected == Detected("utf-8", ";", ",", "csv", True)
    assert "semikolon" in reader.detected.describe()
    rows = list(reader)
    assert [(r.row, r.value, r.status, r.breakdown) for r in rows] == [
        (2, Decimal("12.5"), None, {"sex": "kvinnor"}),
        (3, None, "..", {"sex": "man"}),
    ]
    assert all(r.ok for r in rows)


def test_comma_delimiter_point_decimal_with_bom(tmp_path):
    path = write(tmp_path, "\ufeffIndicator,Area,Period,Value\nS1,01,2024,0.93\nS1,01,2025,7\n")
    d = detect(path)
    assert (d.encoding, d.delimiter, d.decimal) == ("utf-8-sig", ",", ".")
    rows = list(iter_rows(path))
    assert [r.value for r in rows] == [Decimal("0.93"), Decimal(7)]
    assert rows[0].indicator == "S1"  # no BOM left on the first header


def test_comma_delimiter_with_quoted_decimal_comma(tmp_path):
    path = write(tmp_path, 'indicator,area,period,value\nS1,01,2024,"12,5"\nS1,01,2025,"3,25"\n')
    assert detect(path).decimal == ","
    assert [r.value for r in iter_rows(path)] == [Decimal("12.5"), Decimal("3.25")]


def test_comma_delimiter_with_unquoted_decimal_comma_is_a_row_problem(tmp_path):
    path = write(tmp_path, 'indicator,area,period,value\nS1,01,2024,"12,5"\nS1,01,2025,12,5\n')
    rows = list(iter_rows(path))
    assert rows[0].ok
    assert problems(rows) == [
        "data.csv rad 3: raden har 5 fält men rubriken har 4; med komma som avgränsare måste "
        'tal med decimalkomma stå inom citattecken ("12,5")'
    ]


def test_cp1252(tmp_path):
    path = write(
        tmp_path, "indicator;område;period;värde;kön\nS1;01;2024;3,5;kvinnor\n", encoding="cp1252"
    )
    reader = open_tidy(path)
    assert reader.detected.encoding == "cp1252"
    (row,) = list(reader)
    assert (row.area, row.value, row.breakdown) == ("01", Decimal("3.5"), {"kön": "kvinnor"})


def test_neither_utf8_nor_cp1252(tmp_path):
    path = write(tmp_path, b"indicator;area;period;value\nS1;01;2024;\x81\x9d\n")
    with pytest.raises(ParseError, match=NEITHER):
        open_tidy(path)


def test_mixed_utf8_and_latin1_is_rejected(tmp_path):
    path = write(
        tmp_path, "indicator;area;period;value\nS1;å;2024;1\n".encode() + b"S1;\xe5;2024;1\n"
    )
    with pytest.raises(ParseError, match=f"{NEITHER} \\(blandad teckenkodning"):
        open_tidy(path)


def test_utf16_is_rejected(tmp_path):
    path = write(tmp_path, "indicator;area;period;value\n".encode("utf-16"))
    with pytest.raises(ParseError, match=f"{NEITHER} \\(den är UTF-16"):
        open_tidy(path)


def test_delimiter_falls_back_to_header_inspection(tmp_path):
    # a single data column layout the sniffer cannot decide on
    path = write(tmp_path, "indicator;area;period;value\n")
    assert detect(path).delimiter == ";"
    assert list(iter_rows(path)) == []


def test_no_decimals_in_sample_accepts_both(tmp_path):
    lines = ["indicator;area;period;value"] + [f"S1;01;{2000 + i};{i}" for i in range(10)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    d = detect(path)
    assert (d.decimal, d.decimal_seen) == (",", False)
    assert "antaget" in d.describe()


def test_wrong_decimal_separator_is_reported_per_row(tmp_path):
    path = write(tmp_path, "indicator;area;period;value\nS1;01;2024;1,5\nS1;01;2025;2.5\n")
    assert problems(iter_rows(path)) == [
        "data.csv rad 3, kolumn 'value': '2.5' är inte ett tal (decimaltecken är ',')"
    ]


# --- columns and validation ------------------------------------------------------------------------


def test_all_optional_columns_and_swedish_aliases(tmp_path):
    path = write(
        tmp_path,
        "Indikator;Område;År;Värde;Täljare;Nämnare;Antal svarande;Flaggor;age;sex\n"
        "S1;01;2024/2025;6,9;69;1000;;provisional;18+;kvinnor\n"
        "S1;01;2024/2025;7;;;412;;;\n",
    )
    rows = list(iter_rows(path))
    assert rows[0].numerator == Decimal(69) and rows[0].denominator == Decimal(1000)
    assert rows[0].status == "provisional"
    assert rows[0].breakdown == {"age": "18+", "sex": "kvinnor"}
    assert rows[1].respondents == 412 and rows[1].breakdown == {}
    assert rows[1].period == "2024/2025"


def test_missing_required_columns(tmp_path):
    path = write(tmp_path, "indicator;area;value\nS1;01;3\n")
    with pytest.raises(ParseError, match="saknar kolumnen/kolumnerna period"):
        open_tidy(path)


def test_duplicate_and_synonym_columns(tmp_path):
    path = write(tmp_path, "indicator;area;period;value;status;flags;sex;sex\n")
    with pytest.raises(ParseError) as exc:
        open_tidy(path)
    text = str(exc.value)
    assert "kolumn 'flags': betyder samma sak som kolumnen 'status'" in text
    assert "rubriken finns två gånger (kolumn G och H)" in text


def test_row_problems_with_row_and_column(tmp_path):
    path = write(
        tmp_path,
        "indicator;area;period;value;numerator;respondents\n"
        "S1;01;2024;1;;\n"
        ";01;2024;abc;;\n"
        "S1;;tjugo;;;\n"
        "S1;01;2024;1;-3;2,5\n"
        "\n"
        "S1;01;2024M01;1;;\n",
    )
    rows = list(iter_rows(path))
    assert [r.row for r in rows] == [2, 3, 4, 5, 7]  # the blank line 6 is skipped, not renumbered
    assert problems(rows) == [
        "data.csv rad 3, kolumn 'indicator': saknas",
        "data.csv rad 3, kolumn 'value': 'abc' är inte ett tal",
        "data.csv rad 4, kolumn 'area': saknas",
        "data.csv rad 4, kolumn 'period': 'tjugo' är inte en period (t.ex. 2024, 2024/2025, "
        "2024M01, 2024K1)",
        "data.csv rad 4, kolumn 'value': värde saknas och ingen status anger varför",
        "data.csv rad 5, kolumn 'numerator': -3 får inte vara negativt",
        "data.csv rad 5, kolumn 'respondents': 2.5 är inte ett heltal",
    ]


def test_validate_all_counts_and_caps(tmp_path):
    lines = ["indicator;area;period;value"] + ["S1;01;2024;x"] * 150 + ["S1;01;2024;1"]
    path = write(tmp_path, "\n".join(lines) + "\n")
    report = validate_all(path)
    assert (report.rows, report.rows_with_problems, report.problem_count) == (151, 150, 150)
    assert len(report.problems) == 100
    assert not report.ok
    assert str(report.problems[0]) == "data.csv rad 2, kolumn 'value': 'x' är inte ett tal"


def test_trailing_delimiters_are_ignored(tmp_path):
    path = write(tmp_path, "indicator;area;period;value;\r\nS1;01;2024;3;\r\nS1;01;2025;4;;\r\n")
    reader = open_tidy(path)
    assert reader.columns == ["indicator", "area", "period", "value"]
    rows = list(reader)
    assert [r.value for r in rows] == [Decimal(3), Decimal(4)] and all(r.ok for r in rows)


def test_empty_file(tmp_path):
    with pytest.raises(ParseError, match="filen är tom"):
        open_tidy(write(tmp_path, b""))


# --- xlsx ------------------------------------------------------------------------------------------


def test_xlsx(tmp_path):
    rows = [
        ["indicator", "area", "period", "value", "sex", "status"],
        ["S1", 180, 2024, 6.9, "kvinnor", None],
        ["S1", 1, "2024/2025", 0.93, None, None],
        ["S1", "0180", 2024, None, "man", ".."],
        ["S1", "0180", 2024, "12,5", None, None],
        [None, None, None, None, None, None],
        ["S1", "0180", 2024, "mycket", None, None],
    ]
    path = tmp_path / "tidy.xlsx"
    path.write_bytes(make_workbook({"Data": rows}))
    reader = open_tidy(path)
    assert reader.detected.format == "xlsx"
    out = list(reader)
    assert [(r.row, r.area, r.period, r.value) for r in out] == [
        (2, "0180", "2024", Decimal("6.9")),
        (3, "01", "2024/2025", Decimal("0.93")),
        (4, "0180", "2024", None),
        (5, "0180", "2024", Decimal("12.5")),
        (7, "0180", "2024", None),
    ]
    assert out[0].breakdown == {"sex": "kvinnor"}
    assert problems(out) == ["tidy.xlsx rad 7, kolumn 'value': 'mycket' är inte ett tal"]


# --- streaming -------------------------------------------------------------------------------------


def test_streams_a_million_rows(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("indicator;area;period;value;sex\n")
        for i in range(1_000_000):
            fh.write(f"S1;0180;{2000 + i % 25};{i % 1000},5;kvinnor\n")
    size = path.stat().st_size
    assert size > 25_000_000

    tracemalloc.start()
    try:
        rows = iter_rows(path)
        assert isinstance(rows, types.GeneratorType)
        first = next(rows)
        for _ in range(20_000):
            next(rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first.row == 2 and first.value == Decimal("0.5")
    assert peak < 8_000_000, f"peak {peak} bytes: the file is being loaded whole"

    count = 20_001 + sum(1 for _ in rows)
    assert count == 1_000_000


def test_statistic_note_and_source_ref_columns(tmp_path):
    path = write(
        tmp_path,
        "indikator;område;period;värde;mått;anmärkning;källhänvisning\n"
        "S1;01;2024;3,5;;Ny metod från 2024;Tabell 7\n"
        "S1;00;2024;4,1;median;;Kolada N00001\n"
        "S1;01;2025;3,6;medel;;\n",
    )
    rows = list(iter_rows(path))
    assert [(r.statistic, r.note, r.source_ref) for r in rows] == [
        ("value", "Ny metod från 2024", "Tabell 7"),
        ("median", "", "Kolada N00001"),
        ("value", "", ""),
    ]
    assert rows[0].ok and rows[1].ok
    assert [(p.column, p.message) for p in rows[2].problems] == [
        ("mått", "okänt mått 'medel' (tillåtna: value, median)")
    ]


# --- the CSV fast path ------------------------------------------------------------------------------

FAST_CELLS = {
    "indicator": ["S1", " S1 ", "", "S2"],
    "area": ["0180", " 01", "", "0180"],
    "period": ["2024", " 2024/2025 ", "24", "", "2024M01", "2024-13-1"],
    "value": ["12,5", "12.5", "7", "", " ", "-3", "abc", "1 000,5", "\u22122,5", ",5", "0"],
    "numerator": ["3", "-1", "", "2,5", "x", "0"],
    "denominator": ["40", "", "-0,5", "9"],
    "respondents": ["10", "2,5", "-1", "", "12,0", "y"],
    "status": ["", "..", "provisional", " ", "för få fall|.."],
    "statistic": ["", "median", "Värde", "mean"],
    "source_ref": ["", "x" * 301, "SCB"],
    "note": ["", " n "],
    "qualifier": ["", "minst", " Cirka ", "ungefär", "at_least"],
    "sex": ["", "kvinnor", " man "],
}


@pytest.mark.parametrize("decimal", [",", ".", None])
def test_csv_fast_path_accepts_exactly_the_rows_the_checked_path_accepts(tmp_path, decimal):
    """Every row: the fast path gives None (and the row goes the checked way) or the same row."""
    import random

    rnd = random.Random(14)
    names = list(FAST_CELLS)
    path = write(tmp_path, ";".join(names) + "\nS1;0180;2024;1,5;;;;;;;;;\n")
    reader = open_tidy(path)
    fast = reader._fast_csv_row(decimal)
    accepted = declined = 0
    for row_no in range(2, 20002):  # cells repeat, so cached numbers and periods are reused
        fields = [rnd.choice(FAST_CELLS[n]) for n in names]
        checked = reader._row(row_no, fields, decimal)
        got = fast(row_no, fields)
        if checked.problems:
            assert got is None, (fields, [str(p) for p in checked.problems])
            declined += 1
        else:
            assert got == checked, fields
            accepted += 1
    assert accepted > 100 and declined > 10_000


def test_csv_fast_path_does_not_change_the_error_messages(tmp_path):
    path = write(
        tmp_path,
        "indicator;area;period;value;numerator\n"
        "S1;0180;2024;3,5;-1\n"
        "S1;0180;2024;3,5;-1\n"  # the same cell again: the cache holds only valid numbers
        "S1;0180;2024;3,5;2\n",
    )
    rows = list(iter_rows(path))
    assert problems(rows) == [
        "data.csv rad 2, kolumn 'numerator': -1 får inte vara negativt",
        "data.csv rad 3, kolumn 'numerator': -1 får inte vara negativt",
    ]
    assert rows[2].ok and rows[2].numerator == Decimal(2)
