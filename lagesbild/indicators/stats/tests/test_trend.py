from decimal import Decimal

import pytest

from lagesbild.indicators.stats import Point, trend

D = Decimal


def series(values, start=2019, school=False):
    pts = []
    for i, v in enumerate(values):
        y = start + i
        period = f"{y}/{y + 1}" if school else str(y)
        pts.append(Point(period, None if v is None else D(str(v))))
    return pts


def test_points_are_sorted_and_latest_previous_found():
    pts = series([56, 60, 65])
    t = trend(reversed(pts))
    assert [p.period for p in t.points] == ["2019", "2020", "2021"]
    assert t.latest.period == "2021" and t.previous.period == "2020"
    assert (t.first_period, t.last_period) == ("2019", "2021")


def test_min_and_max_with_periods():
    t = trend(series([60, 56, 65, 58]))
    assert (t.minimum.period, t.minimum.value) == ("2020", 56)
    assert (t.maximum.period, t.maximum.value) == ("2021", 65)


def test_min_max_ties_go_to_earliest_period():
    t = trend(series([60, 65, 56, 65, 56]))
    assert t.maximum.period == "2020"
    assert t.minimum.period == "2021"


def test_highest_since_start_is_strict():
    assert trend(series([56, 60, 65])).is_highest_since_start
    assert not trend(series([56, 65, 65])).is_highest_since_start  # equal, not higher
    assert not trend(series([56, 66, 65])).is_highest_since_start


def test_lowest_since_start_is_strict():
    assert trend(series([65, 60, 56])).is_lowest_since_start
    assert not trend(series([56, 60, 56])).is_lowest_since_start
    assert not trend(series([65, 60, 56])).is_highest_since_start


def test_highest_uses_published_rounding_when_decimals_given():
    pts = series(["64.6", "60", "65.4"])  # 65 vs 65 as published
    assert trend(pts).is_highest_since_start
    assert not trend(pts, decimals=0).is_highest_since_start


def test_single_point_is_neither_highest_nor_lowest():
    t = trend(series([39]))
    assert t.latest.value == 39 and t.previous is None
    assert not t.is_highest_since_start and not t.is_lowest_since_start


def test_empty_series():
    t = trend([])
    assert t.latest is None and t.previous is None and t.minimum is None
    assert t.missing_periods == () and t.first_period is None
    assert t.consecutive_worsening("up") == 0


def test_missing_periods_from_gaps_and_none_values():
    pts = [Point("2019", D(1)), Point("2021", None), Point("2023", D(2))]
    t = trend(pts)
    assert t.missing_periods == ("2020", "2021", "2022")
    assert [p.period for p in t.published] == ["2019", "2023"]
    assert t.previous.period == "2019"  # previous published, skipping the gap


def test_missing_periods_for_school_years():
    pts = [Point("2019/2020", D(1)), Point("2022/2023", D(2))]
    assert trend(pts).missing_periods == ("2020/2021", "2021/2022")


def test_trailing_none_is_missing():
    t = trend(series([1, 2, None]))
    assert t.missing_periods == ("2021",)
    assert t.latest.period == "2020"


def test_small_points_are_excluded_and_not_missing():
    pts = [
        Point("2019", D(40), denominator=D(200)),
        Point("2020", D(90), denominator=D(3)),
        Point("2021", None, flags={"too_few_cases"}),
        Point("2022", D(45), denominator=D(150)),
    ]
    t = trend(pts, small_number_threshold=10)
    assert t.small_periods == ("2020", "2021")
    assert t.missing_periods == ()
    assert [p.period for p in t.published] == ["2019", "2022"]
    assert t.maximum.period == "2022"  # the 90 of 3 cases does not count
    assert trend(pts).small_periods == ("2021",)  # only the source flag without a threshold


def test_duplicate_period_raises():
    with pytest.raises(ValueError, match="två gånger"):
        trend([Point("2024", D(1)), Point("2024", D(2))])


def test_mixed_period_kinds_raise():
    with pytest.raises(ValueError, match="blandar"):
        trend([Point("2024", D(1)), Point("2024/2025", D(2))])


# --- consecutive_worsening ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "direction", "expected"),
    [
        ([5, 4, 3, 2], "up", 3),
        ([5, 4, 3, 2], "down", 0),
        ([1, 2, 3, 4], "down", 3),
        ([1, 2, 1, 0], "up", 2),
        ([3, 2, 2, 1], "up", 1),  # unchanged step ends the streak
        ([1, 2, 3, 2], "up", 1),
        ([1, 2, 3, 4], "up", 0),
        ([5, 4, 3, 2], "none", 0),
        ([5], "up", 0),
    ],
)
def test_consecutive_worsening(values, direction, expected):
    assert trend(series(values)).consecutive_worsening(direction) == expected


def test_consecutive_worsening_stops_at_gap():
    pts = [Point("2019", D(9)), Point("2020", D(8)), Point("2022", D(7)), Point("2023", D(6))]
    assert trend(pts).consecutive_worsening("up") == 1
    pts[2:2] = [Point("2021", None)]
    assert trend(pts).consecutive_worsening("up") == 1


def test_consecutive_worsening_stops_at_small_point():
    pts = series([9, 8, 7, 6])
    pts[1] = Point("2020", D(8), denominator=D(2))
    assert trend(pts, small_number_threshold=5).consecutive_worsening("up") == 1  # 2021→2022
    assert trend(pts).consecutive_worsening("up") == 3


def test_consecutive_worsening_uses_published_rounding():
    pts = series(["6.04", "6.01", "5.96"])  # 6.0, 6.0, 6.0 with one decimal
    assert trend(pts).consecutive_worsening("up") == 2
    assert trend(pts, decimals=1).consecutive_worsening("up") == 0


def test_consecutive_worsening_for_school_years():
    assert trend(series([7, 6, 5], school=True)).consecutive_worsening("up") == 2


def test_consecutive_worsening_rejects_unknown_direction():
    with pytest.raises(ValueError, match="riktning"):
        trend(series([1, 2])).consecutive_worsening("better")
