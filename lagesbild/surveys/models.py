"""Surveys, rounds, respondents with personal links, responses and composite indices.

Workflow rules live in services.py (transition table, conditional updates); models hold data.
A survey's and an index's definition are stored as the validated YAML (JSON) they were loaded
from, with the file name and checksum, so a result can always be traced back to its definition.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagesbild.core.models import Organisation


class Survey(models.Model):
    key = models.SlugField(_("nyckel"), max_length=64, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    version = models.PositiveIntegerField(_("version"), default=1)
    definition = models.JSONField(_("definition"))
    file_name = models.CharField(_("filnamn"), max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    loaded_at = models.DateTimeField(_("inläst"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def spec(self):
        from .schema import SurveySpec

        return SurveySpec.model_validate(self.definition)


class CompositeIndex(models.Model):
    key = models.SlugField(_("nyckel"), max_length=64, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    survey = models.ForeignKey(
        Survey, verbose_name=_("enkät"), on_delete=models.PROTECT, related_name="indices"
    )
    definition = models.JSONField(_("definition"))
    file_name = models.CharField(_("filnamn"), max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    loaded_at = models.DateTimeField(_("inläst"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sammansatt index")
        verbose_name_plural = _("sammansatta index")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def spec(self):
        from .schema import IndexSpec

        return IndexSpec.model_validate(self.definition)


class RoundState(models.TextChoices):
    OPEN = "oppen", _("Öppen")
    CLOSED = "stangd", _("Stängd")


class SurveyRound(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("enkät"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("titel"), max_length=300)
    period = models.CharField(_("period"), max_length=16, help_text=_("Till exempel 2025."))
    area = models.ForeignKey(
        "core.Area",
        verbose_name=_("område (län)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Länet som omgången gäller; dess median visas på indikatorsidan."),
    )
    state = models.CharField(
        _("status"), max_length=16, choices=RoundState.choices, default=RoundState.OPEN
    )
    closes_on = models.DateField(_("sista svarsdag"), null=True, blank=True)
    synthetic = models.BooleanField(
        _("syntetiska data"),
        default=False,
        help_text=_("Svaren är påhittade testdata och märks så överallt där de visas."),
    )
    results_published = models.BooleanField(_("resultat publicerade"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stängd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enkätomgång")
        verbose_name_plural = _("enkätomgångar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN


class Respondent(models.Model):
    """One invitation: an organisation and/or an e-mail address with a personal link."""

    round = models.ForeignKey(
        SurveyRound,
        verbose_name=_("omgång"),
        on_delete=models.CASCADE,
        related_name="respondents",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    email = models.EmailField(_("e-post"), blank=True)
    group = models.CharField(
        _("grupp"), max_length=100, blank=True, help_text=_("Till exempel kommunstorlek.")
    )
    key = models.UUIDField(_("länknyckel"), default=uuid.uuid4, unique=True, editable=False)
    invited_at = models.DateTimeField(_("inbjuden"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("antal påminnelser"), default=0)
    last_reminded_at = models.DateTimeField(_("senaste påminnelse"), null=True, blank=True)

    class Meta:
        verbose_name = _("svarande")
        verbose_name_plural = _("svarande")
        ordering = ["round", "organisation__name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="respondent_one_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["round", "email"],
                condition=~models.Q(email=""),
                name="respondent_one_per_email",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation) if self.organisation_id else self.email

    @property
    def label(self) -> str:
        return str(self)


class ResponseState(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "inskickad", _("Inskickad")


class Response(models.Model):
    respondent = models.OneToOneField(
        Respondent, verbose_name=_("svarande"), on_delete=models.CASCADE, related_name="response"
    )
    state = models.CharField(
        _("status"), max_length=16, choices=ResponseState.choices, default=ResponseState.DRAFT
    )
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    synthetic = models.BooleanField(_("syntetiska svar"), default=False)
    saved_at = models.DateTimeField(_("sparad"), auto_now=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")

    def __str__(self) -> str:
        return f"{self.respondent} ({self.get_state_display()})"


class ResponseRevision(models.Model):
    """A change to an answer after the round was closed: who, when, why, before and after."""

    response = models.ForeignKey(
        Response, verbose_name=_("svar"), on_delete=models.CASCADE, related_name="revisions"
    )
    question = models.CharField(_("fråga"), max_length=64)
    old_value = models.JSONField(_("tidigare svar"), null=True, blank=True)
    new_value = models.JSONField(_("nytt svar"), null=True, blank=True)
    reason = models.TextField(_("skäl"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ändrad av"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("ändrad"), auto_now_add=True)

    class Meta:
        verbose_name = _("revidering av svar")
        verbose_name_plural = _("revideringar av svar")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.response} – {self.question} ({self.created_at:%Y-%m-%d})"
