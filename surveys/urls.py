from django.urls import path

from .urls_collection import urlpatterns as collection_urls
from .urls_languages import urlpatterns as languages_urls
from .urls_responses import urlpatterns as responses_urls
from .urls_results import urlpatterns as results_urls
from .views import dashboard, notifications

app_name = "surveys"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # The signed-in user's own e-mail notification preferences.
    path("notifikasi/", notifications.notification_preferences, name="notifications"),
    *collection_urls,
    *responses_urls,
    *results_urls,
    *languages_urls,
]
