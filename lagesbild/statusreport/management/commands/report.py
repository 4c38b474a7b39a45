from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.render import CHART_FORMATS, FORMATS, render_report
from lagesbild.statusreport.selectors import PlanError, report_data


class Command(BaseCommand):
    help = "Bygger lägesrapporten för ett år ur godkända uppgifter (html, docx, pdf eller xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Rapportåret, till exempel 2025.")
        parser.add_argument("--format", choices=FORMATS, default="html", dest="fmt")
        parser.add_argument(
            "--out", type=Path, default=None, help="Fil att skriva (standard: lagesrapport-ÅR.fmt)."
        )
        parser.add_argument(
            "--plan",
            default=None,
            metavar="NYCKEL",
            help="Handlingsplanen rapporten följer, när flera gäller året.",
        )
        parser.add_argument(
            "--first-year",
            type=int,
            default=None,
            help="Första år i tidsserierna (standard: planens inställning, annars året före "
            "strategins start).",
        )

    def handle(self, *args, year: int, fmt: str, out: Path | None, **options):
        try:
            data = report_data(
                year=year, plan_key=options.get("plan"), first_year=options.get("first_year")
            )
        except PlanError as exc:
            raise CommandError(str(exc)) from None
        document = (
            report_build(year=year, chart_formats=CHART_FORMATS[fmt], data=data) if data else None
        )
        if document is None:
            raise CommandError(
                "Ingen strategi är inläst. Kör 'lagesbild demo' eller 'lagesbild load-config'."
            )
        filename, _mimetype, content = render_report(document, fmt)
        path = out or Path(filename)
        if path.parent and not path.parent.exists():
            raise CommandError(f"Mappen {path.parent} finns inte.")
        path.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(
                f"Lägesrapport {year} ({fmt}) skriven till {path}: {len(document.tables())} tabeller, "
                f"{len(document.charts())} diagram, {len(content) // 1024} kB."
            )
        )
