"""The league table (``Standing``, issue 21 point 4): every tally write marks its
(unit, period) stale in the same transaction, the refresh recomputes those
rows, and ``skm_rebuild`` gives back exactly what the write paths kept.
Expected indices are the reference survey's (86,11 / 86,03 / 85,25) or worked
out by hand in the comments."""

from __future__ import annotations

import io
import threading
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import ImportBatch, Response, Standing, StandingStale
from surveys.services import (
    import_batch_create,
    import_batch_restore,
    import_batch_undo,
    response_create_paper,
    response_create_web,
    response_delete,
    response_restore,
    response_update,
)
from surveys.services_standings import standings_refresh
from surveys.services_tallies import tally_rebuild
from surveys.tests.factories import ResponseFactory, UnitFactory
from surveys.tests.tallies import CODES

pytestmark = pytest.mark.django_db

ALL_FOUR = dict.fromkeys(CODES, 4)
ALL_TWO = dict.fromkeys(CODES, 2)


def standing(unit, period) -> tuple:
    """(respondents, IKM x 100 with weight 1/9, 0,111 and 0,11) after a refresh."""
    standings_refresh()
    row = Standing.objects.get(unit=unit, period=period, instrument="SKM")
    return row.respondents, row.index100_exact, row.index100_w0111, row.index100_w011


def snapshot() -> dict:
    columns = ("respondents", "index100_exact", "index100_w0111", "index100_w011", "unit_code", "unit_name", "name_key")
    return {
        (s["unit_id"], s["period_id"], s["instrument"]): tuple(s[c] for c in columns)
        for s in Standing.objects.values("unit_id", "period_id", "instrument", *columns)
    }


def test_the_reference_survey_in_the_league_table(unit, period, reference_responses):
    # The regulation's worked example: 86,11 (1/9), 86,03 (0,111), 85,25 (0,11).
    assert standing(unit, period) == (50, 8611, 8603, 8525)


def test_every_write_path_moves_the_unit_in_the_league_table(unit, period, alice, during_period):
    web = response_create_web(unit=unit, period=period, service=None, client_token=uuid.uuid4(), answers=ALL_FOUR)
    # NRR 4 on each unsur: 4 x 1/9 x 9 x 25 = 100,00; 4 x 0,999 x 25 = 99,90; 4 x 0,99 x 25 = 99,00.
    assert standing(unit, period) == (1, 10000, 9990, 9900)
    paper = response_create_paper(unit=unit, period=period, user=alice, answers=ALL_TWO)
    # NRR 3: 75,00; 3 x 0,999 x 25 = 74,925 -> 74,93 (half up); 3 x 0,99 x 25 = 74,25.
    assert standing(unit, period) == (2, 7500, 7493, 7425)
    response_delete(response=Response.objects.get(pk=web.pk), user=alice, reason="ganda")
    # Only the 2s: 50,00; 49,95; 49,50.
    assert standing(unit, period) == (1, 5000, 4995, 4950)
    response_restore(response=Response.all_objects.get(pk=web.pk), user=alice)
    assert standing(unit, period) == (2, 7500, 7493, 7425)
    response_update(response=Response.objects.get(pk=paper.pk), user=alice, answers=ALL_FOUR)
    assert standing(unit, period) == (2, 10000, 9990, 9900)
    data = b"no,U1,U2,U3,U4,U5,U6,U7,U8,U9\n" + b"".join(f"{n},2,2,2,2,2,2,2,2,2\n".encode() for n in range(1, 3))
    batch = import_batch_create(fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period, user=alice).batch
    # Two 4s and two 2s on every unsur: NRR 3 again.
    assert standing(unit, period) == (4, 7500, 7493, 7425)
    import_batch_undo(batch=batch, user=alice, reason="berkas salah")
    assert standing(unit, period) == (2, 10000, 9990, 9900)
    import_batch_restore(batch=ImportBatch.objects.get(pk=batch.pk), user=alice)
    assert standing(unit, period) == (4, 7500, 7493, 7425)


