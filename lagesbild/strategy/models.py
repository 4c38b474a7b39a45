"""Strategy, goals, violence types, action plans and their measures.

All of it is configuration loaded from a county's YAML files (see docs/data-format.md); nothing
here names a county.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagesbild.core.models import Area, Organisation


def translated(obj, field: str) -> str:
    """The English text of a content field when the active language is English and one is given."""
    if (get_language() or "sv").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


class Strategy(models.Model):
    key = models.SlugField(_("nyckel"), max_length=64, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    period_start = models.PositiveSmallIntegerField(_("från år"))
    period_end = models.PositiveSmallIntegerField(_("till år"))
    owner = models.ForeignKey(Organisation, verbose_name=_("ägare"), on_delete=models.PROTECT)
    area = models.ForeignKey(Area, verbose_name=_("område"), on_delete=models.PROTECT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return self.title


class ViolenceType(models.Model):
    key = models.SlugField(_("nyckel"), max_length=32, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    name_en = models.CharField(_("namn (engelska)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("våldstyp")
        verbose_name_plural = _("våldstyper")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return translated(self, "name")


class Goal(models.Model):
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    short_name = models.CharField(_("kortnamn"), max_length=100)
    short_name_en = models.CharField(_("kortnamn (engelska)"), max_length=100, blank=True)
    formulation = models.TextField(_("målformulering"))
    formulation_en = models.TextField(_("målformulering (engelska)"), blank=True)
    conditions = models.JSONField(
        _("för att nå dit behöver följande vara på plats"), default=list, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="goal_unique_number")
        ]

    def __str__(self) -> str:
        return f"Mål {self.number}: {self.display_name}"

    @property
    def display_name(self) -> str:
        return translated(self, "short_name")

    @property
    def display_formulation(self) -> str:
        return translated(self, "formulation")


class ActionPlan(models.Model):
    key = models.SlugField(_("nyckel"), max_length=64, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.PROTECT, related_name="plans"
    )
    period_start = models.PositiveSmallIntegerField(_("från år"))
    period_end = models.PositiveSmallIntegerField(_("till år"))
    owner = models.ForeignKey(Organisation, verbose_name=_("ägare"), on_delete=models.PROTECT)
    series_first_year = models.PositiveSmallIntegerField(
        _("första år i rapportens tidsserier"),
        null=True,
        blank=True,
        help_text=_("Tomt: året före strategins startår."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return self.title


class DevelopmentArea(models.Model):
    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="development_areas",
        verbose_name=_("handlingsplan"),
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, verbose_name=_("mål"))
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("utvecklingsområde")
        verbose_name_plural = _("utvecklingsområden")
        ordering = ["plan", "goal__number", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("Årligen")
    END_OF_PLAN = "end_of_plan", _("Vid handlingsplanens slut")


class Measure(models.Model):
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("handlingsplan"),
        on_delete=models.CASCADE,
        related_name="measures",
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.PROTECT, related_name="measures"
    )
    code = models.CharField(_("nummer"), max_length=16)
    sort_key = models.PositiveIntegerField(_("sorteringsnyckel"), default=0, editable=False)
    text = models.TextField(_("åtgärd"))
    text_en = models.TextField(_("åtgärd (engelska)"), blank=True)
    responsible_text = models.CharField(_("ansvarig (planens formulering)"), max_length=300)
    responsible = models.ManyToManyField(
        Organisation, verbose_name=_("ansvariga organisationer"), related_name="measures"
    )
    follow_up = models.TextField(_("uppföljning/indikatorer"))
    frequency = models.CharField(_("frekvens"), max_length=16, choices=Frequency.choices)
    note = models.TextField(_("fotnot"), blank=True)
    history = HistoricalRecords(m2m_fields=[responsible])

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["plan", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="measure_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def display_text(self) -> str:
        return translated(self, "text")


def measure_sort_key(code: str) -> int:
    """'2.10' sorts after '2.9': goal * 1000 + number."""
    major, _sep, minor = code.partition(".")
    return int(major) * 1000 + int(minor or 0)
