from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from followup import views_public
from reports import views_public as report_views_public
from reports.views_profile import unit_profile
from reports.views_public import published_report_download
from skm.api.api import api as api_v1
from skm.api.views import token_list
from skm.language import choose_language
from skm.password_reset import ThrottledPasswordResetView
from skm.sso import views as sso_views
from skm.sso.forms import SkmAdminAuthenticationForm

admin.site.site_header = "Administrasi SKM"
admin.site.site_title = "SKM"
admin.site.index_title = "Pengelolaan unit, layanan, periode dan pengguna"
# When an admin requires SSO for staff, the admin's password login refuses them too.
admin.site.login_form = SkmAdminAuthenticationForm

urlpatterns = [
    # Shown as "Forgotten your password?" on the admin login page; both reset
    # views share the request limits of skm/password_reset.py.
    path("admin/lupa-kata-sandi/", ThrottledPasswordResetView.as_view(), name="admin_password_reset"),
    path("admin/", admin.site.urls),
    # Django's login and logout, with SSO's button and provider logout when configured (skm/sso).
    path("masuk/", sso_views.LoginView.as_view(), name="login"),
    path("keluar/", sso_views.LogoutView.as_view(), name="logout"),
    # Staff change their own password, or reset a forgotten one by e-mail (EMAIL_URL).
    path("kata-sandi/ganti/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("kata-sandi/ganti/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("kata-sandi/lupa/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("kata-sandi/lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("kata-sandi/atur/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("bahasa/", set_language, name="set_language"),
    path("bahasa/pilih/", choose_language, name="choose_language"),  # the public pages' menu
    # Public (no login): the published result and the follow-up progress.
    # The DCAT catalogue of every published version, for Satu Data harvesters.
    path("publik/katalog.json", report_views_public.public_catalog, name="public_catalog"),
    path("publik/<slug:unit_code>/hasil/", report_views_public.public_results, name="public_results"),
    path(
        "publik/<slug:unit_code>/hasil/<str:period_code>/",
        report_views_public.public_results,
        name="public_results_period",
    ),
    # The fixed Laporan SKM PDF of one published version (its SHA-256 is on the page).
    path(
        "publik/<slug:unit_code>/laporan/<str:period_code>/v<int:version>.pdf",
        published_report_download,
        name="public_report_pdf",
    ),
    # Open data: every published version, for the unit or its whole subtree.
    path("publik/<slug:unit_code>/hasil.json", views_public.public_results_json, name="public_results_json"),
    path("publik/<slug:unit_code>/hasil.csv", views_public.public_results_csv, name="public_results_csv"),
    path(
        "publik/<slug:unit_code>/wilayah.json",
        views_public.public_results_json,
        {"subtree": True},
        name="public_subtree_json",
    ),
    path(
        "publik/<slug:unit_code>/wilayah.csv",
        views_public.public_results_csv,
        {"subtree": True},
        name="public_subtree_csv",
    ),
    path("unit/<slug:code>/profil/", unit_profile, name="unit_profile"),
    # REST API v1 (skm/api): schema at /api/v1/schema/, documentation at /api/v1/docs/.
    path("api/v1/", api_v1.urls),
    path("akun/token-api/", token_list, name="api_tokens"),
    path("tindak-lanjut/", include("followup.urls")),
    path("laporan/", include("reports.urls")),
    path("", include("surveys.urls")),
]
# Single sign-on (OpenID Connect): the round trip exists only when it is configured.
if settings.SKM_SSO_ENABLED:
    urlpatterns.insert(0, path("sso/", include("skm.sso.urls")))

handler404 = "skm.errors.page_not_found"
handler403 = "skm.errors.permission_denied"
handler500 = "skm.errors.server_error"
handler400 = "skm.errors.bad_request"
# MEDIA_ROOT is never served directly: photos and exports go through views that check access.
