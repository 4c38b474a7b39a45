"""`lagesbild backup FILE`: a consistent copy of the whole database (see lagesbild.core.backup)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from lagesbild.core.backup import BackupError, Target, backup


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar hela databasen till FILE (SQLite: online backup; PostgreSQL: pg_dump)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen att skriva (skrivs över).")

    def handle(self, *args, file, **options):
        connection = connections["default"]
        try:
            target = Target.from_settings(connection.settings_dict)
            summary = backup(target=target, path=file, connection=connection)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(summary)
