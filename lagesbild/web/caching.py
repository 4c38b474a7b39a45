"""Fragment cache for the public pages, keyed by the data version.

A page's content (everything inside <main>) is rendered once per (page, language, query, data
version) and kept in the cache; the frame around it (header, language links, login state) is
rendered per request. Any committed write of figures, the indicator catalogue or approved
reports gives a new data version (see `lagesbild.web.selectors.page_version`), so a cached page
never outlives the figures it shows; the TTL only bounds memory.

For visitors without a session or pending messages (the public, anonymous case) the whole page
is cached as well, so a repeat view costs one small query; a page whose rendering asked for a
CSRF token is never cached whole.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

TTL_SECONDS = 3600


def cached_content(request, name: str, build, *, version: str | None = None) -> dict:
    """{"title": …, "content": html} for a page, from the cache or by calling `build()`.

    `build()` returns (template name, context, title); it may raise Http404, which is not
    cached. The version is read BEFORE the content is built, so content cached under a version
    is never older than that version.
    """
    key = _key(request, name, version)
    hit = cache.get(key)
    if hit is not None:
        return hit
    template, context, title = build()
    value = {"title": str(title), "content": render_to_string(template, context, request=request)}
    cache.set(key, value, TTL_SECONDS)
    return value


def _key(request, name: str, version: str | None = None) -> str:
    from lagesbild.web.selectors import page_version

    version = version or page_version()
    query = request.GET.urlencode()
    raw = f"{name}|{get_language()}|{request.path}|{query}|{version}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _anonymous_without_state(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def cached_page(request, name: str, build) -> HttpResponse:
    """The page `name` wrapped in base.html: whole from the cache for anonymous visitors,
    else the cached content in a frame rendered for this request."""
    from lagesbild.web.selectors import page_version

    version = page_version()
    whole = _anonymous_without_state(request)
    full_key = _key(request, name, version) + ":full"
    if whole:
        body = cache.get(full_key)
        if body is not None:
            return HttpResponse(body)
    content = cached_content(request, name, build, version=version)
    response = render(request, "web/page.html", content)
    if whole and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        cache.set(full_key, response.content, TTL_SECONDS)
    return response


def cached_response(request, name: str, respond, *, version: str) -> HttpResponse:
    """A whole page for visitors without state, cached under (name, language, path, query,
    `version`); everyone else gets `respond()` afresh. For views that render their own page
    (the support search, the report); `version` must change whenever what they show changes.
    Only a 200 that asked for no CSRF token is cached."""
    if not _anonymous_without_state(request):
        return respond()
    key = _key(request, name, version) + ":full"
    body = cache.get(key)
    if body is not None:
        return HttpResponse(body)
    response = respond()
    if response.status_code == 200 and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        cache.set(key, response.content, TTL_SECONDS)
    return response
