from decimal import Decimal

import pytest

from lagesbild.sources.base import (
    MAX_PROBLEMS,
    ParseError,
    Problem,
    Problems,
    column_letter,
    parse_decimal_text,
)


def test_problem_text_names_file_row_and_column():
    p = Problem("data.csv", 17, "value", "'abc' är inte ett tal")
    assert str(p) == "data.csv rad 17, kolumn 'value': 'abc' är inte ett tal"


def test_problem_without_row_or_column():
    assert str(Problem("a.json", None, None, "fel")) == "a.json: fel"
    assert str(Problem("a.json", 3, "x", "fel", "post", "fält")) == "a.json post 3, fält 'x': fel"


def test_parse_error_caps_and_counts():
    probs = Problems("f.csv")
    for i in range(250):
        probs.add(i + 2, "value", "fel")
    with pytest.raises(ParseError) as exc:
        probs.raise_if_any()
    assert len(exc.value.problems) == MAX_PROBLEMS == 100
    assert exc.value.total == 250
    assert str(exc.value).splitlines()[-1].startswith("… och 150 problem till")


def test_no_problems_no_error():
    Problems("f.csv").raise_if_any()


@pytest.mark.parametrize(
    "text,decimal,expected",
    [
        ("12,5", ",", "12.5"),
        ("12.5", ".", "12.5"),
        ("1 234,5", ",", "1234.5"),
        ("1\u00a0234", None, "1234"),
        ("\u22123,2", ",", "-3.2"),
        ("7", None, "7"),
        ("0,25", None, "0.25"),
    ],
)
def test_parse_decimal_text(text, decimal, expected):
    assert parse_decimal_text(text, decimal) == Decimal(expected)


@pytest.mark.parametrize(
    "text,decimal", [("12.5", ","), ("12,5", "."), ("1.234,5", None), ("abc", None), ("", ",")]
)
def test_parse_decimal_text_rejects(text, decimal):
    with pytest.raises(ValueError):
        parse_decimal_text(text, decimal)


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
