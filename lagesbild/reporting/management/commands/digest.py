from django.core.management.base import BaseCommand

from lagesbild.reporting.notifications import digest_send


class Command(BaseCommand):
    help = (
        "Skickar den dagliga sammanfattningen av rapporteringen till samordnare som har valt "
        "den (Mina e-postval). Högst en per person och dag; kör den från cron en gång om dagen."
    )

    def handle(self, *args, **options):
        n = digest_send()
        self.stdout.write(self.style.SUCCESS(f"{n} sammanfattningar skickade."))
