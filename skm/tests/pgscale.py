"""Helpers for the tests against the PgBouncer and the streaming replica that
scripts/pg-scale.sh starts (scripts/test.sh exports their URLs)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from skm.db_replica import REPLICA, replica_lag, replica_verdict_forget


@contextmanager
def pgbouncer_console() -> Iterator[psycopg.Connection]:
    """The admin console of the PgBouncer the default alias goes through (its
    simple query protocol only: a client-side binding cursor)."""
    db = connections[DEFAULT_DB_ALIAS].settings_dict
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="pgbouncer",
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    ) as admin:
        yield admin


def pgbouncer_admin(*commands: str) -> None:
    """Run commands on that console."""
    with pgbouncer_console() as admin:
        for command in commands:
            admin.execute(command)


def replica_settings() -> dict:
    """The ``replica`` alias as the settings would make it from TEST_REPLICA_URL
    (skm.settings.base.database_settings), on this run's test database."""
    from skm.settings.base import database_settings

    url = os.environ.get("TEST_REPLICA_URL", "")
    if not url:
        pytest.skip("TEST_REPLICA_URL is not set: scripts/test.sh starts the replica (scripts/pg-scale.sh)")
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL")
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    config = database_settings(url=url, replica_url=url, conn_max_age=0)[REPLICA]
    config["NAME"] = primary["NAME"]  # test_<name>, created on the primary and streamed
    return config


def add_replica_alias(config: dict) -> None:
    """Register (or reset) the alias at run time, after pytest-django set up the
    test databases, so it never creates or migrates a test database on it and the
    connection is the replica's own. Its TEST MIRROR only keeps TransactionTestCase
    from flushing it after each test (a standby refuses writes; flushing the primary
    empties it too): mirrors share a connection only when set up by setup_databases."""
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections[REPLICA]
    connections.settings[REPLICA] = {**config, "TEST": {**config.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}}
    connections.configure_settings(connections.settings)
    replica_verdict_forget()


def remove_replica_alias() -> None:
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
    replica_verdict_forget()


def wait_until_caught_up(timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica_lag() == 0.0:
            return
        time.sleep(0.05)
    raise AssertionError(f"the replica did not catch up with the primary in {timeout} s")


def replica_execute(sql: str) -> None:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)
