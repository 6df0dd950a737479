from django.urls import path

from .views import entry, extra, imports, instruments, practice, questionnaire, rounds, webhooks

urlpatterns = [
    # Public (no login): the respondent questionnaire and its QR code.
    path("isi/<slug:unit_code>/", questionnaire.questionnaire, name="questionnaire"),
    path("isi/<slug:unit_code>/layanan/<int:service_id>/", questionnaire.questionnaire, name="questionnaire_service"),
    path("isi/<slug:unit_code>/terima-kasih/", questionnaire.thanks, name="questionnaire_thanks"),
    path("isi/<slug:unit_code>/qr.svg", questionnaire.qr_code, name="questionnaire_qr"),
    # Staff and supervisors.
    path("unit/<slug:unit_code>/putaran/", rounds.round_manage, name="round_manage"),
    path("unit/<slug:unit_code>/putaran/<str:period_code>/<slug:action>/", rounds.round_step, name="round_step"),
    path("unit/<slug:unit_code>/tautan/", questionnaire.unit_links, name="unit_links"),
    path("unit/<slug:unit_code>/poster/", questionnaire.unit_poster, name="unit_poster"),
    path("unit/<slug:unit_code>/pratinjau/", practice.questionnaire_preview, name="questionnaire_preview"),
    path("unit/<slug:unit_code>/pratinjau/uji/", practice.questionnaire_test, name="questionnaire_test"),
    path("unit/<slug:unit_code>/pratinjau/uji/hapus/", practice.practice_clear, name="practice_clear"),
    path("unit/<slug:unit_code>/pertanyaan-tambahan/", extra.extra_questions, name="extra_questions"),
    path("unit/<slug:unit_code>/instrumen/", instruments.instrument_list, name="instrument_list"),
    path("unit/<slug:unit_code>/instrumen/<str:code>/", instruments.instrument_edit, name="instrument_edit"),
    path("unit/<slug:unit_code>/instrumen/<str:code>/hapus/", instruments.instrument_delete, name="instrument_delete"),
    path("unit/<slug:unit_code>/entri/", entry.paper_entry, name="paper_entry"),
    path("unit/<slug:unit_code>/entri/<int:pk>/hapus/", entry.paper_delete, name="paper_delete"),
    path("unit/<slug:unit_code>/entri/cek-nomor/", entry.paper_number_check, name="paper_number_check"),
    path("unit/<slug:unit_code>/impor/", imports.import_upload, name="import_upload"),
    path("unit/<slug:unit_code>/impor/tugas/<int:pk>/", imports.import_job, name="import_job"),
    path("unit/<slug:unit_code>/impor/tugas/<int:pk>/status/", imports.import_job_status, name="import_job_status"),
    path("unit/<slug:unit_code>/webhook/", webhooks.webhook_list, name="webhooks"),
    path("unit/<slug:unit_code>/webhook/<int:pk>/rahasia/", webhooks.webhook_rotate, name="webhook_rotate"),
    path("unit/<slug:unit_code>/webhook/<int:pk>/jeda/", webhooks.webhook_pause, name="webhook_pause"),
    path("unit/<slug:unit_code>/webhook/<int:pk>/hapus/", webhooks.webhook_delete, name="webhook_delete"),
    path("unit/<slug:unit_code>/webhook/kiriman/<int:pk>/kirim-ulang/", webhooks.webhook_resend, name="webhook_resend"),
]
