from pathlib import Path

from django.core.management.base import BaseCommand

from lagesbild.directory.selectors import register_all
from lagesbild.directory.tabular import rows_to_csv, rows_to_xlsx, service_to_row


class Command(BaseCommand):
    help = (
        "Skriver hela stödregistret (även avslutade och kommande verksamheter) till en CSV- "
        "eller XLSX-fil."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        rows = [service_to_row(s) for s in register_all()]
        data = rows_to_xlsx(rows) if file.suffix.lower() == ".xlsx" else rows_to_csv(rows)
        file.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} verksamheter skrivna till {file}."))
