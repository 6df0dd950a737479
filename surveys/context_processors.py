from .access import user_unit_access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None}
    access = user_unit_access(user=user)
    if access.is_admin:
        role = "admin"
    elif access.writable:
        role = "staf"
    elif access.reads_anything:
        role = "supervisor"
    else:
        role = None
    return {"nav_role": role}
