import random
import re
from decimal import Decimal

import pytest

from lagesbild.indicators.stats import Point
from lagesbild.statusreport.narrative import Narrative, Revision, describe_series, join_list

D = Decimal
SHARE = "Andelen beviljade kontaktförbud"
COUNT = "Antalet stödsökande till Välj att sluta"
MEAN = "Medelvärdet för upplevd trygghet"


def series(values, start=2019, school=False, **kw):
    pts = []
    for i, v in enumerate(values):
        y = start + i
        period = f"{y}/{y + 1}" if school else str(y)
        pts.append(Point(period, None if v is None else D(str(v)), **kw))
    return pts


def share(values, **kw):
    kw.setdefault("subject", SHARE)
    kw.setdefault("unit", "percent")
    kw.setdefault("decimals", 0)
    return describe_series(points=series(values, start=kw.pop("start", 2019)), **kw)


def count(values, **kw):
    kw.setdefault("subject", COUNT)
    return describe_series(
        unit="count", decimals=0, points=series(values, start=kw.pop("start", 2019)), **kw
    )


# --- change latest vs previous ------------------------------------------------------------------


def test_increase_with_highest_since_start():
    n = share([35, 36, 34, 33, 36, 37, 39])
    assert n.sentences[0] == (
        "Andelen beviljade kontaktförbud ökade från 37 procent 2024 till 39 procent 2025, "
        "en ökning med 2 procentenheter, och är den högsta under perioden 2019–2025."
    )


def test_increase_without_record():
    n = share([45, 36, 34, 33, 36, 37, 39])
    assert n.sentences[0] == (
        "Andelen beviljade kontaktförbud ökade från 37 procent 2024 till 39 procent 2025, "
        "en ökning med 2 procentenheter."
    )


def test_decrease_share():
    n = share([38, 41, 39], start=2023)
    assert n.sentences[0] == (
        "Andelen beviljade kontaktförbud minskade från 41 procent 2024 till 39 procent 2025, "
        "en minskning med 2 procentenheter."
    )


def test_change_of_one_percentage_point_is_singular():
    n = share([40, 41], start=2024)
    assert n.sentences[0].endswith("en ökning med 1 procentenhet.")


def test_unchanged_uses_lag_kvar_pa():
    n = share([39, 39], start=2024)
    assert n.sentences[0] == (
        "Andelen beviljade kontaktförbud låg kvar på 39 procent 2025, samma nivå som 2024."
    )


def test_unchanged_when_equal_as_published():
    n = share(["38.6", "39.4"], start=2024)  # both 39 with 0 decimals
    assert "låg kvar på 39 procent 2025" in n.sentences[0]
    n1 = share(["38.6", "39.4"], start=2024, decimals=1)
    assert n1.sentences[0].startswith(
        "Andelen beviljade kontaktförbud ökade från 38,6 procent 2024 till 39,4 procent 2025, "
        "en ökning med 0,8 procentenheter"
    )


def test_change_amount_is_difference_of_published_values():
    n = share(["37.4", "38.6"], start=2024)
    assert "från 37 procent 2024 till 39 procent 2025, en ökning med 2 procentenheter" in n.text


def test_count_decrease_with_relative_change():
    n = count([144, 121], start=2024)
    assert n.sentences[0] == (
        "Antalet stödsökande till Välj att sluta minskade från 144 år 2024 till 121 år 2025, "
        "en minskning med 23 (16 procent)."
    )


def test_count_increase_uses_thousands_separator():
    n = count([1500, 1613], start=2024)
    assert n.sentences[0] == (
        "Antalet stödsökande till Välj att sluta ökade från 1 500 år 2024 till 1 613 år 2025, "
        "en ökning med 113 (8 procent)."
    )


def test_count_from_zero_has_no_relative_change():
    n = count([0, 5], start=2024)
    assert n.sentences[0].endswith("ökade från 0 år 2024 till 5 år 2025, en ökning med 5.")


def test_count_tiny_relative_change():
    n = count([1000, 1004], start=2024)
    assert n.sentences[0].endswith("en ökning med 4 (mindre än 1 procent).")


