"""Staff pages of one round: /unit/<unit>/periode/<period>/..."""

from django.urls import path

from .views import responses

ROUND = "unit/<slug:unit_code>/periode/<str:period_code>/"

urlpatterns = [
    path(ROUND + "jawaban/", responses.response_list, name="round_responses"),
    path(ROUND + "jawaban/<int:pk>/", responses.response_detail, name="round_response_detail"),
    path(ROUND + "jawaban/<int:pk>/ubah/", responses.response_edit, name="round_response_edit"),
    path(ROUND + "jawaban/<int:pk>/hapus/", responses.response_delete_view, name="round_response_delete"),
    path(ROUND + "jawaban/<int:pk>/pulihkan/", responses.response_restore_view, name="round_response_restore"),
    path(ROUND + "impor/", responses.import_list, name="round_imports"),
    path(ROUND + "impor/<int:pk>/batalkan/", responses.import_undo, name="round_import_undo"),
    path(ROUND + "impor/<int:pk>/pulihkan/", responses.import_restore, name="round_import_restore"),
    path(ROUND + "saran/", responses.saran_list, name="round_saran"),
    path(ROUND + "saran.<str:fmt>", responses.saran_download, name="round_saran_download"),
    path(ROUND + "data.<str:fmt>", responses.raw_download, name="round_raw_download"),
    path(ROUND + "riwayat/", responses.round_history, name="round_history"),
]
