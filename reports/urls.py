from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("unit/<slug:code>/", views.unit_reports, name="unit_reports"),
    path("unit/<slug:code>/ekspor/", views.export_request, name="export_request"),
    path("perbandingan/ekspor/", views.comparison_export, name="comparison_export"),
    path("tugas/", views.job_list, name="job_list"),
    path("tugas/<int:pk>/", views.job_detail, name="job_detail"),
    path("tugas/<int:pk>/status/", views.job_status, name="job_status"),
    path("tugas/<int:pk>/unduh/", views.job_download, name="job_download"),
    path("tugas/<int:pk>/lampiran/", views.job_download_attachment, name="job_download_attachment"),
    path("tugas/<int:pk>/coba-lagi/", views.job_retry, name="job_retry"),
]
