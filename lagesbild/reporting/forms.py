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
        widget=forms.Textarea(attrs={"rows": 10}),
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
        for v, label in self.rows:
            yield {
                "value": v,
                "label": label,
                "unit": v.indicator.get_unit_display(),
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