def test_count_unchanged_puts_ar_after_number():
    n = count([121, 121], start=2024)
    assert n.sentences[0] == (
        "Antalet stödsökande till Välj att sluta låg kvar på 121 år 2025, samma nivå som 2024."
    )


def test_mean_change_with_one_decimal_and_school_years():
    n = describe_series(
        subject=MEAN,
        unit="mean_0_10",
        decimals=1,
        points=series(["5.8", "5.9"], start=2023, school=True),
    )
    assert n.sentences[0] == (
        "Medelvärdet för upplevd trygghet ökade från 5,8 läsåret 2023/2024 till 5,9 läsåret "
        "2024/2025, en ökning med 0,1."
    )


def test_mean_unchanged_school_year():
    n = describe_series(
        subject=MEAN,
        unit="mean_0_10",
        decimals=1,
        points=series(["6.9", "6.9"], start=2023, school=True),
    )
    assert n.sentences[0] == (
        "Medelvärdet för upplevd trygghet låg kvar på 6,9 läsåret 2024/2025, "
        "samma nivå som 2023/2024."
    )


def test_rate_uses_unit_and_two_decimals():
    n = describe_series(
        subject="Antalet anmälda våldtäkter per 100 000 invånare",
        short_subject="antalet",
        unit="rate_per_100k",
        decimals=2,
        points=series(["2.10", "2.29"], start=2024),
    )
    assert n.sentences[0] == (
        "Antalet anmälda våldtäkter per 100 000 invånare ökade från 2,10 per 100 000 invånare "
        "2024 till 2,29 per 100 000 invånare 2025, en ökning med 0,19 per 100 000 invånare."
    )


def test_single_value_gives_level_sentence():
    n = share([39], start=2025)
    assert n.sentences == ["Andelen beviljade kontaktförbud var 39 procent 2025."]
    assert count([121], start=2025).sentences == [
        "Antalet stödsökande till Välj att sluta var 121 år 2025."
    ]


def test_values_from_database_decimal_fields_are_rounded():
    pts = [Point("2024", D("634.0000000000")), Point("2025", D("650.0000000000"))]
    n = describe_series(subject=COUNT, unit="count", decimals=0, points=pts)
    assert "från 634 år 2024 till 650 år 2025, en ökning med 16 (3 procent)" in n.text


def test_percent_with_one_decimal():
    n = share(["37.24", "39.0"], start=2024, decimals=1)
    assert n.sentences[0] == (
        "Andelen beviljade kontaktförbud ökade från 37,2 procent 2024 till 39,0 procent 2025, "
        "en ökning med 1,8 procentenheter."
    )


# --- highest / lowest ---------------------------------------------------------------------------


def test_highest_only_when_strict_max():
    assert "högsta" not in share([39, 30, 37, 39]).text  # equals 2019
    assert "högsta under perioden 2019–2022" in share([38, 30, 37, 39]).text


def test_lowest_since_start_agrees_with_gender():
    assert (
        share([40, 45, 42, 39])
        .sentences[0]
        .endswith(", och är den lägsta under perioden 2019–2022.")
    )
    assert (
        count([140, 150, 130, 121])
        .sentences[0]
        .endswith(", och är det lägsta under perioden 2019–2022.")
    )
    assert (
        count([100, 90, 120, 121])
        .sentences[0]
        .endswith(", och är det högsta under perioden 2019–2022.")
    )


def test_no_record_with_only_two_values():
    assert "under perioden" not in share([30, 39], start=2024).text


def test_record_since_first_published_period_not_first_point():
    pts = [Point("2019", None)] + series([30, 35, 39], start=2020)
    n = describe_series(subject=SHARE, unit="percent", decimals=0, points=pts)
    assert n.sentences[0].endswith("och är den högsta under perioden 2020–2022.")


def test_record_compares_rounded_values():
    assert "högsta" not in share(["38.6", "30", "39.4"]).text  # 39 = 39 as published


# --- range --------------------------------------------------------------------------------------


def test_range_over_period():
    n = share([56, 60, 65, 61, 58, 62, 64])
    assert "Under perioden 2019–2025 har andelen legat mellan 56 och 65 procent." in n.sentences


