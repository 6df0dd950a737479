"""The database settings of production: the PgBouncer transaction-pooling mode and
the read replica (README "PgBouncer dan replika baca")."""

import json

import pytest

from skm.tests.test_settings import GOOD, _run

DUMP = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'aliases': sorted(s.DATABASES), 'default': s.DATABASES['default'], "
    "'replica': s.DATABASES.get('replica'), 'prepared': s.SKM_PREPARED_WEB_INSERT, "
    "'routers': s.DATABASE_ROUTERS}))"
)


def dump(**env: str) -> dict:
    result = _run("skm.settings.production", {**GOOD, **env}, code=DUMP)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_pooler_or_replica_nothing_changes():
    databases = dump()
    assert databases["aliases"] == ["default"]
    assert "DISABLE_SERVER_SIDE_CURSORS" not in databases["default"]
    assert databases["default"]["OPTIONS"] == {}
    assert databases["prepared"] is True


def test_transaction_pooling_turns_off_what_outlives_a_transaction():
    databases = dump(SKM_DB_POOLER="pgbouncer-transaction", DATABASE_URL="postgres://skm:x@127.0.0.1:6432/skm")
    default = databases["default"]
    assert default["PORT"] == 6432
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "prepare_threshold" not in default["OPTIONS"]  # Django's None: psycopg never prepares
    assert databases["prepared"] is False
    assert default["CONN_MAX_AGE"] == 60  # the client's connection to PgBouncer is kept


def test_prepared_web_insert_may_be_asked_for_behind_a_newer_pgbouncer():
    databases = dump(SKM_DB_POOLER="pgbouncer-transaction", SKM_PREPARED_WEB_INSERT="true")
    assert databases["prepared"] is True


def test_replica_alias_with_the_primary_options():
    databases = dump(
        DATABASE_URL="postgres://skm:x@10.0.0.5:6432/skm",
        DATABASE_REPLICA_URL="postgres://skm_ro:y@10.0.0.6:5432/skm?sslmode=require",
    )
    assert databases["aliases"] == ["default", "replica"]
    replica = databases["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"]) == ("10.0.0.6", 5432, "skm_ro")
    assert replica["OPTIONS"] == {"sslmode": "require", "connect_timeout": 2}
    assert replica["CONN_MAX_AGE"] == databases["default"]["CONN_MAX_AGE"]
    assert databases["routers"] == ["skm.db_replica.ReplicaRouter"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SKM_DB_POOLER": "pgbouncer"}, "SKM_DB_POOLER must be one of"),
        (
            {"SKM_DB_POOLER": "pgbouncer-transaction", "DATABASE_URL": GOOD["DATABASE_URL"] + "?prepare_threshold=5"},
            "leave prepare_threshold unset",
        ),
        (
            {"DATABASE_URL": "sqlite:////tmp/skm.sqlite3", "DATABASE_REPLICA_URL": "postgres://skm:x@127.0.0.1/skm"},
            "DATABASE_REPLICA_URL needs PostgreSQL",
        ),
    ],
)
def test_refuses_to_start_with(env, message):
    result = _run("skm.settings.production", {**GOOD, **env}, code=DUMP)
    assert result.returncode != 0
    assert message in result.stderr
