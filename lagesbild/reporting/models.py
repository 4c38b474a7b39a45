"""Agency reporting: rounds, submissions per (measure × organisation), their values and audit.

Workflow rules live in services.py (transition table, conditional updates); models hold data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagesbild.core.models import Area, Organisation
from lagesbild.indicators.models import VALUE_DIGITS, Indicator
from lagesbild.strategy.models import ActionPlan, Measure


class ReportingRound(models.Model):
    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    plan = models.ForeignKey(ActionPlan, verbose_name=_("handlingsplan"), on_delete=models.PROTECT)
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("stänger"))
    include_end_of_plan = models.BooleanField(
        _("ta med åtgärder som följs upp vid planens slut"),
        default=False,
        help_text=_("Sätts automatiskt för planens sista år; kan begäras av samordnaren."),
    )
    extra_measures = models.ManyToManyField(
        Measure,
        verbose_name=_("åtgärder som samordnaren begärt särskilt"),
        blank=True,
        related_name="+",
    )
    include_directory = models.BooleanField(
        _("be kommunerna se över stödregistret"),
        default=False,
        help_text=_(
            "En inrapportering av stödverksamheter (Hänvisa utsatta rätt) per kommun som har "
            "verksamheter i registret eller ett konto."
        ),
    )
    closed = models.BooleanField(_("stängd"), default=False)
    closed_at = models.DateTimeField(_("stängdes"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[extra_measures])

    class Meta:
        verbose_name = _("rapporteringsomgång")
        verbose_name_plural = _("rapporteringsomgångar")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Rapportering {self.year}"


class SubmissionState(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "inskickad", _("Inskickad")
    RETURNED = "atersand", _("Återsänd för komplettering")
    APPROVED = "godkand", _("Godkänd")


class ImplementationStatus(models.TextChoices):
    DONE = "genomford", _("Genomförd")
    ONGOING = "pagaende", _("Pågående")
    NOT_STARTED = "ej_paborjad", _("Ej påbörjad")
    NOTHING_TO_REPORT = "inget_att_rapportera", _("Inget att rapportera")
    DROPPED = "utgar", _("Utgår")


class SubmissionKind(models.TextChoices):
    MEASURE = "measure", _("Åtgärd i handlingsplanen")
    DIRECTORY = "directory", _("Stödverksamheter (Hänvisa utsatta rätt)")


class Submission(models.Model):
    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("omgång"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    kind = models.CharField(
        _("typ"), max_length=16, choices=SubmissionKind.choices, default=SubmissionKind.MEASURE
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("åtgärd"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    state = models.CharField(
        _("läge"),
        max_length=16,
        choices=SubmissionState.choices,
        default=SubmissionState.DRAFT,
        db_index=True,
    )
    implementation_status = models.CharField(
        _("genomförande"), max_length=24, choices=ImplementationStatus.choices, blank=True
    )
    narrative = models.TextField(_("beskrivning"), blank=True, help_text=_("Sanerad HTML."))
    narrative_source = models.TextField(
        _("beskrivning (text)"),
        blank=True,
        help_text=_("Det rapportören skrev: stycken åtskilda av tomrad, länkar som adresser."),
    )
    footnotes = models.JSONField(_("fotnoter"), default=list, blank=True)
    directory_rows = models.JSONField(
        _("stödregistrets rader"),
        default=list,
        blank=True,
        help_text=_(
            "Stödverksamheter: de kontrollerade raderna ur den uppladdade filen, "
            "[radnummer, {kolumn: text}]; registret ändras först när inrapporteringen godkänns."
        ),
    )
    directory_file_name = models.CharField(_("uppladdad fil"), max_length=255, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inrapportering")
        verbose_name_plural = _("inrapporteringar")
        ordering = ["round", "measure__sort_key", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "measure", "organisation"], name="submission_unique_per_round"
            ),
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=models.Q(kind="directory"),
                name="submission_directory_unique_per_round",
            ),
        ]
        # the public pages' version reads the approved submissions' count and newest change
        # (lagesbild.web.selectors.page_version) on every page view
        indexes = [models.Index(fields=["state", "updated_at"], name="submission_state_updated")]

    def __str__(self) -> str:
        what = self.measure.code if self.measure else self.get_kind_display()
        return f"{self.round.year} {what} – {self.organisation}"

    @property
    def is_directory(self) -> bool:
        return self.kind == SubmissionKind.DIRECTORY


class SubmissionValue(models.Model):
    """A figure reported for one of the measure's follow-up indicators."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("inrapportering"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indikator"), on_delete=models.PROTECT)
    area = models.ForeignKey(Area, verbose_name=_("område"), on_delete=models.PROTECT)
    period = models.CharField(_("period"), max_length=16)
    breakdown = models.JSONField(_("uppdelning"), default=dict, blank=True)
    breakdown_key = models.CharField(_("uppdelningsnyckel"), max_length=300, blank=True)
    value = models.DecimalField(_("värde"), null=True, blank=True, **VALUE_DIGITS)
    missing_reason = models.TextField(_("skäl till att värde saknas"), blank=True)
    note = models.TextField(_("anmärkning"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapporterat värde")
        verbose_name_plural = _("rapporterade värden")
        ordering = ["indicator__code", "period", "breakdown_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator", "area", "period", "breakdown_key"],
                name="submission_value_unique_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.value}"


class Transition(models.Model):
    """One move in a submission's workflow: who, when, from, to, and why."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("inrapportering"),
    )
    from_state = models.CharField(_("från"), max_length=16, choices=SubmissionState.choices)
    to_state = models.CharField(_("till"), max_length=16, choices=SubmissionState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("statusändring")
        verbose_name_plural = _("statusändringar")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission}: {self.from_state} → {self.to_state}"


class Comment(models.Model):
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("inrapportering"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("författare"), null=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("kommentar"))
    value = models.ForeignKey(
        "SubmissionValue",
        verbose_name=_("gäller värdet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class ReportingDelegate(models.Model):
    """Who reports for an organisation that has no reporter accounts of its own.

    'Länets kommuner' or a cooperation platform cannot log in; the county's configuration names
    the organisations that report for it (data/<county>/reporting.yaml). An organisation without
    a delegate and without members is reported by the action plan's owner (the coordinator's
    organisation). See docs/reporting.md.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="reporting_delegates",
    )
    delegate = models.ForeignKey(
        Organisation,
        verbose_name=_("rapporteras av"),
        on_delete=models.CASCADE,
        related_name="reports_for",
    )

    class Meta:
        verbose_name = _("rapporteringsombud")
        verbose_name_plural = _("rapporteringsombud")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "delegate"], name="reporting_delegate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ← {self.delegate}"


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("En inrapportering har skickats in (till samordnaren)")
    RETURNED = "returned", _("En inrapportering har återsänts för komplettering")
    APPROVED = "approved", _("En inrapportering har godkänts")
    REMINDER = "reminder", _("Påminnelse före sista dag")
    DIGEST = "digest", _("Daglig sammanfattning (till samordnaren)")


