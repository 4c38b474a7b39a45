"""The set-based writer behaves exactly like ``observation_upsert`` (run on both databases)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from lagesbild.core.models import Area
from lagesbild.indicators.models import ImportKind, ImportRun, Observation
from lagesbild.indicators.services import ObservationInput, observation_upsert
from lagesbild.sources.pipeline import Importer, Options, Record, run

REASON = "Import från testkälla: fil.csv"

# (area, period, breakdown, value, status, published-before) of the state before the import
BEFORE = [
    ("01", "2023", {}, Decimal("10"), "", True),  # value changes: a revision
    ("01", "2024", {}, Decimal("5"), "", False),  # same value, now published: updated, no revision
    ("01", "2022", {}, None, "..", True),  # gets its first value: updated, not a revision
    ("0180", "2023", {"sex": "kvinnor"}, Decimal("1.5"), "", True),  # unchanged
    ("0180", "2022", {}, Decimal("3"), "", True),  # becomes missing: a revision
]
IMPORT = [
    ("01", "2023", {}, Decimal("12"), ""),
    ("01", "2024", {}, Decimal("5"), ""),
    ("01", "2022", {}, Decimal("7"), ""),
    ("0180", "2023", {"sex": "kvinnor"}, Decimal("1.50"), ""),
    ("0180", "2022", {}, None, ".."),
    ("0180", "2024", {"sex": "man"}, Decimal("0"), ""),  # new
]


class ListImporter(Importer):
    key = "test"
    source = "testkälla"

    def __init__(self, records):
        super().__init__(None, file_name="fil.csv")
        self._records = records

    def records(self, catalogue):
        yield from self._records


def _input(indicator, area, period, breakdown, value, status):
    return ObservationInput(
        indicator=indicator,
        area=Area.objects.get(code=area),
        period=period,
        breakdown=breakdown,
        value=value,
        status_symbol=status,
        missing_reason="Uppgift saknas eller är skyddad i källan (..)" if value is None else "",
    )


def _state(indicator):
    out = {}
    for o in Observation.objects.filter(indicator=indicator):
        hist = list(o.history.order_by("history_date", "history_id"))
        out[(o.area.code, o.period, o.breakdown_key)] = (
            o.value,
            o.revised,
            o.published,
            o.status_symbol,
            o.missing_reason,
            o.import_run.kind,
            [(h.history_type, h.value, h.history_change_reason) for h in hist],
        )
    return out


@pytest.fixture
def two(build):
    Area.objects.create(code="0180", name="Stockholm", level="municipality", parent=build.county)
    rows = build.indicator("T-ROWS", breakdowns=["sex"])
    bulk = build.indicator("T-BULK", breakdowns=["sex"])
    setup = ImportRun.objects.create(kind=ImportKind.DEMO, source="före")
    for ind in (rows, bulk):
        for area, period, breakdown, value, status, published in BEFORE:
            observation_upsert(
                data=_input(ind, area, period, breakdown, value, status),
                import_run=setup,
                reason="före",
                published=published,
            )
    return rows, bulk


def test_bulk_path_matches_observation_upsert(two, admin):
    rows_ind, bulk_ind = two
    run_rows = ImportRun.objects.create(kind=ImportKind.IMPORT, source="testkälla")
    outcome = Counter()
    for area, period, breakdown, value, status in IMPORT:
        _, result = observation_upsert(
            data=_input(rows_ind, area, period, breakdown, value, status),
            import_run=run_rows,
            user=admin,
            reason=REASON,
        )
        outcome[result] += 1
    summary = run(
        ListImporter(
            [
                Record(
                    indicator="T-BULK",
                    area=a,
                    period=p,
                    breakdown=b,
                    value=v,
                    status=s,
                    row=i + 2,
                )
                for i, (a, p, b, v, s) in enumerate(IMPORT)
            ]
        ),
        Options(user=admin, progress=False, reason=REASON),
    )
    assert (
        (summary.created, summary.updated, summary.unchanged)
        == (
            outcome["created"],
            outcome["updated"],
            outcome["unchanged"],
        )
        == (1, 4, 1)
    )
    rows_state, bulk_state = _state(rows_ind), _state(bulk_ind)
    assert rows_state == bulk_state
    assert bulk_state[("01", "2023", "")][:2] == (Decimal("12"), True)
    assert bulk_state[("01", "2024", "")][1:3] == (False, True)
    assert bulk_state[("01", "2022", "")][1] is False
    assert bulk_state[("0180", "2022", "")][:2] == (None, True)
    hist_user = {
        h.history_user
        for h in Observation.history.filter(indicator_id=bulk_ind.pk).exclude(
            history_change_reason="före"
        )
    }
    assert hist_user == {admin}
    changed = Observation.objects.filter(indicator=bulk_ind, import_run_id=summary.import_run_id)
    assert changed.count() == 5  # created + updated point at the new run; unchanged keep theirs


def test_resolve_fast_path_gives_the_checked_result_for_every_record():
    """The pipeline's fast path stages exactly what the checked path stages, and sends every
    record with a problem (or an explained missing value) to the checked path."""
    import itertools

    from lagesbild.indicators.models import Indicator
    from lagesbild.sources.pipeline import Catalogue, Record, _resolve, _resolve_checked

    catalogue = Catalogue.__new__(Catalogue)
    catalogue.indicators = {"S1": Indicator(pk=7, code="S1", breakdowns=["sex"])}
    catalogue.areas = {"0180": 3}
    catalogue._periods, catalogue._unknown = {}, {}
    big, small = Decimal("1e14"), Decimal("12.5")
    seen = 0
    for ind, area, period, breakdown, value, numerator, status, reason in itertools.product(
        ["S1", "X9"],
        ["0180", "9999"],
        ["2024", "2024/2025", "24"],
        [{}, {"sex": "kvinnor"}, {"ålder": "15-24"}],
        [small, None, -big, Decimal("-99999999999999.9")],
        [None, big, Decimal(3)],
        ["", "..", "x" * 17],
        ["", "Skyddad"],
    ):
        rec = Record(ind, area, period, breakdown, value, row=2, status=status)
        rec.numerator, rec.missing_reason = numerator, reason
        fast_problems, checked_problems = [], []
        fast = _resolve(rec, catalogue, "f.csv", fast_problems.append)
        checked = _resolve_checked(rec, catalogue, "f.csv", checked_problems.append)
        assert fast == checked
        assert [str(p) for p in fast_problems] == [str(p) for p in checked_problems]
        seen += fast is not None
    assert seen > 10
