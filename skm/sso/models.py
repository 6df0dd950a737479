"""An account's link to the identity provider, and the site's SSO policy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SsoIdentity(models.Model):
    """The provider's subject (``sub``) of a user, stored at their first SSO login:
    later logins match on it, whatever e-mail the provider then reports."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="sso_identities"
    )
    issuer = models.CharField(_("penerbit"), max_length=255)
    subject = models.CharField(_("subjek"), max_length=255)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("terakhir masuk"), null=True, blank=True)

    class Meta:
        verbose_name = _("identitas SSO")
        verbose_name_plural = _("identitas SSO")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_issuer_subject")]

    def __str__(self):
        return f"{self.user} @ {self.issuer}"


class SsoPolicy(models.Model):
    """One row (pk 1), written through ``skm.sso.services.sso_policy_set``."""

    SINGLETON_PK = 1

    require_for_staff = models.BooleanField(
        _("wajib SSO untuk staf"),
        default=False,
        help_text=_("Staf dan supervisor hanya dapat masuk dengan SSO; admin tetap dapat masuk dengan kata sandi."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("diubah pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("kebijakan SSO")
        verbose_name_plural = _("kebijakan SSO")

    def __str__(self):
        return str(_("Kebijakan SSO"))
