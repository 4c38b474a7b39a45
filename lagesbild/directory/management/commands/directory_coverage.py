from datetime import date

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.numbers import format_percent
from lagesbild.directory.services import coverage_store


class Command(BaseCommand):
    help = (
        "Räknar ut andelen kommuner som erbjuder stöd (egen regi, avtalssamverkan, totalt) per "
        "våldstyp och målgrupp ur stödregistret per ett datum och sparar dem som observationer "
        "av täckningsindikatorn, med en ögonblicksbild av registret som källa."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="Registret per detta datum, ÅÅÅÅ-MM-DD.")
        parser.add_argument("--period", default=None, help="Period (standard: datumets år).")
        parser.add_argument("--indicator", default=None, help="Indikatorkod (standard: S4.3-typ).")

    def handle(self, *args, date: str, period, indicator, **options):
        try:
            on = _parse_date(date)
            result = coverage_store(on=on, period=period, indicator_code=indicator)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for cell in result.cells:
            n = cell.numerator
            share = format_percent(cell.share)
            self.stdout.write(
                f"{cell.violence_type:16} {cell.target:6} {cell.provision:16} "
                f"{n:>3} av {cell.denominator}  {share}"
            )
        c = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Ögonblicksbild {result.snapshot.pk} (SHA-256 {result.snapshot.sha256[:12]}…): "
                f"{c['created']} nya, {c['updated']} ändrade, {c['unchanged']} oförändrade "
                "observationer."
            )
        )


def _parse_date(text: str):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' är inget datum (skriv ÅÅÅÅ-MM-DD).") from None
