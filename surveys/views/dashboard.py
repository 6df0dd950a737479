from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors import unit_list_for_user, user_unit_access


@login_required
def dashboard(request):
    access = user_unit_access(user=request.user)
    units = unit_list_for_user(user=request.user)
    return render(
        request,
        "surveys/dashboard.html",
        {"units": units, "writable": access.writable, "is_admin": access.is_admin},
    )
