"""OIDC backend: a person logs in with the organisation's identity provider.

Users are matched on e-mail. Unless OIDC_CREATE_USER is true, only people an administrator has
already added (with an organisation and role) can log in this way.
"""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class MembershipOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)
