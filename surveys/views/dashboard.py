from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode

from ..access import user_unit_access
from ..selectors import period_current, setup_checklist, unit_page_for_user
from ..unit_filters import unit_filter_from_request

PAGE_SIZE = 50


@login_required
def dashboard(request):
    """The units the user may read, 50 a page: search by name or code, filter by
    parent unit and tree level. The page is one query (units with their
    response count of the current period) plus the paginator's COUNT."""
    access = user_unit_access(user=request.user)
    unit_filter = unit_filter_from_request(user=request.user, params=request.GET)
    period = period_current()
    units = unit_page_for_user(
        user=request.user, period=period, scope_q=unit_filter.scope_q(), search_q=unit_filter.search_q()
    )
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("hal"))
    filtered = bool(unit_filter.as_params())
    return render(
        request,
        "surveys/dashboard.html",
        {
            "page": page,
            "units": page.object_list,
            "total": page.paginator.count,
            "query": unit_filter.query,
            "filter": unit_filter,
            "filtered": filtered,
            "errors": unit_filter.errors,
            "filter_query": urlencode(unit_filter.as_params()),
            "writable": access.writable,
            "is_admin": access.is_admin,
            "current_period": period,
            # Administrators see what is still to set up (README "First run"), from the data.
            "checklist": setup_checklist() if access.is_admin else None,
        },
    )
