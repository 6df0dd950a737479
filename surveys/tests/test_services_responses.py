"""Managing a round's responses: soft delete, restore, correction, import undo,
paper-number duplicates and lock, and what the audit trail records."""

import io
import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from surveys.importing import ImportFileError
from surveys.models import ImportBatch, Period, Response, SurveyRound
from surveys.results import profile_tables_get, public_results_get
from surveys.selectors import ikm_for, period_latest_with_responses, response_channel_counts, response_count
from surveys.services import (
    DuplicateNumber,
    import_batch_create,
    import_batch_restore,
    import_batch_undo,
    response_create_paper,
    response_create_web,
    response_delete,
    response_restore,
    response_update,
)
from surveys.services_rounds import RoundNotOpen
from surveys.tests.factories import ResponseFactory, ServiceFactory, SurveyRoundFactory, publish_round

pytestmark = pytest.mark.django_db

ALL = {f"U{i}": 4 for i in range(1, 10)}
CSV = b"no,U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n1,1,1,1,1,1,1,1,1,1,jelek\n2,1,1,1,1,1,1,1,1,1,\n"


def _answers(value):
    return {f"U{i}": value for i in range(1, 10)}


@pytest.fixture
def two_rows(unit, period):
    """One respondent answering 4 everywhere (male), one answering 2 (female):
    NRR 3 per unsur, IKM 3 x 25 = 75,00; without the second one 4 x 25 = 100,00."""
    good = ResponseFactory(unit=unit, period=period, channel=Response.Channel.WEB, gender="L", **_answers(4))
    bad = ResponseFactory(unit=unit, period=period, channel=Response.Channel.WEB, gender="P", **_answers(2))
    return good, bad


def test_soft_deleted_row_leaves_every_result(unit, period, alice, two_rows):
    _good, bad = two_rows
    assert ikm_for(unit=unit, period=period).ikm == Decimal("75.00")
    response_delete(response=bad, user=alice, reason="Uji coba staf memindai QR sendiri")

    assert ikm_for(unit=unit, period=period).ikm == Decimal("100.00")
    assert response_count(unit=unit, period=period) == 1
    assert response_channel_counts(unit=unit, period=period)["web"] == 1
    gender = next(t for t in profile_tables_get(unit=unit, period=period) if t.key == "gender")
    assert [(r.label, r.count) for r in gender.rows] == [("Laki-laki", 1), ("Perempuan", 0)]
    publish_round(unit, period)
    assert public_results_get(unit=unit).result.ikm == Decimal("100.00")
    # The row itself stays, with who, when and why.
    stored = Response.all_objects.get(pk=bad.pk)
    assert stored.deleted_by == alice and stored.delete_reason == "Uji coba staf memindai QR sendiri"
    assert stored.deleted_at is not None


def test_period_with_only_deleted_rows_is_not_latest(unit, period, alice):
    row = ResponseFactory(unit=unit, period=period)
    assert period_latest_with_responses(unit=unit) == period
    response_delete(response=row, user=alice, reason="uji")
    assert period_latest_with_responses(unit=unit) is None


def test_restore_brings_the_row_back(unit, period, alice, two_rows):
    _good, bad = two_rows
    response_delete(response=bad, user=alice, reason="keliru")
    response_restore(response=bad, user=alice, reason="ternyata sah")
    assert ikm_for(unit=unit, period=period).ikm == Decimal("75.00")
    bad.refresh_from_db()
    assert bad.deleted_at is None and bad.delete_reason == ""


@pytest.mark.parametrize("reason", ["", "   "])
def test_delete_needs_a_reason(unit, period, alice, two_rows, reason):
    with pytest.raises(ValidationError, match="Alasan wajib diisi"):
        response_delete(response=two_rows[1], user=alice, reason=reason)
    assert Response.objects.count() == 2


def test_closed_round_refuses_delete_restore_and_correction(unit, alice):
    closed = Period.objects.create(code="2023-S2", kind="semester", start_date="2023-07-01", end_date="2023-12-31")
    SurveyRoundFactory(unit=unit, period=closed, status=SurveyRound.Status.CLOSED)
    row = ResponseFactory(unit=unit, period=closed, channel=Response.Channel.PAPER, number=1)
    with pytest.raises(RoundNotOpen):
        response_delete(response=row, user=alice, reason="x")
    with pytest.raises(RoundNotOpen):
        response_update(response=row, user=alice, answers={"U1": 1})
    Response.all_objects.filter(pk=row.pk).update(deleted_at="2023-12-01T00:00:00Z", delete_reason="lama")
    with pytest.raises(RoundNotOpen):
        response_restore(response=row, user=alice)
    row.refresh_from_db()
    assert (row.answers()["U1"], row.delete_reason) == (3, "lama")


