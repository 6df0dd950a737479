"""Results pages for staff and supervisors: per unit & period, and the comparison."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from skm.rules.formatting import band_table
from skm.rules.ikm import CONVERSION, round_half_up

from ..access import comparison_export_default, unit_get_for_user
from ..chart_store import (
    chart_svg,
    chart_url,
    extremes_payload,
    histogram_payload,
    profile_payload,
    trend_payload,
    unsur_payload,
)
from ..models import Period
from ..results import (
    WEIGHT_CHOICES,
    WeightModeError,
    unit_results_get,
    weight_mode_resolve,
)
from ..results_instruments import instrument_ranking_list, instrument_trend_list, round_instrument_results
from ..selectors import (
    period_get,
    period_latest_for_user,
    period_latest_with_responses,
    response_count,
    round_get,
)
from ..selectors_comparison import GRADES, unit_comparison_page
from ..unit_filters import unit_filter_from_request

# Above this many respondents the worksheet goes through the export jobs (Laporan).
WORKSHEET_SYNC_LIMIT = 20_000


def _weight(request):
    """(mode, error message or None): a bad ?bobot= falls back to the default, with a message."""
    raw = request.GET.get("bobot")
    try:
        return weight_mode_resolve(value=raw), None
    except WeightModeError as exc:
        return weight_mode_resolve(), str(exc)


@login_required
def unit_results_latest(request, unit_code: str):
    unit, _can_write = unit_get_for_user(user=request.user, code=unit_code)
    period = period_latest_with_responses(unit=unit) or Period.objects.order_by("-start_date").first()
    if period is None:
        return render(request, "surveys/results_no_period.html", {"unit": unit})
    url = reverse("surveys:results", args=[unit.code, period.code])
    if request.GET.get("bobot"):
        url += "?" + request.GET.urlencode()
    return redirect(url)


@login_required
def unit_results(request, unit_code: str, period_code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    period = period_get(code=period_code)
    mode, weight_error = _weight(request)
    data = unit_results_get(unit=unit, period=period, weight_mode=mode)
    counts = {p.period_code: p.respondents for p in data.trend if not p.entered}
    periods = [(p, counts.get(p.code, 0)) for p in Period.objects.order_by("-start_date", "code")]
    survey_round = round_get(unit=unit, period=period)
    context = {
        "unit": unit,
        "ancestors": list(reversed(unit.ancestors())),
        "period": period,
        "periods": periods,
        "can_write": can_write,
        "survey_round": survey_round,
        # The round's other instruments (SPKP, SPAK): one GROUP BY each, none for an SKM-only round.
        "instrument_results": [r.pooled for r in round_instrument_results(round=survey_round)]
        if survey_round is not None
        else [],
        "instrument_trends": [
            (i, instrument_trend_list(unit=unit, instrument=i.code)) for i in survey_round.other_instruments
        ]
        if survey_round is not None
        else [],
        "data": data,
        "r": data.result,
        "weight_mode": str(mode),
        "weight_choices": WEIGHT_CHOICES,
        "weight_error": weight_error,
        "bands": band_table(),
        "worksheet_sync": data.result.respondents <= WORKSHEET_SYNC_LIMIT,
    }
    if not data.is_empty:
        rows = [(u, u.weighted(mode)) for u in data.result.unsur]
        context["unsur_rows"] = rows
        # Sum of the exact weighted NRRs (not of the rounded cells), so x 25 gives the IKM shown.
        ikm_exact = data.result.ikm_exact
        context["weighted_sum"] = None if ikm_exact is None else round_half_up(ikm_exact / CONVERSION, 4)
        context["priority_top"] = [data.result.by_code(code) for code in data.result.priority[:3]]
        # Charts are <img> URLs carrying their numbers: drawn (once per content) by chart_svg_view.
        context["chart_unsur"] = chart_url("unsur", unsur_payload(data.result))
        context["profile_charts"] = [(t, chart_url("profile", profile_payload(t))) for t in data.profile]
    if len([p for p in data.trend if p.ikm is not None]) >= 1:
        context["chart_trend"] = chart_url("trend", trend_payload(data.trend))
    return render(request, "surveys/results.html", context)


@login_required
def unit_worksheet(request, unit_code: str, period_code: str):
    """Synchronous worksheet download for ordinary sizes; larger ones use the export jobs."""
    from ..exports import worksheet_write

    unit, _can_write = unit_get_for_user(user=request.user, code=unit_code)
    period = period_get(code=period_code)
    mode, _error = _weight(request)
    if response_count(unit=unit, period=period) > WORKSHEET_SYNC_LIMIT:
        return render(
            request,
            "errors/error.html",
            {
                "title": _("Lembar kerja terlalu besar"),
                "text": _("Lembar kerja sebesar ini dibuat lewat menu Laporan sebagai ekspor di latar belakang."),
            },
            status=400,
        )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="skm-{unit.code}-{period.code}-{mode}.xlsx"'
    worksheet_write(unit=unit, period=period, weight_mode=mode, path_or_file=response)
    return response


@login_required
def comparison(request):
    """Ranking of the units a user may read (a supervisor's subtree, up to a
    province) for one period: one page of 50 at a time, searchable, filtered by
    parent unit and tree level, with the grade distribution and the best and
    worst 10 units drawn as charts. One SQL statement per page."""
    mode, weight_error = _weight(request)
    unit_filter = unit_filter_from_request(user=request.user, params=request.GET)
    errors = ([weight_error] if weight_error else []) + unit_filter.errors

    period_code = request.GET.get("periode")
    period = period_get(code=period_code) if period_code else period_latest_for_user(user=request.user)

    raw_min = (request.GET.get("min") or "").strip()
    min_respondents = 0
    if raw_min:
        if raw_min.isdigit() and len(raw_min) < 10:
            min_respondents = int(raw_min)
        else:
            errors.append(_("Minimal responden harus bilangan bulat 0 atau lebih; filter diabaikan."))
            raw_min = ""
    grade = request.GET.get("mutu") or ""
    if grade and grade not in GRADES:
        errors.append(_("Mutu harus A, B, C atau D; filter diabaikan."))
        grade = ""
    raw_page = request.GET.get("hal") or "1"
    page_number = int(raw_page) if raw_page.isdigit() and len(raw_page) < 8 else 1

    data = None
    charts_ctx = {}
    rankings: list = []
    if period is not None:
        # The Zona Integritas indices (SPKP, SPAK) of the same units, when any unit asked them.
        rankings = [
            (ranking, chart_url("histogram", histogram_payload(ranking.bands)))
            for ranking in instrument_ranking_list(user=request.user, period=period, scope_q=unit_filter.scope_q())
        ]
        data = unit_comparison_page(
            user=request.user,
            period=period,
            weight_mode=mode,
            scope_q=unit_filter.scope_q(),
            query=unit_filter.query,
            min_respondents=min_respondents,
            grade=grade or None,
            page_number=page_number,
        )
        if data.with_ikm:
            charts_ctx = {
                "chart_histogram": chart_url("histogram", histogram_payload(data.bands)),
                "chart_extremes": chart_url("extremes", extremes_payload(data.top, data.bottom)),
            }
    params = {**unit_filter.as_params(), "bobot": str(mode)}
    if period is not None:
        params["periode"] = period.code
    if raw_min:
        params["min"] = raw_min
    if grade:
        params["mutu"] = grade
    return render(
        request,
        "surveys/compare.html",
        {
            "period": period,
            "periods": Period.objects.order_by("-start_date", "code"),
            "data": data,
            "page": data.page if data else None,
            "rows": data.rows if data else [],
            "query": urlencode(params),
            "filter": unit_filter,
            "parent": unit_filter.parent,
            "parent_options": unit_filter.parent_options,
            "export_unit": unit_filter.parent or comparison_export_default(user=request.user),
            "min_respondents": raw_min,
            "grade": grade,
            "grades": GRADES,
            "weight_mode": str(mode),
            "weight_choices": WEIGHT_CHOICES,
            "weight_description": dict(WEIGHT_CHOICES)[str(mode)],
            "errors": errors,
            "rankings": rankings,
            **charts_ctx,
        },
    )


@login_required
def chart_svg_view(request, token: str):
    """One chart as SVG, by its signed content token (see ``surveys.chart_store``)."""
    svg = chart_svg(token)
    if svg is None:
        raise Http404("Grafik tidak ditemukan.")
    response = HttpResponse(svg, content_type="image/svg+xml")
    # The URL is the content: the same URL always gives the same picture.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
