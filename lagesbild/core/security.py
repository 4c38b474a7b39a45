"""Request hardening at the edge: the client's address behind proxies, and hostile input.

`ClientAddressMiddleware` replaces REMOTE_ADDR with the client's address taken from the
trusted proxies' header (settings.LAGESBILD_TRUSTED_PROXIES, LAGESBILD_PROXY_HEADER), so that
django-axes (through `client_ip`) and the logs see the client, not the proxy.

`HostileInputMiddleware` answers 400 to a path, query string or form field containing a NUL
character (PostgreSQL cannot store one, SQLite stores it silently): the same answer on every
database, before any view runs.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpResponseBadRequest

log = logging.getLogger(__name__)


def forwarded_client(remote_addr: str, header_value: str, proxies: int) -> str:
    """The client's address from `proxies` trusted proxies that each append to the header.

    With one proxy, REMOTE_ADDR is the proxy and the header's last entry is the client as the
    proxy saw it; entries further left were written by the client and are not trusted."""
    if proxies <= 0 or not header_value:
        return remote_addr
    hops = [h.strip() for h in header_value.split(",") if h.strip()]
    if len(hops) < proxies:
        return remote_addr
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.proxies = settings.LAGESBILD_TRUSTED_PROXIES
        self.meta_key = "HTTP_" + settings.LAGESBILD_PROXY_HEADER.upper().replace("-", "_")

    def __call__(self, request):
        if self.proxies > 0:
            request.META["REMOTE_ADDR"] = forwarded_client(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get(self.meta_key, ""),
                self.proxies,
            )
        return self.get_response(request)


def client_ip(request) -> str:
    """The address django-axes keys on (settings.AXES_CLIENT_IP_CALLABLE)."""
    return request.META.get("REMOTE_ADDR", "")


def _has_nul(values) -> bool:
    return any("\x00" in v for v in values)


class HostileInputMiddleware:
    """400 for NUL in the path, the query or a form field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (problem := self.problem(request)) is not None:
            log.info("Avvisad begäran %s: %s", request.path[:200].encode("unicode_escape"), problem)
            if request.path.startswith("/api/"):  # the API answers in JSON, as documented
                from django.http import JsonResponse

                return JsonResponse({"detail": f"Felaktig begäran: {problem}."}, status=400)
            return HttpResponseBadRequest(
                f"Felaktig begäran: {problem}.".encode(), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)

    @staticmethod
    def problem(request) -> str | None:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return "adressen innehåller ett NUL-tecken"
        query = request.GET  # Django decodes it as UTF-8, replacing what is not
        for key in query:
            if "\x00" in key or _has_nul(query.getlist(key)):
                return "adressen innehåller ett NUL-tecken"
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                post = request.POST
            except Exception:  # noqa: BLE001 - Django raises several kinds for a broken body
                return "formuläret går inte att läsa"
            for key in post:
                if "\x00" in key or _has_nul(post.getlist(key)):
                    return "ett fält innehåller ett NUL-tecken"
        return None
