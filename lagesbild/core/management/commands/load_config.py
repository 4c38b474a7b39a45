from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.yamlschema import ConfigError
from lagesbild.strategy.loader import config_load


class Command(BaseCommand):
    help = (
        "Läser in ett läns konfiguration (strategi, handlingsplaner, indikatorkataloger) från en "
        "mapp, eller en handlingsplan på egen hand. Med --dry-run visas bara vad som skulle "
        "ändras."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Mappen med YAML- och CSV-filerna.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa ändringarna per slag (nya, ändrade fält för fält, oförändrade, inte längre "
            "i filerna) utan att spara något.",
        )
        parser.add_argument(
            "--allow-shared-changes",
            action="store_true",
            help="Tillåt ändringar av indikatorer och organisationer som andra handlingsplaner "
            "använder.",
        )

    def handle(self, *args, directory: Path, **options):
        dry_run = options["dry_run"]
        try:
            changes = config_load(
                directory,
                dry_run=dry_run,
                allow_shared_changes=options["allow_shared_changes"],
            )
        except ConfigError as exc:
            raise CommandError("Inget har sparats. Fel i konfigurationen:\n" + str(exc)) from None
        self.stdout.write(changes.text())
        if dry_run:
            self.stdout.write(self.style.WARNING("Provkörning (--dry-run): inget har sparats."))
        elif changes.has_changes:
            self.stdout.write(self.style.SUCCESS("Ändringarna är sparade."))
        else:
            self.stdout.write(self.style.SUCCESS("Inget att ändra: databasen stämmer med filerna."))
