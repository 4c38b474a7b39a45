from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.yamlschema import ConfigError
from lagesbild.surveys.loader import load_survey_file


class Command(BaseCommand):
    help = (
        "Läser in en enkät (YAML med 'survey:') eller ett sammansatt index (YAML med 'index:'). "
        "Fel anges med rad och fält; vid fel sparas ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="En eller flera YAML-filer.")

    def handle(self, *args, files: list[Path], **options):
        for path in files:
            try:
                loaded = load_survey_file(path)
            except ConfigError as exc:
                raise CommandError(f"Inget har sparats från {path.name}:\n{exc}") from None
            what = "Enkät" if loaded.kind == "survey" else "Index"
            verb = "inläst" if loaded.created else "uppdaterad"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{what} {verb}: {loaded.title} ({loaded.key}, {loaded.questions} frågor)"
                )
            )
