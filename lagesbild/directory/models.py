"""Support services register ("Hänvisa utsatta rätt") and its snapshots.

A SupportService is one place a person can turn to: who runs it, how the municipality provides it
(own service or an agreement), whom it helps (people exposed to a violence type, or people who use
violence), which ages and groups, which municipalities/districts it covers, how to reach it and
when it was last verified. History (django-simple-history) keeps every earlier version with who,
when and why. A RegisterSnapshot freezes the register as of a date; the coverage observations
point at it as their provenance.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagesbild.core.models import Area, Organisation
from lagesbild.strategy.models import ViolenceType


class OrganiserKind(models.TextChoices):
    MUNICIPALITY = "kommun", _("Kommun")
    REGION = "region", _("Region")
    STATE = "stat", _("Staten")
    CIVIL_SOCIETY = "civilsamhalle", _("Civilsamhället")
    COOPERATION = "kommunsamverkan", _("Samverkan mellan kommuner")


class Provision(models.TextChoices):
    OWN = "egen-regi", _("Egen regi")
    AGREEMENT = "avtalssamverkan", _("Avtalssamverkan")
    OTHER = "annan", _("Annan huvudman (inte kommunens stöd)")


class TargetGroup(models.TextChoices):
    WOMEN = "kvinnor", _("Kvinnor")
    MEN = "man", _("Män")
    GIRLS = "flickor", _("Flickor")
    BOYS = "pojkar", _("Pojkar")
    LGBTQI = "hbtqi", _("Hbtqi-personer")


class PerpetratorGroup(models.TextChoices):
    CLOSE = "narstaende", _("Riskerar att eller har utsatt närstående för våld")
    SEXUAL = "sexualbrott", _("Riskerar att eller har begått sexualbrott")
    BUYING_SEX = "sexkop", _("Köper eller riskerar att köpa sex")


class ReviewState(models.TextChoices):
    APPROVED = "godkand", _("Godkänd")
    PENDING = "granskas", _("Väntar på granskning")


class SupportService(models.Model):
    key = models.SlugField(_("nyckel"), max_length=100, unique=True)
    name = models.CharField(_("namn"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    organiser_kind = models.CharField(_("huvudman"), max_length=20, choices=OrganiserKind.choices)
    organiser_name = models.CharField(_("huvudmannens namn"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("ansvarig organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_services",
        help_text=_("Organisationskontot som håller uppgifterna aktuella."),
    )
    provision = models.CharField(_("regiform"), max_length=20, choices=Provision.choices)
    referral_only = models.BooleanField(
        _("endast hänvisning"),
        default=False,
        help_text=_(
            "Endast hänvisning till socialjour eller orosanmälan; räknas inte som stöd i "
            "indikatorn."
        ),
    )
    exposed_to = models.ManyToManyField(
        ViolenceType,
        verbose_name=_("stöd till utsatta för"),
        blank=True,
        related_name="support_for_exposed",
    )
    perpetrator_of = models.ManyToManyField(
        ViolenceType,
        verbose_name=_("stöd till den som utövar"),
        blank=True,
        related_name="support_for_perpetrators",
    )
    perpetrator_groups = models.JSONField(_("målgrupper som utövar våld"), default=list, blank=True)
    target_groups = models.JSONField(
        _("målgrupper"), default=list, blank=True, help_text=_("Tom lista: alla.")
    )
    age_min = models.PositiveSmallIntegerField(_("lägsta ålder"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("högsta ålder"), null=True, blank=True)
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("kommuner och stadsdelar som omfattas"),
        related_name="support_services",
        help_text=_("Kommuner, stadsdelar, länet eller riket."),
    )
    phone = models.CharField(_("telefon"), max_length=100, blank=True)
    web = models.URLField(_("webbplats"), max_length=500, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    address = models.CharField(_("adress"), max_length=300, blank=True)
    opening_hours = models.CharField(_("öppettider"), max_length=300, blank=True)
    languages = models.JSONField(_("språk"), default=list, blank=True)
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    verified_on = models.DateField(_("senast kontrollerad"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontrollerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_by_name = models.CharField(_("kontrollerad av (namn)"), max_length=200, blank=True)
    note = models.TextField(_("anmärkning"), blank=True)
    review_state = models.CharField(
        _("granskning"),
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.APPROVED,
        help_text=_(
            "En annan organisations post för ett område visas och räknas först när "
            "samordnaren har godkänt den."
        ),
    )
    history = HistoricalRecords(m2m_fields=[exposed_to, perpetrator_of, areas])

    class Meta:
        verbose_name = _("stödverksamhet")
        verbose_name_plural = _("stödverksamheter")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="supportservice_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def verifier(self) -> str:
        if self.verified_by_id:
            return self.verified_by.get_full_name() or self.verified_by.username
        return self.verified_by_name

    def get_target_groups_display(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(g, g)) for g in self.target_groups]

    def get_perpetrator_groups_display(self) -> list[str]:
        labels = dict(PerpetratorGroup.choices)
        return [str(labels.get(g, g)) for g in self.perpetrator_groups]

    @property
    def age_label(self) -> str:
        if self.age_min is None and self.age_max is None:
            return str(_("alla åldrar"))
        if self.age_max is None:
            return str(_("från %(min)s år")) % {"min": self.age_min}
        if self.age_min is None:
            return str(_("till och med %(max)s år")) % {"max": self.age_max}
        return f"{self.age_min}–{self.age_max} år"


class RegisterSnapshot(models.Model):
    """The register as of a date, frozen: the provenance of the coverage observations."""

    as_of = models.DateField(_("registret per"))
    period = models.CharField(_("period"), max_length=16)
    sha256 = models.CharField(_("innehållets SHA-256"), max_length=64)
    register = models.JSONField(_("registrets innehåll"), default=list)
    coverage = models.JSONField(_("täckning per kommun"), default=dict)
    service_count = models.PositiveIntegerField(_("antal verksamheter"))
    municipality_count = models.PositiveIntegerField(_("antal kommuner"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ögonblicksbild av stödregistret")
        verbose_name_plural = _("ögonblicksbilder av stödregistret")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Stödregistret per {self.as_of:%Y-%m-%d} ({self.sha256[:12]})"
