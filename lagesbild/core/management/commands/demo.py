from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.demo_digest import demo_digest, demo_is_current, demo_load_record
from lagesbild.core.yamlschema import ConfigError


class Command(BaseCommand):
    help = (
        "Läser in demodata: länets konfiguration och varje app:s demosteg "
        "(modulen <app>.demo, funktionen load). Kan köras flera gånger; hoppar över "
        "inläsningen när filerna och koden är oförändrade (--force läser in ändå)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="Mapp med länets filer (standard: LAGESBILD_CONFIG_DIR, data/stockholm).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Läs in även om filerna och koden är oförändrade sedan förra inläsningen.",
        )

    def handle(self, *args, dir: Path | None = None, force: bool = False, **options):
        directory = Path(dir or settings.LAGESBILD_CONFIG_DIR)
        digest = demo_digest(directory=directory)
        if not force and demo_is_current(digest=digest):
            self.stdout.write(
                "Demodata redan inläst och oförändrad (samma filer, kod och lösenordsinställning); "
                "hoppar över, demoanvändarnas lösenord är desamma som förut. "
                "Läs in ändå (och sätt nya lösenord): lagesbild demo --force."
            )
            return
        for app in apps.get_app_configs():
            if not app.name.startswith("lagesbild."):
                continue
            try:
                module = import_module(f"{app.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{app.name}.demo":
                    continue
                raise
            try:
                module.load(directory, self.stdout)
            except ConfigError as exc:
                raise CommandError(
                    f"Demosteget {app.label} avbröts, inget av det har sparats:\n{exc}"
                ) from None
        demo_load_record(digest=digest)
        self.stdout.write(self.style.SUCCESS("Demodata inläst."))