def test_range_for_counts_and_rates_and_school_years():
    assert (
        "Under perioden 2019–2021 har antalet legat mellan 1 200 och 1 613."
        in count([1613, 1200, 1400]).sentences
    )
    n = describe_series(
        subject=MEAN,
        unit="mean_0_10",
        decimals=1,
        points=series(["6.9", "6.5", "7.0"], start=2022, school=True),
    )
    assert (
        "Under perioden 2022/2023–2024/2025 har medelvärdet legat mellan 6,5 och 7,0."
        in n.sentences
    )


def test_flat_range():
    assert (
        "Under perioden 2019–2021 har andelen legat på 39 procent." in share([39, 39, 39]).sentences
    )


def test_no_range_with_fewer_than_three_values():
    assert not any(s.startswith("Under perioden") for s in share([39, 41], start=2024).sentences)


def test_range_uses_first_and_last_published_periods():
    pts = series([50, 60, 55, None])
    n = describe_series(subject=SHARE, unit="percent", decimals=0, points=pts)
    assert "Under perioden 2019–2021 har andelen legat mellan 50 och 60 procent." in n.sentences


# --- national median ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("median", "expected"),
    [
        ("40", "Andelen ligger 2025 under medianen i riket (40 procent)."),
        ("35", "Andelen ligger 2025 över medianen i riket (35 procent)."),
        ("39", "Andelen ligger 2025 i nivå med medianen i riket."),
        ("39.4", "Andelen ligger 2025 i nivå med medianen i riket."),  # equal as published
        ("39.5", "Andelen ligger 2025 under medianen i riket (40 procent)."),
    ],
)
def test_median_comparison(median, expected):
    n = share([37, 39], start=2024, median_points=[Point("2025", D(median))])
    assert expected in n.sentences


def test_median_only_for_latest_period():
    n = share([37, 39], start=2024, median_points=[Point("2024", D(50))])
    assert "medianen" not in n.text
    n = share([37, 39], start=2024, median_points=[Point("2025", None)])
    assert "medianen" not in n.text


def test_median_with_decimals_and_school_year():
    n = describe_series(
        subject=MEAN,
        unit="mean_0_10",
        decimals=1,
        points=series(["6.9", "7.0"], start=2023, school=True),
        median_points=[Point("2024/2025", D("6.54"))],
    )
    assert "Medelvärdet ligger 2024/2025 över medianen i riket (6,5)." in n.sentences


def test_duplicate_median_period_raises():
    with pytest.raises(ValueError, match="Medianen"):
        share([39], start=2025, median_points=[Point("2025", D(1)), Point("2025", D(2))])


# --- too few cases ------------------------------------------------------------------------------


def small_series():
    return [
        Point("2022", D(40), numerator=D(40), denominator=D(100)),
        Point("2023", D(45), numerator=D(45), denominator=D(100)),
        Point("2024", D(50), numerator=D(50), denominator=D(100)),
        Point("2025", D(75), numerator=D(3), denominator=D(4)),
    ]


def test_too_few_cases_sentence_replaces_percentage():
    n = describe_series(
        subject="Andelen handlagda brott som lett till lagföring",
        unit="percent",
        decimals=0,
        points=small_series(),
        small_number_threshold=10,
        denominator_noun="handlagda brott",
    )
    assert (
        "Antalet handlagda brott 2025 är för lågt för att andelen ska vara meningsfull."
        in n.sentences
    )
    assert "75" not in n.text  # no percentage for that period anywhere
    assert n.sentences[0].startswith(
        "Andelen handlagda brott som lett till lagföring ökade från 45 procent 2023 "
        "till 50 procent 2024"
    )
    assert "Under perioden 2022–2024" in n.text
    assert "inga uppgifter" not in n.text  # suppressed is not missing


def test_too_few_cases_default_wording_and_neuter_agreement():
    n = describe_series(
        subject=SHARE, unit="percent", decimals=0, points=small_series(), small_number_threshold=10
    )
    assert "Underlaget 2025 är för litet för att andelen ska vara meningsfull." in n.sentences
    pts = [Point("2024", D("6.9"), denominator=D(200)), Point("2025", D("7.1"), denominator=D(8))]
    n = describe_series(
        subject=MEAN, unit="mean_0_10", decimals=1, points=pts, small_number_threshold=30
    )
    assert "Underlaget 2025 är för litet för att medelvärdet ska vara meningsfullt." in n.sentences
    assert "7,1" not in n.text


