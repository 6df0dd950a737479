"""The published Laporan SKM files, for anyone (no login), as stored: the bytes
whose SHA-256 the public results page shows."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from surveys.selectors import unit_get_public

from .selectors import published_report_get_public


@require_GET
def published_report_download(request, unit_code: str, period_code: str, version: int):
    unit = unit_get_public(code=unit_code)
    report = published_report_get_public(unit=unit, period_code=period_code, version=version)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas laporan tidak ditemukan.")) from None
    response = FileResponse(handle, as_attachment=True, filename=report.filename, content_type="application/pdf")
    # A published version never changes: the same URL always serves the same bytes.
    response["Cache-Control"] = "public, max-age=86400, immutable"
    return response
