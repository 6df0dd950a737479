"""Writes for API tokens: create (the secret is returned once), revoke, and
the check of a presented token."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.access import unit_access_build, user_unit_access_set
from surveys.models import UnitRole

from .models import ApiToken, Scope

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "skm"
DEFAULT_DAYS = 90
MAX_DAYS = 366
# last_used_at is written at most this often per token (not on every request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The presented token is unknown, malformed, revoked or expired."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    valid = set(Scope.values)
    chosen = []
    for scope in scopes:
        if scope not in valid:
            raise ValidationError(
                _("Cakupan tidak dikenal: %(scope)s (pilihan: %(choices)s).")
                % {"scope": scope, "choices": ", ".join(Scope.values)}
            )
        if scope not in chosen:
            chosen.append(scope)
    if not chosen:
        raise ValidationError(_("Pilih setidaknya satu cakupan."))
    return chosen


def api_token_create(
    *, user, name: str, scopes: Iterable[str], days: int = DEFAULT_DAYS, created_by=None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the full token, which is
    shown once and never stored (only the SHA-256 of its secret part)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Nama aplikasi wajib diisi."))
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("Masa berlaku harus antara 1 dan %(max)d hari.") % {"max": MAX_DAYS})
    clean = _clean_scopes(scopes)
    prefix = secrets.token_hex(6)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 48 random bits
        prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        scopes=clean,
        prefix=prefix,
        secret_hash=_hash(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=created_by,
    )
    logger.info(
        "api token created prefix=%s user=%s by=%s scopes=%s",
        prefix,
        user.pk,
        getattr(created_by, "pk", None),
        ",".join(clean),
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def api_token_revoke(*, token: ApiToken, user=None) -> ApiToken:
    """Revoke the token (at once, for every later request); revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
        logger.info("api token revoked prefix=%s by=%s", token.prefix, getattr(user, "pk", None))
    return token


def api_token_authenticate(*, raw: str, now: dt.datetime | None = None) -> ApiToken:
    """The active token for ``skm_<prefix>_<secret>``, its last use recorded;
    raises TokenRefused otherwise. The secret's hash is compared in constant time."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        raise TokenRefused("token_invalid", _("Token API tidak sah."))
    token = _token_with_roles().filter(prefix=parts[1]).first()
    # Hash even when the prefix is unknown, so the answer takes the same time.
    presented = _hash(parts[2])
    if token is None or not hmac.compare_digest(presented, token.secret_hash):
        raise TokenRefused("token_invalid", _("Token API tidak sah."))
    now = now or timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("token_revoked", _("Token API ini sudah dicabut."))
    if token.expires_at <= now:
        raise TokenRefused("token_expired", _("Token API ini sudah kedaluwarsa."))
    if not token.user.is_active:
        raise TokenRefused("token_invalid", _("Token API tidak sah."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    if hasattr(token, "role_staff_ids"):
        user_unit_access_set(
            user=token.user,
            access=unit_access_build(staff_ids=token.role_staff_ids, supervisor_paths=token.role_supervisor_paths),
        )
    return token


def _token_with_roles():
    """The token with its user and, on PostgreSQL, the user's unit roles in the
    same statement (what ``surveys.access.user_unit_access`` would read next)."""
    tokens = ApiToken.objects.select_related("user")
    if connection.vendor != "postgresql":
        return tokens
    from django.contrib.postgres.expressions import ArraySubquery

    roles = UnitRole.objects.filter(user_id=OuterRef("user_id"))
    return tokens.annotate(
        role_staff_ids=ArraySubquery(roles.filter(role=UnitRole.Role.STAFF).values("unit_id")),
        role_supervisor_paths=ArraySubquery(roles.exclude(role=UnitRole.Role.STAFF).values("unit__path")),
    )
