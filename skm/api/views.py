"""The "Token API" page: a user's API tokens (an admin sees every token),
with their last use and expiry; create (the token is shown once) and revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from surveys.access import user_unit_access

from .models import Scope
from .selectors import api_token_get_for_user, api_token_list_for_user
from .services import DEFAULT_DAYS, MAX_DAYS, api_token_create, api_token_revoke


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama aplikasi"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Cakupan"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(
        label=gettext_lazy("Masa berlaku (hari)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )


@never_cache
@login_required
def token_list(request):
    user = request.user
    if not (user.is_superuser or user_unit_access(user=user).reads_anything):
        raise PermissionDenied(_("Hanya staf unit dan admin yang dapat mengelola token API."))
    secret = None
    form = TokenCreateForm()
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token = api_token_get_for_user(user=user, prefix=request.POST.get("prefix", ""))
            if token is not None:
                api_token_revoke(token=token, user=user)
                messages.success(request, _("Token %(prefix)s dicabut.") % {"prefix": token.prefix})
            return redirect("api_tokens")
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _token, secret = api_token_create(
                    user=user, name=data["name"], scopes=data["scopes"], days=data["days"], created_by=user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = TokenCreateForm()
    return render(
        request,
        "api/tokens.html",
        {"tokens": api_token_list_for_user(user=user), "form": form, "secret": secret},
        status=400 if form.errors else 200,
    )
