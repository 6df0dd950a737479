"""The e-mail to the requester of an export job that failed, sent once per failed
attempt through ``surveys.services_notifications`` (found by a scan every few
minutes, so every way a job fails is covered: an error, the time limit, a lost
worker, an unavailable queue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.access import user_unit_access
from surveys.models import NotificationKind
from surveys.services_notifications import (
    DeliveryReport,
    Notification,
    absolute_url,
    date_long,
    notifications_deliver,
    recipient_name,
)

from .models import ExportJob

# Failures older than this are not announced (a first deployment, or beat down for long).
EXPORT_FAILED_LOOKBACK = dt.timedelta(days=1)


def _export_failed_render(job: ExportJob, user) -> Callable[[], tuple[str, str]]:
    def render() -> tuple[str, str]:
        params = {"kind": job.get_kind_display(), "unit": job.unit.name, "period": job.period.label}
        subject = _("Ekspor gagal: %(kind)s %(unit)s %(period)s") % params
        lines = [
            _("Yth. %(name)s,") % {"name": recipient_name(user)},
            "",
            _("Tugas ekspor %(kind)s untuk %(unit)s periode %(period)s yang Anda minta pada %(date)s gagal.")
            % {**params, "date": date_long(job.created_at)},
        ]
        if job.error:
            lines.append(_("Alasan: %(reason)s") % {"reason": _(job.error)})
        lines += [
            "",
            _('Buka tugas itu dan tekan "Coba lagi": %(url)s')
            % {"url": absolute_url(reverse("reports:job_detail", args=[job.pk]))},
        ]
        return subject, "\n".join(lines)

    return render


def export_failed_notifications(*, now: dt.datetime) -> Iterable[Notification]:
    kind = NotificationKind.EXPORT_FAILED.value
    jobs = (
        ExportJob.objects.filter(
            status=ExportJob.Status.FAILED,
            finished_at__gte=now - EXPORT_FAILED_LOOKBACK,
            requested_by__isnull=False,
        )
        .select_related("unit", "period", "requested_by")
        .order_by("finished_at", "id")
    )
    for job in jobs:
        user = job.requested_by
        # A retried job that fails again is a new failure: the attempt is part of the key.
        if user_unit_access(user=user).can_read(job.unit_id):
            yield Notification(kind, user, f"export:{job.pk}:{job.attempt}", _export_failed_render(job, user))


def export_failed_notifications_send(*, now: dt.datetime | None = None) -> DeliveryReport:
    """Tell each requester of a recently failed export job, once per failed attempt."""
    return notifications_deliver(notifications=export_failed_notifications(now=now or timezone.now()))
