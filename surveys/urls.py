from django.urls import path

from .views import dashboard

app_name = "surveys"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
