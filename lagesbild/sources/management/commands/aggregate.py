"""``lagesbild aggregate INDIKATOR --period 2025``: county value and national median."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.numbers import format_number
from lagesbild.sources.aggregate import AggregateImporter
from lagesbild.sources.pipeline import ImportFailed, Options, run


class Command(BaseCommand):
    help = (
        "Beräknar länsvärdet ur kommunernas och stadsdelarnas svar (summa ja / summa svar) och "
        "rikets median över alla områden på samma nivå, och sparar dem med importkörning."
    )

    def add_arguments(self, parser):
        parser.add_argument("indicator", help="indikatorkod, t.ex. S3.1")
        parser.add_argument("--period", required=True, help="t.ex. 2025")
        parser.add_argument("--county", default="01", help="länets områdeskod (förval 01)")
        parser.add_argument(
            "--areas",
            help="kommaseparerade områdeskoder att räkna samman (förval: länets "
            "kommuner, med stadsdelarna i stället för kommunen där sådana svar finns)",
        )
        parser.add_argument(
            "--level", default="municipality", help="nivå för rikets median (förval municipality)"
        )
        parser.add_argument("--no-county", action="store_true", help="beräkna bara medianen")
        parser.add_argument("--no-median", action="store_true", help="beräkna bara länsvärdet")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        importer = AggregateImporter(
            indicator=o["indicator"],
            period=o["period"],
            county=None if o["no_county"] else o["county"],
            level=None if o["no_median"] else o["level"],
            areas=[a.strip() for a in o["areas"].split(",") if a.strip()] if o["areas"] else None,
        )
        try:
            summary = run(importer, Options(dry_run=o["dry_run"], progress=False))
        except ImportFailed as exc:
            if o["json"]:
                self.stdout.write(json.dumps(exc.summary.as_json(), ensure_ascii=False))
            else:
                for line in exc.summary.errors:
                    self.stderr.write(line)
            raise CommandError("Inget beräknades; ingenting har skrivits.") from None
        if o["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False, indent=1))
            return
        for c in summary.changes:
            self.stdout.write(
                f"{c.indicator} {c.area} {c.period} {c.breakdown_key or 'totalt'} ({c.statistic}): "
                f"{'ny' if c.action == 'created' or c.old is None else format_number(c.old.normalize())} → "
                f"{format_number(c.new.normalize(), 1)}"
            )
        self.stdout.write(
            f"{summary.created} nya, {summary.updated} ändrade, {summary.unchanged} oförändrade"
            + (" (provkörning, inget sparat)" if summary.dry_run else "")
        )
