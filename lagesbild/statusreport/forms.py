from django import forms
from django.utils.translation import gettext_lazy as _


class ParagraphForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("Ändra utkastet, eller töm fältet och skriv en egen text."),
    )


class ReportTextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
    )


class ErratumForm(forms.Form):
    """One line of an edition's errata: where, from what, to what; uncheck to leave it out."""

    keep = forms.BooleanField(label=_("Ta med"), required=False, initial=True)
    place = forms.CharField(label=_("Var"), required=False, max_length=500)
    before = forms.CharField(label=_("Från"), required=False, max_length=200)
    after = forms.CharField(label=_("Till"), required=False, max_length=200)
    note = forms.CharField(label=_("Kommentar"), required=False, max_length=1000)

    def clean(self):
        data = super().clean()
        if data.get("keep") and data.get("place") and not (data.get("before") or data.get("after")):
            raise forms.ValidationError(_("Ange vad uppgiften var och vad den är nu."))
        return data


class BaseErratumFormSet(forms.BaseFormSet):
    def errata(self) -> list[dict[str, str]]:
        out = []
        for form in self.forms:
            data = form.cleaned_data
            if data.get("keep") and data.get("place", "").strip():
                out.append(
                    {
                        k: data.get(k, "").strip() or ("–" if k in ("before", "after") else "")
                        for k in ("place", "before", "after", "note")
                    }
                )
        return out


ErratumFormSet = forms.formset_factory(ErratumForm, formset=BaseErratumFormSet, extra=1)
