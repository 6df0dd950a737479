"""Reads for single sign-on: whether it is on, the site's policy, a stored identity."""

from __future__ import annotations

from django.conf import settings

from .models import SsoIdentity, SsoPolicy


def sso_enabled() -> bool:
    """SSO is configured (SKM_OIDC_CLIENT_ID and the provider's endpoints)."""
    return bool(getattr(settings, "SKM_SSO_ENABLED", False))


def sso_provider_name() -> str:
    return getattr(settings, "SKM_SSO_PROVIDER_NAME", "") or "SSO"


def sso_policy_get() -> SsoPolicy:
    """The site's policy; the default (SSO not required) while none was saved."""
    return SsoPolicy.objects.filter(pk=SsoPolicy.SINGLETON_PK).first() or SsoPolicy(pk=SsoPolicy.SINGLETON_PK)


def sso_password_login_allowed(*, user) -> bool:
    """False when an admin requires SSO for staff and SSO is configured: then only
    superusers (admins) still sign in with a password, so nobody is locked out."""
    if user.is_superuser or not sso_enabled():
        return True
    return not sso_policy_get().require_for_staff


def sso_identity_find(*, issuer: str, subject: str) -> SsoIdentity | None:
    return SsoIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
