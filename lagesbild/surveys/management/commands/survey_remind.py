from django.core.management.base import BaseCommand, CommandError

from lagesbild.surveys.models import SurveyRound
from lagesbild.surveys.services import SurveyError, round_remind


class Command(BaseCommand):
    help = (
        "Skickar en påminnelse till varje mottagare i en öppen enkätomgång som inte har skickat "
        "in sitt svar: ett e-brev per person, med den personliga länken."
    )

    def add_arguments(self, parser):
        parser.add_argument("round", type=int, help="Omgångens id (visas på samordnarens sida).")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Webbplatsens adress för länkarna, t.ex. https://lagesbild.example.se "
            "(standard: inställningen LAGESBILD_BASE_URL).",
        )

    def handle(self, *args, round: int, base_url: str | None = None, **options):
        rnd = SurveyRound.objects.filter(pk=round).first()
        if rnd is None:
            raise CommandError(f"Ingen enkätomgång med id {round}.")
        try:
            sent = round_remind(round=rnd, base_url=base_url)
        except SurveyError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{sent} påminnelser skickade för '{rnd.title}'."))
