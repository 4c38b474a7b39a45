from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.directory.services import register_import_file
from lagesbild.directory.tabular import RegisterImportError


class Command(BaseCommand):
    help = "Läser in stödregistret från en CSV- eller XLSX-fil. Ett fel: inget sparas."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--reason", default="", help="Skäl till ändringen (historiken).")

    def handle(self, *args, file: Path, reason: str, **options):
        if not file.exists():
            raise CommandError(f"Filen {file} finns inte.")
        try:
            result = register_import_file(path=file, reason=reason)
        except RegisterImportError as exc:
            raise CommandError(f"Inget har sparats:\n{exc}") from None
        self.stdout.write(self.style.SUCCESS(f"Stödregister: {result}."))
