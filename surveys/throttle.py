"""Per-client submission limit kept in the database (no Redis needed).

A fixed window per hashed client address: one atomic upsert per attempt,
which holds across gunicorn workers and processes."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import SubmissionThrottle

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """ "30/h", "5/m", "100/10m", "0/h" (0 disables the limit)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", text or "")
    if not match:
        raise ValueError(f"SKM_SUBMIT_RATE_LIMIT tidak valid: {text!r} (contoh: 30/h)")
    return Rate(int(match[1]), int(match[2] or 1) * UNITS[match[3]])


def client_address(request) -> str:
    """The client address: SKM_CLIENT_IP_HEADER behind a proxy, else REMOTE_ADDR.
    Also the address django-axes locks out (AXES_CLIENT_IP_CALLABLE)."""
    header = getattr(settings, "SKM_CLIENT_IP_HEADER", "") or "REMOTE_ADDR"
    address = request.META.get(header, "") or request.META.get("REMOTE_ADDR", "")
    return address.split(",")[0].strip()


def client_key(request) -> str:
    """A salted hash of the client address: the raw IP is never stored."""
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def throttle_window(*, now: datetime | None = None) -> tuple[datetime, int] | None:
    """(start of the current window, limit), or None when the limit is disabled."""
    rate = parse_rate(settings.SKM_SUBMIT_RATE_LIMIT)
    if rate.limit <= 0:
        return None
    return _window_start(now or timezone.now(), rate.seconds), rate.limit


def throttle_upsert_sql() -> str:
    """The counting upsert (one parameter pair: key, window start), RETURNING count."""
    table = SubmissionThrottle._meta.db_table
    return (
        f"INSERT INTO {table} (client_key, window_start, count) VALUES (%s, %s, 1) "
        "ON CONFLICT (client_key, window_start) DO UPDATE SET count = "
        f"{table}.count + 1 RETURNING count"
    )


def throttle_cleanup(*, start: datetime) -> None:
    """Occasionally (1 call in 100) delete expired windows."""
    if random.random() < 0.01:
        rate = parse_rate(settings.SKM_SUBMIT_RATE_LIMIT)
        SubmissionThrottle.objects.filter(window_start__lt=start - timedelta(seconds=rate.seconds)).delete()


def throttle_hit(*, key: str, now: datetime | None = None) -> bool:
    """Count one attempt; False when the client is over its limit."""
    rate = parse_rate(settings.SKM_SUBMIT_RATE_LIMIT)
    if rate.limit <= 0:
        return True
    now = now or timezone.now()
    start = _window_start(now, rate.seconds)
    table = SubmissionThrottle._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_key, window_start, count) VALUES (%s, %s, 1) "
            "ON CONFLICT (client_key, window_start) DO UPDATE SET count = "
            f"{table}.count + 1 RETURNING count",
            [key, start],
        )
        count = cursor.fetchone()[0]
    if random.random() < 0.01:  # occasional clean-up of expired windows
        SubmissionThrottle.objects.filter(window_start__lt=start - timedelta(seconds=rate.seconds)).delete()
    return count <= rate.limit
