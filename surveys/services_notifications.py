"""E-mail notifications: preferences, exactly-once delivery, and the daily scan
of survey rounds (a round closed and waiting for publication, a period ending
in 7 days with the round still open).

Delivery (``notifications_deliver``) records every (kind, recipient, event key)
in ``NotificationLog`` before sending, so a repeated beat run or a retried task
never sends the same event twice. A row is claimed by a conditional UPDATE (a
lease), the mail is sent outside any transaction, and the row is marked sent
afterwards. A failing mail server is logged on the row and left for the retry;
it never raises out of the scan. Mails are written in Bahasa Indonesia and carry
absolute links built from ``SKM_SITE_URL``.

The RTL digest lives in ``followup.notifications`` and the failed-export mail in
``reports.notifications``: both build their text there and deliver it here.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .models import NotificationKind, NotificationLog, NotificationOptOut, SurveyRound
from .selectors_notifications import (
    rounds_awaiting_publication,
    rounds_open_with_period_ending,
    unit_staff_recipients,
    unit_supervisor_recipients,
)

logger = logging.getLogger(__name__)

# A sender owns a claimed row this long; a sender that died mid-send leaves it to the next run after that.
CLAIM_SECONDS = 10 * 60
# A mail the server refused this many times (its address, its content) is given up.
MAX_ATTEMPTS = 5
# Rounds closed longer ago than this are not announced (a first deployment, or
# beat down for weeks, must not flood the supervisors with old rounds).
ROUND_CLOSED_LOOKBACK_DAYS = 14
PERIOD_ENDING_DAYS = 7


@dataclass(frozen=True)
class Notification:
    """One e-mail to deliver; ``render`` returns (subject, body) in the active language."""

    kind: str
    recipient: Any  # the user model (swappable)
    key: str
    render: Callable[[], tuple[str, str]]


@dataclass
class DeliveryReport:
    sent: int = 0
    skipped: int = 0  # already sent, being sent by another run, turned off or given up
    failed: int = 0  # the mail server refused or was unreachable: retried later
    deferred: int = 0  # not tried because the mail server was unreachable

    def add(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.sent + other.sent,
            self.skipped + other.skipped,
            self.failed + other.failed,
            self.deferred + other.deferred,
        )

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed, "deferred": self.deferred}


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``) on the site's public address, ``SKM_SITE_URL``."""
    return settings.SKM_SITE_URL.rstrip("/") + path


def recipient_name(user) -> str:
    return user.get_full_name() or user.get_username()


