"""A Redis cache whose outage never takes a page down.

Django's ``RedisCache`` raises ``redis.exceptions.ConnectionError`` from every
call while Redis is stopped, restarting or unreachable, so every page that
reads the cache (the ``{% cache %}`` fragment of the questionnaire, the public
results page, the open data, the chart SVGs) would answer 500. A cache is an
optimisation: ``TolerantRedisCache`` answers a miss instead, the caller
renders from the database, and the failure is logged.

``skm.settings.base.cache_from_url`` puts this backend in place of Django's for
every ``redis://`` / ``rediss://`` ``CACHE_URL``, so every use of the cache,
ours and Django's (``{% cache %}``), goes through here; no call site has to
remember anything.

What a failure means per operation:

* reads (``get``, ``get_many``, ``has_key``, ``get_or_set``): a miss;
* writes (``set``, ``set_many``, ``touch``, ``delete``, ``delete_many``,
  ``clear``): nothing stored (or deleted), silently;
* counters and locks (``add``, ``incr``, ``decr``): ``CacheUnavailable`` is
  raised. A throttle or a lock built on the cache must choose itself whether
  to fail open or closed; a neutral answer (``add`` -> False) would decide it
  for them without saying so.

After a failure the backend does not touch Redis for ``RETRY_SECONDS`` (a
small circuit breaker): a page with several cache reads pays at most one
connection attempt, and an unreachable host (no "connection refused", only a
timeout) does not make every request wait. Connection and socket timeouts are
short by default for the same reason. One warning is logged when the cache
goes down (and at most one every ``LOG_EVERY_SECONDS`` while it stays down),
and one line when it answers again: an outage does not flood the log.

The per-process caches of ``surveys.selectors`` (questionnaire context, round
for collection) are plain dicts and never touch Redis. The submission throttle
and the login lockout (django-axes) are kept in the database, not the cache.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("skm.cache")

# Seconds the backend leaves Redis alone after a failed call.
RETRY_SECONDS = 5.0
# While Redis stays down, at most one warning this often (per process).
LOG_EVERY_SECONDS = 60.0
# Defaults for the connection pool (seconds); CACHE_URL's query string overrides them,
# e.g. redis://127.0.0.1:6379/1?socket_timeout=2
DEFAULT_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}


class CacheUnavailable(Exception):
    """The cache could not be reached; raised by ``add``, ``incr`` and ``decr`` only."""


class TolerantRedisCache(RedisCache):
    """``RedisCache`` that answers a miss while Redis is unreachable (see the module)."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._retry_at = 0.0  # monotonic time before which Redis is not tried
        self._down_since: float | None = None
        self._logged_at = 0.0

    # --- the circuit breaker ------------------------------------------------------

    def _available(self) -> bool:
        return time.monotonic() >= self._retry_at

    def _failed(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        self._retry_at = now + RETRY_SECONDS
        if self._down_since is None:
            self._down_since = now
            self._logged_at = now
            logger.warning(
                "Cache unavailable (%s failed: %s); pages are served from the database, Redis is tried again in %s s.",
                operation,
                error,
                RETRY_SECONDS,
            )
        elif now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning(
                "Cache still unavailable after %.0f s (%s failed: %s).", now - self._down_since, operation, error
            )

    def _succeeded(self) -> None:
        if self._down_since is not None:
            logger.warning("Cache available again after %.0f s.", time.monotonic() - self._down_since)
            self._down_since = None

    def _quietly(self, operation: str, call, fallback):
        if not self._available():
            return fallback
        try:
            value = call()
        except RedisError as error:
            self._failed(operation, error)
            return fallback
        self._succeeded()
        return value

    def _or_raise(self, operation: str, call):
        if not self._available():
            raise CacheUnavailable(f"cache {operation}: Redis unavailable")
        try:
            value = call()
        except RedisError as error:
            self._failed(operation, error)
            raise CacheUnavailable(f"cache {operation}: {error}") from error
        self._succeeded()
        return value

    # --- reads: a failure is a miss --------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._quietly("get", lambda: super(TolerantRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._quietly("get_many", lambda: super(TolerantRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._quietly("has_key", lambda: super(TolerantRedisCache, self).has_key(key, version), False)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        # BaseCache's version stores with add(), which raises here: read, compute, store quietly.
        missing = object()
        value = self.get(key, missing, version=version)
        if value is missing:
            value = default() if callable(default) else default
            if value is not None:
                self.set(key, value, timeout, version=version)
        return value

    # --- writes: a failure stores nothing ----------------------------------------------

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._quietly("set", lambda: super(TolerantRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored.
        return self._quietly(
            "set_many", lambda: super(TolerantRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._quietly("touch", lambda: super(TolerantRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._quietly("delete", lambda: super(TolerantRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._quietly("delete_many", lambda: super(TolerantRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._quietly("clear", lambda: super(TolerantRedisCache, self).clear(), False)

    # --- counters and locks: the caller decides ----------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> Any:
        return self._or_raise("add", lambda: super(TolerantRedisCache, self).add(key, value, timeout, version))

    def incr(self, key, delta=1, version=None) -> Any:
        return self._or_raise("incr", lambda: super(TolerantRedisCache, self).incr(key, delta, version))

    # decr() is BaseCache's incr(key, -delta): it raises CacheUnavailable too.

    def incr_expiring(self, key, timeout: int, version=None) -> int:
        """``add(key, 0, timeout)`` then ``incr(key)`` in one round trip (a
        MULTI/EXEC pipeline): a fixed-window counter. Raises CacheUnavailable."""

        def call():
            name = self.make_and_validate_key(key, version=version)
            pipe = self._cache.get_client(name, write=True).pipeline(transaction=True)
            pipe.set(name, 0, ex=timeout, nx=True)
            pipe.incr(name)
            return pipe.execute()[1]

        return self._or_raise("incr", call)


def counter_incr(cache, key: str, timeout: int) -> int:
    """Add one to a counter that expires ``timeout`` seconds after its first
    count: one Redis round trip with TolerantRedisCache, ``add`` + ``incr``
    with another backend (tests, local settings). CacheUnavailable as ``incr``."""
    incr_expiring = getattr(cache, "incr_expiring", None)
    if incr_expiring is not None:
        return incr_expiring(key, timeout)
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1
