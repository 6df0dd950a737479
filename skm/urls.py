from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from followup.views_public import public_results

admin.site.site_header = "Administrasi SKM"
admin.site.site_title = "SKM"
admin.site.index_title = "Pengelolaan unit, layanan, periode dan pengguna"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("bahasa/", set_language, name="set_language"),
    # Public (no login): the published result and the follow-up progress.
    path("publik/<slug:unit_code>/hasil/", public_results, name="public_results"),
    path("tindak-lanjut/", include("followup.urls")),
    path("laporan/", include("reports.urls")),
    path("", include("surveys.urls")),
]

handler404 = "skm.errors.page_not_found"
handler403 = "skm.errors.permission_denied"
handler500 = "skm.errors.server_error"
handler400 = "skm.errors.bad_request"
# MEDIA_ROOT is never served directly: photos and exports go through views that check access.
