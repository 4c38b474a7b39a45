import random
from decimal import Decimal, localcontext

import pytest

from lagesbild.core.numbers import (
    MINUS,
    MISSING,
    NBSP,
    UNITS,
    format_number,
    format_percent,
    format_pp,
    format_unit,
    get_unit,
    parse_decimal,
    round_half_up,
)

D = Decimal


# --- format_number ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("1613"), None, "1 613"),
        (1613, None, "1 613"),
        (1000, None, "1 000"),
        (999, None, "999"),
        (100, None, "100"),
        (0, None, "0"),
        (1234567, None, "1 234 567"),
        (D("12345.678"), 2, "12 345,68"),
        (D("6.9"), None, "6,9"),
        (D("2.29"), None, "2,29"),
        (D("0.93"), None, "0,93"),
        (D("6.90"), None, "6,90"),  # the value's own decimals are kept
        (D("6.90"), 1, "6,9"),
        (1613, 2, "1 613,00"),
        (D("1E+3"), None, "1 000"),
        (D("650.0000000000"), 0, "650"),  # DecimalField with 10 places
        (-3, None, MINUS + "3"),
        (D("-1613.5"), 0, MINUS + "1 614"),
        (D("-0"), None, "0"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        # ROUND_HALF_UP, not Python's banker's rounding (which would give 2, 0,12, −2, 4)
        (D("2.5"), 0, "3"),
        (D("0.125"), 2, "0,13"),
        (D("-2.5"), 0, MINUS + "3"),
        (D("4.5"), 0, "5"),
        (D("2.4999"), 0, "2"),
        (D("38.45"), 1, "38,5"),
    ],
)
def test_format_number_rounds_half_up(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(("value", "decimals"), [(D("-0.4"), 0), (D("-0.04"), 1), (D("-0.001"), 2)])
def test_value_rounding_to_zero_has_no_minus_sign(value, decimals):
    out = format_number(value, decimals)
    assert MINUS not in out and "-" not in out
    assert set(out) <= set("0,")


def test_minus_is_unicode_minus_not_hyphen():
    out = format_number(-1613)
    assert out[0] == "\u2212"
    assert "-" not in out


def test_none_is_en_dash():
    assert format_number(None) == "\u2013" == MISSING
    assert format_number(None, 2) == MISSING


def test_nbsp_option_uses_no_break_space_everywhere():
    out = format_number(1234567, nbsp=True)
    assert out == "1\u00a0234\u00a0567"
    assert " " not in out
    assert format_number(1613) == "1 613"  # default: ordinary space


def test_grouping_does_not_touch_decimals():
    assert format_number(D("0.123456")) == "0,123456"


@pytest.mark.parametrize("bad", [1.5, True, "12", [1]])
def test_format_number_rejects_non_decimal_types(bad):
    with pytest.raises(TypeError):
        format_number(bad)


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_format_number_rejects_non_finite(bad):
    with pytest.raises(ValueError):
        format_number(bad)


@pytest.mark.parametrize("decimals", [-1, 1.5, True])
def test_format_number_rejects_bad_decimals(decimals):
    with pytest.raises(ValueError):
        format_number(D(1), decimals)


def test_format_number_digits_match_plain_integer_rendering():
    rng = random.Random(1)
    for _ in range(500):
        n = rng.randint(-(10**12), 10**12)
        out = format_number(n)
        assert out.replace(" ", "").replace(MINUS, "-") == str(n)
        groups = out.lstrip(MINUS).split(" ")
        assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


def test_round_trip_through_parse_decimal():
    rng = random.Random(2)
    for _ in range(500):
        value = D(rng.randint(-(10**9), 10**9)).scaleb(-rng.randint(0, 4))
        decimals = rng.randint(0, 4)
        for nbsp in (False, True):
            text = format_number(value, decimals, nbsp=nbsp)
            assert parse_decimal(text) == round_half_up(value, decimals)


def test_round_half_up_ignores_caller_context_rounding():
    with localcontext() as ctx:
        ctx.rounding = "ROUND_DOWN"
        assert round_half_up(D("2.5"), 0) == 3


# --- percent, percentage points, units ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (39, 0, "39 procent"),
        (D("38.5"), 0, "39 procent"),
        (D("38.45"), 1, "38,5 procent"),
        (D("0"), 0, "0 procent"),
        (None, 0, MISSING),
    ],
)
def test_format_percent(value, decimals, expected):
    assert format_percent(value, decimals) == expected


def test_format_percent_default_is_zero_decimals_and_nbsp_joins_unit():
    assert format_percent(D("38.6")) == "39 procent"
    assert format_percent(39, nbsp=True) == "39\u00a0procent"


