from django import template

from lagesbild.core.numbers import format_number, format_unit

register = template.Library()


@register.filter
def sv_value(obs, indicator=None):
    """An observation's value in Swedish notation with its unit word omitted (table cells)."""
    if obs is None or obs.value is None:
        return "–"
    from lagesbild.indicators.presenters import qualified

    ind = indicator or obs.indicator
    return qualified(format_number(obs.value, ind.decimals), getattr(obs, "qualifier", ""))


@register.filter
def sv_unit(value, indicator):
    return format_unit(value, indicator.unit, indicator.decimals)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def language_links(context):
    """[(code, native name, url, is_current)] for the language switch: the same page under the
    other language's URL prefix ('/…' Swedish, '/en/…' English), query string kept.

    Public pages live in i18n_patterns with prefix_default_language=False, so the URL in another
    language is the path with the current prefix swapped; plain string work, because
    django.urls.translate_url (resolve + reverse) costs more than a cached page itself.
    """
    from django.conf import settings
    from django.utils.translation import get_language

    request = context.get("request")
    path = request.path if request else "/"
    query = request.GET.urlencode() if request else ""
    current = get_language()
    default = settings.LANGUAGE_CODE
    base = path
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != default and path.startswith(prefix):
            base = path[len(prefix) - 1 :]
            break
    out = []
    for code, _name in settings.LANGUAGES:
        url = base if code == default else f"/{code}{base}"
        if query:
            url = f"{url}?{query}"
        out.append((code, _NATIVE.get(code, code), url, code == current))
    return out


_NATIVE = {"sv": "svenska", "en": "English"}


@register.simple_tag(takes_context=True)
def header_tools(context):
    """[(label, url)] of the tools a signed-in user may use, for the header: reporting, the
    support register, surveys, and for the coordinator (and administrators) the admin."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from lagesbild.core.models import Role

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    membership = getattr(user, "membership", None)
    role = membership.role if membership is not None else None
    keeper = user.is_superuser or role in {Role.COORDINATOR, Role.ADMIN}
    tools = []
    if membership is not None or user.is_superuser:
        tools.append((_("Rapportering"), "/rapportering/"))
        tools.append((_("Stödregistret"), reverse("directory:manage")))
    if keeper:
        tools.append((_("Enkäter"), reverse("surveys:manage")))
    if keeper or user.is_staff:
        tools.append((_("Administration"), reverse("admin:index")))
    return tools


@register.simple_tag
def lang_sv(obj=None, field: str = ""):
    """' lang="sv"' for a text shown in Swedish on a page that is not (WCAG 3.1.2): always for a
    text stored only in Swedish (no arguments: agency narratives, the register's descriptions),
    and for ``obj.<field>`` when it has no English ``<field>_en`` (the page falls back to
    Swedish). Empty on Swedish pages."""
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    if (get_language() or "sv").startswith("sv"):
        return ""
    if obj is not None and field and getattr(obj, f"{field}_en", ""):
        return ""
    return mark_safe(' lang="sv"')


@register.filter
def breakdown_text(key: str) -> str:
    """A stored breakdown key ("skede=fullfoljda") as its display labels ("fullföljda")."""
    from lagesbild.indicators.selectors import breakdown_label
    from lagesbild.indicators.services import parse_breakdown

    return breakdown_label(parse_breakdown(key)) if key else ""
