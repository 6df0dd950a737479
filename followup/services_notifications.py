"""The weekly e-mail digest of overdue RTL items: one mail per user (staff and
supervisors) listing the overdue items of their units, sent once per ISO week
through ``surveys.services_notifications``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.access import UnitAccess, unit_access_from_roles
from surveys.models import NotificationKind, UnitRole
from surveys.selectors_notifications import notification_recipients, notification_sent_recipient_ids
from surveys.services_notifications import (
    DeliveryReport,
    Notification,
    absolute_url,
    date_long,
    notifications_deliver,
    recipient_name,
)

from .models import PlanItem
from .selectors import overdue_items_in_scope

# A supervisor over a province may have thousands: the mail lists this many and links the overview.
DIGEST_MAX_ITEMS = 50


def week_key(today: dt.date) -> str:
    year, week, _day = today.isocalendar()
    return f"week:{year}-W{week:02d}"


def _digest_render(
    *, user, access: UnitAccess, items: list[PlanItem], total: int, today: dt.date
) -> Callable[[], tuple[str, str]]:
    def render() -> tuple[str, str]:
        subject = ngettext(
            "%(count)s kegiatan RTL terlambat",
            "%(count)s kegiatan RTL terlambat",
            total,
        ) % {"count": total}
        lines = [
            _("Yth. %(name)s,") % {"name": recipient_name(user)},
            "",
            _(
                "Per %(date)s ada %(count)s kegiatan Rencana Tindak Lanjut (RTL) di unit Anda yang terlambat: "
                "triwulan terakhir jadwalnya sudah lewat, tetapi realisasinya belum berstatus Sudah."
            )
            % {"date": date_long(today), "count": total},
        ]
        heading = None
        for item in items:
            plan = item.plan_unsur.plan
            if heading != plan.pk:
                heading = plan.pk
                lines += [
                    "",
                    _("%(unit)s, RTL %(period)s: %(url)s")
                    % {
                        "unit": plan.unit.name,
                        "period": plan.period.label,
                        "url": absolute_url(reverse("followup:plan", args=[plan.pk])),
                    },
                ]
            lines.append(
                _("- %(number)s %(program)s (batas %(due)s): %(url)s")
                % {
                    "number": item.number,
                    "program": " ".join(item.program.split())[:150],
                    "due": date_long(item.due_date),
                    "url": absolute_url(reverse("followup:item", args=[item.pk])),
                }
            )
        if total > len(items):
            lines += ["", _("... dan %(count)s kegiatan lainnya.") % {"count": total - len(items)}]
        if access.supervisor_paths:
            lines += [
                "",
                _("Ringkasan tindak lanjut unit-unit Anda: %(url)s")
                % {"url": absolute_url(reverse("followup:overview"))},
            ]
        lines += [
            "",
            _("Isi realisasinya, atau perbarui jadwalnya bila kegiatan memang diundur."),
        ]
        return subject, "\n".join(lines)

    return render


def rtl_overdue_notifications(*, today: dt.date) -> Iterable[Notification]:
    kind = NotificationKind.RTL_OVERDUE.value
    key = week_key(today)
    done = notification_sent_recipient_ids(kind=kind, key=key)
    has_role = UnitRole.objects.filter(user_id=OuterRef("pk"))
    for user in notification_recipients(kind=kind, users=get_user_model().objects.filter(Exists(has_role))):
        if user.pk in done:
            continue
        access = unit_access_from_roles(user=user)
        items, total = overdue_items_in_scope(access=access, today=today, limit=DIGEST_MAX_ITEMS)
        if total:
            yield Notification(
                kind, user, key, _digest_render(user=user, access=access, items=items, total=total, today=today)
            )


def rtl_overdue_digest_send(*, today: dt.date | None = None) -> DeliveryReport:
    """The weekly digest: each staff member and supervisor with overdue items in
    their units gets one mail listing them (once per ISO week)."""
    return notifications_deliver(notifications=rtl_overdue_notifications(today=today or timezone.localdate()))