def test_correction_of_a_paper_row_is_recorded(unit, period, alice):
    row = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 2, "U2": 3})
    service = ServiceFactory(unit=unit, name="KTP")
    response_update(response=row, user=alice, reason="salah baca formulir", answers={"U1": 4}, service=service, age=30)
    row.refresh_from_db()
    assert (row.answers()["U1"], row.answers()["U2"], row.age, row.service) == (4, 3, 30, service)
    last = row.history.order_by("-history_id").first()
    assert last.history_user == alice and last.history_change_reason == "salah baca formulir"
    changed = {c.field: (c.old, c.new) for c in last.diff_against(last.prev_record).changes}
    assert changed["scores"] == ({"SKM": [2, 3] + [None] * 7}, {"SKM": [4, 3] + [None] * 7})
    assert changed["age"] == (None, 30)


def test_web_rows_cannot_be_corrected(unit, period, alice, two_rows):
    with pytest.raises(ValidationError, match="web tidak dapat diubah"):
        response_update(response=two_rows[0], user=alice, answers={"U1": 1})


def test_correction_keeps_at_least_one_answer_and_own_services(unit, period, alice, other_unit):
    row = ResponseFactory(unit=unit, period=period, channel=Response.Channel.PAPER, number=1)
    with pytest.raises(ValidationError, match="minimal satu jawaban"):
        response_update(response=row, user=alice, answers={f"U{i}": None for i in range(1, 10)})
    with pytest.raises(ValidationError, match="bukan milik unit"):
        response_update(response=row, user=alice, service=ServiceFactory(unit=other_unit))


@pytest.mark.usefixtures("during_period")
def test_web_answers_are_not_in_the_history_until_changed(unit, period, alice):
    row = response_create_web(
        unit=unit, period=period, service=None, client_token=uuid.uuid4(), answers={f"U{i}": 3 for i in range(1, 10)}
    )
    assert row.history.count() == 0
    response_delete(response=row, user=alice, reason="jawaban uji")
    # The first change adds the row's state as written (its "before"), then the change.
    baseline, record = row.history.order_by("history_id")
    assert baseline.history_type == "+" and baseline.deleted_at is None and baseline.history_user is None
    assert baseline.history_date == row.submitted_at
    assert record.history_user == alice and record.history_change_reason == "jawaban uji"
    assert record.deleted_at is not None


@pytest.mark.usefixtures("during_period")
def test_deleted_web_token_is_still_one_time(unit, period, alice):
    from surveys.services import DuplicateSubmission

    token = uuid.uuid4()
    answers = {f"U{i}": 3 for i in range(1, 10)}
    row = response_create_web(unit=unit, period=period, service=None, client_token=token, answers=answers)
    response_delete(response=row, user=alice, reason="uji")
    with pytest.raises(DuplicateSubmission):
        response_create_web(unit=unit, period=period, service=None, client_token=token, answers=answers)


# --- import undo ----------------------------------------------------------------


def test_undo_and_restore_an_import(unit, period, alice, two_rows):
    batch = import_batch_create(fh=io.BytesIO(CSV), filename="salah.csv", unit=unit, period=period, user=alice).batch
    # 2 x (4,2) + 2 x 1: NRR (4 + 2 + 1 + 1) / 4 = 2 -> IKM 50,00
    assert ikm_for(unit=unit, period=period).ikm == Decimal("50.00")
    assert import_batch_undo(batch=batch, user=alice, reason="berkas unit lain") == 2
    assert ikm_for(unit=unit, period=period).ikm == Decimal("75.00")
    batch.refresh_from_db()
    assert batch.undone_by == alice and batch.undo_reason == "berkas unit lain"
    record = batch.history.order_by("-history_id").first()
    assert record.history_user == alice and record.history_change_reason == "berkas unit lain"
    with pytest.raises(ValidationError, match="sudah dibatalkan"):
        import_batch_undo(batch=batch, user=alice, reason="lagi")
    assert import_batch_restore(batch=batch, user=alice) == 2
    assert ikm_for(unit=unit, period=period).ikm == Decimal("50.00")


