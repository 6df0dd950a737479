"""Reads for the collection side (questionnaire, entry, import)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import ImportBatch, Period, Response, Service, Unit


def period_current_open(*, today: dt.date | None = None) -> Period | None:
    """The open period containing today (shortest first: a triwulan beats its
    semester), else the latest open period."""
    today = today or timezone.localdate()
    open_periods = Period.objects.filter(is_open=True)
    containing = sorted(
        open_periods.filter(start_date__lte=today, end_date__gte=today),
        key=lambda p: (p.end_date - p.start_date, p.code),
    )
    if containing:
        return containing[0]
    return open_periods.order_by("-start_date", "code").first()


def period_for_collection(*, code: str | None) -> Period | None:
    """The period named by ?periode=CODE, or the current open one."""
    if code:
        return Period.objects.filter(code=code.strip().upper()).first()
    return period_current_open()


def unit_get_public(*, code: str) -> Unit:
    unit = Unit.objects.select_related("parent").filter(code=code, is_active=True).first()
    if unit is None:
        raise Http404("Unit layanan tidak ditemukan.")
    return unit


def service_get_public(*, unit: Unit, service_id: int) -> Service:
    service = Service.objects.filter(unit=unit, pk=service_id, is_active=True).first()
    if service is None:
        raise Http404("Jenis layanan tidak ditemukan.")
    return service


def response_list_paper(*, unit: Unit, period: Period) -> QuerySet[Response]:
    return (
        Response.objects.filter(unit=unit, period=period, channel=Response.Channel.PAPER)
        .select_related("service", "created_by")
        .order_by("-number", "-id")
    )


def response_channel_counts(*, unit: Unit, period: Period) -> dict[str, int]:
    from django.db.models import Count

    rows = Response.objects.filter(unit=unit, period=period).values("channel").annotate(n=Count("id")).order_by()
    counts = {c.value: 0 for c in Response.Channel}
    counts.update({r["channel"]: r["n"] for r in rows})
    return counts


def import_batch_list(*, unit: Unit) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(unit=unit).select_related("period", "created_by").order_by("-created_at")


def period_list_for_entry() -> QuerySet[Period]:
    return Period.objects.filter(Q(is_open=True) | Q(responses__isnull=False)).distinct().order_by("-start_date")
