"""Polite Indonesian error pages; never a bare 500 for bad input."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request, status: int, title: str, text: str, reason: str = ""):
    return render(request, "errors/error.html", {"title": title, "text": text, "reason": reason}, status=status)


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
    return _page(
        request,
        500,
        _("Terjadi gangguan"),
        _(
            "Maaf, terjadi gangguan pada sistem. Silakan coba beberapa saat lagi; data yang sudah tersimpan tidak hilang."
        ),
    )


def _reason(exception) -> str:
    # Show only our own Indonesian messages, not Django's technical ones.
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    text = exception.args[0]
    return "" if text.startswith(("No ", "The ", "Resolver")) else text
