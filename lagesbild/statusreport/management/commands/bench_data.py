"""`lagesbild bench-data --scale national`: synthetic history for benchmarks.

Adds, for every indicator with data, 20 years of made-up figures for each of the country's
counties (the same indicators and breakdowns as the real data), marked as synthetic: one
ImportRun of kind ``synthetic`` is their provenance. For the strategy's own county only years
before the report window are added, so no report changes – it only has more data to ignore.

Figures are written with django-simple-history's ``bulk_create_with_history`` instead of one
``observation_upsert`` per row: tens of thousands of rows would take minutes that way, and these
rows are always new cells (existing cells are skipped), so there is never a revision to record.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lagesbild.core.models import Area, AreaLevel
from lagesbild.core.numbers import round_half_up
from lagesbild.indicators.models import ImportKind, ImportRun, Observation, Statistic
from lagesbild.statusreport.selectors import report_strategy

SCALES = {"national": {"years": 20}}
BATCH = 2000


def _noise(*parts: object) -> Decimal:
    """A deterministic number in [0, 1) from the cell's coordinates."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**32)


class Command(BaseCommand):
    help = (
        "Lägger till syntetisk historik för prestandamätning: alla län × 20 år för samma "
        "indikatorer (märkt som syntetiska testdata)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)

    def handle(self, *args, scale: str, **options):
        strategy = report_strategy()
        if strategy is None:
            raise CommandError("Ingen strategi är inläst. Kör 'lagesbild demo' först.")
        counties = list(Area.objects.filter(level=AreaLevel.COUNTY).order_by("code"))
        if not counties:
            raise CommandError("Det finns inga län bland områdena (areas.csv).")
        years = SCALES[scale]["years"]
        created = self.generate(strategy, counties, years)
        self.stdout.write(
            self.style.SUCCESS(
                f"Syntetiska testdata: {created} nya observationer "
                f"({len(counties)} län × {years} år)."
            )
        )

    @transaction.atomic
    def generate(self, strategy, counties, years: int) -> int:
        real = list(
            Observation.objects.filter(
                indicator__strategy=strategy, statistic=Statistic.VALUE, published=True
            ).values("indicator_id", "breakdown_key", "breakdown", "period_kind", "value")
        )
        if not real:
            return 0
        last = max(
            Observation.objects.filter(indicator__strategy=strategy).values_list(
                "period_sort", flat=True
            )
        )
        first_shown = strategy.period_start - 1
        series: dict[tuple, dict] = {}
        levels: dict[tuple, list[Decimal]] = defaultdict(list)
        for r in real:
            key = (r["indicator_id"], r["breakdown_key"])
            series.setdefault(key, r)
            if r["value"] is not None:
                levels[key].append(Decimal(r["value"]))
        decimals = dict(
            strategy.indicators.values_list("pk", "decimals")
        )  # one query, not one per indicator
        existing = set(
            Observation.objects.filter(
                indicator__strategy=strategy, statistic=Statistic.VALUE, area__in=counties
            ).values_list("indicator_id", "area_id", "period", "breakdown_key")
        )
        run = ImportRun.objects.create(
            kind=ImportKind.SYNTHETIC,
            source="lagesbild bench-data (syntetiska testdata)",
            summary={"counties": len(counties), "years": years},
        )
        rows = []
        for (indicator_id, bkey), sample in series.items():
            base = sum(levels[(indicator_id, bkey)], Decimal(0)) / max(
                len(levels[(indicator_id, bkey)]), 1
            ) or Decimal(50)
            school = sample["period_kind"] == "school_year"
            for area in counties:
                for start in range(last - years + 1, last + 1):
                    if area.pk == strategy.area_id and start >= first_shown:
                        continue  # never touch what the real report shows
                    period = f"{start}/{start + 1}" if school else str(start)
                    if (indicator_id, area.pk, period, bkey) in existing:
                        continue
                    factor = Decimal("0.7") + Decimal("0.6") * _noise(
                        indicator_id, bkey, area.code, period
                    )
                    value = round_half_up(base * factor, decimals.get(indicator_id, 0))
                    rows.append(
                        Observation(
                            indicator_id=indicator_id,
                            area=area,
                            period=period,
                            period_kind=sample["period_kind"],
                            period_sort=start,
                            breakdown=sample["breakdown"],
                            breakdown_key=bkey,
                            statistic=Statistic.VALUE,
                            value=value,
                            published=True,
                            import_run=run,
                            note="Syntetiska testdata (lagesbild bench-data).",
                        )
                    )
        for i in range(0, len(rows), BATCH):
            bulk_create_with_history(
                rows[i : i + BATCH],
                Observation,
                batch_size=BATCH,
                default_change_reason="Syntetiska testdata (lagesbild bench-data)",
            )
        run.finished_at = timezone.now()
        run.summary = {**run.summary, "created": len(rows)}
        run.save(update_fields=["finished_at", "summary"])
        return len(rows)
