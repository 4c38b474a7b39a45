import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lagesbild.reporting.reminders import reminders_due, reminders_send


class Command(BaseCommand):
    help = (
        "Skickar påminnelser om inrapporteringar som inte är inskickade, när omgången stänger "
        "inom N dagar. Högst ett e-brev per person och dag. E-post via EMAIL_* (standard: konsolen)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Dagar före sista dag (7).")
        parser.add_argument("--date", default=None, help="Dagens datum ÅÅÅÅ-MM-DD (för test).")
        parser.add_argument("--base-url", default="", help="Webbplatsens adress i länkarna.")
        parser.add_argument("--dry-run", action="store_true", help="Visa bara vilka som får brev.")

    def handle(self, *args, days, date, base_url, dry_run, **options):
        if days < 0:
            raise CommandError("--days kan inte vara negativt.")
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date {date!r} är inte ett datum ÅÅÅÅ-MM-DD.") from None
        if dry_run:
            for r in reminders_due(today=today, days=days):
                n = len(r.submissions)
                self.stdout.write(
                    f"{r.user.email}: {n} {'inrapportering' if n == 1 else 'inrapporteringar'}"
                )
            return
        n = reminders_send(today=today, days=days, base_url=base_url.rstrip("/"))
        self.stdout.write(self.style.SUCCESS(f"{n} påminnelser skickade."))
