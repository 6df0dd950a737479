"""The public results page of a unit (no login), and the published Laporan SKM
files as stored: the bytes whose SHA-256 the page shows. Publication is required
by Permenpan RB 14/2017.

The page is here, at the top layer, because it shows the survey result
(surveys), the RTL progress (followup) and the published reports (reports).
Only frozen publications are shown (``surveys.models.RoundPublication``): an
open or unpublished round is never public. Aggregates only: IKM, grade,
per-unsur values and chart, respondent count, the follow-up progress. Never
respondent rows, profiles of small groups or saran.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from followup.selectors import plan_public_summary
from followup.views_public import PUBLIC_CACHE_SECONDS, open_data_rows
from skm.lazy import lazy_module
from skm.rules.formatting import band_table
from surveys.open_data import open_data_latest_per_unit
from surveys.results import PublicationNotFound, public_results_get
from surveys.selectors import unit_get_public
from surveys.selectors_rounds import publication_cache_token

from .selectors import published_report_get_public, published_reports_for_unit

charts = lazy_module("surveys.charts")  # matplotlib: loaded on the first chart, not with the URLs

# Where the live RTL card goes into the cached page body.
FOLLOWUP_MARK = "<!--skm-rtl-card-->"


def followup_summary(*, unit, period):
    """RTL progress for the public page (None until a plan exists)."""
    if period is None:
        return None
    return plan_public_summary(unit=unit, period=period)


def _version(request) -> int | None:
    raw = request.GET.get("versi", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 6:
        raise Http404(_("Versi '%(v)s' tidak valid.") % {"v": raw[:10]})
    return int(raw)


def _public_body(request, unit, period_code: str | None, version: int | None) -> tuple[str, object, bool]:
    """The page body (everything the publications and the unit decide: figures,
    chart, versions, archive) rendered once per published version and language;
    a new publication or unit edit changes the key. Returns (html, period, whether
    units lie below this one: the key changes with the tree too)."""
    # The published PDFs are built after the publication: their state is part of the key.
    files = published_reports_for_unit(unit=unit)
    token = f"{publication_cache_token(unit_ids=[unit.pk])}.{files.token}"
    key = f"skm:public:page2:{unit.pk}:{(period_code or '').upper()}:{version or ''}:{get_language()}:{token}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    try:
        data = public_results_get(unit=unit, period_code=period_code, version=version)
    except PublicationNotFound:  # never cached: an error is not a page
        raise Http404(_("Hasil survei periode ini belum dipublikasikan.")) from None
    chart = charts.chart_unsur_bars(data.result) if data.result is not None else None
    has_children = unit.children.exists()
    reports = files.by_publication
    html = render_to_string(
        "surveys/_public_results_body.html",
        {
            "unit": unit,
            "ancestors": list(reversed(unit.ancestors())),
            "data": data,
            "r": data.result,
            "chart": chart,
            "bands": band_table(),
            "has_children": has_children,
            "followup_html": mark_safe(FOLLOWUP_MARK),
            # The stored Laporan SKM PDF of the version shown and of each version listed.
            "report": reports.get(data.publication.pk) if data.publication else None,
            "version_reports": [(v, reports.get(v.pk)) for v in data.versions],
        },
    )
    value = (html, data.period, has_children)
    cache.set(key, value, PUBLIC_CACHE_SECONDS)
    return value


def public_results(request, unit_code: str, period_code: str | None = None):
    unit = unit_get_public(code=unit_code)
    html, period, has_children = _public_body(request, unit, period_code, _version(request))
    # The RTL progress changes without a publication (and with the date): always live.
    followup = render_to_string(
        "surveys/_public_followup.html", {"followup": followup_summary(unit=unit, period=period)}
    )
    body = mark_safe(html.replace(FOLLOWUP_MARK, followup, 1))  # both rendered with autoescape on
    # A parent unit: the newest published result of every unit below it, from the
    # same cached rows as wilayah.json.
    below = open_data_latest_per_unit(open_data_rows(unit, True), exclude_code=unit.code) if has_children else []
    return render(request, "surveys/public_results.html", {"unit": unit, "body": body, "below": below})


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
