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