@pytest.mark.parametrize(
    ("delta", "decimals", "expected"),
    [
        (2, 0, "2 procentenheter"),
        (1, 0, "1 procentenhet"),
        (-1, 0, MINUS + "1 procentenhet"),
        (D("1.4"), 0, "1 procentenhet"),  # singular follows the printed figure
        (D("0.6"), 0, "1 procentenhet"),
        (D("1.0"), 1, "1,0 procentenheter"),
        (D("1.5"), 0, "2 procentenheter"),
        (0, 0, "0 procentenheter"),
        (11, 0, "11 procentenheter"),
        (D("2.25"), 1, "2,3 procentenheter"),
        (None, 0, MISSING),
    ],
)
def test_format_pp(delta, decimals, expected):
    assert format_pp(delta, decimals) == expected


def test_format_pp_never_says_procent_alone():
    for delta in range(-20, 21):
        out = format_pp(delta)
        assert out.split(" ")[-1] in ("procentenhet", "procentenheter")


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        (39, "percent", None, "39 procent"),
        (1613, "count", None, "1 613"),
        (D("6.94"), "mean_0_10", None, "6,9"),
        (D("2.294"), "rate_per_100k", None, "2,29 per 100 000 invånare"),
        (D("72.4"), "index_0_100", None, "72"),
        (D("38.45"), "percent", 1, "38,5 procent"),
        (D("6.94"), "mean_0_10", 2, "6,94"),
        (D("1613.4"), "count", None, "1 613"),
        (None, "percent", None, MISSING),
    ],
)
def test_format_unit(value, unit, decimals, expected):
    assert format_unit(value, unit, decimals) == expected


def test_format_unit_nbsp_has_no_breakable_space():
    out = format_unit(D("2.29"), "rate_per_100k", nbsp=True)
    assert out == "2,29\u00a0per\u00a0100\u00a0000\u00a0invånare"
    assert " " not in out
    assert NBSP in format_unit(1613, "count", nbsp=True)


@pytest.mark.parametrize("unit", ["procent", "", None, "PERCENT"])
def test_unknown_unit_raises(unit):
    with pytest.raises(ValueError, match="Okänd enhet"):
        format_unit(1, unit)


def test_unit_table():
    # the four units of the indicator catalogue (docs/data-format.md) plus the model's index
    assert {"percent", "count", "mean_0_10", "rate_per_100k", "index_0_100"} <= set(UNITS)
    assert get_unit("percent").change_kind == "procentenheter"
    assert not get_unit("percent").relative_change  # a share never changes "in percent"
    assert get_unit("count").relative_change and get_unit("rate_per_100k").relative_change
    assert get_unit(get_unit("count")) is get_unit("count")


# --- parse_decimal ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6,9", D("6.9")),
        ("6.9", D("6.9")),
        ("1 613", D("1613")),
        ("1\u00a0613", D("1613")),
        ("1\u202f613", D("1613")),
        ("1613", D("1613")),
        ("12 345 678", D("12345678")),
        ("1 613,5", D("1613.5")),
        ("1 613.5", D("1613.5")),
        ("−3", D("-3")),
        ("-3", D("-3")),
        ("+3", D("3")),
        ("−1 613,25", D("-1613.25")),
        ("25%", D("25")),
        (" 25 % ", D("25")),
        ("25\u00a0%", D("25")),
        ("0,93", D("0.93")),
        ("1.613", D("1.613")),  # a point is always a decimal point
        ("\t42\n", D("42")),
    ],
)
def test_parse_decimal_accepts(text, expected):
    result = parse_decimal(text)
    assert isinstance(result, Decimal)
    assert result == expected


def test_parse_decimal_keeps_written_decimals():
    assert parse_decimal("6,90").as_tuple().exponent == -2
    assert str(parse_decimal("6,90")) == "6.90"


def test_parse_decimal_negative_zero_is_plain_zero():
    assert str(parse_decimal("−0")) == "0"
    assert not parse_decimal("-0,0").is_signed()


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "",
        "   ",
        "1,2,3",
        "1.2.3",
        "1.613,5",
        "1,613.5",
        "1 61",
        "1  613",
        "12 34",
        "1234 567",
        ",5",
        ".5",
        "5,",
        "5.",
        "1e3",
        "NaN",
        "Infinity",
        "--3",
        "−-3",
        "3-",
        "–3",  # en dash means missing, not minus
        "25%%",
        "%25",
        "1_000",
        "\u0663",  # ARABIC-INDIC DIGIT THREE
        "\uff11\uff12",  # fullwidth digits
        "12 procent",
        "1 613 kr",
    ],
)
def test_parse_decimal_rejects(text):
    with pytest.raises(ValueError, match="^Ogiltigt tal: '"):
        parse_decimal(text)


def test_parse_decimal_error_message_is_swedish_and_quotes_input():
    with pytest.raises(ValueError) as exc:
        parse_decimal("abc")
    assert str(exc.value) == "Ogiltigt tal: 'abc'"


@pytest.mark.parametrize("bad", [None, 3, 3.5, D(3)])
def test_parse_decimal_rejects_non_strings(bad):
    with pytest.raises(TypeError):
        parse_decimal(bad)
