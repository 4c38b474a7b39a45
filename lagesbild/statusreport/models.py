"""Texts the coordinator writes for one year's report, and edits of generated paragraphs.

The report itself is never stored: it is rebuilt from data each time. What people write is
stored here, per year, and attached to the report by stable keys, so it survives regeneration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TextKind(models.TextChoices):
    FOREWORD = "forord", _("Förord")
    SUMMARY = "sammanfattning", _("Sammanfattning för ett mål")
    DEVELOPMENT_AREAS = "utvecklingsomraden", _("Utvecklingsområden för ett mål")
    OVERALL_SUMMARY = "sammanfattning-hela", _("Sammanfattning av hela rapporten")


class ReportText(models.Model):
    """The foreword, or a goal's summary or development areas, for one year's report."""

    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("typ"), max_length=24, choices=TextKind.choices)
    goal_number = models.PositiveSmallIntegerField(
        _("mål"), default=0, help_text=_("0 för texter som gäller hela rapporten.")
    )
    text = models.TextField(
        _("text"), help_text=_("Stycken skiljs åt med en tom rad; punktlistor en rad per punkt.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapporttext")
        verbose_name_plural = _("rapporttexter")
        ordering = ["year", "kind", "goal_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "goal_number"], name="reporttext_unique"
            )
        ]

    def __str__(self) -> str:
        goal = f" mål {self.goal_number}" if self.goal_number else ""
        return f"{self.year} {self.get_kind_display()}{goal}"

    @property
    def key(self) -> str:
        return text_key(self.kind, self.goal_number)


def text_key(kind: str, goal_number: int = 0) -> str:
    return f"{kind}:{goal_number}" if goal_number else kind


class OverrideAction(models.TextChoices):
    ACCEPTED = "accepted", _("Utkastet godkänt")
    EDITED = "edited", _("Utkastet redigerat")
    REPLACED = "replaced", _("Utkastet ersatt")


class ParagraphOverride(models.Model):
    """The coordinator's decision on one drafted paragraph of one year's report.

    ``key`` is the paragraph's stable key (``ind:S6.1:`` …). ``draft`` keeps the generated text
    the decision was made on, so a later change in the data can be pointed out.
    """

    year = models.PositiveSmallIntegerField(_("år"))
    key = models.CharField(_("styckenyckel"), max_length=300)
    action = models.CharField(_("beslut"), max_length=16, choices=OverrideAction.choices)
    text = models.TextField(_("text"))
    draft = models.TextField(_("utkastet som beslutet gällde"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("redigerat stycke")
        verbose_name_plural = _("redigerade stycken")
        ordering = ["year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["year", "key"], name="paragraphoverride_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.key} ({self.get_action_display()})"


class ReportMetadata(models.Model):
    """What the title page and colophon of one year's report say about the publication."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    title = models.CharField(_("titel"), max_length=300, blank=True)
    publisher = models.CharField(_("utgivare"), max_length=200, blank=True)
    report_number = models.CharField(_("rapportnummer"), max_length=40, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=40, blank=True)
    published_year = models.PositiveSmallIntegerField(_("utgivningsår"), null=True, blank=True)
    contact = models.CharField(_("kontakt"), max_length=300, blank=True)
    cover_credit = models.CharField(_("omslagsbild"), max_length=200, blank=True)
    # the per-municipality support appendix prints the register as it is; only a register the
    # coordinator has declared publishable may be printed (the demo register is invented)
    register_appendix = models.BooleanField(_("bilaga med stöd per kommun"), default=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapportuppgifter")
        verbose_name_plural = _("rapportuppgifter")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} {self.report_number}".strip()
