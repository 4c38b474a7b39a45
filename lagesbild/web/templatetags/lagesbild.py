from django import template

from lagesbild.core.numbers import format_number, format_unit

register = template.Library()


@register.filter
def sv_value(obs, indicator=None):
    """An observation's value in Swedish notation with its unit word omitted (table cells)."""
    if obs is None or obs.value is None:
        return "–"
    ind = indicator or obs.indicator
    return format_number(obs.value, ind.decimals)


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
