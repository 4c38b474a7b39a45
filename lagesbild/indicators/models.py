"""Indicator catalogue, observations and their provenance.

An Observation is one published figure: a value with its unit (from the indicator), its area,
period and breakdown, its numerator/denominator where known, its flags, and where it came from
(an ImportRun). django-simple-history keeps every earlier value with who, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagesbild.core.models import Area, AreaLevel
from lagesbild.strategy.models import Goal, Measure, Strategy, ViolenceType, translated

VALUE_DIGITS = {"max_digits": 24, "decimal_places": 10}


class Unit(models.TextChoices):
    PERCENT = "percent", _("procent")
    COUNT = "count", _("antal")
    MEAN_0_10 = "mean_0_10", _("medelvärde, skala 0–10")
    RATE_PER_100K = "rate_per_100k", _("per 100 000 invånare")
    INDEX_0_100 = "index_0_100", _("index 0–100")


class Direction(models.TextChoices):
    UP = "up", _("högre är bättre")
    DOWN = "down", _("lägre är bättre")
    NONE = "none", _("ingen önskad riktning")


class IndicatorKind(models.TextChoices):
    STRATEGY = "strategy", _("strategiindikator")
    MEASURE = "measure", _("uppföljning av åtgärd")


class IndicatorStatus(models.TextChoices):
    ACTIVE = "active", _("aktiv")
    RETIRED = "retired", _("utgått")


class Indicator(models.Model):
    """The statistical definition of a series: code, unit, source, definition, one series of
    observations. Where it sits in a plan (goal, violence type, order, status, notes for the
    period) is an :class:`IndicatorMembership`; a changed definition is a new code that
    `replaces` the old one, so a series never changes meaning."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("kod"), max_length=64, unique=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("ersätter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text=_("Indikatorn med den tidigare definitionen som den här ersätter."),
    )
    name = models.TextField(_("namn"))
    name_en = models.TextField(_("namn (engelska)"), blank=True)
    # the subject of the report's sentences ("beviljade kontaktförbud"), never the definition
    short_name = models.CharField(_("kortnamn"), max_length=120, blank=True)
    short_name_en = models.CharField(_("kortnamn (engelska)"), max_length=120, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    definition_en = models.TextField(_("definition (engelska)"), blank=True)
    kind = models.CharField(_("typ"), max_length=16, choices=IndicatorKind.choices)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("åtgärder"), blank=True, related_name="indicators"
    )
    unit = models.CharField(_("enhet"), max_length=16, choices=Unit.choices)
    decimals = models.PositiveSmallIntegerField(_("decimaler"), default=0)
    direction = models.CharField(
        _("önskad riktning"), max_length=8, choices=Direction.choices, default=Direction.NONE
    )
    source = models.CharField(_("källa"), max_length=300)
    area_level = models.CharField(_("områdesnivå"), max_length=32, choices=AreaLevel.choices)
    breakdowns = models.JSONField(_("uppdelningar"), default=list, blank=True)
    small_number_threshold = models.PositiveIntegerField(
        _("gräns för få fall"),
        null=True,
        blank=True,
        help_text=_("Minsta nämnare för att en andel ska redovisas."),
    )
    report_ref = models.CharField(_("plats i lägesrapporten"), max_length=200, blank=True)
    source_codes = models.JSONField(
        _("källkoder"),
        default=dict,
        blank=True,
        help_text=_("Till exempel Kolada-KPI:er eller Brå-brottstyper som matar indikatorn."),
    )
    history = HistoricalRecords(m2m_fields=[measures])

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name[:70]}"

    @property
    def display_name(self) -> str:
        return translated(self, "name")

    @property
    def display_definition(self) -> str:
        return translated(self, "definition")

    @property
    def is_retired(self) -> bool:
        """Retired in the plan it is placed by (see `indicators.selectors.plan_indicators`)."""
        return getattr(self, "status", IndicatorStatus.ACTIVE) == IndicatorStatus.RETIRED


