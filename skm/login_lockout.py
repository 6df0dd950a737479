"""Login lockout rules on top of django-axes (AXES_HANDLER).

Two limits, both counted over the failures of the last cool-off period
(``AXES_COOLOFF_TIME``, ``SKM_LOGIN_LOCKOUT_MINUTES``):

- **user name at an address**: ``AXES_FAILURE_LIMIT`` (``SKM_LOGIN_FAILURE_LIMIT``,
  default 5) failures for one user name from one client address lock that pair
  only (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``). Someone
  guessing a user's password elsewhere never locks the real user out of their
  own office, and one colleague's typos never lock the others behind the same
  NAT address;
- **address ceiling**: ``SKM_LOGIN_ADDRESS_FAILURE_LIMIT`` (default 20, 0 = off)
  failures from one address, whatever the user names, lock that address, which
  stops password spraying (a few guesses at each of many names).

Axes 8.3 compares every lockout parameter with one single failure limit
(``get_failure_limit`` knows the request, not the parameter), so the slower
address ceiling is added here, in ``get_failures``. A successful login clears
only that user's failures at that address (``AXES_RESET_ON_SUCCESS``).

``lockout_state`` tells the lockout page which limit applies and when the lock
ends; ``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`` keeps that time
true (an attempt during the lock does not extend it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone


def address_failure_limit() -> int:
    """Failures from one address (any user names) that lock it; 0 = no ceiling."""
    return int(getattr(settings, "SKM_LOGIN_ADDRESS_FAILURE_LIMIT", 0) or 0)


def _cool_off(request) -> timedelta | None:
    return get_cool_off(request)


def _recent(request, **lookup) -> QuerySet[AccessAttempt]:
    """Attempts matching ``lookup`` that still count (inside the cool-off period)."""
    attempts = AccessAttempt.objects.filter(**lookup)
    cool_off = _cool_off(request)
    if cool_off is not None:
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        attempts = attempts.filter(attempt_time__gte=now - cool_off)
    return attempts


def _failures(attempts: QuerySet[AccessAttempt]) -> list[tuple[datetime, int]]:
    return list(attempts.order_by("attempt_time").values_list("attempt_time", "failures_since_start"))


def _unlocked_at(failures: list[tuple[datetime, int]], limit: int, cool_off: timedelta | None) -> datetime | None:
    """When the failures fall below ``limit`` as they expire, oldest first (each
    record counts until its last attempt plus the cool-off); None = never by itself."""
    if cool_off is None:
        return None
    total = sum(count for _time, count in failures)
    for attempt_time, count in failures:
        total -= count
        if total < limit:
            return attempt_time + cool_off
    return None


def address_failures(request) -> int:
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    return sum(count for _time, count in _failures(_recent(request, ip_address=address)))


class LoginLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the per-address ceiling."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        ceiling = address_failure_limit()
        if ceiling > 0 and address_failures(request) >= ceiling:
            # Axes locks when failures reach its single limit: report at least that.
            return max(failures, get_failure_limit(request, credentials))
        return failures


@dataclass(frozen=True)
class Lockout:
    """Why a login is refused and until when (None: until an admin unlocks)."""

    reason: Literal["account", "address"]
    limit: int
    until: datetime | None


def lockout_state(request, credentials: dict | None = None) -> Lockout:
    """The lock that refuses this login: the user name at this address, or the
    address ceiling; when both apply, the one that ends last."""
    cool_off = _cool_off(request)
    address = getattr(request, "axes_ip_address", None)
    username = get_client_username(request, credentials)
    limit = get_failure_limit(request, credentials)
    locks: list[Lockout] = []
    pair = _failures(_recent(request, username=username, ip_address=address))
    if sum(count for _time, count in pair) >= limit:
        locks.append(Lockout("account", limit, _unlocked_at(pair, limit, cool_off)))
    ceiling = address_failure_limit()
    if ceiling > 0 and address:
        spread = _failures(_recent(request, ip_address=address))
        if sum(count for _time, count in spread) >= ceiling:
            locks.append(Lockout("address", ceiling, _unlocked_at(spread, ceiling, cool_off)))
    if not locks:  # e.g. an admin removed the lock meanwhile: say the account rule
        return Lockout("account", limit, timezone.now() + cool_off if cool_off else None)
    # A permanent lock (None) outlasts any dated one.
    return max(locks, key=lambda lock: (lock.until is None, lock.until or timezone.now()))