def test_too_few_cases_from_source_flag_and_several_periods():
    pts = [
        Point("2023", None, flags={"too_few_cases"}),
        Point("2024", D(50), denominator=D(100)),
        Point("2025", None, flags={"too_few_cases"}),
    ]
    n = describe_series(
        subject=SHARE, unit="percent", decimals=0, points=pts, denominator_noun="ansökningar"
    )
    assert n.sentences == [
        "Andelen beviljade kontaktförbud var 50 procent 2024.",
        "Antalet ansökningar 2023 och 2025 är för lågt för att andelen ska vara meningsfull.",
    ]


def test_threshold_not_reached_shows_value():
    pts = [Point("2024", D(40), denominator=D(10)), Point("2025", D(50), denominator=D(10))]
    n = describe_series(
        subject=SHARE, unit="percent", decimals=0, points=pts, small_number_threshold=10
    )
    assert "för lågt" not in n.text and "för litet" not in n.text
    assert "50 procent 2025" in n.text


# --- revisions and flags ------------------------------------------------------------------------


def test_revision_footnote():
    n = count([600, 650], start=2024, revisions=[Revision("2024", D(634), D(650))])
    assert n.footnotes == ["Siffran för 2024 har reviderats från 634 till 650."]


def test_revision_with_reason_and_unit_and_order():
    n = share(
        [37, 39],
        start=2024,
        revisions=[
            Revision("2025", D(38), D(39), "rättad registrering i källsystemet"),
            Revision("2024", D(36), D(37)),
        ],
    )
    assert n.footnotes == [
        "Siffran för 2024 har reviderats från 36 till 37 procent.",
        "Siffran för 2025 har reviderats från 38 till 39 procent. "
        "Rättad registrering i källsystemet.",
    ]


def test_revision_shows_enough_decimals_to_differ():
    n = share([37, 39], start=2024, revisions=[Revision("2024", D("37.4"), D("37.2"))])
    assert n.footnotes == ["Siffran för 2024 har reviderats från 37,4 till 37,2 procent."]


def test_revised_and_provisional_flags_without_details():
    pts = [
        Point("2023", D(30), flags={"revised"}),
        Point("2024", D(31), flags={"revised"}),
        Point("2025", D(32), flags={"provisional"}),
    ]
    n = describe_series(subject=SHARE, unit="percent", decimals=0, points=pts)
    assert n.footnotes == [
        "Siffrorna för 2023 och 2024 har reviderats.",
        "Siffran för 2025 är preliminär.",
    ]


def test_revision_object_replaces_flag_note():
    pts = [Point("2024", D(650), flags={"revised"}), Point("2025", D(660), flags={"provisional"})]
    n = describe_series(
        subject=COUNT, unit="count", decimals=0, points=pts, revisions=[Revision("2024", 634, 650)]
    )
    assert n.footnotes == [
        "Siffran för 2024 har reviderats från 634 till 650.",
        "Siffran för 2025 är preliminär.",
    ]


def test_several_provisional():
    pts = series([30, 31], start=2024, flags={"provisional"})
    n = describe_series(subject=SHARE, unit="percent", decimals=0, points=pts)
    assert n.footnotes == ["Siffrorna för 2024 och 2025 är preliminära."]


# --- missing ------------------------------------------------------------------------------------


def test_missing_two_years():
    n = share([30, None, None, 35])
    assert n.sentences[-1] == "Det finns inga uppgifter för 2020 och 2021."


def test_missing_three_years_and_gap():
    pts = [Point("2018", D(30)), Point("2020", None), Point("2022", D(35))]
    n = describe_series(subject=SHARE, unit="percent", decimals=0, points=pts)
    assert n.sentences[-1] == "Det finns inga uppgifter för 2019, 2020 och 2021."


def test_missing_reason_footnote():
    pts = [
        Point("2019", D(30)),
        Point("2020", None, missing_reason="Undersökningen genomfördes inte"),
    ]
    pts.append(Point("2021", D(31)))
    n = describe_series(subject=SHARE, unit="percent", decimals=0, points=pts)
    assert "Det finns inga uppgifter för 2020." in n.sentences
    assert n.footnotes == ["2020: Undersökningen genomfördes inte."]


