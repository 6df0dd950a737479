from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors import unit_list_for_user, user_unit_access
from ..selectors_collection import period_current_open, response_counts_by_unit


@login_required
def dashboard(request):
    access = user_unit_access(user=request.user)
    units = list(unit_list_for_user(user=request.user))
    period = period_current_open()
    counts = response_counts_by_unit(period=period, unit_ids=[u.id for u in units]) if period else {}
    for unit in units:
        unit.current_count = counts.get(unit.id, 0)
    return render(
        request,
        "surveys/dashboard.html",
        {"units": units, "writable": access.writable, "is_admin": access.is_admin, "current_period": period},
    )
