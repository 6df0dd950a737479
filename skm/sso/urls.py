"""The SSO round trip, mounted at /sso/ only when SSO is configured (skm/urls.py)."""

from django.urls import path

from .views import SsoCallbackView, SsoLoginView

urlpatterns = [
    path("masuk/", SsoLoginView.as_view(), name="oidc_authentication_init"),
    path("callback/", SsoCallbackView.as_view(), name="oidc_authentication_callback"),
]