def test_a_rolled_back_write_leaves_nothing_stale(unit, period, alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        response_create_paper(unit=unit, period=period, user=alice, answers=ALL_FOUR)
        assert StandingStale.objects.filter(unit=unit, period=period).exists()
        raise RuntimeError
    assert not StandingStale.objects.exists()


def test_units_without_answers_are_listed_and_a_unit_change_reaches_the_table(district, unit, period, alice):
    response_create_paper(unit=unit, period=period, user=alice, answers=ALL_FOUR)
    standings_refresh()
    # The period's table has every unit: those without answers have no index.
    empty = Standing.objects.get(unit=district, period=period)
    assert (empty.respondents, empty.index100_exact) == (0, None)
    late = UnitFactory(code="baru", name="Kelurahan Baru", parent=district)
    standings_refresh()
    assert Standing.objects.get(unit=late, period=period).name_key == "kelurahan baru"
    unit.name = "Kelurahan PULUTAN Lama"
    unit.save()
    standings_refresh()
    row = Standing.objects.get(unit=unit, period=period)
    assert (row.unit_name, row.name_key, row.index100_exact) == (
        "Kelurahan PULUTAN Lama",
        "kelurahan pulutan lama",
        10000,
    )


def test_skm_rebuild_gives_back_what_the_write_paths_kept(unit, district, period, alice, during_period):
    response_create_web(unit=unit, period=period, service=None, client_token=uuid.uuid4(), answers=ALL_FOUR)
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3, "U2": 1})
    neighbour = UnitFactory(code="tetangga", name="Kelurahan Tetangga", parent=district)
    ResponseFactory(unit=neighbour, period=period, **ALL_TWO)
    standings_refresh()
    kept = snapshot()
    assert kept[(neighbour.pk, period.pk, "SKM")][:2] == (1, 5000)
    Standing.objects.all().delete()
    call_command("skm_rebuild", stdout=io.StringIO())
    assert snapshot() == kept


def _in_thread(target, errors: list) -> threading.Thread:
    def run():
        try:
            target()
        except BaseException as exc:  # surfaced by the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.postgres(reason="two connections: a writer holding its transaction while the refresh runs")
@pytest.mark.django_db(transaction=True)
def test_the_refresh_waits_for_a_writer_holding_a_stale_row(unit, period, alice):
    response_create_paper(unit=unit, period=period, user=alice, answers=ALL_TWO)  # committed, stale
    written, release, refreshed = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write():
        with transaction.atomic():
            response_create_paper(unit=unit, period=period, user=alice, answers=ALL_FOUR)  # locks the stale row
            written.set()
            release.wait(10)

    def refresh():
        standings_refresh()
        refreshed.set()

    w = _in_thread(write, errors)
    assert written.wait(10)
    r = _in_thread(refresh, errors)
    time.sleep(0.5)
    assert not refreshed.is_set()  # the DELETE of the stale row waits for the writer
    release.set()
    w.join(10)
    r.join(10)
    assert not errors and refreshed.is_set()
    # Both answers are in (the refresh read the tallies after the writer committed): NRR 3.
    row = Standing.objects.get(unit=unit, period=period, instrument="SKM")
    assert (row.respondents, row.index100_exact) == (2, 7500)
    assert not StandingStale.objects.exists()


@pytest.mark.postgres(reason="two connections: a writer holding its transaction while the refresh runs")
@pytest.mark.django_db(transaction=True)
def test_a_write_committed_after_the_refresh_stays_stale_for_the_next(unit, period, alice):
    response_create_paper(unit=unit, period=period, user=alice, answers=ALL_TWO)
    standings_refresh()
    written, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write():
        with transaction.atomic():
            response_create_paper(unit=unit, period=period, user=alice, answers=ALL_FOUR)  # a new stale row
            written.set()
            release.wait(10)

    w = _in_thread(write, errors)
    assert written.wait(10)
    assert standings_refresh() == 0  # the uncommitted row is not seen, and not waited for
    release.set()
    w.join(10)
    assert not errors
    assert Standing.objects.get(unit=unit, period=period, instrument="SKM").index100_exact == 5000
    assert standings_refresh() == 1
    assert Standing.objects.get(unit=unit, period=period, instrument="SKM").index100_exact == 7500


def test_a_rebuild_of_one_unit_starts_the_periods_table_for_every_unit(district, unit, period):
    ResponseFactory(unit=unit, period=period, **ALL_FOUR)
    Standing.objects.all().delete()
    StandingStale.objects.all().delete()
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)  # a bulk load of one unit (the demo data does this)
    rows = dict(Standing.objects.filter(period=period, instrument="SKM").values_list("unit_id", "index100_exact"))
    assert rows[unit.pk] == 10000 and rows[district.pk] is None


def test_a_period_without_answers_says_so(client, bob, period, unit):
    assert client.login(username=bob.username, password=PASSWORD)
    html = client.get(reverse("surveys:results_compare") + "?periode=2024-S2").content.decode()
    assert "Belum ada jawaban pada periode ini" in html
    ResponseFactory(unit=unit, period=period, **ALL_FOUR)
    html = client.get(reverse("surveys:results_compare") + "?periode=2024-S2").content.decode()
    assert "Belum ada jawaban pada periode ini" not in html and 'data-unit="pulutan"' in html
