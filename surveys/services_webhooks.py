"""Webhooks: signed HTTPS calls to a unit's endpoints when something happens.

Events are recorded by the services that cause them, inside their transaction
(``webhook_event_record``): one pending ``WebhookDelivery`` per subscribed
endpoint, and the send is enqueued on commit. The "responses received" event is
batched instead: ``webhook_responses_batch`` (every minute from beat) reports
per unit the responses since its last call, at most one call a minute.

Sending (``webhook_delivery_send``) claims the row by a conditional UPDATE (a
lease), posts outside any transaction, logs every attempt, and on failure sets
the next try 1, 10 and 100 minutes later, then gives the delivery up. An
endpoint whose calls have failed with no success in between for
``PAUSE_AFTER`` is paused and its owner e-mailed.

The signature: ``X-SKM-Timestamp`` (unix seconds) and ``X-SKM-Signature:
sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``; the receiver's check is
in README (Webhooks). Payloads carry counts, codes and results, never a
respondent's data or a user's name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    NotificationKind,
    Response,
    RoundPublication,
    SurveyRound,
    Unit,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookResponseCursor,
)
from .selectors import tally_totals
from .services_notifications import Notification, absolute_url, notifications_deliver, recipient_name

logger = logging.getLogger(__name__)

# The waits after the 1st, 2nd and 3rd failed call; after the 4th the delivery is given up.
RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=10), dt.timedelta(minutes=100))
PAUSE_AFTER = dt.timedelta(hours=24)
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 10
CLAIM_SECONDS = 60
BATCH_INTERVAL = dt.timedelta(minutes=1)
BODY_LOG_CHARS = 500
USER_AGENT = "SKM-Webhook/1"


# --- signing -----------------------------------------------------------------------


def webhook_secret_new() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-SKM-Signature`` value: HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_body(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


# --- endpoints ----------------------------------------------------------------------


def _address_refused(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return not ip.is_global or ip.is_multicast


def webhook_url_check(url: str) -> None:
    """Refuse anything but HTTPS (unless ``SKM_WEBHOOK_ALLOW_HTTP``) and hosts that
    resolve to a private, loopback or link-local address (unless
    ``SKM_WEBHOOK_ALLOW_PRIVATE``): the server must not be made to call its own
    network (SSRF). Checked when the endpoint is saved and again before each call."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.SKM_WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise ValidationError(_("Alamat webhook harus berupa URL https://."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(_("Alamat webhook tidak boleh memuat nama pengguna atau sandi."), code="userinfo")
    if settings.SKM_WEBHOOK_ALLOW_PRIVATE:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise ValidationError(
            _("Nama host %(host)s tidak dapat ditemukan.") % {"host": parts.hostname}, code="dns"
        ) from exc
    if not infos or any(_address_refused(str(info[4][0])) for info in infos):
        raise ValidationError(
            _("Alamat webhook mengarah ke jaringan pribadi atau lokal; hanya alamat publik yang diizinkan."),
            code="private",
        )


def _events_clean(events: Iterable[str]) -> list[str]:
    chosen = [e.value for e in WebhookEvent if e.value in set(events)]
    if not chosen:
        raise ValidationError(_("Pilih paling sedikit satu peristiwa."), code="no_events")
    return chosen


