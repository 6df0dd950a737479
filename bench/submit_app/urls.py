from django.urls import include, path

from .views import bare_get, bare_insert

urlpatterns = [
    path("bench/bare/", bare_insert),
    path("bench/bare-page/", bare_get),
    path("", include("skm.urls")),
]