def test_no_points_at_all():
    assert describe_series(subject=SHARE, unit="percent", decimals=0, points=[]).sentences == [
        "Det finns inga uppgifter."
    ]


def test_only_missing_points():
    n = share([None, None, None])
    assert n.sentences == ["Det finns inga uppgifter för 2019, 2020 och 2021."]


def test_join_list():
    assert join_list([]) == ""
    assert join_list(["2020"]) == "2020"
    assert join_list(["2020", "2021"]) == "2020 och 2021"
    assert join_list(["2019", "2020", "2021"]) == "2019, 2020 och 2021"


# --- worsening streak ---------------------------------------------------------------------------


def test_worsening_streak_against_desired_increase():
    n = share([45, 42, 40, 39], direction="up")
    assert "Andelen har minskat tre år i rad, trots att målet är en ökning." in n.sentences


def test_worsening_streak_against_desired_decrease():
    n = count([100, 110, 121], direction="down")
    assert "Antalet har ökat två år i rad, trots att målet är en minskning." in n.sentences


def test_no_streak_sentence_for_one_step_improvement_or_no_direction():
    assert "i rad" not in share([40, 45, 39], direction="up").text
    assert "i rad" not in share([45, 42, 40, 39], direction="down").text
    assert "i rad" not in share([45, 42, 40, 39], direction="none").text


def test_streak_in_school_years():
    n = describe_series(
        subject=MEAN,
        unit="mean_0_10",
        decimals=1,
        points=series(["7.2", "7.0", "6.9"], start=2022, school=True),
    )
    assert "Medelvärdet har minskat två läsår i rad, trots att målet är en ökning." in n.sentences


def test_long_streak_in_digits():
    n = share(list(range(60, 46, -1)), start=2010)
    assert "Andelen har minskat 13 år i rad, trots att målet är en ökning." in n.sentences


# --- order, determinism, validation -------------------------------------------------------------


def test_sentence_order():
    pts = [Point("2018", D(60)), Point("2019", D(62))] + series([None, 58, 55, 50], start=2020)
    n = describe_series(
        subject=SHARE,
        unit="percent",
        decimals=0,
        points=pts,
        median_points=[Point("2023", D(52))],
    )
    assert n.sentences == [
        "Andelen beviljade kontaktförbud minskade från 55 procent 2022 till 50 procent 2023, "
        "en minskning med 5 procentenheter, och är den lägsta under perioden 2018–2023.",
        "Andelen har minskat två år i rad, trots att målet är en ökning.",
        "Andelen ligger 2023 under medianen i riket (52 procent).",
        "Under perioden 2018–2023 har andelen legat mellan 50 och 62 procent.",
        "Det finns inga uppgifter för 2020.",
    ]
    assert n.text == " ".join(n.sentences)


def test_deterministic_and_independent_of_input_order():
    pts = series([56, None, 65, 61, 58, 62, 64], flags=frozenset())
    kwargs = dict(subject=SHARE, unit="percent", decimals=0, median_points=[Point("2025", D(60))])
    first = describe_series(points=pts, **kwargs)
    again = describe_series(points=list(pts), **kwargs)
    shuffled = list(pts)
    random.Random(7).shuffle(shuffled)
    assert first == again == describe_series(points=shuffled, **kwargs)
    assert isinstance(first, Narrative)


def test_short_subject_override():
    n = describe_series(
        subject="Våldsutsatta som fått stöd",
        short_subject="antalet",
        unit="count",
        decimals=0,
        points=series([1, 2, 3]),
    )
    assert "har antalet legat mellan 1 och 3" in n.text
    assert "det högsta under perioden 2019–2021" in n.text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"unit": "procent"},
        {"direction": "better"},
        {"decimals": -1},
        {"subject": "  "},
    ],
)
def test_invalid_arguments(kwargs):
    base = dict(subject=SHARE, unit="percent", decimals=0, points=series([1, 2]))
    base.update(kwargs)
    with pytest.raises(ValueError):
        describe_series(**base)


# --- a share never changes "in procent" ---------------------------------------------------------

_NUM = r"[\d\u2212][\d ,]*"
_CHANGE_AMOUNT = re.compile(rf"en (?:ökning|minskning) med ({_NUM})([^,.]*)")


