"""The public pages and open data read the streaming replica of scripts/pg-scale.sh
while it is usable, and the primary otherwise (skm/db_replica.py).

The proof that a page read the replica: replay is paused on the replica
(pg_wal_replay_pause), the unit is renamed on the primary (committed), and the
page still shows the old name, which only the replica still holds.
"""

import socket
import time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD
from skm import db_replica
from skm.db_replica import REPLICA, reads_from_replica, replica_lag, replica_usable
from skm.tests.pgscale import (
    add_replica_alias,
    remove_replica_alias,
    replica_execute,
    replica_settings,
    wait_until_caught_up,
)
from surveys.models import Unit
from surveys.tests.factories import UnitFactory

# Committed transactions: the replica only sees what the primary committed. The
# replica alias is allowed in these tests (it exists for the whole module, added
# before each test's database set-up checks its aliases).
pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.postgres(reason="a streaming replica"),
]

URL = "/publik/pulutan/hasil/"
OLD, NEW = "Kelurahan Pulutan", "Kelurahan Pulutan Raya"
# The lag allowed where a test waits for the paused replica to fall behind it: the
# replica's last replayed transaction is the unit's creation, a moment before the pause.
ALLOWED = 2.0


@pytest.fixture(scope="module", autouse=True)
def replica_config(django_db_setup, django_db_blocker):
    """The real replica of scripts/pg-scale.sh as the ``replica`` alias, for this module."""
    config = replica_settings()
    add_replica_alias(config)
    yield config
    remove_replica_alias()


@pytest.fixture
def replica(replica_config, settings):
    """The replica's connection; every request checks the replica afresh unless a test
    says otherwise. Afterwards replay runs again and the alias is as configured."""
    settings.SKM_REPLICA_MAX_LAG = 60.0
    settings.SKM_REPLICA_CHECK_SECONDS = 0.0
    add_replica_alias(replica_config)
    yield connections[REPLICA]
    add_replica_alias(replica_config)
    replica_execute("SELECT pg_wal_replay_resume()")


@pytest.fixture
def renamed_behind(replica, unit):
    """The replica holds the unit as OLD, the primary as NEW (replay paused)."""
    assert unit.name == OLD
    wait_until_caught_up()
    replica_execute("SELECT pg_wal_replay_pause()")
    Unit.objects.filter(pk=unit.pk).update(name=NEW)
    return unit


def dead_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unit_name_on_page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    return NEW if NEW in html else OLD if OLD in html else "neither"


def test_public_page_reads_the_replica(client, renamed_behind, replica):
    with CaptureQueriesContext(replica) as on_replica:
        assert unit_name_on_page(client) == OLD
    assert any("surveys_unit" in q["sql"] for q in on_replica.captured_queries)


def test_open_data_reads_the_replica(client, renamed_behind, replica):
    with CaptureQueriesContext(replica) as on_replica:
        for path in ("/publik/pulutan/hasil.json", "/publik/pulutan/wilayah.csv", "/publik/katalog.json?unit=pulutan"):
            assert client.get(path).status_code == 200, path
    # Each of the three looked its unit up on the replica.
    assert sum('"surveys_unit"."code" =' in q["sql"] for q in on_replica.captured_queries) == 3


def test_public_api_reads_the_replica(client, renamed_behind, replica):
    with CaptureQueriesContext(replica) as on_replica:
        listed = client.get("/api/v1/units/", {"parent": renamed_behind.parent.code})
        published = client.get(f"/api/v1/units/{renamed_behind.code}/publications/")
    assert listed.status_code == 200 and published.status_code == 200
    assert [u["name"] for u in listed.json()["items"] if u["code"] == renamed_behind.code] == [OLD]
    # Both looked the unit up on the replica.
    assert sum('"surveys_unit"."code" =' in q["sql"] for q in on_replica.captured_queries) == 2


