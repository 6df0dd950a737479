"""A Redis outage does not take pages down (skm.cache.TolerantRedisCache).

The cache is pointed at a Redis that is not running (nothing listens on port
6390) through the same ``cache_from_url`` the settings use for CACHE_URL.
"""

import logging
import os
import uuid

import pytest
from django.core.cache import cache, caches

from skm.cache import CacheUnavailable, TolerantRedisCache, counter_incr
from skm.settings.base import cache_from_url
from surveys.chart_store import chart_url
from surveys.tests.factories import publish_round

DOWN_URL = "redis://127.0.0.1:6390/0"
UP_URL = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_down(settings, caplog):
    settings.CACHES = {"default": cache_from_url(DOWN_URL)}
    caplog.set_level(logging.WARNING, logger="skm.cache")
    return caplog


def cache_warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "skm.cache" and r.levelno == logging.WARNING]


# --- settings -------------------------------------------------------------------------


def test_redis_cache_url_gets_the_tolerant_backend():
    assert cache_from_url("redis://127.0.0.1:6379/1")["BACKEND"] == "skm.cache.TolerantRedisCache"
    assert cache_from_url("rediss://cache.example:6380/1")["BACKEND"] == "skm.cache.TolerantRedisCache"
    assert cache_from_url("locmemcache://skm")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_short_timeouts_by_default_and_the_url_overrides_them():
    backend = TolerantRedisCache("redis://127.0.0.1:6390/0", {})
    assert backend._options["socket_connect_timeout"] == 1.0
    config = cache_from_url("redis://127.0.0.1:6390/0?socket_timeout=3")
    backend = TolerantRedisCache(config["LOCATION"], config)
    assert backend._options["socket_timeout"] == 3


# --- pages ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("during_period")
def test_questionnaire_renders_without_redis(client, unit, period, redis_down):
    for _ in range(2):
        response = client.get(f"/isi/{unit.code}/")
        assert response.status_code == 200
        assert 'name="u9"' in response.content.decode()
    [warning] = cache_warnings(redis_down)  # logged once, not once per cache call
    assert "Cache unavailable" in warning.getMessage()


@pytest.mark.django_db
def test_public_results_page_renders_from_the_database_without_redis(
    client, unit, period, reference_responses, redis_down
):
    publish_round(unit, period)
    for _ in range(2):
        response = client.get(f"/publik/{unit.code}/hasil/")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="ikm">86,11<' in html and "versi 1" in html
    assert len(cache_warnings(redis_down)) == 1


@pytest.mark.django_db
def test_open_data_renders_from_the_database_without_redis(client, unit, period, reference_responses, redis_down):
    publish_round(unit, period)
    response = client.get(f"/publik/{unit.code}/hasil.json")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["period"], row["version"], row["respondents"], row["ikm"]) == ("2024-S2", 1, 50, "86.11")
    csv_response = client.get(f"/publik/{unit.code}/wilayah.csv")
    assert csv_response.status_code == 200 and "86.11" in csv_response.content.decode()
    assert len(cache_warnings(redis_down)) == 1


@pytest.mark.django_db
def test_chart_is_drawn_without_redis(client, alice, redis_down):
    client.force_login(alice)
    url = chart_url("histogram", {"c": [["A", 3], ["B", 1]]})
    response = client.get(url)
    assert response.status_code == 200 and b"</svg>" in response.content
    assert len(cache_warnings(redis_down)) == 1


# --- the backend ----------------------------------------------------------------------


def test_reads_miss_and_writes_store_nothing_while_redis_is_down(redis_down):
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["k", "l"]) == {}
    assert cache.has_key("k") is False
    assert cache.get_or_set("k", lambda: "computed") == "computed"
    cache.set("k", 1)
    assert cache.set_many({"k": 1, "l": 2}) == ["k", "l"]
    assert cache.delete("k") is False
    cache.delete_many(["k"])
    assert cache.touch("k") is False
    cache.clear()


def test_counters_and_locks_raise_so_their_caller_decides(redis_down):
    for call in (
        lambda: cache.add("k", 1),
        lambda: cache.incr("k"),
        lambda: cache.decr("k"),
        lambda: counter_incr(cache, "k", 60),
    ):
        with pytest.raises(CacheUnavailable):
            call()


def test_redis_is_left_alone_for_a_while_after_a_failure(redis_down):
    backend = caches["default"]
    assert backend.get("k") is None  # tries Redis, fails, opens the breaker

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("Redis tried again at once")

    backend._cache.get = must_not_be_called
    backend._cache.set = must_not_be_called
    assert backend.get("k", 7) == 7
    backend.set("k", 1)
    assert len(cache_warnings(redis_down)) == 1


def test_works_as_a_cache_when_redis_is_up_and_logs_the_recovery(caplog):
    caplog.set_level(logging.WARNING, logger="skm.cache")
    backend = TolerantRedisCache(UP_URL, {"KEY_PREFIX": f"skm-test-{uuid.uuid4().hex}"})
    backend._retry_at = 0.0
    backend._down_since = 0.0  # as if it had been down
    try:
        backend.set("k", {"v": 1})
        assert backend.get("k") == {"v": 1}
        assert backend.add("n", 1) is True and backend.add("n", 5) is False
        assert backend.incr("n") == 2
        assert backend.get_or_set("g", lambda: "x") == "x" and backend.get("g") == "x"
    finally:
        backend.delete_many(["k", "n", "g"])
    assert [r.getMessage() for r in cache_warnings(caplog)][0].startswith("Cache available again")


def test_an_expiring_counter_is_one_round_trip_and_reads_as_an_int(settings):
    settings.CACHES = {"default": cache_from_url(UP_URL)}
    key = f"skm:test:counter:{uuid.uuid4().hex}"
    assert [counter_incr(cache, key, 60) for _ in range(3)] == [1, 2, 3]
    assert cache.get(key) == 3  # the same value add() + incr() would store
    name = cache.make_and_validate_key(key)
    assert 0 < cache._cache.get_client(name).ttl(name) <= 60
    cache.delete(key)
