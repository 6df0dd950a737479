"""Polite Indonesian error pages; never a bare 500 for bad input."""

import math

from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

QUESTIONNAIRE_URL_NAMES = {"questionnaire", "questionnaire_service"}


def _page(request, status: int, title: str, text: str, reason: str = "", again: str = ""):
    return render(
        request, "errors/error.html", {"title": title, "text": text, "reason": reason, "again": again}, status=status
    )


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: never Django's technical page.

    On the public questionnaire the respondent's answers come back with a fresh
    token and cookie; elsewhere a plain explanation and the page to open again."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is not None and match.namespace == "surveys" and match.url_name in QUESTIONNAIRE_URL_NAMES:
        from surveys.views.questionnaire import questionnaire_csrf_failure

        return questionnaire_csrf_failure(request, **match.kwargs)
    response = _page(
        request,
        403,
        _("Sesi formulir sudah berakhir"),
        _(
            "Formulir tidak dapat dikirim karena halaman sudah terlalu lama terbuka atau browser Anda tidak "
            "menyimpan cookie. Buka kembali formulirnya lalu kirim sekali lagi. Bila pesan ini muncul lagi, "
            "izinkan cookie untuk situs ini."
        ),
        again=request.get_full_path(),
    )
    add_never_cache_headers(response)
    return response


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Halaman tidak ditemukan"),
        _("Maaf, halaman atau data yang Anda cari tidak ada atau sudah tidak tersedia."),
        _reason(exception),
    )


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        _("Akses ditolak"),
        _("Maaf, Anda tidak memiliki izin untuk membuka halaman ini."),
        _reason(exception),
    )


def bad_request(request, exception=None):
    return _page(
        request,
        400,
        _("Permintaan tidak valid"),
        _("Maaf, permintaan Anda tidak dapat diproses. Silakan periksa kembali alamat atau isian Anda."),
    )


def server_error(request):
    # Say only what is true: the request failed, so a submitted form may NOT have
    # been saved (the old text promised "data yang sudah tersimpan tidak hilang").
    if request.method == "POST":
        text = _(
            "Maaf, terjadi gangguan pada sistem sehingga isian yang baru Anda kirim mungkin belum tersimpan. "
            "Tekan tombol Kembali pada peramban untuk kembali ke isian Anda, lalu kirim sekali lagi "
            "beberapa saat lagi."
        )
    else:
        text = _(
            "Maaf, terjadi gangguan pada sistem sehingga halaman ini tidak dapat ditampilkan. Silakan coba beberapa saat lagi."
        )
    return _page(request, 500, _("Terjadi gangguan"), text)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes lockout page (AXES_LOCKOUT_CALLABLE), for /masuk/ and /admin/login/:
    which lock applies (skm/login_lockout.py) and the local time to try again."""
    from skm.login_lockout import lockout_state

    lock = lockout_state(request, credentials)
    if lock.until is not None:
        until = timezone.localtime(lock.until)
        minutes = max(1, math.ceil((lock.until - timezone.now()).total_seconds() / 60))
        at = f"{until:%H.%M} {until.tzname()}"
        if until.date() != timezone.localdate():
            at = f"{date_format(until, 'j F Y')}, {at}"
        wait = ngettext(
            "Silakan coba lagi mulai pukul %(at)s (sekitar %(minutes)d menit lagi), atau minta administrator "
            "membuka kuncinya.",
            "Silakan coba lagi mulai pukul %(at)s (sekitar %(minutes)d menit lagi), atau minta administrator "
            "membuka kuncinya.",
            minutes,
        ) % {"at": at, "minutes": minutes}
    else:
        wait = _("Minta administrator membuka kuncinya.")
    if lock.reason == "address":
        text = _(
            "Demi keamanan, alamat jaringan Anda dikunci sementara untuk semua akun setelah %(limit)d kali "
            "gagal masuk dari alamat ini."
        ) % {"limit": lock.limit}
    else:
        text = _(
            "Demi keamanan, akun ini dikunci sementara di alamat jaringan Anda setelah %(limit)d kali gagal masuk."
        ) % {"limit": lock.limit}
    return _page(request, 429, _("Terlalu banyak percobaan masuk"), text, wait)


def _reason(exception) -> str:
    # Show only our own Indonesian messages, not Django's technical ones.
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    text = exception.args[0]
    return "" if text.startswith(("No ", "The ", "Resolver")) else text
