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


# --- builds and published editions --------------------------------------------------------------


class BuildState(models.TextChoices):
    QUEUED = "queued", _("i kö")
    RUNNING = "running", _("bygger")
    DONE = "done", _("klar")
    FAILED = "failed", _("misslyckades")


class ReportBuild(models.Model):
    """One background build of a year's report: a draft for the coordinator, or a publication.

    The task (``statusreport.tasks.report_build_run``) fills in the progress (``step`` of
    ``steps``: one step per file format), the files it stored (format → storage name, file name,
    media type, size, SHA-256), the document model as JSON and the data version it was built
    from. A publication build ends by creating a :class:`ReportEdition`.
    """

    year = models.PositiveSmallIntegerField(_("år"))
    plan_key = models.CharField(_("handlingsplan"), max_length=64, blank=True)
    publish = models.BooleanField(_("publicering"), default=False)
    state = models.CharField(
        _("läge"), max_length=8, choices=BuildState.choices, default=BuildState.QUEUED
    )
    step = models.PositiveSmallIntegerField(_("steg"), default=0)
    steps = models.PositiveSmallIntegerField(_("antal steg"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beställd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("startade"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)
    version = models.CharField(_("dataversion"), max_length=1000, blank=True)
    confirmed_version = models.CharField(
        _("granskad dataversion"),
        max_length=1000,
        blank=True,
        help_text=_("För en publicering: dataversionen i utkastet som samordnaren granskade."),
    )
    errata = models.JSONField(
        _("rättelser"),
        null=True,
        blank=True,
        help_text=_("För en publicering: listan som samordnaren godkände; tom = tas fram ur data."),
    )
    files = models.JSONField(_("filer"), default=dict, blank=True)
    document = models.JSONField(_("dokumentmodell"), null=True, blank=True)
    observation_versions = models.JSONField(_("observationsversioner"), default=list, blank=True)

    class Meta:
        verbose_name = _("rapportbygge")
        verbose_name_plural = _("rapportbyggen")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["year", "publish", "state"], name="reportbuild_year_state")]

    def __str__(self) -> str:
        kind = "publicering" if self.publish else "utkast"
        return f"{self.year} {kind} #{self.pk} ({self.get_state_display()})"

    @property
    def running(self) -> bool:
        return self.state in (BuildState.QUEUED, BuildState.RUNNING)


class ReportEdition(models.Model):
    """A published edition of one year's report. It never changes: a correction is a new edition.

    Holds the document model (JSON, without chart images), the stored files (format → storage
    name, file name, media type, size, SHA-256), who published it and when, the data version,
    the errata against the previous edition, and (in :class:`EditionObservation`) the versions
    of the observations it shows.
    """

    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveSmallIntegerField(_("utgåva"))
    plan_key = models.CharField(_("handlingsplan"), max_length=64, blank=True)
    published_at = models.DateTimeField(_("publicerad"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.JSONField(_("dokumentmodell"))
    files = models.JSONField(_("filer"))
    errata = models.JSONField(_("rättelser"), default=list, blank=True)
    version = models.CharField(_("dataversion"), max_length=1000, blank=True)
    build = models.OneToOneField(
        ReportBuild,
        verbose_name=_("bygge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edition",
    )
    # never changed: its one history row (creation) dates the edition for cache versions
    history = HistoricalRecords(excluded_fields=["document", "files", "errata", "version"])

    class Meta:
        verbose_name = _("utgåva av lägesrapporten")
        verbose_name_plural = _("utgåvor av lägesrapporten")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="reportedition_unique")
        ]

    def __str__(self) -> str:
        return f"Lägesrapport {self.year}, utgåva {self.number}"


class EditionObservation(models.Model):
    """One observation as an edition shows it: the history row (its version) at publication."""

    edition = models.ForeignKey(
        ReportEdition, on_delete=models.CASCADE, related_name="observations"
    )
    indicator_id = models.IntegerField(_("indikator"))
    observation_id = models.IntegerField(_("observation"))
    history_id = models.IntegerField(_("historikrad"))

    class Meta:
        verbose_name = _("observation i en utgåva")
        verbose_name_plural = _("observationer i en utgåva")
        indexes = [models.Index(fields=["edition", "indicator_id"], name="editionobs_indicator")]
        constraints = [
            models.UniqueConstraint(fields=["edition", "observation_id"], name="editionobs_unique")
        ]

    def __str__(self) -> str:
        return f"{self.edition}: observation {self.observation_id} (historik {self.history_id})"


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
