"""Through PgBouncer in transaction pool mode (SKM_DB_POOLER=pgbouncer-transaction,
the PgBouncer slice of scripts/test.sh): the connection really goes through it, in
transaction mode, and nothing the application does needs a session of its own."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from skm.tests.pgscale import pgbouncer_admin, pgbouncer_console
from surveys.models import Unit
from surveys.tests.factories import UnitFactory

pytestmark = [
    pytest.mark.skipif(not settings.SKM_TRANSACTION_POOLING, reason="only through PgBouncer (SKM_DB_POOLER)"),
    pytest.mark.django_db(transaction=True),
]


def test_the_connection_goes_through_pgbouncer_in_transaction_mode():
    with connection.cursor() as cursor:
        cursor.execute("SELECT inet_server_port()")
        server_port = cursor.fetchone()[0]
    assert server_port != int(connection.settings_dict["PORT"])  # the server is behind a proxy
    db = connection.settings_dict
    with pgbouncer_console() as admin:
        cursor = admin.execute("SHOW POOLS")
        columns = [c.name for c in cursor.description]
        pools = {row[columns.index("database")]: row[columns.index("pool_mode")] for row in cursor.fetchall()}
    assert pools[db["NAME"]] == "transaction"


def test_iterator_does_not_declare_a_cursor_that_outlives_the_transaction():
    UnitFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        codes = [u.code for u in Unit.objects.order_by("code").iterator(chunk_size=2)]
    assert len(codes) == 3
    assert not any("DECLARE" in q["sql"] for q in queries.captured_queries)


def test_web_insert_is_not_prepared():
    assert settings.SKM_PREPARED_WEB_INSERT is False


def test_the_time_zone_holds_on_every_pooled_server_connection():
    """Django sets the session's time zone once per connection (SET TIME ZONE);
    PgBouncer carries it to whichever server connection serves a transaction."""
    pgbouncer_admin(f"RECONNECT {connection.settings_dict['NAME']}")  # fresh server connections
    zones = set()
    for _ in range(5):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('TimeZone'), now()")
            zone, now = cursor.fetchone()
            zones.add(zone)
    assert zones == {"UTC"}
    assert now.utcoffset() == dt.timedelta(0)