class NoteAudience(models.TextChoices):
    """Who may read an observation's note: everyone (report, public pages, downloads) or only
    the coordinators (how a figure was transcribed or interpreted)."""

    PUBLIC = "public", _("offentlig")
    INTERNAL = "internal", _("intern (samordnare)")


class IndicatorMembership(models.Model):
    """An indicator's place in one action plan: goal, violence type, order, status and the notes
    for that period. The same indicator can serve several plans, sit under another goal in
    another period, or under two goals of one plan (two rows)."""

    plan = models.ForeignKey(
        "strategy.ActionPlan",
        verbose_name=_("handlingsplan"),
        on_delete=models.CASCADE,
        related_name="indicator_memberships",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="memberships"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.PROTECT, related_name="indicator_memberships"
    )
    violence_type = models.ForeignKey(
        ViolenceType, verbose_name=_("våldstyp"), null=True, blank=True, on_delete=models.PROTECT
    )
    sort_order = models.PositiveIntegerField(_("ordning"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=IndicatorStatus.choices, default=IndicatorStatus.ACTIVE
    )
    retired_year = models.PositiveSmallIntegerField(_("utgick år"), null=True, blank=True)
    retired_reason = models.TextField(_("skäl till att indikatorn utgått"), blank=True)
    last_data_year = models.PositiveSmallIntegerField(
        _("senaste år med data"), null=True, blank=True
    )
    notes = models.TextField(_("anmärkningar för perioden"), blank=True)
    notes_audience = models.CharField(
        _("anmärkningarna är"),
        max_length=8,
        choices=NoteAudience.choices,
        default=NoteAudience.PUBLIC,
        db_default=NoteAudience.PUBLIC,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator i handlingsplan")
        verbose_name_plural = _("indikatorer i handlingsplaner")
        ordering = ["plan", "goal__number", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "goal"], name="membership_unique_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} i {self.plan_id} (mål {self.goal_id})"


class BreakdownLabel(models.Model):
    """The display label of a breakdown dimension (``value`` empty) or of one of its values, in
    Swedish and English, from the county's labels.yaml. The order of a dimension's values is
    the order of the file."""

    dimension = models.SlugField(_("uppdelning"), max_length=64)
    value = models.CharField(_("värde"), max_length=100, blank=True)
    label = models.CharField(_("etikett"), max_length=300)
    label_en = models.CharField(_("etikett (engelska)"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("etikett för uppdelning")
        verbose_name_plural = _("etiketter för uppdelningar")
        ordering = ["dimension", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "value"], name="breakdown_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}: {self.label}" if self.value else self.label


class ImportKind(models.TextChoices):
    DEMO = "demo", _("demodata")
    IMPORT = "import", _("import från källa")
    SUBMISSION = "submission", _("myndighetsrapportering")
    SURVEY = "survey", _("enkät")
    DIRECTORY = "directory", _("stödregister")
    MANUAL = "manual", _("manuell registrering")
    SYNTHETIC = "synthetic", _("syntetiska testdata")


class ImportRun(models.Model):
    """Where a set of observations came from: a file, an API call, a submission, a survey round."""

    kind = models.CharField(_("typ"), max_length=16, choices=ImportKind.choices)
    source = models.CharField(_("källa"), max_length=300)
    file_name = models.CharField(_("filnamn"), max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    url = models.URLField(_("adress"), max_length=1000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    started_at = models.DateTimeField(_("start"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    summary = models.JSONField(_("sammanfattning"), default=dict, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("importkörning")
        verbose_name_plural = _("importkörningar")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        label = self.file_name or self.url or self.source
        return f"{self.get_kind_display()}: {label} ({self.started_at:%Y-%m-%d %H:%M})"


class Qualifier(models.TextChoices):
    """How exact a value is: exact (empty), a lower bound ("minst 634") or approximate
    ("cirka 1 600"). A qualified value is shown with its word and is never the base of a
    computed change."""

    NONE = "", _("exakt")
    AT_LEAST = "at_least", _("minst")
    APPROXIMATELY = "approximately", _("cirka")


class Statistic(models.TextChoices):
    VALUE = "value", _("värde")
    MEDIAN = "median", _("medianen i riket")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("kalenderår")
    SCHOOL_YEAR = "school_year", _("läsår")


class Observation(models.Model):
    # Indexes are few on purpose: every index costs time on each imported row (docs/importers.md,
    # "Prestanda"). The indicator needs none of its own: it leads both observation_unique_cell
    # and the (indicator, published, area) index.
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="observations",
        db_index=False,
    )
    area = models.ForeignKey(Area, verbose_name=_("område"), on_delete=models.PROTECT)
    period = models.CharField(_("period"), max_length=16)
    period_kind = models.CharField(_("periodtyp"), max_length=16, choices=PeriodKind.choices)
    period_sort = models.PositiveIntegerField(_("periodens startår"), db_index=True)
    breakdown = models.JSONField(_("uppdelning"), default=dict, blank=True)
    breakdown_key = models.CharField(_("uppdelningsnyckel"), max_length=300, blank=True)
    statistic = models.CharField(
        _("mått"), max_length=16, choices=Statistic.choices, default=Statistic.VALUE
    )
    value = models.DecimalField(_("värde"), null=True, blank=True, **VALUE_DIGITS)
    qualifier = models.CharField(
        _("kvalificering"),
        max_length=16,
        choices=Qualifier.choices,
        blank=True,
        default=Qualifier.NONE,
        db_default=Qualifier.NONE,
    )
    numerator = models.DecimalField(_("täljare"), null=True, blank=True, **VALUE_DIGITS)
    denominator = models.DecimalField(_("nämnare"), null=True, blank=True, **VALUE_DIGITS)
    respondents = models.PositiveIntegerField(_("antal svarande"), null=True, blank=True)
    provisional = models.BooleanField(_("preliminär"), default=False)
    revised = models.BooleanField(_("reviderad"), default=False)
    too_few_cases = models.BooleanField(_("för få fall"), default=False)
    missing_reason = models.TextField(_("skäl till att värde saknas"), blank=True)
    status_symbol = models.CharField(_("statussymbol från källan"), max_length=16, blank=True)
    source_ref = models.CharField(_("källhänvisning"), max_length=300, blank=True)
    note = models.TextField(_("anmärkning"), blank=True)
    note_audience = models.CharField(
        _("anmärkningen är"),
        max_length=8,
        choices=NoteAudience.choices,
        default=NoteAudience.PUBLIC,
        db_default=NoteAudience.PUBLIC,
    )
    published = models.BooleanField(_("publicerad"), default=False)
    import_run = models.ForeignKey(
        ImportRun,
        verbose_name=_("importkörning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    # History is read per observation (id), per indicator (revision tables) and by date; the
    # other columns' indexes would only slow down the writing of one history row per import row.
    history = HistoricalRecords(no_db_index=["area", "import_run", "period_sort", "published"])

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observationer")
        ordering = ["indicator", "period_sort", "period", "breakdown_key", "statistic"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "breakdown_key", "statistic"],
                name="observation_unique_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False)
                | ~models.Q(missing_reason="")
                | ~models.Q(status_symbol=""),
                name="observation_missing_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "published", "area"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area.code} {self.period} {self.breakdown_key}"

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.value is None:
            flags.append("missing")
        if self.provisional:
            flags.append("provisional")
        if self.revised:
            flags.append("revised")
        if self.too_few_cases:
            flags.append("too_few_cases")
        return flags

    @property
    def qualifier_word(self) -> str:
        """ "minst"/"cirka" in the current language; "" for an exact value."""
        return str(Qualifier(self.qualifier).label) if self.qualifier else ""

    @property
    def public_note(self) -> str:
        """The note as the public may read it: empty when it is internal."""
        return self.note if self.note_audience == NoteAudience.PUBLIC else ""
