from django.core.management.base import BaseCommand, CommandError

from lagesbild.statusreport.edition_services import PublishError, edition_publish
from lagesbild.statusreport.selectors import report_years


class Command(BaseCommand):
    help = (
        "Publicerar lägesrapporten för ett år som en ny utgåva: bygger HTML, PDF, DOCX och XLSX "
        "och fryser dem. En andra utgåva får en lista över rättelser mot den förra."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Rapportåret, till exempel 2025.")
        parser.add_argument(
            "--plan", default="", help="Handlingsplanens nyckel (måste vara planen för året)."
        )

    def handle(self, *args, year: int, plan: str, **options):
        if year not in report_years():
            raise CommandError(
                f"Det finns ingen lägesrapport för {year} (ingen rapporteringsomgång)."
            )
        try:
            edition = edition_publish(year=year, plan_key=plan)
        except PublishError as exc:
            raise CommandError(str(exc)) from exc
        sizes = ", ".join(
            f"{fmt} {meta['size'] // 1024} kB"
            for fmt, meta in edition.files.items()
            if fmt in ("html", "pdf", "docx", "xlsx")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Lägesrapport {year}, utgåva {edition.number}, publicerad: {sizes}; "
                f"{edition.observations.count()} observationer, {len(edition.errata)} rättelser."
            )
        )
