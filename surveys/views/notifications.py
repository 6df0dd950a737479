"""The signed-in user's own notification preferences ("Notifikasi")."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..models import NotificationKind
from ..selectors_notifications import notification_preferences_get
from ..services_notifications import notification_preferences_set


class NotificationPreferencesForm(forms.Form):
    """One checkbox per kind of e-mail, named after the kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False)


@login_required
def notification_preferences(request):
    """Each user turns each kind of notification e-mail on or off, for themselves only."""
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST)
        if form.is_valid():
            notification_preferences_set(user=request.user, enabled=form.cleaned_data)
            messages.success(request, _("Pilihan pemberitahuan disimpan."))
            return redirect("surveys:notifications")
    else:
        form = NotificationPreferencesForm(initial=notification_preferences_get(user=request.user))
    return render(request, "surveys/notifications.html", {"form": form, "has_email": bool(request.user.email)})
