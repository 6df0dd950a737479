"""Writes for single sign-on: match a provider's account to a user, and the policy.

Matching never creates a user (roles stay managed in the product):

1. the stored (issuer, subject) of an earlier SSO login;
2. else the e-mail, case-insensitively, only when the provider says it is
   verified, exactly one active user has it, and that user has no other subject
   of the same issuer; the subject is then stored for the next logins.

Log lines carry the user id and a hash of the subject, no e-mail or name.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import SsoIdentity, SsoPolicy
from .selectors import sso_identity_find

logger = logging.getLogger(__name__)


class SsoRefusal(TextChoices):
    UNKNOWN = "unknown", gettext_lazy("Akun tidak terdaftar")
    UNVERIFIED_EMAIL = "unverified-email", gettext_lazy("Email belum diverifikasi penyedia")
    AMBIGUOUS_EMAIL = "ambiguous-email", gettext_lazy("Email dipakai lebih dari satu akun")
    OTHER_SUBJECT = "other-subject", gettext_lazy("Akun sudah terhubung ke identitas SSO lain")
    INACTIVE = "inactive", gettext_lazy("Akun tidak aktif")


@dataclass(frozen=True)
class SsoMatch:
    """The user an SSO login signs in as, or why it is refused."""

    user: object | None = None
    via: str = ""  # "subject" or "email"
    refusal: SsoRefusal | None = None

    @property
    def message(self) -> str:
        """The refusal as the login page shows it (empty for a match)."""
        if self.refusal is None:
            return ""
        if self.refusal == SsoRefusal.INACTIVE:
            return _("Akun SKM Anda tidak aktif. Hubungi admin SKM instansi Anda.")
        return _(
            "Akun SSO Anda tidak terdaftar di SKM; minta admin SKM instansi Anda untuk membuatkan akun "
            "dengan email Anda, lalu masuk lagi."
        )


def subject_hash(*, issuer: str, subject: str) -> str:
    """A short, stable pseudonym of the subject for log lines."""
    return hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:12]


def _refuse(*, issuer: str, subject: str, refusal: SsoRefusal, user_id=None) -> SsoMatch:
    logger.warning(
        "sso login refused reason=%s user=%s sub=%s",
        refusal.value,
        user_id,
        subject_hash(issuer=issuer, subject=subject),
    )
    return SsoMatch(refusal=refusal)


def _accept(*, identity: SsoIdentity, via: str) -> SsoMatch:
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    logger.info(
        "sso login user=%s via=%s sub=%s",
        identity.user_id,
        via,
        subject_hash(issuer=identity.issuer, subject=identity.subject),
    )
    return SsoMatch(user=identity.user, via=via)


def sso_user_match(*, issuer: str, subject: str, email: str | None, email_verified: bool) -> SsoMatch:
    """The user the provider's account (issuer, subject, e-mail) signs in as; see the module."""
    if not issuer or not subject:
        return _refuse(issuer=issuer, subject=subject, refusal=SsoRefusal.UNKNOWN)
    identity = sso_identity_find(issuer=issuer, subject=subject)
    if identity is not None:
        if not identity.user.is_active:
            return _refuse(issuer=issuer, subject=subject, refusal=SsoRefusal.INACTIVE, user_id=identity.user_id)
        return _accept(identity=identity, via="subject")

    email = (email or "").strip()
    if not email:
        return _refuse(issuer=issuer, subject=subject, refusal=SsoRefusal.UNKNOWN)
    if not email_verified:
        return _refuse(issuer=issuer, subject=subject, refusal=SsoRefusal.UNVERIFIED_EMAIL)
    users = list(get_user_model().objects.filter(email__iexact=email))
    active = [user for user in users if user.is_active]
    if len(active) > 1:
        return _refuse(issuer=issuer, subject=subject, refusal=SsoRefusal.AMBIGUOUS_EMAIL)
    if not active:
        refusal = SsoRefusal.INACTIVE if users else SsoRefusal.UNKNOWN
        return _refuse(issuer=issuer, subject=subject, refusal=refusal, user_id=users[0].pk if users else None)
    (user,) = active
    if SsoIdentity.objects.filter(user=user, issuer=issuer).exists():
        # The account already signs in as another subject of this provider: an
        # e-mail handed on to someone else must not open it.
        return _refuse(issuer=issuer, subject=subject, refusal=SsoRefusal.OTHER_SUBJECT, user_id=user.pk)
    try:
        with transaction.atomic():
            identity = SsoIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    except IntegrityError:  # a parallel first login stored the same subject
        identity = SsoIdentity.objects.select_related("user").get(issuer=issuer, subject=subject)
        if identity.user_id != user.pk:  # pragma: no cover - needs two racing logins for two accounts
            return _refuse(issuer=issuer, subject=subject, refusal=SsoRefusal.OTHER_SUBJECT, user_id=user.pk)
    return _accept(identity=identity, via="email")


def sso_policy_set(*, require_for_staff: bool, user) -> SsoPolicy:
    """Require SSO for staff (non-admin users) or not; who changed it is kept."""
    policy, _created = SsoPolicy.objects.update_or_create(
        pk=SsoPolicy.SINGLETON_PK,
        defaults={"require_for_staff": require_for_staff, "updated_by": user, "updated_at": timezone.now()},
    )
    logger.info("sso policy require_for_staff=%s by=%s", require_for_staff, getattr(user, "pk", None))
    return policy


def provider_logout_url(request) -> str:
    """Where logout sends the browser (OIDC_OP_LOGOUT_URL_METHOD): the provider's
    end-session endpoint with the ID token as hint and the login page to come
    back to, when both are known; else the login page."""
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    end_session = getattr(settings, "SKM_OIDC_END_SESSION_ENDPOINT", "")
    id_token = request.session.get("oidc_id_token")
    if not end_session or not id_token:
        return after
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(after),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
