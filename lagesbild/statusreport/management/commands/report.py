from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.statusreport.build import report_build
from lagesbild.statusreport.render import CHART_FORMATS, FORMATS, render_report


class Command(BaseCommand):
    help = "Bygger lägesrapporten för ett år ur godkända uppgifter (html, docx, pdf eller xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Rapportåret, till exempel 2025.")
        parser.add_argument("--format", choices=FORMATS, default="html", dest="fmt")
        parser.add_argument(
            "--out", type=Path, default=None, help="Fil att skriva (standard: lagesrapport-ÅR.fmt)."
        )

    def handle(self, *args, year: int, fmt: str, out: Path | None, **options):
        document = report_build(year=year, chart_formats=CHART_FORMATS[fmt])
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
