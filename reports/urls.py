from django.urls import path

from . import views, views_layout, views_narrative

app_name = "reports"

urlpatterns = [
    path("unit/<slug:code>/", views.unit_reports, name="unit_reports"),
    path("unit/<slug:code>/ekspor/", views.export_request, name="export_request"),
    path("perbandingan/ekspor/", views.comparison_export, name="comparison_export"),
    path("unit/<slug:unit_code>/tata-letak/", views_layout.report_layout, name="report_layout"),
    path(
        "unit/<slug:unit_code>/narasi/<str:period_code>/", views_narrative.narrative_overview, name="narrative_overview"
    ),
    path(
        "unit/<slug:unit_code>/narasi/<str:period_code>/tanggal/",
        views_narrative.narrative_details,
        name="narrative_details",
    ),
    path(
        "unit/<slug:unit_code>/narasi/<str:period_code>/jadwal-pelaksanaan/",
        views_narrative.narrative_schedule,
        name="narrative_schedule",
    ),
    path(
        "unit/<slug:unit_code>/narasi/<str:period_code>/bagian/<slug:key>/",
        views_narrative.narrative_section,
        name="narrative_section",
    ),
    path(
        "unit/<slug:unit_code>/putaran/<str:period_code>/publikasikan/",
        views_narrative.round_publish_view,
        name="round_publish",
    ),
    path("tugas/", views.job_list, name="job_list"),
    path("tugas/<int:pk>/", views.job_detail, name="job_detail"),
    path("tugas/<int:pk>/status/", views.job_status, name="job_status"),
    path("tugas/<int:pk>/unduh/", views.job_download, name="job_download"),
    path("tugas/<int:pk>/lampiran/", views.job_download_attachment, name="job_download_attachment"),
    path("tugas/<int:pk>/coba-lagi/", views.job_retry, name="job_retry"),
]