def test_share_changes_are_always_in_percentage_points():
    rng = random.Random(11)
    checked = 0
    for _ in range(400):
        decimals = rng.choice([0, 1])
        values = [
            None if rng.random() < 0.1 else D(rng.randint(0, 1000)).scaleb(-1)
            for _ in range(rng.randint(1, 9))
        ]
        pts = series(values, start=rng.choice([2010, 2016]), school=rng.random() < 0.3)
        median = [Point(pts[-1].period, D(rng.randint(0, 100)))]
        n = describe_series(
            subject=SHARE,
            unit="percent",
            decimals=decimals,
            points=pts,
            median_points=median,
            direction=rng.choice(["up", "down", "none"]),
        )
        for sentence in n.sentences + n.footnotes:
            for m in _CHANGE_AMOUNT.finditer(sentence):
                assert m.group(2).strip() in ("procentenhet", "procentenheter"), sentence
                checked += 1
            # a change never gets a relative "(N procent)" and never "med N procent"; the only
            # level in parentheses is the national median
            for m in re.finditer(rf"\({_NUM} procent\)", sentence):
                assert sentence[: m.start()].endswith("medianen i riket "), sentence
            assert not re.search(r"mindre än 1 procent", sentence), sentence
            assert not re.search(rf"med {_NUM} procent\b(?!enhet)", sentence), sentence
    assert checked > 150  # the scan really looked at change sentences


def test_the_scan_would_catch_a_relative_change():
    # the same regexes flag the count wording, so the test above can fail
    n = count([144, 121], start=2024)
    assert re.search(rf"\({_NUM} procent\)", n.sentences[0])
    m = _CHANGE_AMOUNT.search(n.sentences[0])
    assert m and m.group(2).strip() not in ("procentenhet", "procentenheter")


# --- one paragraph per indicator (docs/narrative.md, patterns A–F) -------------------------------

from lagesbild.statusreport.checks import sentences as _sentences  # noqa: E402
from lagesbild.statusreport.narrative import (  # noqa: E402
    Group,
    describe_distribution,
    describe_indicator,
)


def _pts(values, start=2019):
    return [Point(str(start + i), None if v is None else D(v)) for i, v in enumerate(values)]


def test_indicator_level_change_direction_and_extreme():
    n = describe_indicator(
        subject="andelen beviljade kontaktförbud",
        unit="percent",
        decimals=0,
        direction="up",
        points=_pts([25, 25, 25, 28, 31, 37, 39]),
    )
    assert n.sentences[0] == (
        "Andelen beviljade kontaktförbud ökade från 37 procent 2024 till 39 procent 2025, en "
        "ökning med 2 procentenheter i önskad riktning, och är den högsta under perioden "
        "2019–2025."
    )
    assert "sedan" not in n.text


def test_indicator_against_the_desired_direction():
    n = describe_indicator(
        subject="antalet stödsökande",
        unit="count",
        decimals=0,
        direction="up",
        points=_pts([144, 121], start=2024),
    )
    assert n.text == (
        "Antalet stödsökande minskade från 144 år 2024 till 121 år 2025, en minskning med 23 "
        "(16 procent) mot den önskade riktningen."
    )


def test_no_relative_change_on_a_small_base():
    n = describe_indicator(
        subject="antalet fall", unit="count", decimals=0, points=_pts([8, 18], start=2024)
    )
    assert "procent" not in n.text and "en ökning med 10." in n.text
    n = describe_indicator(
        subject="antalet fall",
        unit="count",
        decimals=0,
        points=_pts([8, 18], start=2024),
        small_base=5,
    )
    assert "(125 procent)" in n.text


def test_indicator_compares_two_groups():
    n = describe_indicator(
        subject="personuppklaringen",
        unit="percent",
        decimals=0,
        groups=[Group("kvinnor", _pts([31, 36], 2023)), Group("män", _pts([21, 25], 2023))],
    )
    assert (
        n.text == "För kvinnor var personuppklaringen högre än för män år 2024, 36 mot 25 procent."
    )


