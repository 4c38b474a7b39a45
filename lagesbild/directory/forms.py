"""Forms: the public search (GET) and the entry form for organisation accounts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lagesbild.core.models import Area, AreaLevel
from lagesbild.directory import selectors
from lagesbild.directory.models import (
    OrganiserKind,
    PerpetratorGroup,
    Provision,
    SupportService,
    TargetGroup,
)
from lagesbild.directory.tabular import ServiceRow
from lagesbild.strategy.models import ViolenceType


class SearchForm(forms.Form):
    """GET parameters of /stod/: kommun, alder, kon, typ, roll (bookmarkable; see docs/api.md).

    The municipality is a text field with a list of names (a native datalist, searchable on a
    phone); it takes the SCB code or the name. The other choices are radio buttons.
    """

    kommun = forms.CharField(label=_("Kommun där personen bor"), required=False, max_length=60)
    alder = forms.IntegerField(label=_("Ålder (år)"), required=False, min_value=0, max_value=120)
    kon = forms.ChoiceField(label=_("Kön"), required=False, widget=forms.RadioSelect)
    typ = forms.ChoiceField(label=_("Typ av våld"), required=False, widget=forms.RadioSelect)
    roll = forms.ChoiceField(label=_("Personen"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args, municipalities, violence_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {m.code: m for m in municipalities}
        self.by_name = {m.name.casefold(): m for m in municipalities}
        self.violence_types = {v.key: v for v in violence_types}
        self.fields["kommun"].widget.attrs.update(
            {"list": "kommuner", "autocomplete": "off", "placeholder": _("Skriv eller välj")}
        )
        self.fields["alder"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["kon"].choices = [("", _("Ange inte"))] + list(selectors.SEX_CHOICES.items())
        self.fields["typ"].choices = [("", _("Alla typer"))] + [
            (v.key, str(v)) for v in violence_types
        ]
        self.fields["roll"].choices = [("", _("Båda"))] + list(selectors.ROLE_CHOICES.items())
        # "Ange inte", "Alla typer" and "Båda" are the checked radio buttons when not chosen.
        if self.is_bound:
            self.data = self.data.copy()
            for name in ("kon", "typ", "roll"):
                self.data.setdefault(name, "")
        else:
            self.initial.update({"kon": "", "typ": "", "roll": ""})

    def clean_kommun(self):
        text = (self.cleaned_data.get("kommun") or "").strip()
        if not text:
            return ""
        m = self.municipalities.get(text) or self.by_name.get(text.casefold())
        if m is None:
            raise forms.ValidationError(
                _("Kommunen finns inte i länet: %(v)s. Välj en kommun i listan."),
                params={"v": text},
            )
        return m.code

    def municipality_name(self) -> str:
        """The chosen municipality's name, for the field's value after a search."""
        code = (self.cleaned_data.get("kommun") if hasattr(self, "cleaned_data") else "") or ""
        m = self.municipalities.get(code)
        return m.name if m else (self.data.get("kommun", "") if self.is_bound else "")

    def search_kwargs(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("kommun"):
            return None
        return {
            "municipality": self.municipalities[data["kommun"]],
            "age": data.get("alder"),
            "sex": data.get("kon") or "",
            "violence_type": self.violence_types.get(data.get("typ") or ""),
            "role": data.get("roll") or "",
        }


class ServiceForm(forms.ModelForm):
    perpetrator_groups = forms.MultipleChoiceField(
        label=_("Målgrupper som utövar våld"),
        choices=PerpetratorGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Målgrupper"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen vald: alla."),
    )
    web = forms.URLField(label=_("webbplats"), required=False, assume_scheme="https")
    languages_text = forms.CharField(
        label=_("Språk"), required=False, help_text=_("Skilj med kommatecken.")
    )
    reason = forms.CharField(
        label=_("Skäl till ändringen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sparas i historiken."),
    )

    class Meta:
        model = SupportService
        fields = [
            "key",
            "name",
            "description",
            "organiser_kind",
            "organiser_name",
            "provision",
            "referral_only",
            "exposed_to",
            "perpetrator_of",
            "perpetrator_groups",
            "target_groups",
            "age_min",
            "age_max",
            "areas",
            "phone",
            "web",
            "email",
            "address",
            "opening_hours",
            "valid_from",
            "valid_to",
            "note",
        ]
        widgets = {
            "exposed_to": forms.CheckboxSelectMultiple,
            "perpetrator_of": forms.CheckboxSelectMultiple,
            "areas": forms.SelectMultiple(attrs={"size": 12}),
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organiser_kind"].choices = OrganiserKind.choices
        self.fields["provision"].choices = Provision.choices
        self.fields["exposed_to"].queryset = ViolenceType.objects.order_by("sort_order")
        self.fields["perpetrator_of"].queryset = ViolenceType.objects.order_by("sort_order")
        self.fields["areas"].queryset = Area.objects.filter(
            level__in=[
                AreaLevel.COUNTRY,
                AreaLevel.COUNTY,
                AreaLevel.MUNICIPALITY,
                AreaLevel.DISTRICT,
            ]
        ).order_by("code")
        if self.instance.pk:
            self.fields["key"].disabled = True
            self.initial["languages_text"] = ", ".join(self.instance.languages)

    def clean(self):
        data = super().clean()
        lo, hi = data.get("age_min"), data.get("age_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("age_max", _("Högsta ålder är lägre än lägsta ålder."))
        if not data.get("exposed_to") and not data.get("perpetrator_of"):
            self.add_error("exposed_to", _("Ange minst en våldstyp."))
        if data.get("perpetrator_of") and not data.get("perpetrator_groups"):
            self.add_error("perpetrator_groups", _("Ange vilken grupp som utövar våld."))
        if not selectors.is_register_keeper(self.user):
            m = selectors.membership_of(self.user)
            organisation = m.organisation if m else None
            if not selectors.own_service_areas_ok(
                organisation, data.get("provision", ""), data.get("areas") or []
            ):
                self.add_error(
                    "provision" if organisation is None or not organisation.area_id else "areas",
                    _(
                        "Egen regi kan bara gälla den egna kommunen och dess stadsdelar och "
                        "anges bara av kommunen själv eller samordnaren."
                    ),
                )
        return data

    def to_row(self, *, organisation) -> ServiceRow:
        d = self.cleaned_data
        return ServiceRow(
            line=0,
            key=self.instance.key if self.instance.pk else d["key"],
            name=d["name"],
            organiser_kind=d["organiser_kind"],
            organiser_name=d["organiser_name"],
            organisation=organisation,
            provision=d["provision"],
            referral_only=d["referral_only"],
            exposed_to=list(d["exposed_to"]),
            perpetrator_of=list(d["perpetrator_of"]),
            perpetrator_groups=list(d["perpetrator_groups"]),
            target_groups=list(d["target_groups"]),
            age_min=d["age_min"],
            age_max=d["age_max"],
            areas=list(d["areas"]),
            phone=d["phone"],
            web=d["web"],
            email=d["email"],
            address=d["address"],
            opening_hours=d["opening_hours"],
            languages=[s.strip() for s in d["languages_text"].split(",") if s.strip()],
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
            verified_on=self.instance.verified_on,
            verified_by="",
            description=d["description"],
            note=d["note"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fil (CSV eller XLSX)"))
    reason = forms.CharField(label=_("Skäl till ändringen"), max_length=500)
