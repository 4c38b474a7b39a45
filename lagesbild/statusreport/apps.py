from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatusreportConfig(AppConfig):
    name = "lagesbild.statusreport"
    label = "statusreport"
    verbose_name = _("Lägesrapport")