def test_restore_keeps_rows_deleted_before_the_undo(unit, period, alice):
    batch = import_batch_create(fh=io.BytesIO(CSV), filename="a.csv", unit=unit, period=period, user=alice).batch
    first = Response.objects.get(number=1)
    response_delete(response=first, user=alice, reason="ganda")
    assert import_batch_undo(batch=batch, user=alice, reason="salah") == 1
    assert import_batch_restore(batch=batch, user=alice) == 1
    assert list(Response.objects.values_list("number", flat=True)) == [2]
    # While the batch is undone, its rows come back only with the batch.
    import_batch_undo(batch=batch, user=alice, reason="salah lagi")
    with pytest.raises(ValidationError, match="pulihkan impornya"):
        response_restore(response=first, user=alice)


def test_undone_file_can_be_imported_again_but_not_restored_twice(unit, period, alice):
    first = import_batch_create(fh=io.BytesIO(CSV), filename="a.csv", unit=unit, period=period, user=alice).batch
    with pytest.raises(ImportFileError, match="sudah diimpor"):
        import_batch_create(fh=io.BytesIO(CSV), filename="a.csv", unit=unit, period=period, user=alice)
    import_batch_undo(batch=first, user=alice, reason="salah periode")
    import_batch_create(fh=io.BytesIO(CSV), filename="a.csv", unit=unit, period=period, user=alice)
    assert Response.objects.count() == 2
    with pytest.raises(ValidationError, match="diimpor ulang"):
        import_batch_restore(batch=first, user=alice)


def test_import_leaves_one_creation_record(unit, period, alice):
    batch = import_batch_create(fh=io.BytesIO(CSV), filename="a.csv", unit=unit, period=period, user=alice).batch
    record = ImportBatch.history.get(id=batch.pk)
    assert record.history_type == "+" and record.rows == 2 and record.history_user == alice


# --- paper numbers ----------------------------------------------------------------


def test_duplicate_paper_number_needs_confirmation(unit, period, alice):
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4}, number=7)
    with pytest.raises(DuplicateNumber, match="Nomor kuesioner 7 sudah dipakai"):
        response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3}, number=7)
    assert Response.objects.count() == 1
    response_create_paper(
        unit=unit, period=period, user=alice, answers={"U1": 3}, number=7, allow_duplicate_number=True
    )
    assert list(Response.objects.values_list("number", flat=True)) == [7, 7]


def test_correcting_to_a_taken_number_needs_confirmation(unit, period, alice):
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4}, number=1)
    second = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4}, number=2)
    with pytest.raises(DuplicateNumber):
        response_update(response=second, user=alice, number=1)
    response_update(response=second, user=alice, number=1, allow_duplicate_number=True)
    second.refresh_from_db()
    assert second.number == 1


def test_deleted_paper_number_is_free_again(unit, period, alice):
    row = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4}, number=5)
    response_delete(response=row, user=alice, reason="salah")
    again = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4}, number=5)
    assert again.number == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_paper_saves_take_different_numbers(unit, period, alice):
    """While one save holds the round's lock, a second save waits, then takes the next number."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    holding = threading.Event()
    release = threading.Event()
    numbers = []

    def first_save():
        with transaction.atomic():
            list(SurveyRound.objects.select_for_update().filter(unit=unit, period=period))
            holding.set()
            release.wait(5)
            # Take number 1 the way the service does, while still holding the lock.
            numbers.append(
                Response.objects.create(
                    unit=unit, period=period, channel=Response.Channel.PAPER, number=1, submitted_at="2024-08-01T10:00Z"
                ).number
            )
        connection.close()

    def second_save():
        holding.wait(5)
        numbers.append(response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4}).number)
        connection.close()

    threads = [threading.Thread(target=first_save), threading.Thread(target=second_save)]
    for t in threads:
        t.start()
    holding.wait(5)
    time.sleep(0.5)  # without the lock the second save would read "no number yet" meanwhile and take 1
    release.set()
    for t in threads:
        t.join(10)
    assert sorted(numbers) == [1, 2]


def test_retention_also_erases_deleted_rows_and_their_history(unit, alice, settings):
    import datetime as dt

    from surveys.services import personal_data_erase_expired

    old = Period.objects.create(code="2022-S1", kind="semester", start_date="2022-01-01", end_date="2022-06-30")
    row = ResponseFactory(unit=unit, period=old, suggestion="Petugas X kasar", gender="P", age=40)
    SurveyRoundFactory(unit=unit, period=old)
    response_delete(response=row, user=alice, reason="uji")
    assert personal_data_erase_expired(actor="system", months=24, today=dt.date(2025, 1, 1)).total == 1
    stored = Response.all_objects.get(pk=row.pk)
    assert (stored.suggestion, stored.gender, stored.age) == ("", "", None)
    assert stored.delete_reason == "uji"  # the audit facts stay
    assert set(row.history.values_list("suggestion", "gender", "age")) == {("", "", None)}
