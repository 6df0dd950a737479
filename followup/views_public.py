"""Public results pages per unit (no login): publication required by Permenpan RB 14/2017.

They live in ``followup`` because they show the survey result and the RTL progress.

Only frozen publications are shown (``surveys.models.RoundPublication``): an
open or unpublished round is never public. Aggregates only: IKM, grade,
per-unsur values and chart, respondent count, the follow-up progress. Never
respondent rows, profiles of small groups or saran.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reports.selectors import published_reports_by_publication, published_reports_token
from skm.lazy import lazy_module
from skm.rules.formatting import band_table
from surveys.models import Unit
from surveys.open_data import open_data_csv, open_data_json
from surveys.results import PublicationNotFound, public_results_get
from surveys.selectors import unit_get_public
from surveys.selectors_rounds import publication_cache_token, publication_open_data

from .selectors import plan_public_summary

charts = lazy_module("surveys.charts")  # matplotlib: loaded on the first chart, not with the URLs


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


# Cached public pages and open data live this long at most; the key already
# changes with every publication and unit edit, so this only bounds memory.
PUBLIC_CACHE_SECONDS = 24 * 3600
# Where the live RTL card goes into the cached page body.
FOLLOWUP_MARK = "<!--skm-rtl-card-->"


def _public_body(request, unit, period_code: str | None, version: int | None) -> tuple[str, object]:
    """The page body (everything the publications and the unit decide: figures,
    chart, versions, archive) rendered once per published version and language;
    a new publication or unit edit changes the key. Returns (html, period)."""
    # The published PDFs are built after the publication: their state is part of the key.
    token = f"{publication_cache_token(unit_ids=[unit.pk])}.{published_reports_token(unit=unit)}"
    key = f"skm:public:page:{unit.pk}:{(period_code or '').upper()}:{version or ''}:{get_language()}:{token}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    try:
        data = public_results_get(unit=unit, period_code=period_code, version=version)
    except PublicationNotFound:  # never cached: an error is not a page
        raise Http404(_("Hasil survei periode ini belum dipublikasikan.")) from None
    chart = charts.chart_unsur_bars(data.result) if data.result is not None else None
    reports = published_reports_by_publication(publications=[data.publication, *data.versions])
    html = render_to_string(
        "surveys/_public_results_body.html",
        {
            "unit": unit,
            "ancestors": list(reversed(unit.ancestors())),
            "data": data,
            "r": data.result,
            "chart": chart,
            "bands": band_table(),
            "followup_html": mark_safe(FOLLOWUP_MARK),
            # The stored Laporan SKM PDF of the version shown and of each version listed.
            "report": reports.get(data.publication.pk) if data.publication else None,
            "version_reports": [(v, reports.get(v.pk)) for v in data.versions],
        },
    )
    value = (html, data.period)
    cache.set(key, value, PUBLIC_CACHE_SECONDS)
    return value


def public_results(request, unit_code: str, period_code: str | None = None):
    unit = unit_get_public(code=unit_code)
    html, period = _public_body(request, unit, period_code, _version(request))
    # The RTL progress changes without a publication (and with the date): always live.
    followup = render_to_string(
        "surveys/_public_followup.html", {"followup": followup_summary(unit=unit, period=period)}
    )
    body = mark_safe(html.replace(FOLLOWUP_MARK, followup, 1))  # both rendered with autoescape on
    return render(request, "surveys/public_results.html", {"unit": unit, "body": body})


def _rows(unit, subtree: bool) -> list[dict]:
    """The open-data rows, cached per published version of the unit (or subtree)."""
    # The subtree is a subquery on the materialised path: no id list is inlined.
    unit_ids = Unit.objects.filter(path__startswith=unit.path).values("id") if subtree else [unit.pk]
    key = f"skm:public:data:{unit.pk}:{int(subtree)}:{publication_cache_token(unit_ids=unit_ids)}"
    rows = cache.get(key)
    if rows is None:
        rows = publication_open_data(unit_ids=unit_ids)
        cache.set(key, rows, PUBLIC_CACHE_SECONDS)
    return rows


def public_results_json(request, unit_code: str, subtree: bool = False):
    """Every published version of the unit's rounds (or of its whole subtree), as open data."""
    unit = unit_get_public(code=unit_code)
    response = HttpResponse(
        open_data_json(unit_code=unit.code, subtree=subtree, rows=_rows(unit, subtree)),
        content_type="application/json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def public_results_csv(request, unit_code: str, subtree: bool = False):
    unit = unit_get_public(code=unit_code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = "-wilayah" if subtree else ""
    response["Content-Disposition"] = f'attachment; filename="hasil-skm-{unit.code}{suffix}.csv"'
    response.write(open_data_csv(rows=_rows(unit, subtree)))
    return response