def date_long(value: dt.date | dt.datetime | None) -> str:
    """``12 September 2025`` in the active language (a datetime in local time); "" for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "j F Y")


def notification_footer(*, kind: str) -> str:
    """The closing lines of every mail: why it came and where to turn it off."""
    return "\n".join(
        [
            "",
            "-- ",
            _("Survei Kepuasan Masyarakat (SKM)"),
            _('Anda menerima surel ini karena pemberitahuan "%(kind)s" aktif untuk akun Anda.')
            % {"kind": NotificationKind(kind).label},
            _("Untuk berhenti menerimanya, ubah pilihan pemberitahuan Anda di %(url)s")
            % {"url": absolute_url(reverse("surveys:notifications"))},
        ]
    )


def notification_preferences_set(*, user, enabled: Mapping[str, bool]) -> None:
    """Turn each kind on (``True``) or off; kinds not named are left as they are."""
    for kind in NotificationKind:
        if kind.value not in enabled:
            continue
        if enabled[kind.value]:
            NotificationOptOut.objects.filter(user=user, kind=kind.value).delete()
        else:
            NotificationOptOut.objects.get_or_create(user=user, kind=kind.value)


def _claim(log: NotificationLog, now: dt.datetime) -> bool:
    """Take the row for this sender (one conditional UPDATE, committed at once)."""
    return bool(
        NotificationLog.objects.filter(pk=log.pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    )


def _message_refused(exc: Exception) -> bool:
    """The server refused this mail only (its address, its content): the attempt
    counts towards giving the mail up, and the next mails may still go. Anything
    else (unreachable, timed out, disconnected, login or sender refused) is the
    server's state: the rest of the run waits for the retry, and the attempt does
    not count against this mail."""
    return isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError)


def notifications_deliver(*, notifications: Iterable[Notification], now: dt.datetime | None = None) -> DeliveryReport:
    """Send each notification at most once per (kind, recipient, key).

    Runs in autocommit: each claim and each result is committed on its own, and
    no transaction is open while the mail server is talking. When the server is
    unreachable the remaining notifications are left for the next run."""
    report = DeliveryReport()
    connection = None
    items = iter(notifications)
    for item in items:
        user = item.recipient
        now_ = now or timezone.now()
        if not user.is_active or not user.email:
            report.skipped += 1
            continue
        if NotificationOptOut.objects.filter(user=user, kind=item.kind).exists():
            report.skipped += 1
            continue
        log, _created = NotificationLog.objects.get_or_create(kind=item.kind, recipient=user, key=item.key)
        if log.sent_at is not None or not _claim(log, now_):
            report.skipped += 1
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = item.render()
            body = body.rstrip("\n") + "\n" + notification_footer(kind=item.kind) + "\n"
        subject = " ".join(f"[SKM] {subject}".split())
        connection = connection or get_connection()
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection)
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            report.failed += 1
            refused = _message_refused(exc)
            NotificationLog.objects.filter(pk=log.pk).update(
                claimed_until=None,
                last_error=f"{type(exc).__name__}: {exc}"[:1000],
                email=user.email,
                subject=subject,
                attempts=F("attempts") if refused else F("attempts") - 1,
            )
            logger.warning(
                "notification not sent kind=%s key=%s recipient=%s attempt=%s error=%s",
                item.kind,
                item.key,
                user.pk,
                log.attempts + 1,
                exc,
            )
            if not refused:
                report.deferred += sum(1 for _rest in items)
                break
            continue
        NotificationLog.objects.filter(pk=log.pk).update(
            sent_at=timezone.now(), claimed_until=None, last_error="", email=user.email, subject=subject
        )
        report.sent += 1
    if report.failed or report.deferred:
        logger.warning("notifications left for a retry %s", report.as_dict())
    return report


# --- the daily scan of survey rounds ------------------------------------------------


def _round_closed_render(rnd: SurveyRound, user) -> Callable[[], tuple[str, str]]:
    def render() -> tuple[str, str]:
        params = {"unit": rnd.unit.name, "period": rnd.period.label}
        subject = _("Putaran survei %(unit)s %(period)s menunggu publikasi") % params
        closer = recipient_name(rnd.closed_by) if rnd.closed_by else _("staf unit")
        lines = [
            _("Yth. %(name)s,") % {"name": recipient_name(user)},
            "",
            _(
                "Putaran survei %(unit)s periode %(period)s telah ditutup pada %(date)s oleh %(closer)s "
                "dan menunggu publikasi. Sebagai supervisor unit ini, Anda dapat memeriksa hasilnya "
                "lalu mempublikasikannya."
            )
            % {**params, "date": date_long(rnd.closed_at), "closer": closer},
            "",
            _("Hasil IKM: %(url)s")
            % {"url": absolute_url(reverse("surveys:results", args=[rnd.unit.code, rnd.period.code]))},
            _("Putaran survei unit (publikasikan di sini): %(url)s")
            % {"url": absolute_url(reverse("surveys:round_manage", args=[rnd.unit.code]))},
        ]
        return subject, "\n".join(lines)

    return render


def _period_ending_render(rnd: SurveyRound, user, today: dt.date) -> Callable[[], tuple[str, str]]:
    def render() -> tuple[str, str]:
        days = (rnd.period.end_date - today).days
        params = {"unit": rnd.unit.name, "period": rnd.period.label, "date": date_long(rnd.period.end_date)}
        subject = _("Periode %(period)s berakhir %(date)s; putaran survei %(unit)s masih dibuka") % params
        if days == 0:
            when = _("Periode %(period)s berakhir hari ini, %(date)s.") % params
        else:
            when = _("Periode %(period)s berakhir dalam %(days)s hari, pada %(date)s.") % {**params, "days": days}
        lines = [
            _("Yth. %(name)s,") % {"name": recipient_name(user)},
            "",
            when,
            _(
                "Putaran survei %(unit)s untuk periode ini masih dibuka. Pastikan jumlah responden sudah "
                "memadai dan semua kuesioner kertas sudah dimasukkan, lalu tutup putaran setelah periode "
                "berakhir agar supervisor dapat mempublikasikan hasilnya."
            )
            % params,
            "",
            _("Putaran survei unit: %(url)s")
            % {"url": absolute_url(reverse("surveys:round_manage", args=[rnd.unit.code]))},
            _("Hasil IKM sementara: %(url)s")
            % {"url": absolute_url(reverse("surveys:results", args=[rnd.unit.code, rnd.period.code]))},
        ]
        return subject, "\n".join(lines)

    return render


def round_closed_notifications(*, now: dt.datetime) -> Iterable[Notification]:
    since = now - dt.timedelta(days=ROUND_CLOSED_LOOKBACK_DAYS)
    kind = NotificationKind.ROUND_CLOSED.value
    for rnd in rounds_awaiting_publication(since=since):
        # Closing again after a reopen is a new event: the close time is part of the key.
        closed_at = rnd.closed_at.isoformat() if rnd.closed_at else ""
        key = f"round:{rnd.pk}:closed:{closed_at}"
        for user in unit_supervisor_recipients(unit=rnd.unit, kind=kind):
            yield Notification(kind, user, key, _round_closed_render(rnd, user))


def period_ending_notifications(*, today: dt.date) -> Iterable[Notification]:
    kind = NotificationKind.PERIOD_ENDING.value
    for rnd in rounds_open_with_period_ending(today=today, days=PERIOD_ENDING_DAYS):
        key = f"round:{rnd.pk}:period-ending:{rnd.period.end_date.isoformat()}"
        for user in unit_staff_recipients(unit=rnd.unit, kind=kind):
            yield Notification(kind, user, key, _period_ending_render(rnd, user, today))


def round_notifications_send(*, now: dt.datetime | None = None) -> DeliveryReport:
    """The daily scan: rounds closed and waiting for publication (to the
    supervisors over the unit) and open rounds whose period ends within
    ``PERIOD_ENDING_DAYS`` days (to the unit's staff)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    closed = notifications_deliver(notifications=round_closed_notifications(now=now))
    ending = notifications_deliver(notifications=period_ending_notifications(today=today))
    return closed.add(ending)
