from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.yamlschema import ConfigError
from lagesbild.strategy.loader import load_config


class Command(BaseCommand):
    help = "Läser in ett läns konfiguration (strategi, handlingsplan, indikatorer) från en mapp."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Mappen med YAML- och CSV-filerna.")

    def handle(self, *args, directory: Path, **options):
        try:
            counts = load_config(directory)
        except ConfigError as exc:
            raise CommandError("Inget har sparats. Fel i konfigurationen:\n" + str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS("Inläst: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        )
