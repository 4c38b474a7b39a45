"""`lagesbild restore FILE`: a backup back into an empty database (see lagesbild.core.backup)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from lagesbild.core.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från `lagesbild backup` till en tom databas "
        "(DATABASE_URL, eller --database-url)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Säkerhetskopian.")
        parser.add_argument(
            "--database-url",
            default="",
            help="Databasen att återställa till (standard: den i DATABASE_URL/inställningarna).",
        )

    def handle(self, *args, file, database_url, **options):
        try:
            if database_url:
                summary = restore(target=Target.from_url(database_url), path=file)
            else:
                connection = connections["default"]
                target = Target.from_settings(connection.settings_dict)
                summary = restore(target=target, path=file, connection=connection)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(summary)
