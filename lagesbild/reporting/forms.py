"""Forms of the reporting pages. Values are read with the same checks as the Excel upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lagesbild.indicators.labels import dimension_label, value_label
from lagesbild.reporting.models import ImplementationStatus, Submission
from lagesbild.reporting.services import ValueInput
from lagesbild.reporting.validation import ValueProblem, check_value
from lagesbild.strategy.models import ActionPlan, Frequency, Measure


def breakdown_label(breakdown: dict) -> str:
    if not breakdown:
        return str(_("Totalt"))
    return ", ".join(
        f"{dimension_label(k)}: {value_label(k, v)}" for k, v in sorted(breakdown.items())
    )


class SubmissionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    implementation_status = forms.ChoiceField(
        label=_("Genomförande"),
        choices=[("", _("– välj –")), *ImplementationStatus.choices],
        required=False,
    )
    narrative_source = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        # the report is Swedish: the text is Swedish under /en/ too (WCAG 3.1.2, and the
        # browser's spelling check picks Swedish)
        widget=forms.Textarea(attrs={"rows": 10, "lang": "sv"}),
        help_text=_(
            "Stycken åtskilda av en tomrad. Länkar skrivs som adresser (https://…) eller "
            "[text](https://…). Annan formatering tas bort."
        ),
    )

    def __init__(self, *args, submission: Submission, **kwargs):
        self.submission = submission
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("version", submission.version)
        initial.setdefault("implementation_status", submission.implementation_status)
        initial.setdefault("narrative_source", submission.narrative_source)
        super().__init__(*args, **kwargs)
        from lagesbild.reporting.selectors import last_year_values

        self.last_year = last_year_values(submission=submission)
        self.value_comments: dict[int, list] = {}
        for c in submission.comments.filter(value__isnull=False).select_related("author"):
            self.value_comments.setdefault(c.value_id, []).append(c)
        self.rows = []
        for v in submission.values.select_related("indicator", "area"):
            label = f"{v.indicator.code} {v.indicator.name} – {v.area.name}, {v.period}, {breakdown_label(v.breakdown)}"
            value_text = (
                "" if v.value is None else format(v.value.normalize(), "f").replace(".", ",")
            )
            self.fields[f"value_{v.pk}"] = forms.CharField(
                label=_("Värde"), required=False, initial=value_text
            )
            self.fields[f"reason_{v.pk}"] = forms.CharField(
                label=_("Skäl om värde saknas"), required=False, initial=v.missing_reason
            )
            self.fields[f"note_{v.pk}"] = forms.CharField(
                label=_("Anmärkning"), required=False, initial=v.note
            )
            self.rows.append((v, label))

    def bound_rows(self):
        from lagesbild.reporting.services import value_change_warning

        for v, label in self.rows:
            last = self.last_year.get(v.pk)
            try:
                typed = check_value(v.indicator.unit, self[f"value_{v.pk}"].value())
            except ValueProblem:
                typed = None
            yield {
                "value": v,
                "label": label,
                "unit": v.indicator.get_unit_display(),
                "last_year": last,
                "warning": value_change_warning(
                    value=typed, last=last.value if last else None, unit=v.indicator.unit
                ),
                "comments": self.value_comments.get(v.pk, []),
                "value_field": self[f"value_{v.pk}"],
                "reason_field": self[f"reason_{v.pk}"],
                "note_field": self[f"note_{v.pk}"],
            }

    def clean(self):
        data = super().clean()
        values = {}
        for v, _label in self.rows:
            raw = data.get(f"value_{v.pk}", "")
            reason = (data.get(f"reason_{v.pk}") or "").strip()
            try:
                value = check_value(v.indicator.unit, raw)
            except ValueProblem as exc:
                self.add_error(f"value_{v.pk}", str(exc))
                continue
            if value is not None and reason:
                self.add_error(
                    f"reason_{v.pk}",
                    _("Ange antingen ett värde eller ett skäl till att det saknas, inte båda."),
                )
                continue
            values[v.pk] = ValueInput(value, reason, (data.get(f"note_{v.pk}") or "").strip())
        data["values"] = values
        return data


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # the submission's version when the page was shown (optimistic locking)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Ifylld Excelfil (.xlsx, högst 5 MB)"))


class DirectoryUploadForm(forms.Form):
    """A changed register file for a support register submission (CSV or XLSX)."""

    MAX_BYTES = 5 * 1024 * 1024

    version = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Ändrad fil med era verksamheter (CSV eller XLSX, högst 5 MB)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Filen är större än 5 MB."))
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Ladda upp en CSV- eller XLSX-fil."))
        return f


class RoundOpenForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    plan = forms.ModelChoiceField(label=_("Handlingsplan"), queryset=ActionPlan.objects.all())
    opens_on = forms.DateField(label=_("Öppnar (ÅÅÅÅ-MM-DD)"))
    closes_on = forms.DateField(label=_("Sista dag (ÅÅÅÅ-MM-DD)"))
    include_end_of_plan = forms.ChoiceField(
        label=_("Åtgärder som följs upp vid planens slut"),
        choices=[
            ("auto", _("Enligt planen (bara planens sista år)")),
            ("yes", _("Ta med dem i år")),
            ("no", _("Ta inte med dem")),
        ],
        initial="auto",
        widget=forms.RadioSelect,
    )
    extra_measures = forms.ModelMultipleChoiceField(
        label=_("Enskilda åtgärder som följs upp vid planens slut men begärs i år"),
        queryset=Measure.objects.filter(frequency=Frequency.END_OF_PLAN),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    include_directory = forms.BooleanField(
        label=_("Be kommunerna se över stödregistret"),
        required=False,
        help_text=_(
            "Varje kommun som har verksamheter i stödregistret (Hänvisa utsatta rätt) eller ett "
            "konto får en inrapportering där den ser över och uppdaterar sina verksamheter."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("Sista dag kan inte vara före öppningsdagen."))
        return data


class ReminderScheduleForm(forms.Form):
    """When the round's reminders go out (a background task run at that time)."""

    day = forms.DateField(label=_("Skicka påminnelsen (ÅÅÅÅ-MM-DD)"))
    time = forms.TimeField(label=_("Klockan (TT:MM)"), initial="08:00")


