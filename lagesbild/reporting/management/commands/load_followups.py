from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.yamlschema import ConfigError
from lagesbild.reporting.followups import followups_load


class Command(BaseCommand):
    help = (
        "Läser in ett års uppföljningstexter (followups-ÅR.yaml) som godkända inrapporteringar "
        "till en handlingsplans åtgärder, till exempel när ett län flyttar in sin historik."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Filen, till exempel followups-2019.yaml.")
        parser.add_argument(
            "--plan",
            default=None,
            metavar="NYCKEL",
            help="Handlingsplanen vars åtgärder texterna följer upp (standard: filens plan:, "
            "annars planen som gäller året).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle läsas in, spara inget."
        )

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"Inget har sparats: filen {file} finns inte.")
        try:
            result = followups_load(path=file, plan_key=options["plan"], dry_run=options["dry_run"])
        except ConfigError as exc:
            raise CommandError("Inget har sparats. Fel i filen:\n" + str(exc)) from None
        self.stdout.write(result.text())
        if not result.applied:
            self.stdout.write(self.style.WARNING("Provkörning (--dry-run): inget har sparats."))
