from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.statusreport.texts import ReportTextsError, report_texts_load


class Command(BaseCommand):
    help = (
        "Läser in rapporttexter och rapportuppgifter för ett år (förord, sammanfattningar, "
        "utvecklingsområden, titelsidans uppgifter) ur en YAML-fil. Allt eller inget."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle ändras.")

    def handle(self, *args, file: Path, year: int, dry_run: bool, **options):
        try:
            result = report_texts_load(path=file, year=year, dry_run=dry_run)
        except ReportTextsError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        for label in result.written:
            self.stdout.write(f"{'Skulle skriva' if dry_run else 'Skrev'}: {label}")
        self.stdout.write(f"Rapporttexter {year}: {result}.")
