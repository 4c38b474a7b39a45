from decimal import Decimal

import pytest

from lagesbild.indicators.stats import (
    FLAGS,
    Point,
    Revision,
    is_small,
    next_period,
    period_kind,
    period_label,
    period_range_label,
    period_sort_key,
    periods_between,
)

D = Decimal


@pytest.mark.parametrize(
    ("period", "key"),
    [("2024", (2024, 0)), ("2024/2025", (2024, 1)), ("1999/2000", (1999, 1)), ("2019", (2019, 0))],
)
def test_period_sort_key(period, key):
    assert period_sort_key(period) == key


def test_school_years_sort_by_start_year():
    periods = ["2025", "2024/2025", "2023", "2024", "2023/2024"]
    assert sorted(periods, key=period_sort_key) == [
        "2023",
        "2023/2024",
        "2024",
        "2024/2025",
        "2025",
    ]


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "24",
        "20245",
        "2024/2026",
        "2024/2023",
        "2024/25",
        "2024-2025",
        " 2024",
        "2024 ",
        "abcd",
        "2024/",
        None,
        2024,
    ],
)
def test_period_sort_key_rejects_garbage(garbage):
    with pytest.raises(ValueError, match="Ogiltig period"):
        period_sort_key(garbage)


def test_period_label_and_prefix():
    assert period_label("2024") == "2024"
    assert period_label("2024/2025") == "2024/2025"
    assert period_label("2024", prefix=True) == "år 2024"
    assert period_label("2024/2025", prefix=True) == "läsåret 2024/2025"
    with pytest.raises(ValueError):
        period_label("2024/2026")


def test_period_kind_and_next_period():
    assert period_kind("2024") == "year"
    assert period_kind("2024/2025") == "school_year"
    assert next_period("2024") == "2025"
    assert next_period("2024/2025") == "2025/2026"


def test_periods_between():
    assert periods_between("2019", "2022") == ["2019", "2020", "2021", "2022"]
    assert periods_between("2022/2023", "2024/2025") == ["2022/2023", "2023/2024", "2024/2025"]
    assert periods_between("2020", "2020") == ["2020"]
    with pytest.raises(ValueError, match="olika slag"):
        periods_between("2020", "2022/2023")
    with pytest.raises(ValueError, match="före"):
        periods_between("2022", "2020")


def test_period_range_label_uses_en_dash():
    assert period_range_label("2019", "2025") == "2019\u20132025"
    assert period_range_label("2019/2020", "2024/2025") == "2019/2020\u20132024/2025"
    assert period_range_label("2025", "2025") == "2025"


def test_point_converts_ints_to_decimal_and_flags_to_frozenset():
    p = Point("2024", 39, numerator=39, denominator=100, flags={"provisional"})
    assert isinstance(p.value, Decimal) and p.value == 39
    assert isinstance(p.numerator, Decimal) and isinstance(p.denominator, Decimal)
    assert p.flags == frozenset({"provisional"}) and isinstance(p.flags, frozenset)
    assert p.sort_key == (2024, 0)


def test_point_defaults():
    p = Point("2024", D("6.9"))
    assert p.numerator is None and p.denominator is None
    assert p.flags == frozenset() and p.missing_reason == ""


def test_point_rejects_float_value():
    with pytest.raises(TypeError):
        Point("2024", 6.9)


def test_point_rejects_unknown_flag_and_bad_period():
    with pytest.raises(ValueError, match="Okända flaggor"):
        Point("2024", D(1), flags={"preliminary"})
    with pytest.raises(ValueError, match="Ogiltig period"):
        Point("24", D(1))


def test_point_flagged_missing_cannot_have_value():
    with pytest.raises(ValueError, match="saknad"):
        Point("2024", D(1), flags={"missing"})
    assert Point("2024", None, flags={"missing"}).is_missing


def test_point_is_missing_unless_suppressed_for_too_few_cases():
    assert Point("2024", None).is_missing
    assert not Point("2024", None, flags={"too_few_cases"}).is_missing
    assert not Point("2024", D(0)).is_missing


def test_point_is_frozen():
    p = Point("2024", D(1))
    with pytest.raises(AttributeError):
        p.value = D(2)


def test_flags_vocabulary():
    assert (
        frozenset(
            {"revised", "provisional", "too_few_cases", "missing", "at_least", "approximately"}
        )
        == FLAGS
    )
    with pytest.raises(ValueError):
        Point("2024", D(5), flags={"ungefär"})


def test_revision_converts_values():
    r = Revision("2024", 634, 650, "rättning")
    assert r.old_value == D(634) and isinstance(r.new_value, Decimal)
    with pytest.raises(ValueError):
        Revision("2024/2026", 1, 2)


# --- is_small -----------------------------------------------------------------------------------


def test_is_small_without_threshold_is_false():
    assert not is_small(Point("2024", D(50), denominator=D(2)), None)


def test_is_small_below_threshold():
    assert is_small(Point("2024", D(50), numerator=D(2), denominator=D(4)), 5)
    assert is_small(Point("2024", D(50), denominator=D("4.99")), 5)


def test_is_small_at_or_above_threshold_is_false():
    assert not is_small(Point("2024", D(50), denominator=D(5)), 5)
    assert not is_small(Point("2024", D(50), denominator=D(500)), 5)


def test_is_small_unknown_denominator_is_not_small():
    assert not is_small(Point("2024", D(50), numerator=D(1)), 5)
    assert not is_small(Point("2024", D(50)), 5)


def test_is_small_source_flag_always_wins():
    flagged = Point("2024", None, flags={"too_few_cases"})
    assert is_small(flagged, None)
    assert is_small(flagged, 5)
    assert is_small(Point("2024", D(50), denominator=D(1000), flags={"too_few_cases"}), 5)


def test_is_small_rejects_negative_threshold():
    with pytest.raises(ValueError):
        is_small(Point("2024", D(1), denominator=D(1)), -1)
