"""A unit's webhooks ("Webhook"): its staff (and admins) register endpoints,
rotate secrets, pause, resume, delete and resend deliveries; supervisors over
the unit read the page; anyone else gets 403."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..access import unit_get_for_user, user_unit_access
from ..models import Unit, WebhookDelivery, WebhookEndpoint, WebhookEvent
from ..services_webhooks import (
    webhook_delivery_resend,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_pause,
    webhook_endpoint_resume,
    webhook_secret_rotate,
)

DELIVERIES_SHOWN = 50


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Alamat (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "Alamat https:// milik sistem penerima, misalnya https://sistem.example.go.id/skm-hook."
        ),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Peristiwa"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    include_subtree = forms.BooleanField(
        label=gettext_lazy("Termasuk semua unit di bawah unit ini (khusus admin)"), required=False
    )


def _unit(request, unit_code: str, *, write: bool) -> tuple[Unit, bool]:
    unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    if write and not can_write:
        raise PermissionDenied(_("Hanya staf unit yang dapat mengelola webhook."))
    return unit, can_write


def _page(request, unit: Unit, can_write: bool, *, form=None, secret=None, secret_endpoint=None, status=200):
    endpoints = list(WebhookEndpoint.objects.filter(unit=unit).order_by("id"))
    deliveries = list(
        WebhookDelivery.objects.filter(endpoint__unit=unit)
        .select_related("endpoint")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-id")[:DELIVERIES_SHOWN]
    )
    return render(
        request,
        "surveys/webhooks.html",
        {
            "unit": unit,
            "can_write": can_write,
            "is_admin": user_unit_access(user=request.user).is_admin,
            "endpoints": endpoints,
            "event_labels": dict(WebhookEvent.choices),
            "deliveries": deliveries,
            "form": form or WebhookEndpointForm(),
            "secret": secret,
            "secret_endpoint": secret_endpoint,
        },
        status=status,
    )


@login_required
def webhook_list(request, unit_code: str):
    unit, can_write = _unit(request, unit_code, write=request.method == "POST")
    if request.method != "POST":
        return _page(request, unit, can_write)
    form = WebhookEndpointForm(request.POST)
    if not form.is_valid():
        return _page(request, unit, can_write, form=form, status=400)
    include_subtree = form.cleaned_data["include_subtree"] and user_unit_access(user=request.user).is_admin
    try:
        endpoint, secret = webhook_endpoint_create(
            unit=unit,
            user=request.user,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            include_subtree=include_subtree,
        )
    except ValidationError as exc:
        form.add_error("url", " ".join(exc.messages))
        return _page(request, unit, can_write, form=form, status=400)
    messages.success(
        request, _("Webhook ditambahkan. Salin rahasianya sekarang: rahasia ini hanya ditampilkan sekali.")
    )
    return _page(request, unit, can_write, secret=secret, secret_endpoint=endpoint)


def _endpoint(request, unit_code: str, pk: int) -> tuple[Unit, WebhookEndpoint]:
    unit, _can_write = _unit(request, unit_code, write=True)
    return unit, get_object_or_404(WebhookEndpoint, pk=pk, unit=unit)


@login_required
@require_POST
def webhook_rotate(request, unit_code: str, pk: int):
    unit, endpoint = _endpoint(request, unit_code, pk)
    secret = webhook_secret_rotate(endpoint=endpoint)
    messages.success(
        request, _("Rahasia baru dibuat; rahasia lama tidak berlaku lagi. Salin sekarang: hanya ditampilkan sekali.")
    )
    return _page(request, unit, True, secret=secret, secret_endpoint=endpoint)


@login_required
@require_POST
def webhook_pause(request, unit_code: str, pk: int):
    unit, endpoint = _endpoint(request, unit_code, pk)
    if request.POST.get("resume"):
        webhook_endpoint_resume(endpoint=endpoint)
        messages.success(request, _("Webhook dilanjutkan; kiriman yang tertunda dikirim sekarang."))
    else:
        webhook_endpoint_pause(endpoint=endpoint)
        messages.success(request, _("Webhook dijeda."))
    return redirect("surveys:webhooks", unit_code=unit.code)


@login_required
@require_POST
def webhook_delete(request, unit_code: str, pk: int):
    unit, endpoint = _endpoint(request, unit_code, pk)
    webhook_endpoint_delete(endpoint=endpoint)
    messages.success(request, _("Webhook dihapus beserta catatan kirimannya."))
    return redirect("surveys:webhooks", unit_code=unit.code)


@login_required
@require_POST
def webhook_resend(request, unit_code: str, pk: int):
    unit, _can_write = _unit(request, unit_code, write=True)
    delivery = get_object_or_404(WebhookDelivery, pk=pk, endpoint__unit=unit)
    if delivery.endpoint.is_paused:
        messages.error(request, _("Webhook ini sedang dijeda; lanjutkan dahulu sebelum mengirim ulang."))
    else:
        webhook_delivery_resend(delivery=delivery, user=request.user)
        messages.success(request, _("Kiriman dijadwalkan untuk dikirim ulang."))
    return redirect("surveys:webhooks", unit_code=unit.code)
