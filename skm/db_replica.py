"""Reads of the public pages and open data from a read replica.

A view decorated with :func:`replica_reads` (the public results page, the published
PDF, the open-data JSON and CSV, the DCAT catalogue) runs its ORM reads on the
``replica`` alias (``DATABASE_REPLICA_URL``) when :func:`replica_usable` says so:

- only for GET and HEAD without a session cookie: a signed-in user (who may just have
  published a round) reads the primary, so nobody who wrote sees the replica's older
  state; anonymous visitors write nothing the public pages show;
- a write inside such a request goes to the primary, and every read after it too
  (read-your-writes within the request);
- a replica that fails during the request (down, restarted) is marked down and the
  view runs again on the primary: a read-only view can, and the visitor gets no 500.

Everything else (staff pages, the questionnaire, the API, tasks) never reads the
replica: the router is inactive outside those views. Without a replica configured
nothing changes at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.utils import InterfaceError, OperationalError

REPLICA = "replica"

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class _Block:
    """One request's replica reads; ``wrote`` once it wrote to the primary."""

    wrote: bool = False


_block: ContextVar[_Block | None] = ContextVar("skm_replica_block", default=None)


@dataclasses.dataclass(frozen=True)
class _Verdict:
    lag: float | None  # seconds behind the primary when checked; None = not usable
    checked_at: float  # time.monotonic() before the check


# One verdict per process (threads share it; replacing the entry is atomic).
_verdicts: dict[str, _Verdict] = {}


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_lag() -> float | None:
    """How many seconds the replica's data may be behind the primary's: 0 when it has
    replayed all the WAL the primary had written when asked, else the age of the last
    transaction it replayed (an upper bound). None when the replica does not answer,
    is not a standby (promoted) or has replayed no transaction to date by."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        primary_lsn = cursor.fetchone()[0]
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn, "
                "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8",
                [primary_lsn],
            )
            in_recovery, caught_up, age = cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("replica=unusable reason=%r", str(exc).strip()[:200])
        connections[REPLICA].close()
        return None
    if not in_recovery:
        return None
    if caught_up:
        return 0.0
    return None if age is None else max(age, 0.0)


def replica_usable() -> bool:
    """The one answer to "may this read go to the replica?": configured, answering,
    and less than SKM_REPLICA_MAX_LAG seconds behind. The verdict is reused for
    SKM_REPLICA_CHECK_SECONDS, counting the lag as growing by the time since the
    check, so a reused verdict never allows more than the allowed lag."""
    if not replica_configured():
        return False
    now = time.monotonic()
    verdict = _verdicts.get(REPLICA)
    if verdict is None or now - verdict.checked_at >= settings.SKM_REPLICA_CHECK_SECONDS:
        verdict = _Verdict(lag=replica_lag(), checked_at=now)
        _verdicts[REPLICA] = verdict
    return verdict.lag is not None and verdict.lag + (now - verdict.checked_at) < settings.SKM_REPLICA_MAX_LAG


def replica_mark_down() -> None:
    """The replica failed a read: the primary serves until the next check."""
    _verdicts[REPLICA] = _Verdict(lag=None, checked_at=time.monotonic())


def replica_verdict_forget() -> None:
    """Check again on the next read (tests, after changing the replica's state)."""
    _verdicts.pop(REPLICA, None)


@contextlib.contextmanager
def reads_from_replica() -> Iterator[None]:
    """ORM reads inside go to the replica until the first write (the caller has
    asked :func:`replica_usable`)."""
    token = _block.set(_Block())
    try:
        yield
    finally:
        _block.reset(token)


def replica_reads(view: Callable[..., Any]) -> Callable[..., Any]:
    """A read-only public view reads the replica when it is usable (module docstring)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not replica_usable()
        ):
            return view(request, *args, **kwargs)
        replica = connections[REPLICA]
        replica.errors_occurred = False
        try:
            with reads_from_replica():
                return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            if not replica.errors_occurred:
                raise
            logger.warning("replica=failed view=%s: read again from the primary", view.__name__)
            replica.close()
            replica_mark_down()
        return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads inside :func:`reads_from_replica` go to the replica until the request
    writes; writes always go to the primary, also for objects read from the replica.
    Nothing is ever migrated on the replica (a standby has its primary's schema)."""

    def db_for_read(self, model, **hints) -> str | None:
        block = _block.get()
        if block is not None and not block.wrote:
            return REPLICA
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return DEFAULT_DB_ALIAS
        return None

    def db_for_write(self, model, **hints) -> str | None:
        block = _block.get()
        if block is not None:
            block.wrote = True
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPLICA else None
