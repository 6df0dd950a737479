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

import hashlib
import json

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from followup.selectors import plan_public_summary
from followup.views_public import PUBLIC_CACHE_SECONDS, open_data_rows
from skm.db_replica import replica_reads
from skm.lazy import lazy_module
from skm.rules.formatting import band_table
from surveys.open_data import open_data_latest_per_unit
from surveys.results import PublicationNotFound, public_results_get
from surveys.selectors import period_get, unit_ancestor_names, unit_get_public
from surveys.selectors_rounds import publication_cache_token, publication_catalog

from . import catalog
from .selectors import published_pdfs_for_publications, published_report_get_public, published_reports_for_unit

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


@replica_reads
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
@replica_reads
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


# A harvester may keep the catalogue this long; the ETag (a digest of the body) then
# answers a revalidation with 304 when nothing changed.
CATALOG_CACHE_CONTROL = "public, max-age=300"
CATALOG_PARAMETERS = ("halaman", "periode", "unit")


class CatalogParameterError(ValueError):
    """A query parameter of the catalogue that cannot be used: answered with a 400."""


def _catalog_parameters(request) -> dict[str, str]:
    """The known parameters, once each, stripped; an empty one counts as absent.
    Other parameters are ignored (harvesters add their own)."""
    given = {}
    for name in CATALOG_PARAMETERS:
        values = request.GET.getlist(name)
        if len(values) > 1:
            raise CatalogParameterError(_("Parameter '%(name)s' hanya boleh diberikan sekali.") % {"name": name})
        if values and values[0].strip():
            given[name] = values[0].strip()
    return given


def _catalog_page_number(raw: str | None) -> int:
    if raw is None:
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        raise CatalogParameterError(
            _("Halaman '%(value)s' tidak valid: gunakan bilangan bulat mulai 1.") % {"value": raw[:20]}
        )
    return int(raw)


def _catalog_bad_request(message: str) -> JsonResponse:
    response = JsonResponse({"galat": message}, status=400, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@replica_reads
def public_catalog(request):
    """The DCAT catalogue of every published version (``reports.catalog``), 500 a
    page: ``?halaman=N``, ``?periode=<kode>``, ``?unit=<kode>`` (the unit and its
    whole subtree). A bad parameter is a JSON 400 in Bahasa Indonesia."""
    try:
        params = _catalog_parameters(request)
        number = _catalog_page_number(params.pop("halaman", None))
        root = period = None
        if "unit" in params:
            try:
                root = unit_get_public(code=params["unit"])
            except Http404:
                raise CatalogParameterError(
                    _("Unit '%(code)s' tidak ditemukan.") % {"code": params["unit"][:60]}
                ) from None
        if "periode" in params:
            try:
                period = period_get(code=params["periode"])
            except Http404:
                raise CatalogParameterError(
                    _("Periode '%(code)s' tidak dikenal: gunakan kode seperti 2025, 2025-S1 atau 2025-TW3.")
                    % {"code": params["periode"][:20]}
                ) from None
            params["periode"] = period.code
        if root is not None:
            params["unit"] = root.code
        publications = publication_catalog(root=root, period=period)
        page = catalog.CatalogPage(number=number, total=publications.count(), filters=params)
        if number > page.last:
            raise CatalogParameterError(
                _("Halaman %(n)s tidak ada: halaman terakhir adalah %(last)s.") % {"n": number, "last": page.last}
            )
    except CatalogParameterError as exc:
        return _catalog_bad_request(str(exc))
    start = (number - 1) * catalog.CATALOG_PAGE_SIZE
    rows = list(publications[start : start + catalog.CATALOG_PAGE_SIZE]) if page.total else []
    ancestors = unit_ancestor_names(units={p.round.unit for p in rows}) if rows else {}
    pdfs = published_pdfs_for_publications(publication_ids=[p.pk for p in rows]) if rows else {}
    datasets = [catalog.dataset(p, ancestors=ancestors[p.round.unit.pk], pdf=pdfs.get(p.pk)) for p in rows]
    body = json.dumps(catalog.catalog(datasets=datasets, page=page), ensure_ascii=False, indent=1).encode("utf-8")
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, content_type="application/ld+json; charset=utf-8"
    )
    response["ETag"] = etag
    response["Cache-Control"] = CATALOG_CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    return response
