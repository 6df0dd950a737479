from django.urls import path

from .views import results

urlpatterns = [
    path("hasil/perbandingan/", results.comparison, name="results_compare"),
    path("grafik/<str:token>.svg", results.chart_svg_view, name="chart"),
    path("hasil/<slug:unit_code>/", results.unit_results_latest, name="results_latest"),
    path("hasil/<slug:unit_code>/<str:period_code>/", results.unit_results, name="results"),
    path(
        "hasil/<slug:unit_code>/<str:period_code>/lembar-kerja.xlsx", results.unit_worksheet, name="results_worksheet"
    ),
]