def webhook_endpoint_create(
    *, unit: Unit, user, url: str, events: Iterable[str], include_subtree: bool = False
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (shown to the user once)."""
    webhook_url_check(url)
    secret = webhook_secret_new()
    endpoint = WebhookEndpoint.objects.create(
        unit=unit,
        url=url,
        events=_events_clean(events),
        include_subtree=include_subtree,
        secret=secret,
        created_by=user,
    )
    logger.info("webhook endpoint created id=%s unit=%s user=%s", endpoint.pk, unit.code, getattr(user, "pk", None))
    return endpoint, secret


def webhook_secret_rotate(*, endpoint: WebhookEndpoint) -> str:
    secret = webhook_secret_new()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=secret, secret_rotated_at=timezone.now())
    endpoint.refresh_from_db()
    return secret


def webhook_endpoint_pause(*, endpoint: WebhookEndpoint, reason: str = "") -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk, paused_at__isnull=True).update(
        paused_at=timezone.now(), pause_reason=(reason or _("Dijeda oleh pengguna."))[:200]
    )
    endpoint.refresh_from_db()


def webhook_endpoint_resume(*, endpoint: WebhookEndpoint) -> None:
    """Resume and send what waited: the pending deliveries are tried again now."""
    now = timezone.now()
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(paused_at=None, pause_reason="", failing_since=None)
        ids = list(
            WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING).values_list(
                "id", flat=True
            )
        )
        WebhookDelivery.objects.filter(id__in=ids).update(next_attempt_at=now)
        _enqueue_on_commit(ids)
    endpoint.refresh_from_db()


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


# --- recording events ---------------------------------------------------------------


def _enqueue_on_commit(ids: list[int]) -> None:
    if not ids:
        return

    def enqueue() -> None:
        from .tasks import send_webhook_delivery

        for delivery_id in ids:
            try:
                send_webhook_delivery.delay(delivery_id)
            except Exception:  # the broker is down: the minute sweep sends it
                logger.exception("webhook delivery not enqueued id=%s", delivery_id)

    transaction.on_commit(enqueue)


def endpoints_for(*, unit: Unit, event: str) -> list[WebhookEndpoint]:
    """The active endpoints subscribed to ``event`` for ``unit``: its own, and
    those of the units above it that include their subtree."""
    ancestors = [p for p in _path_prefixes(unit.path) if p != unit.path]
    qs = WebhookEndpoint.objects.filter(paused_at__isnull=True).filter(
        Q(unit_id=unit.pk) | Q(include_subtree=True, unit__path__in=ancestors)
    )
    return [e for e in qs if event in (e.events or [])]


def _path_prefixes(path: str) -> list[str]:
    """The paths of a unit and its ancestors from its materialised path ("0001.0002.")."""
    segments = [s for s in path.split(".") if s]
    return [".".join(segments[: i + 1]) + "." for i in range(len(segments))]


def _envelope(*, delivery_uuid, event: str, unit: Unit, data: Mapping[str, Any], now: dt.datetime) -> dict:
    return {
        "id": str(delivery_uuid),
        "event": event,
        "created_at": now.isoformat(),
        "unit": {"code": unit.code, "name": unit.name},
        "data": dict(data),
    }


def webhook_event_record(
    *, unit: Unit, event: WebhookEvent | str, key: str, data: Mapping[str, Any], now: dt.datetime | None = None
) -> list[WebhookDelivery]:
    """Record one event for every endpoint that wants it; called by the service
    that causes the event, inside its transaction. ``key`` names the event (a
    second record with the same key for the same endpoint is ignored); the
    sends are enqueued when the transaction commits."""
    event = WebhookEvent(event).value
    now = now or timezone.now()
    created: list[WebhookDelivery] = []
    for endpoint in endpoints_for(unit=unit, event=event):
        if WebhookDelivery.objects.filter(endpoint=endpoint, key=key).exists():
            continue
        delivery = WebhookDelivery(endpoint=endpoint, event=event, key=key, created_at=now, next_attempt_at=now)
        delivery.payload = _envelope(delivery_uuid=delivery.uuid, event=event, unit=unit, data=data, now=now)
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:  # recorded at the same moment by another run
            continue
        created.append(delivery)
    _enqueue_on_commit([d.pk for d in created])
    return created


def round_published_data(*, publication: RoundPublication) -> dict:
    rnd = publication.round
    return {
        "period": {"code": rnd.period.code, "label": rnd.period.label},
        "version": publication.version,
        "published_at": publication.published_at.isoformat(),
        "weight_mode": publication.weight_mode,
        "respondents": publication.respondents,
        "ikm": str(publication.ikm) if publication.ikm is not None else None,
        "grade": publication.grade,
        "note": publication.note,
        "snapshot": publication.snapshot,
        "url": absolute_url(reverse("surveys:results", args=[rnd.unit.code, rnd.period.code])),
    }


def round_closed_data(*, rnd: SurveyRound) -> dict:
    return {
        "period": {"code": rnd.period.code, "label": rnd.period.label},
        "closed_at": rnd.closed_at.isoformat() if rnd.closed_at else None,
    }


# --- "responses received", batched ----------------------------------------------------


def _tally_summary(*, unit_id: int, period_id: int) -> dict:
    respondents, tallies = tally_totals(unit=unit_id, period=period_id)[None]
    return {
        "respondents": respondents,
        "unsur": [
            {
                "code": t.code,
                "answered": t.answered,
                "mean": round(t.total / t.answered, 3) if t.answered else None,
            }
            for t in tallies
        ],
    }


def webhook_responses_batch(*, now: dt.datetime | None = None) -> int:
    """For each unit with an endpoint for "responses received": one event with
    the responses stored since its last call (counts per period and the
    period's tally summary), at most one a minute per unit. The first run for a
    unit starts from now (past responses are not reported). Returns the
    number of events recorded."""
    now = now or timezone.now()
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(paused_at__isnull=True).select_related("unit")
        if WebhookEvent.RESPONSES_RECEIVED.value in (e.events or [])
    ]
    if not endpoints:
        return 0
    scope = Q(pk__in=[e.unit_id for e in endpoints])
    for e in endpoints:
        if e.include_subtree:
            scope |= Q(path__startswith=e.unit.path)
    unit_ids = list(Unit.objects.filter(scope).values_list("id", flat=True))
    known = set(WebhookResponseCursor.objects.filter(unit_id__in=unit_ids).values_list("unit_id", flat=True))
    new_units = [u for u in unit_ids if u not in known]
    if new_units:
        tops = dict(
            Response.all_objects.filter(unit_id__in=new_units)
            .order_by()
            .values("unit_id")
            .annotate(m=Max("id"))
            .values_list("unit_id", "m")
        )
        WebhookResponseCursor.objects.bulk_create(
            [WebhookResponseCursor(unit_id=u, last_response_id=tops.get(u) or 0) for u in new_units],
            ignore_conflicts=True,
        )
    recorded = 0
    due = WebhookResponseCursor.objects.filter(unit_id__in=unit_ids).filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - BATCH_INTERVAL)
    )
    for cursor in due.select_related("unit"):
        rows = list(
            Response.objects.filter(unit_id=cursor.unit_id, id__gt=cursor.last_response_id)
            .order_by()
            .values("period_id", "period__code")
            .annotate(n=Count("id"), top=Max("id"))
            .order_by("period__code")
        )
        if not rows:
            continue
        top = max(r["top"] for r in rows)
        with transaction.atomic():
            # Another tick took this batch first: the cursor moved.
            taken = WebhookResponseCursor.objects.filter(pk=cursor.pk, last_response_id=cursor.last_response_id).update(
                last_response_id=top, last_sent_at=now
            )
            if not taken:
                continue
            data = {
                "count": sum(r["n"] for r in rows),
                "since": cursor.last_sent_at.isoformat() if cursor.last_sent_at else None,
                "until": now.isoformat(),
                "periods": [
                    {
                        "period": r["period__code"],
                        "count": r["n"],
                        "round_status": SurveyRound.objects.filter(unit_id=cursor.unit_id, period_id=r["period_id"])
                        .values_list("status", flat=True)
                        .first(),
                        **_tally_summary(unit_id=cursor.unit_id, period_id=r["period_id"]),
                    }
                    for r in rows
                ],
            }
            webhook_event_record(
                unit=cursor.unit,
                event=WebhookEvent.RESPONSES_RECEIVED,
                key=f"responses:{cursor.unit_id}:{top}",
                data=data,
                now=now,
            )
        recorded += 1
    return recorded


# --- sending ------------------------------------------------------------------------


@dataclass(frozen=True)
class CallResult:
    status_code: int | None
    body: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _post(*, url: str, body: bytes, headers: Mapping[str, str]) -> CallResult:
    """POST with a 5 s connect and a 10 s read timeout; a redirect is an answer
    like any other (not followed)."""
    started = time.monotonic()
    status: int | None = None
    text = ""
    error = ""
    conn: http.client.HTTPConnection | None = None
    try:
        webhook_url_check(url)  # again: the name may resolve elsewhere by now
        parts = urlsplit(url)
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = connection_class(parts.hostname or "", parts.port, timeout=CONNECT_TIMEOUT)
        conn.connect()
        if conn.sock is not None:
            conn.sock.settimeout(READ_TIMEOUT)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        conn.request("POST", target, body=body, headers=dict(headers))
        response = conn.getresponse()
        status = response.status
        text = response.read(BODY_LOG_CHARS * 4).decode("utf-8", "replace")
    except ValidationError as exc:
        error = "; ".join(exc.messages)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    finally:
        if conn is not None:
            conn.close()
    return CallResult(status, text[:BODY_LOG_CHARS], error[:500], int((time.monotonic() - started) * 1000))


# The HTTP call; tests may replace it.
post: Callable[..., CallResult] = _post


def _claim(delivery_id: int, now: dt.datetime, *, force: bool) -> bool:
    qs = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, endpoint__paused_at__isnull=True
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    if not force:
        qs = qs.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return bool(qs.update(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1))


@dataclass(frozen=True)
class SendOutcome:
    state: str  # "sent", "retry", "failed", "skipped"
    retry_in: dt.timedelta | None = None


def webhook_delivery_send(*, delivery_id: int, now: dt.datetime | None = None, force: bool = False) -> SendOutcome:
    """Try one delivery once, if it is due (``force``: even before its next try).

    Runs in autocommit: the claim and the result are committed on their own,
    and no transaction is open during the call."""
    now = now or timezone.now()
    if not _claim(delivery_id, now, force=force):
        return SendOutcome("skipped")
    delivery = WebhookDelivery.objects.select_related("endpoint__unit", "endpoint__created_by").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = webhook_body(delivery.payload)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-SKM-Event": delivery.event,
        "X-SKM-Delivery": str(delivery.uuid),
        "X-SKM-Timestamp": str(timestamp),
        "X-SKM-Signature": webhook_signature(secret=endpoint.secret, timestamp=timestamp, body=body),
    }
    result = post(url=endpoint.url, body=body, headers=headers)
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=now,
        duration_ms=result.duration_ms,
        status_code=result.status_code,
        error=result.error,
        response_body=result.body,
    )
    if result.ok:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.SUCCEEDED,
            delivered_at=now,
            claimed_until=None,
            next_attempt_at=None,
            last_status_code=result.status_code,
            last_error="",
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        return SendOutcome("sent")
    error = result.error or _("Penerima menjawab dengan kode %(code)s.") % {"code": result.status_code}
    retry_in = RETRY_DELAYS[delivery.attempts - 1] if delivery.attempts <= len(RETRY_DELAYS) else None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING if retry_in else WebhookDelivery.Status.FAILED,
        claimed_until=None,
        next_attempt_at=now + retry_in if retry_in else None,
        last_status_code=result.status_code,
        last_error=error[:1000],
    )
    logger.warning(
        "webhook call failed delivery=%s endpoint=%s attempt=%s status=%s error=%s",
        delivery.pk,
        endpoint.pk,
        delivery.attempts,
        result.status_code,
        result.error,
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
    endpoint.refresh_from_db(fields=["failing_since", "paused_at"])
    if endpoint.paused_at is None and endpoint.failing_since and now - endpoint.failing_since >= PAUSE_AFTER:
        webhook_endpoint_pause_failing(endpoint=endpoint, now=now)
    return SendOutcome("retry" if retry_in else "failed", retry_in)


def webhook_endpoint_pause_failing(*, endpoint: WebhookEndpoint, now: dt.datetime) -> bool:
    """Pause an endpoint that has failed for a day and e-mail its owner (once)."""
    since = endpoint.failing_since or now
    paused = WebhookEndpoint.objects.filter(pk=endpoint.pk, paused_at__isnull=True).update(
        paused_at=now, pause_reason=_("Gagal terus sejak %(since)s.") % {"since": since.isoformat()}
    )
    if not paused:
        return False
    endpoint.refresh_from_db()
    logger.warning("webhook endpoint paused id=%s failing_since=%s", endpoint.pk, since)
    owner = endpoint.created_by
    if owner is not None:
        notifications_deliver(
            notifications=[
                Notification(
                    NotificationKind.WEBHOOK_PAUSED.value,
                    owner,
                    f"webhook:{endpoint.pk}:paused:{now.isoformat()}",
                    _paused_render(endpoint, owner),
                )
            ]
        )
    return True


def _paused_render(endpoint: WebhookEndpoint, user) -> Callable[[], tuple[str, str]]:
    def render() -> tuple[str, str]:
        params = {"unit": endpoint.unit.name, "url": endpoint.url}
        subject = _("Webhook %(unit)s dijeda karena gagal selama sehari") % params
        lines = [
            _("Yth. %(name)s,") % {"name": recipient_name(user)},
            "",
            _(
                "Panggilan ke webhook %(url)s milik %(unit)s gagal terus selama lebih dari 24 jam, "
                "sehingga webhook ini dijeda dan tidak dipanggil lagi. Periksa penerimanya, lalu lanjutkan "
                "webhook ini; kiriman yang tertunda akan dikirim ulang."
            )
            % params,
            "",
            _("Webhook unit: %(url)s") % {"url": absolute_url(reverse("surveys:webhooks", args=[endpoint.unit.code]))},
        ]
        return subject, "\n".join(lines)

    return render


def webhook_delivery_resend(*, delivery: WebhookDelivery, user=None) -> WebhookDelivery:
    """Send a delivery's event again as a new delivery (a new id, so a receiver
    that saw the first one does not take it for a replay)."""
    now = timezone.now()
    copy = WebhookDelivery(
        endpoint=delivery.endpoint,
        event=delivery.event,
        created_at=now,
        next_attempt_at=now,
        resent_from=delivery,
    )
    copy.key = f"{delivery.key}:resend:{copy.uuid}"[:150]
    copy.payload = {
        **delivery.payload,
        "id": str(copy.uuid),
        "created_at": now.isoformat(),
        "resent_from": str(delivery.uuid),
    }
    with transaction.atomic():
        copy.save()
        _enqueue_on_commit([copy.pk])
    logger.info("webhook delivery resent id=%s from=%s user=%s", copy.pk, delivery.pk, getattr(user, "pk", None))
    return copy


def webhook_deliveries_due(*, now: dt.datetime | None = None, limit: int = 200) -> list[int]:
    """Pending deliveries whose try is due and that nobody is sending: what a
    lost task message or a resumed endpoint left behind."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now, endpoint__paused_at__isnull=True
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
