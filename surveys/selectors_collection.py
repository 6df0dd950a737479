"""Reads for the collection side (questionnaire, entry, import)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils import timezone

from skm.rules.unsur import UnsurDefinition

from .models import ImportBatch, Period, Response, Service, Unit, UnsurWording
from .selectors import unit_wording


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
    unit = Unit.objects.filter(code=code, is_active=True).first()
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


# --- questionnaire context, cached per process --------------------------------
#
# The public questionnaire is the hot path. Its unit, services and wording
# change rarely, so each process keeps them for a few seconds (and drops them
# at once when this process saves a Unit, Service or UnsurWording). The
# period is always read fresh: closing a period takes effect immediately.
# A plain dict, not the cache framework, so the form never depends on Redis.

QUESTIONNAIRE_TTL = 10.0
_questionnaire_cache: dict[str, tuple[float, QuestionnaireContext]] = {}


@dataclass(frozen=True)
class QuestionnaireContext:
    unit: Unit
    services: tuple[Service, ...]
    unsur: tuple[UnsurDefinition, ...]


def questionnaire_context(*, code: str) -> QuestionnaireContext:
    """Unit (404 if unknown or inactive), its active services and wording."""
    now = time.monotonic()
    hit = _questionnaire_cache.get(code)
    if hit is not None and now - hit[0] < QUESTIONNAIRE_TTL:
        return hit[1]
    unit = unit_get_public(code=code)
    context = QuestionnaireContext(
        unit=unit,
        services=tuple(Service.objects.filter(unit=unit, is_active=True).order_by("name")),
        unsur=tuple(unit_wording(unit=unit)),
    )
    if len(_questionnaire_cache) > 1000:
        _questionnaire_cache.clear()
    _questionnaire_cache[code] = (now, context)
    return context


def questionnaire_cache_clear(**_kwargs) -> None:
    _questionnaire_cache.clear()


for _model in (Unit, Service, UnsurWording):
    post_save.connect(questionnaire_cache_clear, sender=_model, dispatch_uid=f"skm_qcache_save_{_model.__name__}")
    post_delete.connect(questionnaire_cache_clear, sender=_model, dispatch_uid=f"skm_qcache_del_{_model.__name__}")


def response_counts_by_unit(*, period: Period, unit_ids) -> dict[int, int]:
    """Responses per unit in one GROUP BY."""
    from django.db.models import Count

    rows = (
        Response.objects.filter(period=period, unit_id__in=list(unit_ids))
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["unit_id"]: row["n"] for row in rows}