def test_api_with_a_token_reads_the_primary(renamed_behind, replica, alice):
    from django.test import Client

    from skm.api.models import Scope
    from skm.api.services import api_token_create

    raw = api_token_create(user=alice, name="t", scopes=[Scope.READ_UNIT])[1]
    with CaptureQueriesContext(replica) as on_replica:
        got = Client().get(f"/api/v1/units/{renamed_behind.code}/rounds/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert got.status_code == 200
    assert on_replica.captured_queries == []


def test_primary_once_the_replica_is_behind_more_than_allowed(client, renamed_behind, settings):
    settings.SKM_REPLICA_MAX_LAG = ALLOWED
    assert unit_name_on_page(client) == OLD  # paused just now: still within the allowed lag
    time.sleep(ALLOWED + 0.2)
    assert unit_name_on_page(client) == NEW


def test_replica_again_once_it_caught_up(client, renamed_behind, settings):
    settings.SKM_REPLICA_MAX_LAG = ALLOWED
    time.sleep(ALLOWED + 0.2)
    assert unit_name_on_page(client) == NEW
    replica_execute("SELECT pg_wal_replay_resume()")
    wait_until_caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert unit_name_on_page(client) == NEW
    assert on_replica.captured_queries


def test_a_kept_verdict_counts_the_time_since_the_check(renamed_behind, settings):
    """Between checks the lag is counted as growing: a verdict cannot outlive the allowed lag."""
    settings.SKM_REPLICA_CHECK_SECONDS = 60.0
    settings.SKM_REPLICA_MAX_LAG = ALLOWED
    assert replica_usable()
    time.sleep(ALLOWED + 0.2)
    assert not replica_usable()


def test_primary_when_the_replica_is_down(client, renamed_behind, replica, caplog):
    replica.close()
    replica.settings_dict["PORT"] = dead_port()
    assert replica_lag() is None
    assert unit_name_on_page(client) == NEW
    assert "replica=unusable" in caplog.text


def test_primary_when_the_replica_fails_during_the_request(client, renamed_behind, replica, settings):
    """The verdict was "usable" (kept 60 s), then the replica went away: the page is
    read again from the primary, no 500, and the replica is left alone until the next check."""
    settings.SKM_REPLICA_CHECK_SECONDS = 60.0
    assert replica_usable()
    replica.close()
    replica.settings_dict["PORT"] = dead_port()
    assert unit_name_on_page(client) == NEW
    assert not replica_usable()


def test_no_replica_configured_reads_the_primary(client, renamed_behind):
    """Without the alias (DATABASE_REPLICA_URL unset) nothing asks for a replica."""
    remove_replica_alias()  # the fixture puts it back
    assert not replica_usable()
    assert unit_name_on_page(client) == NEW


def test_signed_in_user_reads_the_primary(client, renamed_behind, replica, alice):
    """Who may just have published reads the primary, also on the public page."""
    assert client.login(username=alice.username, password=PASSWORD)
    with CaptureQueriesContext(replica) as on_replica:
        assert unit_name_on_page(client) == NEW
    assert on_replica.captured_queries == []


def test_staff_page_never_reads_the_replica(client, renamed_behind, replica, alice):
    assert client.login(username=alice.username, password=PASSWORD)
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get("/")
        assert response.status_code == 200
    assert NEW in response.content.decode()
    assert on_replica.captured_queries == []


def test_writes_go_to_the_primary_and_later_reads_follow_them(renamed_behind, replica):
    with reads_from_replica():
        assert Unit.objects.get(code="pulutan").name == OLD  # the replica
        # A standby refuses every write ("read-only transaction"): this one reached the primary.
        UnitFactory(code="baru", name="Kelurahan Baru")
        # Read-your-writes: after the write, reads in the block go to the primary.
        assert Unit.objects.get(code="pulutan").name == NEW
        assert Unit.objects.filter(code="baru").exists()
    with reads_from_replica():
        unit = Unit.objects.get(code="pulutan")
        assert unit._state.db == REPLICA
    unit.name = "Kelurahan Pulutan Lama"
    unit.save()  # an object read from the replica is saved to the primary
    assert Unit.objects.get(code="pulutan").name == "Kelurahan Pulutan Lama"


def test_posts_never_read_the_replica(client, renamed_behind, replica):
    with CaptureQueriesContext(replica) as on_replica:
        client.post("/publik/pulutan/hasil.json")
    assert on_replica.captured_queries == []


def test_router_is_inactive_outside_the_public_views(renamed_behind):
    assert Unit.objects.get(code="pulutan").name == NEW
    assert db_replica.ReplicaRouter().db_for_read(Unit) is None
