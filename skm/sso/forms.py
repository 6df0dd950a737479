"""Password login forms that refuse staff when an admin requires SSO."""

from __future__ import annotations

import logging

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .selectors import sso_password_login_allowed, sso_provider_name

logger = logging.getLogger(__name__)


def check_password_login(user) -> None:
    if not sso_password_login_allowed(user=user):
        logger.warning("password login refused reason=sso-required user=%s", user.pk)
        raise ValidationError(
            _("Admin mewajibkan staf masuk dengan SSO. Gunakan tombol “Masuk dengan %(provider)s”, bukan kata sandi.")
            % {"provider": sso_provider_name()},
            code="sso_required",
        )


class SkmAuthenticationForm(AuthenticationForm):
    """The login page's form (/masuk/)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        check_password_login(user)


class SkmAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form (/admin/login/): the same rule."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        check_password_login(user)
