from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from ..access import unit_list_for_user, user_unit_access
from ..selectors import period_current, response_counts_by_unit

PAGE_SIZE = 50


@login_required
def dashboard(request):
    access = user_unit_access(user=request.user)
    query = (request.GET.get("q") or "").strip()[:100]
    units = unit_list_for_user(user=request.user)
    total = units.count()
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__icontains=query) | Q(parent__name__icontains=query))
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("hal"))
    period = period_current()
    counts = response_counts_by_unit(period=period, unit_ids=[u.id for u in page]) if period else {}
    for unit in page:
        unit.current_count = counts.get(unit.id, 0)
    return render(
        request,
        "surveys/dashboard.html",
        {
            "page": page,
            "units": page.object_list,
            "total": total,
            "query": query,
            "writable": access.writable,
            "is_admin": access.is_admin,
            "current_period": period,
        },
    )
