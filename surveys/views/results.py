"""Results pages for staff and supervisors: per unit & period, and the comparison."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from skm.rules.formatting import band_table
from skm.rules.ikm import CONVERSION, round_half_up

from .. import charts
from ..access import comparison_parent_options, unit_get_for_user
from ..models import Period
from ..results import (
    WEIGHT_CHOICES,
    WeightModeError,
    unit_comparison_list,
    unit_results_get,
    weight_mode_resolve,
)
from ..selectors import (
    period_get,
    period_latest_for_user,
    period_latest_with_responses,
    response_count,
    round_get,
)

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
    counts = {p.period_code: p.respondents for p in data.trend}
    periods = [(p, counts.get(p.code, 0)) for p in Period.objects.order_by("-start_date", "code")]
    context = {
        "unit": unit,
        "ancestors": list(reversed(unit.ancestors())),
        "period": period,
        "periods": periods,
        "can_write": can_write,
        "survey_round": round_get(unit=unit, period=period),
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
        context["chart_unsur"] = charts.chart_unsur_bars(data.result)
        context["profile_charts"] = [(t, charts.chart_profile(t)) for t in data.profile]
    if len([p for p in data.trend if p.ikm is not None]) >= 1:
        context["chart_trend"] = charts.chart_trend(data.trend)
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


GRADES = ("A", "B", "C", "D")


@login_required
def comparison(request):
    """Ranking of the units a user may read (a supervisor's subtree) for one period."""
    mode, weight_error = _weight(request)
    errors = [weight_error] if weight_error else []

    period_code = request.GET.get("periode")
    period = period_get(code=period_code) if period_code else period_latest_for_user(user=request.user)

    parent = None
    parent_options = comparison_parent_options(user=request.user)
    parent_code = request.GET.get("induk") or ""
    if parent_code:
        parent = next((u for u in parent_options if u.code == parent_code), None)
        if parent is None:
            errors.append(
                _("Unit induk '%(code)s' tidak tersedia untuk Anda; filter induk diabaikan.") % {"code": parent_code}
            )

    raw_min = (request.GET.get("min") or "").strip()
    min_respondents = 0
    if raw_min:
        if raw_min.isdigit():
            min_respondents = int(raw_min)
        else:
            errors.append(_("Minimal responden harus bilangan bulat 0 atau lebih; filter diabaikan."))
    grade = request.GET.get("mutu") or ""
    if grade and grade not in GRADES:
        errors.append(_("Mutu harus A, B, C atau D; filter diabaikan."))
        grade = ""

    rows = []
    chart = None
    if period is not None:
        rows = unit_comparison_list(
            user=request.user,
            period=period,
            weight_mode=mode,
            parent=parent,
            min_respondents=min_respondents,
            grade=grade or None,
        )
        if any(r.ikm is not None for r in rows):
            chart = charts.chart_comparison(rows)
    return render(
        request,
        "surveys/compare.html",
        {
            "period": period,
            "periods": Period.objects.order_by("-start_date", "code"),
            "rows": rows,
            "chart": chart,
            "parent": parent,
            "parent_options": parent_options,
            "min_respondents": raw_min if raw_min.isdigit() else "",
            "grade": grade,
            "grades": GRADES,
            "weight_mode": str(mode),
            "weight_choices": WEIGHT_CHOICES,
            "weight_description": dict(WEIGHT_CHOICES)[str(mode)],
            "errors": errors,
        },
    )
