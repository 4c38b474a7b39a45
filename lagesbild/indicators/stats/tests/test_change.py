from decimal import Decimal

import pytest

from lagesbild.indicators.stats import Point, change

D = Decimal


def pt(period, value):
    return Point(period, None if value is None else D(value))


def test_share_change_is_in_percentage_points_without_relative():
    c = change(pt("2024", 37), pt("2025", 39), "percent")
    assert c.absolute == 2
    assert c.kind == "procentenheter"
    assert c.relative_percent is None  # 2/37 = 5.4 % would be misleading for a share
    assert c.direction == "up"
    assert (c.period_from, c.period_to) == ("2024", "2025")


def test_share_decrease():
    c = change(pt("2024", 65), pt("2025", 56), "percent")
    assert c.absolute == -9 and c.direction == "down"


def test_comparison_uses_values_rounded_as_published():
    c = change(pt("2024", "37.4"), pt("2025", "38.6"), "percent", 0)
    assert (c.value_from, c.value_to) == (37, 39)
    assert c.absolute == 2  # matches "från 37 till 39 procent"
    assert c.absolute_exact == D("1.2")
    assert c.direction == "up"


def test_differences_that_vanish_on_rounding_are_unchanged():
    c = change(pt("2024", "38.6"), pt("2025", "39.4"), "percent", 0)
    assert c.direction == "unchanged"
    assert c.absolute == 0 and c.absolute_exact == D("0.8")
    # with one decimal they differ
    assert change(pt("2024", "38.6"), pt("2025", "39.4"), "percent", 1).direction == "up"


def test_rounding_is_half_up():
    # 2.45 → 2.5 (half up); banker's rounding would give 2.4 and report an increase
    c = change(pt("2024", "2.45"), pt("2025", "2.5"), "mean_0_10", 1)
    assert c.direction == "unchanged"


def test_decimals_default_to_the_unit():
    c = change(pt("2023/2024", "5.84"), pt("2024/2025", "5.86"), "mean_0_10")
    assert c.decimals == 1 and c.absolute == D("0.1") and c.kind == "skalsteg"
    assert c.relative_percent is None
    r = change(pt("2024", "2.104"), pt("2025", "2.296"), "rate_per_100k")
    assert r.decimals == 2 and r.absolute == D("0.20")


def test_count_change_has_relative_percent():
    c = change(pt("2024", 144), pt("2025", 121), "count")
    assert c.absolute == -23
    assert c.kind == "antal"
    assert c.relative_percent == D(-23) * 100 / D(144)
    assert round(c.relative_percent) == -16
    assert c.direction == "down"


def test_rate_change_has_relative_percent():
    c = change(pt("2024", "2.00"), pt("2025", "2.50"), "rate_per_100k")
    assert c.relative_percent == 25
    assert c.kind == "per_100k"


def test_relative_percent_is_none_when_base_is_zero():
    c = change(pt("2024", 0), pt("2025", 5), "count")
    assert c.relative_percent is None
    assert c.absolute == 5 and c.direction == "up"


def test_index_has_no_relative_change():
    c = change(pt("2024", 60), pt("2025", 66), "index_0_100")
    assert c.relative_percent is None and c.kind == "indexenheter"


def test_change_requires_values():
    with pytest.raises(ValueError, match="2024"):
        change(pt("2024", None), pt("2025", 5), "count")
    with pytest.raises(ValueError, match="2025"):
        change(pt("2024", 5), pt("2025", None), "count")


def test_change_requires_chronological_order():
    with pytest.raises(ValueError, match="före"):
        change(pt("2025", 1), pt("2024", 2), "count")
    with pytest.raises(ValueError):
        change(pt("2025", 1), pt("2025", 2), "count")


def test_change_between_school_years():
    c = change(pt("2022/2023", "6.9"), pt("2024/2025", "6.9"), "mean_0_10")
    assert c.direction == "unchanged" and c.absolute == 0


def test_change_unknown_unit():
    with pytest.raises(ValueError, match="Okänd enhet"):
        change(pt("2024", 1), pt("2025", 2), "procent")