# Kinds a user gets unless they turn them off; the digest is asked for.
NOTIFICATIONS_ON_BY_DEFAULT = frozenset(
    {
        NotificationKind.SUBMITTED,
        NotificationKind.RETURNED,
        NotificationKind.APPROVED,
        NotificationKind.REMINDER,
    }
)
# Kinds sent at most once per person and day.
ONCE_A_DAY = frozenset({NotificationKind.REMINDER, NotificationKind.DIGEST})


class NotificationSettings(models.Model):
    """A user's choice of e-mails and the language they are written in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    language = models.CharField(
        _("språk i e-post"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    kinds = models.JSONField(
        _("valda utskick"),
        default=dict,
        blank=True,
        help_text=_("{typ: true/false}; en typ som saknas följer standardvalet."),
    )

    class Meta:
        verbose_name = _("e-postinställning")
        verbose_name_plural = _("e-postinställningar")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return bool(self.kinds.get(kind, kind in NOTIFICATIONS_ON_BY_DEFAULT))


class SentNotification(models.Model):
    """One e-mail sent to one person: what, when, and for reminders the day (once a day)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottagare"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("typ"), max_length=16, choices=NotificationKind.choices)
    day = models.DateField(_("dag"))
    subject = models.CharField(_("ämne"), max_length=300)
    sent_at = models.DateTimeField(_("skickat"), auto_now_add=True)

    class Meta:
        verbose_name = _("skickat e-brev")
        verbose_name_plural = _("skickade e-brev")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "day"],
                condition=models.Q(kind__in=["reminder", "digest"]),
                name="sent_notification_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} → {self.user}"


class PeopleEvent(models.Model):
    """A change to a person's account made on the people pages: who did what, when and why."""

    class Action(models.TextChoices):
        INVITED = "invited", _("Inbjuden")
        MEMBERSHIP_SET = "membership_set", _("Medlemskap satt")
        MEMBERSHIP_REMOVED = "membership_removed", _("Medlemskap borttaget")
        DEACTIVATED = "deactivated", _("Avaktiverad")
        REACTIVATED = "reactivated", _("Aktiverad igen")
        SETTINGS = "settings", _("E-postinställningar ändrade")

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="people_events",
    )
    action = models.CharField(_("händelse"), max_length=24, choices=Action.choices)
    detail = models.TextField(_("vad"), blank=True)

    class Meta:
        verbose_name = _("kontohändelse")
        verbose_name_plural = _("kontohändelser")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.user}: {self.get_action_display()}"