class OverviewFilterForm(forms.Form):
    lage = forms.ChoiceField(
        label=_("Visa"),
        required=False,
        choices=[
            ("", _("Alla")),
            ("att-granska", _("Att granska")),
            ("forsenade", _("Försenade")),
            ("utkast", _("Utkast")),
            ("atersand", _("Återsända")),
            ("godkand", _("Godkända")),
        ],
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    mal = forms.TypedChoiceField(label=_("Mål"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        from lagesbild.core.models import Organisation
        from lagesbild.strategy.models import Goal

        orgs = Organisation.objects.filter(submissions__round=round).distinct().order_by("name")
        self.fields["organisation"].choices = [("", _("Alla")), *((o.pk, o.name) for o in orgs)]
        goals = Goal.objects.filter(measures__submissions__round=round).distinct()
        self.fields["mal"].choices = [
            ("", _("Alla")),
            *((g.pk, f"{g.number}. {g.display_name}") for g in goals.order_by("number")),
        ]


class NotificationSettingsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Språk i e-post"), choices=[("sv", "Svenska"), ("en", "English")]
    )

    def __init__(self, *args, prefs, **kwargs):
        from lagesbild.reporting.models import NotificationKind

        kwargs.setdefault("initial", {"language": prefs.language})
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[f"kind_{kind}"] = forms.BooleanField(
                label=label, required=False, initial=prefs.wants(kind)
            )

    def kinds(self) -> dict[str, bool]:
        from lagesbild.reporting.models import NotificationKind

        return {k: self.cleaned_data[f"kind_{k}"] for k in NotificationKind.values}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    first_name = forms.CharField(label=_("Förnamn"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), required=False, max_length=150)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Roll"))
    language = forms.ChoiceField(
        label=_("Språk i e-post"), choices=[("sv", "Svenska"), ("en", "English")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from lagesbild.core.models import Organisation, Role

        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["role"].choices = [
            (Role.REPORTER, Role.REPORTER.label),
            (Role.COORDINATOR, Role.COORDINATOR.label),
        ]


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Roll"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from lagesbild.core.models import Organisation, Role

        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["role"].choices = [
            (Role.REPORTER, Role.REPORTER.label),
            (Role.COORDINATOR, Role.COORDINATOR.label),
        ]
