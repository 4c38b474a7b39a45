"""Optional OpenID Connect login (mozilla-django-oidc), switched on by environment variables.

Pure function of the environment so settings can call it and tests can check it; no Django
imports here. With OIDC_RP_CLIENT_ID unset, OIDC is off and nothing of it is installed.
"""

from __future__ import annotations

from collections.abc import Mapping

REQUIRED = (
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
BACKEND = "lagesbild.reporting.oidc_backend.MembershipOIDCBackend"


def oidc_settings(environ: Mapping[str, str]) -> dict:
    """Settings for mozilla-django-oidc, or {'OIDC_ENABLED': False} when not configured."""
    from django.core.exceptions import ImproperlyConfigured

    client_id = environ.get("OIDC_RP_CLIENT_ID", "").strip()
    if not client_id:
        return {"OIDC_ENABLED": False}
    missing = [name for name in REQUIRED if not environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(
            "OIDC_RP_CLIENT_ID är satt men dessa miljövariabler saknas: " + ", ".join(missing)
        )
    create = environ.get("OIDC_CREATE_USER", "false").strip().lower() in {"1", "true", "ja", "yes"}
    out = {
        "OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_SIGN_ALGO": environ.get("OIDC_RP_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": environ.get("OIDC_RP_SCOPES", "openid email profile"),
        "OIDC_CREATE_USER": create,
        "LOGIN_REDIRECT_URL_FAILURE": "/konto/logga-in/",
    }
    for name in REQUIRED:
        out[name] = environ[name].strip()
    return out


def apply(namespace: dict, environ: Mapping[str, str]) -> None:
    """Update a settings module's namespace: the OIDC settings, app and backend when enabled."""
    values = oidc_settings(environ)
    namespace.update(values)
    if values["OIDC_ENABLED"]:
        namespace["INSTALLED_APPS"] = [*namespace["INSTALLED_APPS"], "mozilla_django_oidc"]
        namespace["AUTHENTICATION_BACKENDS"] = [*namespace["AUTHENTICATION_BACKENDS"], BACKEND]
