from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("unit/<slug:code>/", views.unit_plans, name="unit"),
    path("rtl/<int:plan_id>/", views.plan_detail, name="plan"),
    path("rtl/<int:plan_id>/ubah/", views.plan_settings, name="plan_settings"),
    path("rtl/<int:plan_id>/final/", views.plan_finalise, name="plan_finalise"),
    path("rtl/<int:plan_id>/buka-kembali/", views.plan_reopen, name="plan_reopen"),
    path("rtl/<int:plan_id>/prioritas/tambah/", views.unsur_add, name="unsur_add"),
    path("prioritas/<int:row_id>/hapus/", views.unsur_remove, name="unsur_remove"),
    path("prioritas/<int:row_id>/judul/", views.unsur_title, name="unsur_title"),
    path("prioritas/<int:row_id>/naik/", views.unsur_move, {"direction": "naik"}, name="unsur_up"),
    path("prioritas/<int:row_id>/turun/", views.unsur_move, {"direction": "turun"}, name="unsur_down"),
    path("prioritas/<int:row_id>/kegiatan/tambah/", views.item_create, name="item_create"),
    path("kegiatan/<int:item_id>/", views.item_detail, name="item"),
    path("kegiatan/<int:item_id>/ubah/", views.item_edit, name="item_edit"),
    path("kegiatan/<int:item_id>/hapus/", views.item_delete, name="item_delete"),
    path("kegiatan/<int:item_id>/realisasi/", views.realisation_save, name="realisation"),
    path("kegiatan/<int:item_id>/foto/", views.photo_upload, name="photo_upload"),
    path("foto/<int:photo_id>/", views.photo_view, name="photo"),
    path("foto/<int:photo_id>/hapus/", views.photo_delete, name="photo_delete"),
]
