"""The site's URLs with the SSO round trip, for tests that configure SSO at run
time (skm/urls.py mounts it only when SKM_OIDC_CLIENT_ID is set at start)."""

from django.urls import include, path

from skm.urls import handler400, handler403, handler404, handler500
from skm.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("sso/", include("skm.sso.urls")), *site_urlpatterns]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
