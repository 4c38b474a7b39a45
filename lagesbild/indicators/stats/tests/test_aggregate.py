import random
import statistics
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from lagesbild.indicators.stats import aggregate_share, median, quartiles, share_from_counts

D = Decimal


def random_values(rng, n):
    return [D(rng.randint(-5000, 5000)).scaleb(-rng.randint(0, 3)) for _ in range(n)]


# --- share_from_counts --------------------------------------------------------------------------


def test_share_from_counts():
    assert share_from_counts(39, 100) == 39
    assert share_from_counts(0, 5) == 0
    assert share_from_counts(5, 5) == 100
    assert share_from_counts(D("1"), D("8")) == D("12.5")
    assert isinstance(share_from_counts(1, 2), Decimal)


def test_share_from_counts_is_exact_to_28_digits_regardless_of_caller_context():
    expected = D(100) / D(3)  # default context: 28 significant digits
    with localcontext() as ctx:
        ctx.prec = 3
        result = share_from_counts(1, 3)
    assert result == expected
    assert len(result.as_tuple().digits) == 28


@pytest.mark.parametrize(("num", "den"), [(1, 0), (0, 0), (1, -5), (-1, 5), (6, 5)])
def test_share_from_counts_rejects_invalid(num, den):
    with pytest.raises(ValueError):
        share_from_counts(num, den)


def test_share_from_counts_rejects_float():
    with pytest.raises(TypeError):
        share_from_counts(0.5, 1)


# --- aggregate_share ----------------------------------------------------------------------------


def test_aggregate_share_sums_counts_instead_of_averaging_percentages():
    parts = [(10, 10), (0, 90)]  # 100 % of 10 and 0 % of 90
    agg = aggregate_share(parts)
    assert agg.share == 10
    mean_of_shares = (share_from_counts(10, 10) + share_from_counts(0, 90)) / 2
    assert mean_of_shares == 50 and agg.share != mean_of_shares
    assert agg.numerator == 10 and agg.denominator == 100 and agg.parts == 2


def test_aggregate_share_matches_fraction_arithmetic():
    rng = random.Random(3)
    for _ in range(200):
        parts = []
        for _ in range(rng.randint(1, 12)):
            den = rng.randint(1, 5000)
            parts.append((rng.randint(0, den), den))
        agg = aggregate_share(parts)
        num, den = sum(p[0] for p in parts), sum(p[1] for p in parts)
        assert agg.denominator == den and agg.numerator == num
        assert abs(Fraction(agg.share) - Fraction(num * 100, den)) < Fraction(1, 10**20)


def test_aggregate_share_accepts_empty_part_and_generator():
    agg = aggregate_share((n, d) for n, d in [(0, 0), (3, 4)])
    assert agg.share == 75 and agg.parts == 2


def test_aggregate_share_rejects_missing_counts_naming_the_part():
    with pytest.raises(ValueError, match="Del 2"):
        aggregate_share([(1, 2), (None, 5)])
    with pytest.raises(ValueError, match="Del 1"):
        aggregate_share([(1, None)])


@pytest.mark.parametrize("parts", [[], [(0, 0)], [(0, 0), (0, 0)]])
def test_aggregate_share_rejects_zero_total(parts):
    with pytest.raises(ValueError):
        aggregate_share(parts)


def test_aggregate_share_rejects_invalid_part():
    with pytest.raises(ValueError, match="Del 1"):
        aggregate_share([(6, 5)])


# --- median -------------------------------------------------------------------------------------


def test_median_odd_and_even():
    assert median([D(3), D(1), D(2)]) == 2
    assert median([D(1), D(2)]) == D("1.5")
    assert median([D(4), D(1), D(3), D(2)]) == D("2.5")
    assert median([D("0.1"), D("0.2")]) == D("0.15")
    assert median([7]) == 7


def test_median_matches_statistics_on_fractions():
    rng = random.Random(4)
    for n in range(1, 40):
        xs = random_values(rng, n)
        assert Fraction(median(xs)) == statistics.median(Fraction(x) for x in xs)


def test_median_rejects_empty_and_none():
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError, match="None"):
        median([D(1), None])


# --- quartiles ----------------------------------------------------------------------------------


def test_quartiles_known_examples():
    assert tuple(quartiles([1, 2, 3, 4, 5])) == (2, 3, 4)
    assert tuple(quartiles([D(4), D(1), D(3), D(2)])) == (D("1.75"), D("2.5"), D("3.25"))
    q = quartiles([D(10), D(20)])
    assert (q.q1, q.median, q.q3) == (D("12.5"), D(15), D("17.5"))


def test_quartiles_are_inclusive_method_not_exclusive():
    data = [1, 2, 3, 4]
    inclusive = statistics.quantiles([Fraction(x) for x in data], n=4, method="inclusive")
    exclusive = statistics.quantiles([Fraction(x) for x in data], n=4, method="exclusive")
    assert inclusive != exclusive
    assert [Fraction(q) for q in quartiles(data)] == inclusive


def test_quartiles_match_statistics_inclusive_exactly():
    rng = random.Random(5)
    for n in range(2, 60):
        xs = random_values(rng, n)
        expected = statistics.quantiles([Fraction(x) for x in xs], n=4, method="inclusive")
        got = quartiles(xs)
        assert [Fraction(q) for q in got] == expected
        assert got.median == median(xs)
        assert got.q1 <= got.median <= got.q3


def test_quartiles_single_value():
    assert tuple(quartiles([D("6.9")])) == (D("6.9"),) * 3


def test_quartiles_rejects_empty_and_none():
    with pytest.raises(ValueError):
        quartiles([])
    with pytest.raises(ValueError):
        quartiles([D(1), None])
