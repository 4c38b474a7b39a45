"""Display labels and order for breakdown dimensions and their values.

The county's configuration (labels.yaml → :class:`BreakdownLabel`, Swedish and English) decides;
the generic defaults below are used for what it does not name, and a slug nobody names is shown
as it is. Labels are cached (Django cache) and the cache is dropped when labels.yaml is loaded.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DIMENSIONS = {
    "sex": _("Kön"),
    "age": _("Ålder"),
    "school_year": _("Årskurs"),
    "school_form": _("Skolform"),
    "question": _("Fråga"),
    "relation": _("Relation"),
    "target": _("Målgrupp"),
    "provision": _("Regi"),
    "stage": _("Skede"),
    "violence_type": _("Våldstyp"),
    "decision": _("Beslut"),
    "summary": _("Sammanfattande mått"),
    "data": _("Data"),
}

VALUES: dict[str, dict[str, object]] = {
    "sex": {
        "totalt": _("Totalt"),
        "kvinnor": _("Kvinnor"),
        "man": _("Män"),
        "flickor": _("Flickor"),
        "pojkar": _("Pojkar"),
    },
    "age": {"under-15": _("Under 15 år"), "15-17": _("15–17 år"), "18+": _("18 år eller äldre")},
    "school_year": {
        "gy2": _("År 2 på gymnasiet"),
        "ak8": _("Åk 8 i grundskolan"),
        "ak5": _("Åk 5 i grundskolan"),
    },
    "school_form": {"gymnasiet": _("Gymnasiet"), "grundskolan": _("Grundskolan")},
    "question": {
        "totalt": _("Totalt"),
        "framja-jamstalldhet": _(
            "I vilken utsträckning arbetar skolan för att främja jämställdhet i undervisningen?"
        ),
        "samma-mojligheter": _(
            "Tycker du att ni lärare ger alla elever samma möjligheter oavsett om de är flickor, "
            "pojkar eller har annan könsidentitet?"
        ),
    },
    "relation": {
        "parrelation": _("Närstående genom parrelation"),
        "familj": _("Närstående inom familj eller släkt"),
    },
    "target": {"barn": _("Barn"), "vuxna": _("Vuxna")},
    "provision": {
        "egen-regi": _("Egen regi"),
        "avtalssamverkan": _("Avtalssamverkan"),
        "totalt": _("Totalt"),
    },
    "stage": {
        "fullfoljda": _("Fullföljda"),
        "paborjade": _("Påbörjade"),
        "pagaende": _("Pågående"),
    },
    "decision": {
        "lagforingsbeslut": _("Lagföringsbeslut"),
        "lagforda-personer": _("Lagförda personer"),
    },
    "summary": {
        "median": _("Median bland kommunerna"),
        "medelvarde": _("Medelvärde bland kommunerna"),
        "q1": _("Första kvartilen bland kommunerna"),
        "q3": _("Tredje kvartilen bland kommunerna"),
    },
    "data": {"syntetiska": _("Syntetiska testdata")},
}


CACHE_KEY = "breakdown-labels"


def configured_labels() -> dict[tuple[str, str], tuple[str, str, int]]:
    """(dimension, value) → (Swedish, English, order) from the configuration, cached."""
    from django.core.cache import cache

    from lagesbild.indicators.models import BreakdownLabel

    labels = cache.get(CACHE_KEY)
    if labels is None:
        labels = {
            (b.dimension, b.value): (b.label, b.label_en, b.sort_order)
            for b in BreakdownLabel.objects.all()
        }
        cache.set(CACHE_KEY, labels, None)
    return labels


def labels_changed() -> None:
    from django.core.cache import cache

    cache.delete(CACHE_KEY)


def configured_label(dim: str, value: str) -> str | None:
    """The configured label of a dimension (``value`` "") or value in the current language
    (English falls back to Swedish), or None when labels.yaml does not name it."""
    return _configured(dim, value)


def _configured(dim: str, value: str) -> str | None:
    found = configured_labels().get((dim, value))
    if found is None:
        return None
    english = (get_language() or "sv").startswith("en")
    return found[1] if english and found[1] else found[0]


def dimension_label(dim: str) -> str:
    configured = _configured(dim, "")
    return configured if configured is not None else str(DIMENSIONS.get(dim, dim))


def value_label(dim: str, value: str) -> str:
    configured = _configured(dim, value)
    if configured is not None:
        return configured
    if dim == "violence_type":
        from lagesbild.strategy.models import ViolenceType

        vt = ViolenceType.objects.filter(key=value).first()
        return str(vt) if vt else value
    label = VALUES.get(dim, {}).get(value)
    return str(label) if label is not None else value.replace("-", " ").capitalize()


def value_order(dim: str, value: str | None) -> tuple[int, str]:
    if value is None:
        return (-1, "")
    configured = [
        (order, v) for (d, v), (_sv, _en, order) in configured_labels().items() if d == dim and v
    ]
    if configured:
        order = [v for _o, v in sorted(configured)]
    else:
        order = list(VALUES.get(dim, {}))
    return (order.index(value), value) if value in order else (len(order), value)
