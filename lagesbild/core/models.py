"""Areas and organisations: the who and where of every figure."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AreaLevel(models.TextChoices):
    COUNTRY = "country", _("Riket")
    COUNTY = "county", _("Län")
    MUNICIPALITY = "municipality", _("Kommun")
    DISTRICT = "district", _("Stadsdel")
    POLICE_REGION = "police_region", _("Polisregion")
    PROSECUTION_AREA = "prosecution_area", _("Åklagarområde")


class Area(models.Model):
    code = models.CharField(_("kod"), max_length=32, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    level = models.CharField(_("nivå"), max_length=32, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ingår i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("giltig från"), null=True, blank=True)
    valid_to = models.DateField(_("giltig till"), null=True, blank=True)
    note = models.TextField(_("anmärkning"), blank=True)

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    STATE_AGENCY = "state_agency", _("Statlig myndighet")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Kommun")
    MUNICIPAL_ASSOCIATION = "municipal_association", _("Kommunförbund")
    MUNICIPALITIES_COLLECTIVE = "municipalities_collective", _("Länets kommuner")
    COOPERATION_PLATFORM = "cooperation_platform", _("Samverkansplattform")
    CIVIL_SOCIETY = "civil_society", _("Civilsamhälle")


class Organisation(models.Model):
    key = models.SlugField(_("nyckel"), max_length=64, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=100, blank=True)
    kind = models.CharField(_("typ"), max_length=32, choices=OrganisationKind.choices)
    aliases = models.JSONField(_("andra stavningar"), default=list, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("område"), null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Samordnare")
    REPORTER = "reporter", _("Rapportör")
    ADMIN = "admin", _("Administratör")


class Membership(models.Model):
    """A user's organisation and role. Anonymous visitors have none."""

    user = models.OneToOneField(
        "auth.User",
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class DemoLoad(models.Model):
    """The last demo load into this database: a content hash of its input files and the code.

    `lagesbild demo` skips the load when the hash is unchanged (a second `make run` starts at
    once); `lagesbild demo --force` loads anyway. See lagesbild/core/demo_digest.py.
    """

    digest = models.CharField(_("innehållshash"), max_length=64)
    loaded_at = models.DateTimeField(_("inläst"), auto_now=True)

    class Meta:
        verbose_name = _("demoinläsning")
        verbose_name_plural = _("demoinläsningar")

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.loaded_at:%Y-%m-%d %H:%M})"
