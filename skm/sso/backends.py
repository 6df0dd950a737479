"""The OpenID Connect authentication backend: mozilla-django-oidc's code flow,
with stricter token checks and the product's matching (``services.sso_user_match``).

Checks beyond the library's: the ID token's audience is our client id (``azp``
when it has several), its issuer is SKM_OIDC_ISSUER when set, it carries
``exp``, ``iat``, ``iss``, ``aud`` and ``sub``; the userinfo ``sub`` is the ID
token's. Any failure (signature, claims, nonce, the provider unreachable) is a
refusal with a message on the login page, never an error page.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .services import sso_user_match

logger = logging.getLogger(__name__)

# Seconds of clock difference tolerated between the provider and this server.
LEEWAY = 60


def refuse(request, message: str) -> None:
    """Show the refusal on the login page and forget the provider's tokens."""
    request.session.pop("oidc_id_token", None)
    request.skm_sso_refused = True
    messages.error(request, message)


class SkmOidcBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Only the SSO callback passes a nonce; a password login never reaches the provider.
        if request is None or "nonce" not in kwargs:
            return None
        try:
            user = super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, KeyError, ValueError) as exc:
            logger.warning("sso login refused reason=token error=%s", type(exc).__name__)
            refuse(request, _("Masuk dengan SSO gagal: tanda masuk dari penyedia identitas tidak dapat diverifikasi."))
            return None
        if user is None and not getattr(request, "skm_sso_refused", False):
            refuse(request, _("Masuk dengan SSO gagal. Coba lagi atau hubungi admin SKM."))
        return user

    def get_user(self, user_id):
        # Django's check, which the library's get_user skips: a user deactivated
        # after an SSO login loses the session at the next request.
        return ModelBackend.get_user(self, user_id)

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("unexpected signing algorithm")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=getattr(settings, "SKM_OIDC_ISSUER", "") or None,
                leeway=LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"token refused: {type(exc).__name__}") from exc
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("token refused: azp")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload)
        if user_info.get("sub") != payload["sub"]:
            raise SuspiciousOperation("userinfo sub differs from the ID token's")
        match = sso_user_match(
            issuer=payload["iss"],
            subject=payload["sub"],
            email=user_info.get("email"),
            email_verified=user_info.get("email_verified") in (True, "true"),
        )
        if match.user is None:
            refuse(self.request, match.message)
            return None
        return match.user