def test_equal_groups_agree_in_gender():
    utrum = describe_indicator(
        subject="andelen",
        unit="percent",
        decimals=0,
        groups=[Group("flickor", _pts([40], 2025)), Group("pojkar", _pts([40], 2025))],
    )
    assert utrum.text == "För flickor och pojkar var andelen densamma år 2025, 40 procent."
    neutrum = describe_indicator(
        subject="medelvärdet",
        unit="mean_0_10",
        decimals=1,
        groups=[
            Group("flickor", [Point("2024/2025", D("6.9"))]),
            Group("pojkar", [Point("2024/2025", D("6.9"))]),
        ],
    )
    assert neutrum.text == (
        "För flickor och pojkar var medelvärdet detsamma läsåret 2024/2025, 6,9."
    )


def test_indicator_spread_of_many_groups():
    n = describe_indicator(
        subject="personuppklaringen för våldtäkt",
        unit="percent",
        decimals=0,
        groups=[
            Group("under 15 år (flickor)", _pts([29], 2024)),
            Group("15–17 år (pojkar)", _pts([5], 2024)),
            Group("kvinnor", _pts([9], 2024)),
        ],
    )
    assert n.text == (
        "Personuppklaringen för våldtäkt var år 2024 högst för under 15 år (flickor), "
        "29 procent, och lägst för 15–17 år (pojkar), 5 procent."
    )


def test_without_a_total_the_comparison_has_the_subject():
    n = describe_indicator(
        subject="medelvärdet för elevernas förtroende",
        unit="mean_0_10",
        decimals=1,
        groups=[
            Group("år 2 på gymnasiet", [Point("2024/2025", D("6.9"))]),
            Group("åk 8 i grundskolan", [Point("2024/2025", D("5.9"))]),
        ],
    )
    assert n.text.startswith(
        "För år 2 på gymnasiet var medelvärdet för elevernas förtroende högre än för åk 8"
    )


def test_area_against_the_national_median():
    kw = dict(subject="andelen", unit="percent", decimals=0, area="Stockholms län")
    better = describe_indicator(
        direction="up", points=_pts([56], 2025), median_points=_pts([28], 2025), **kw
    )
    assert better.sentences[-1] == (
        "Stockholms län låg 2025 över medianen i riket (28 procent), alltså bättre än riket."
    )
    worse = describe_indicator(
        direction="up", points=_pts([20], 2025), median_points=_pts([28], 2025), **kw
    )
    assert worse.sentences[-1].endswith(
        "under medianen i riket (28 procent), alltså sämre än riket."
    )
    level = describe_indicator(points=_pts([40], 2025), median_points=_pts([40], 2025), **kw)
    assert (
        level.sentences[-1] == "Stockholms län låg 2025 i nivå med medianen i riket (40 procent)."
    )


def test_indicator_at_most_three_sentences():
    n = describe_indicator(
        subject="andelen",
        unit="percent",
        decimals=0,
        direction="up",
        area="Länet",
        points=_pts([60, 55, 50]),
        median_points=_pts([52], 2021),
        groups=[Group("flickor", _pts([40, 45, 50])), Group("pojkar", _pts([30, 35, 41]))],
    )
    assert len(n.sentences) == 3 == len(_sentences(n.text))


def test_indicator_without_data_has_a_subject():
    n = describe_indicator(subject="andelen med rutin", unit="percent", decimals=0, points=None)
    assert n.text == "Det finns inga uppgifter om andelen med rutin."


def test_missing_periods_go_to_a_footnote_not_a_sentence():
    n = describe_indicator(
        subject="andelen", unit="percent", decimals=0, points=_pts([30, None, 35])
    )
    assert "Det finns inga uppgifter för 2020." in n.footnotes
    assert "saknas" not in n.text


def test_distribution_of_many_areas():
    series = [
        Group(f"Kommun {i}", _pts([10 + i, 12 + i if i % 2 else 8 + i], 2024)) for i in range(3)
    ]
    n = describe_distribution(
        subject="andelen",
        unit="percent",
        decimals=0,
        direction="up",
        area_noun=("kommunerna", "kommuner"),
        series=series,
    )
    assert n.text == (
        "Andelen 2025 var i mitten 10 procent bland de 3 kommunerna och varierade mellan 8 och "
        "13 procent; 1 av 3 låg högre än 2024."
    )
