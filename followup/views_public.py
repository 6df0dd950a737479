"""Public results page per unit (no login): publication required by Permenpan RB 14/2017.

It lives in ``followup`` because it shows the survey result and the RTL progress.

Shows aggregates only: IKM, grade, per-unsur values and chart, respondent count
and the follow-up (RTL) progress. Never respondent rows, profiles or saran.
"""

from django.shortcuts import render

from skm.rules.formatting import band_table
from surveys import charts
from surveys.results import public_results_get
from surveys.selectors import unit_get_public

from .selectors import plan_public_summary


def followup_summary(*, unit, period):
    """RTL progress for the public page (None until a plan exists)."""
    if period is None:
        return None
    return plan_public_summary(unit=unit, period=period)


def public_results(request, unit_code: str):
    unit = unit_get_public(code=unit_code)
    data = public_results_get(unit=unit)
    chart = charts.chart_unsur_bars(data.result) if data.result is not None else None
    return render(
        request,
        "surveys/public_results.html",
        {
            "unit": unit,
            "ancestors": list(reversed(unit.ancestors())),
            "data": data,
            "r": data.result,
            "chart": chart,
            "bands": band_table(),
            "followup": followup_summary(unit=unit, period=data.period),
        },
    )
