"""Login, logout and the SSO round trip. Thin: the rules are in the services,
the backend and the forms."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .backends import refuse
from .forms import SkmAuthenticationForm
from .selectors import sso_enabled, sso_provider_name

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    """/masuk/: the password form, and "Masuk dengan <provider>" when SSO is configured."""

    authentication_form = SkmAuthenticationForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso_enabled()
        context["sso_provider_name"] = sso_provider_name()
        return context


class LogoutView(auth_views.LogoutView):
    """/keluar/: ends the product's session and, after an SSO login, the
    provider's too (its end-session endpoint, when configured)."""

    def post(self, request, *args, **kwargs):
        provider_url = None
        if sso_enabled() and request.user.is_authenticated and request.session.get("oidc_id_token"):
            provider_url = import_string(settings.OIDC_OP_LOGOUT_URL_METHOD)(request)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_url) if provider_url else response


class SsoLoginView(OIDCAuthenticationRequestView):
    """/sso/masuk/: to the provider's login (state, nonce and PKCE in the session)."""


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """/sso/callback/: the provider's answer; a refusal goes back to the login page with its message."""

    @property
    def failure_url(self):
        return reverse("login")

    def get(self, request):
        state = request.GET.get("state")
        if "code" in request.GET and state not in request.session.get("oidc_states", {}):
            # A state this browser did not start: a replayed or forged link.
            logger.warning("sso login refused reason=unknown-state")
            refuse(request, _("Masuk dengan SSO gagal: permintaan tidak dikenal atau kedaluwarsa. Coba lagi."))
            return self.login_failure()
        response = super().get(request)
        if response.url == self.failure_url and not getattr(request, "skm_sso_refused", False):
            refuse(request, _("Masuk dengan SSO dibatalkan atau gagal. Coba lagi."))
        return response
