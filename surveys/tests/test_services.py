"""Write services of the collection side."""

import io
import uuid

import pytest
from django.core.exceptions import ValidationError

from surveys.importing import ImportFileError
from surveys.models import ImportBatch, Response, SurveyRound
from surveys.services import (
    DuplicateSubmission,
    import_batch_create,
    period_get_or_create,
    response_create_paper,
    response_create_web,
)
from surveys.services_rounds import RoundNotOpen, round_close
from surveys.tests.factories import ServiceFactory
from surveys.tests.tallies import answer_sums

pytestmark = pytest.mark.django_db

ALL3 = {f"U{i}": 3 for i in range(1, 10)}


def test_web_response_token_is_one_time(unit, period, during_period):
    token = uuid.uuid4()
    response_create_web(unit=unit, period=period, service=None, client_token=token, answers=ALL3)
    with pytest.raises(DuplicateSubmission):
        response_create_web(unit=unit, period=period, service=None, client_token=token, answers=ALL3)
    assert Response.objects.count() == 1


def test_closed_round_refuses_every_channel(unit, period, alice, reference_csv, during_period):
    round_close(round=SurveyRound.objects.get(unit=unit, period=period), user=alice)
    with pytest.raises(RoundNotOpen):
        response_create_web(unit=unit, period=period, service=None, client_token=uuid.uuid4(), answers=ALL3)
    with pytest.raises(RoundNotOpen):
        response_create_paper(unit=unit, period=period, user=alice, answers=ALL3)
    with reference_csv.open("rb") as fh, pytest.raises(ImportFileError, match="tidak sedang dibuka"):
        import_batch_create(fh=fh, filename="x.csv", unit=unit, period=period)
    assert Response.objects.count() == 0


def test_a_unit_without_a_round_collects_nothing(other_unit, period, alice, during_period):
    with pytest.raises(RoundNotOpen):
        response_create_web(unit=other_unit, period=period, service=None, client_token=uuid.uuid4(), answers=ALL3)
    with pytest.raises(RoundNotOpen):
        response_create_paper(unit=other_unit, period=period, user=alice, answers=ALL3)
    assert Response.objects.count() == 0


def test_paper_numbers_continue_and_blanks_stay_null(unit, period, alice):
    a = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4, "U9": None})
    b = response_create_paper(unit=unit, period=period, user=alice, answers={"U2": 1}, number=40)
    c = response_create_paper(unit=unit, period=period, user=alice, answers={"U3": 2})
    assert (a.number, b.number, c.number) == (1, 40, 41)
    a.refresh_from_db()
    assert a.answers()["U1"] == 4 and a.answers()["U2"] is None and a.answers()["U9"] is None


def test_paper_service_of_another_unit_refused(unit, period, alice, other_unit):
    with pytest.raises(ValidationError):
        response_create_paper(
            unit=unit, period=period, user=alice, answers=ALL3, service=ServiceFactory(unit=other_unit)
        )


