from django.urls import include, path

from .views import bare_insert

urlpatterns = [
    path("bench/bare/", bare_insert),
    path("", include("skm.urls")),
]
