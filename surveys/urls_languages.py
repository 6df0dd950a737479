"""Admin pages of the questionnaire's further languages (surveys.views.languages)."""

from django.urls import path

from .views import languages

urlpatterns = [
    path("bahasa-kuesioner/", languages.language_list, name="language_list"),
    path("bahasa-kuesioner/<str:code>/", languages.language_texts, name="language_texts"),
]
