"""A round's own collection window and Tabel II.1 rows: model validation, the all-or-nothing service and
its attribution (django-simple-history)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from surveys.models import SurveyRound
from surveys.services_rounds import round_set_report_details, round_set_schedule
from surveys.tests.factories import publish_round

pytestmark = pytest.mark.django_db
D = dt.date


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (D(2024, 8, 1), None, "collection_end", "Isi awal dan akhir pengumpulan data"),
        (None, D(2024, 8, 1), "collection_start", "Isi awal dan akhir pengumpulan data"),
        (D(2024, 9, 30), D(2024, 8, 1), "collection_end", "tidak boleh sebelum awalnya"),
        (D(2024, 6, 30), D(2024, 8, 1), "collection_start", "harus di dalam periode Semester II Tahun 2024"),
        (D(2024, 8, 1), D(2025, 1, 1), "collection_end", "(1 Juli 2024 – 31 Desember 2024)"),
    ],
)
def test_window_validation(survey_round, start, end, field, message):
    survey_round.collection_start, survey_round.collection_end = start, end
    with pytest.raises(ValidationError) as exc:
        survey_round.clean()
    assert message in " ".join(exc.value.message_dict[field])


def test_window_inside_the_period_or_none_is_valid(survey_round):
    survey_round.clean()
    survey_round.collection_start, survey_round.collection_end = D(2024, 7, 1), D(2024, 12, 31)
    survey_round.clean()
    assert survey_round.collection_window == (D(2024, 7, 1), D(2024, 12, 31))


def test_database_refuses_half_or_reversed_window(survey_round):
    for start, end in ((D(2024, 8, 1), None), (D(2024, 9, 30), D(2024, 8, 1))):
        with pytest.raises(IntegrityError), transaction.atomic():
            SurveyRound.objects.filter(pk=survey_round.pk).update(collection_start=start, collection_end=end)


ROWS = [
    {"activity": "  Persiapan   kuesioner ", "start": D(2024, 6, 24), "end": D(2024, 6, 28)},
    {"activity": "Pengumpulan Data", "start": D(2024, 8, 1), "end": D(2024, 9, 30)},
]


def test_schedule_and_window_saved_and_attributed(survey_round, alice):
    before = survey_round.history.count()
    rnd = round_set_schedule(
        round=survey_round, rows=ROWS, collection_start=D(2024, 8, 1), collection_end=D(2024, 9, 30), user=alice
    )
    rnd.refresh_from_db()
    assert rnd.schedule == [
        {"activity": "Persiapan kuesioner", "start": "2024-06-24", "end": "2024-06-28"},
        {"activity": "Pengumpulan Data", "start": "2024-08-01", "end": "2024-09-30"},
    ]
    assert (rnd.collection_start, rnd.collection_end) == (D(2024, 8, 1), D(2024, 9, 30))
    last = rnd.history.first()
    assert last.history_user == alice and last.schedule == rnd.schedule
    assert last.collection_start == D(2024, 8, 1)
    # Back to the prefill: the rows go, the window stays; also attributed.
    round_set_schedule(round=rnd, rows=[], collection_start=D(2024, 8, 1), collection_end=D(2024, 9, 30), user=alice)
    rnd.refresh_from_db()
    assert rnd.schedule == [] and rnd.collection_start == D(2024, 8, 1)
    assert rnd.history.count() == before + 2 and rnd.history.first().history_user == alice


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"activity": "", "start": D(2024, 7, 1), "end": D(2024, 7, 2)}], "Baris 1: nama kegiatan wajib diisi."),
        ([{"activity": "x" * 201, "start": D(2024, 7, 1), "end": D(2024, 7, 2)}], "paling panjang 200 karakter"),
        ([ROWS[0], {"activity": "Olah", "start": D(2024, 7, 2), "end": D(2024, 7, 1)}], "Baris 2: tanggal selesai"),
        (
            [{"activity": "Olah", "start": None, "end": D(2024, 7, 1)}],
            "Baris 1: isi tanggal mulai dan tanggal selesai.",
        ),
        ([{"activity": "Olah", "start": D(1999, 1, 1), "end": D(1999, 1, 2)}], "Baris 1: tanggal harus antara"),
        ([ROWS[1]] * 13, "paling banyak 12 kegiatan"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_saved(survey_round, alice, rows, message):
    before = survey_round.history.count()
    with pytest.raises(ValidationError) as exc:
        round_set_schedule(
            round=survey_round, rows=rows, collection_start=D(2024, 8, 1), collection_end=D(2024, 9, 30), user=alice
        )
    assert message in _errors(exc.value)
    survey_round.refresh_from_db()
    assert survey_round.schedule == [] and survey_round.collection_start is None
    assert survey_round.history.count() == before


def test_bad_window_is_refused_with_the_rows(survey_round, alice):
    with pytest.raises(ValidationError) as exc:
        round_set_schedule(
            round=survey_round, rows=ROWS, collection_start=D(2024, 8, 1), collection_end=None, user=alice
        )
    assert "Isi awal dan akhir pengumpulan data" in _errors(exc.value)
    survey_round.refresh_from_db()
    assert survey_round.schedule == []


def test_report_date_before_the_window_is_refused_on_both_sides(survey_round, alice):
    round_set_report_details(round=survey_round, user=alice, report_date=D(2024, 7, 15), report_place="")
    with pytest.raises(ValidationError) as exc:
        round_set_schedule(
            round=survey_round, rows=[], collection_start=D(2024, 8, 1), collection_end=D(2024, 9, 30), user=alice
        )
    assert exc.value.message_dict["collection_start"] == [
        "Tanggal laporan (15 Juli 2024) sebelum awal pengumpulan data (1 Agustus 2024); ubah tanggal laporan atau "
        "awal pengumpulan data."
    ]
    round_set_report_details(round=survey_round, user=alice, report_date=D(2024, 10, 15), report_place="")
    round_set_schedule(
        round=survey_round, rows=[], collection_start=D(2024, 8, 1), collection_end=D(2024, 9, 30), user=alice
    )
    with pytest.raises(ValidationError) as exc:
        round_set_report_details(round=survey_round, user=alice, report_date=D(2024, 7, 31), report_place="")
    assert _errors(exc.value) == "Tanggal laporan tidak boleh sebelum awal pengumpulan data (1 Agustus 2024)."
    survey_round.refresh_from_db()
    assert survey_round.report_date == D(2024, 10, 15)


def test_published_round_refuses_the_schedule(unit, period, survey_round, alice, bob, reference_responses):
    publish_round(unit, period, user=bob)
    with pytest.raises(ValidationError) as exc:
        round_set_schedule(round=survey_round, rows=ROWS, collection_start=None, collection_end=None, user=alice)
    assert "sudah dipublikasikan" in _errors(exc.value)