def test_import_rolls_back_created_unit_and_period_on_error():
    data = io.BytesIO(b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,1,1,1,1,1,1,1,7\n")
    with pytest.raises(ImportFileError):
        import_batch_create(fh=data, filename="x.csv", unit_code="baru", period_code="2031-TW2", create=True)
    from surveys.models import Period, Unit

    assert not Unit.objects.filter(code="baru").exists() and not Period.objects.filter(code="2031-TW2").exists()


def test_period_get_or_create_is_idempotent(db):
    p1, created1 = period_get_or_create(code="2025-tw3")
    p2, created2 = period_get_or_create(code="2025-TW3")
    assert p1 == p2 and created1 and not created2
    assert str(p1.start_date) == "2025-07-01" and str(p1.end_date) == "2025-09-30"


def test_import_without_copy_uses_bulk_create(unit, period, reference_csv, reference_expected, monkeypatch):
    """The non-PostgreSQL path (SQLite in development) stores the same rows."""

    import surveys.services as services

    class NoCopy(services._ResponseWriter):
        def __init__(self):
            super().__init__()
            self.copy = False

    monkeypatch.setattr(services, "_ResponseWriter", NoCopy)
    monkeypatch.setattr(services, "IMPORT_BATCH_SIZE", 7)
    with reference_csv.open("rb") as fh:
        result = import_batch_create(fh=fh, filename="ref.csv", unit=unit, period=period)
    assert result.batch.rows == 50
    totals, _answered = answer_sums(Response.objects.filter(import_batch=result.batch))
    assert list(totals.values()) == [u["total"] for u in reference_expected["unsur"]]


def test_imported_rows_carry_profile_and_batch(unit, period, alice):
    data = io.BytesIO(
        b"no,layanan,jenis_kelamin,usia,pendidikan,pekerjaan,tanggal,saran,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"
        b"12,,P,33,D3,Mahasiswa,2024-08-17,Antri lama,1,2,3,4,,4,3,2,1\n"
    )
    result = import_batch_create(fh=data, filename="x.csv", unit=unit, period=period, user=alice)
    r = Response.objects.get()
    assert (r.number, r.gender, r.age, r.education, r.occupation, r.suggestion) == (
        12,
        "P",
        33,
        "DIPLOMA",
        "PELAJAR",
        "Antri lama",
    )
    assert str(r.service_date) == "2024-08-17" and r.answers()["U5"] is None and r.answers()["U9"] == 1
    assert r.import_batch == result.batch and r.created_by == alice and r.channel == Response.Channel.IMPORT


# --- import: values the database would refuse are refused first, with a message ---

IMPORT_HEADER = "no,U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n"


def test_import_number_overflow_is_a_message_not_a_database_error(unit, period):
    data = (IMPORT_HEADER + "1,3,3,3,3,3,3,3,3,3,\n99999999999,3,3,3,3,3,3,3,3,3,\n").encode()
    with pytest.raises(ImportFileError) as exc:
        import_batch_create(fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period)
    assert exc.value.errors == ["baris 3, kolom no: nomor '99999999999' di luar batas (0 sampai 2.147.483.647)"]
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_import_nul_byte_late_in_csv_saves_nothing(unit, period):
    data = (IMPORT_HEADER + "1,3,3,3,3,3,3,3,3,3,baik\n" * 1000 + "2,3,3,3,3,3,3,3,3,3,a\x00b\n").encode()
    with pytest.raises(ImportFileError) as exc:
        import_batch_create(fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period)
    assert exc.value.errors == [
        "baris 1002, kolom saran: berisi karakter NUL (bita 0) yang tidak diizinkan; simpan ulang berkas dari aplikasinya"
    ]
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_import_long_saran_is_stored_shortened_and_reported(unit, period):
    data = (IMPORT_HEADER + f"1,3,3,3,3,3,3,3,3,3,{'s' * 5001}\n2,3,3,3,3,3,3,3,3,3,pendek\n").encode()
    result = import_batch_create(fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period)
    assert result.warnings == ("baris 2, kolom saran: saran 5.001 karakter dipotong menjadi 5.000 karakter",)
    assert sorted(len(s) for s in Response.objects.values_list("suggestion", flat=True)) == [6, 5000]


# --- import jobs (run here without a broker; see test_worker_import.py for a real worker) ---


def _job(unit, period, alice, content: bytes = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n3,3,3,3,3,3,3,3,3\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from surveys.services import import_job_create

    return import_job_create(user=alice, unit=unit, period=period, upload=SimpleUploadedFile("a.csv", content))


def test_import_job_run_claims_once(unit, period, alice):
    from surveys.services import import_job_run

    job = _job(unit, period, alice)
    assert import_job_run(job_id=job.pk, attempt=1) == "done"
    assert import_job_run(job_id=job.pk, attempt=1) == "done"  # a redelivered message does nothing
    assert Response.objects.count() == 1 and ImportBatch.objects.count() == 1


def test_import_job_past_its_time_limit_saves_nothing(unit, period, alice, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from surveys import services

    def slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "import_batch_create", slow)
    job = _job(unit, period, alice)
    assert services.import_job_run(job_id=job.pk, attempt=1) == "failed"
    job.refresh_from_db()
    assert job.errors == [services.IMPORT_TIMED_OUT] and not job.upload
    assert Response.objects.count() == 0


def test_import_job_with_the_queue_down_fails_with_a_message(unit, period, alice, monkeypatch):
    from surveys import services, tasks

    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.run_import_job, "apply_async", down)
    job = _job(unit, period, alice)
    assert services.import_job_enqueue(job=job) is False
    job.refresh_from_db()
    assert job.status == "failed" and job.errors == [services.IMPORT_QUEUE_UNAVAILABLE] and not job.upload
