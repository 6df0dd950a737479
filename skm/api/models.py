"""API tokens: a secret a user or an application presents as ``Authorization: Bearer``.

Only the SHA-256 of the secret is stored; the full token is shown once, when it is
made. Who made and who revoked a token is kept on the row (``created_by``,
``revoked_by``); the token's own user is who every write through it is attributed to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ_PUBLIC = "read-public", _("Baca data publik")
    READ_UNIT = "read-unit", _("Baca data unit")
    WRITE_RESPONSES = "write-responses", _("Kirim jawaban responden")
    WRITE_ROUNDS = "write-rounds", _("Buka dan tutup periode survei")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama aplikasi"), max_length=100)
    scopes = models.JSONField(_("cakupan"), default=list)
    # The public part of the token (``skm_<prefix>_<secret>``): finds the row, shown in lists.
    prefix = models.CharField(_("awalan"), max_length=16, unique=True)
    secret_hash = models.CharField(_("hash rahasia"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
