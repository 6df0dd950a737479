"""Export job lifecycle without a worker: stale attempts, sweeper, retention."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import ExportJob
from reports.services import export_job_run, export_jobs_sweep
from skm.rules.ikm import WeightMode

pytestmark = pytest.mark.django_db


def test_stale_attempt_does_nothing(unit, period, reference_responses):
    job = ExportJob.objects.create(kind="pdf_survey", unit=unit, period=period, attempt=2)
    assert export_job_run(job_id=job.pk, attempt=1) == "queued"
    job.refresh_from_db()
    assert job.status == "queued" and job.started_at is None
    assert export_job_run(job_id=job.pk, attempt=2) == "done"
    # A redelivered message of the same attempt finds the job finished.
    assert export_job_run(job_id=job.pk, attempt=2) == "done"


def test_job_failure_records_reason(unit, period, settings):
    job = ExportJob.objects.create(kind="xlsx", unit=unit, period=period, attempt=1)
    import reports.services as services

    def boom(**kwargs):
        raise RuntimeError("disk penuh")

    orig = services.export_write
    services.export_write = boom
    try:
        assert export_job_run(job_id=job.pk, attempt=1) == "failed"
    finally:
        services.export_write = orig
    job.refresh_from_db()
    assert job.status == "failed" and "disk penuh" in job.error and job.finished_at


def test_sweeper_marks_stuck_jobs_failed(unit, period, settings):
    settings.SKM_EXPORT_TIME_LIMIT = 60
    now = timezone.now()
    stuck = ExportJob.objects.create(
        kind="pdf_survey", unit=unit, period=period, status="running", started_at=now - dt.timedelta(seconds=61)
    )
    # (Different kinds/weights: one queued or running job per identical request.)
    fresh = ExportJob.objects.create(
        kind="pdf_survey",
        unit=unit,
        period=period,
        weight_mode="0.111",
        status="running",
        started_at=now - dt.timedelta(seconds=30),
    )
    lost = ExportJob.objects.create(kind="pdf_followup", unit=unit, period=period, status="queued")
    ExportJob.objects.filter(pk=lost.pk).update(queued_at=now - dt.timedelta(seconds=121))
    # An old job retried just now is waiting in the queue, not lost.
    retried = ExportJob.objects.create(kind="xlsx", unit=unit, period=period, status="queued", queued_at=now)
    ExportJob.objects.filter(pk=retried.pk).update(created_at=now - dt.timedelta(days=3))
    assert export_jobs_sweep(now=now)["stuck"] == 2
    retried.refresh_from_db()
    assert retried.status == "queued"
    stuck.refresh_from_db(), fresh.refresh_from_db(), lost.refresh_from_db()
    assert stuck.status == "failed" and "batas waktu" in stuck.error
    assert lost.status == "failed"
    assert fresh.status == "running"


def test_sweeper_deletes_old_files_only(unit, period, settings):
    settings.SKM_EXPORT_RETENTION_HOURS = 24
    now = timezone.now()
    old = ExportJob.objects.create(
        kind="pdf_survey", unit=unit, period=period, status="done", finished_at=now - dt.timedelta(hours=25)
    )
    old.result.save("old.pdf", ContentFile(b"%PDF old"))
    new = ExportJob.objects.create(
        kind="pdf_survey", unit=unit, period=period, status="done", finished_at=now - dt.timedelta(hours=1)
    )
    new.result.save("new.pdf", ContentFile(b"%PDF new"))
    old_path = old.result.path
    assert export_jobs_sweep(now=now)["deleted"] == 1
    old.refresh_from_db(), new.refresh_from_db()
    assert not old.result and "dihapus" in old.message
    import os

    assert not os.path.exists(old_path)
    assert new.result and os.path.exists(new.result.path)


def test_cleanup_command(unit, period, capsys):
    from django.core.management import call_command

    call_command("skm_export_cleanup")
    assert "Tugas macet ditandai gagal: 0" in capsys.readouterr().out


def test_beat_schedule_names_a_registered_task(settings):
    from skm.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
    assert "reports.tasks.run_export_job" in app.tasks


@pytest.mark.parametrize(("kind", "ext"), [("raw_csv", "csv"), ("raw_xlsx", "xlsx")])
def test_raw_data_job_writes_every_response(unit, period, reference_responses, kind, ext):
    import csv
    import io

    from openpyxl import load_workbook

    job = ExportJob.objects.create(kind=kind, unit=unit, period=period, attempt=1)
    assert export_job_run(job_id=job.pk, attempt=1) == "done"
    job.refresh_from_db()
    assert job.filename == f"data-mentah-pulutan-2024-S2.{ext}"
    data = job.result.open("rb").read()
    if ext == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    else:
        rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 50  # header and the 50 reference respondents
    assert rows[0][0] == "Nomor" and rows[0][-1] == "Waktu pengisian"


def test_reports_leave_soft_deleted_responses_out(unit, period, alice, reference_responses):
    from reports import selectors
    from surveys.services import response_delete

    gone = next(r for r in reference_responses if r.number == 1)
    gone.suggestion = "saran yang dihapus"
    gone.save()
    response_delete(response=gone, user=alice, reason="uji")
    assert len(list(selectors.respondent_rows(unit=unit, period=period))) == 49
    saran = selectors.saran_appendix(unit=unit, period=period)
    assert "saran yang dihapus" not in [text for text, _n in saran.rows]
    assert selectors.respondent_count(unit=unit, period=period) == 49


# --- one active job per identical request (issue 12, item 6) --------------------


@pytest.fixture
def no_enqueue(monkeypatch):
    import reports.services as services

    monkeypatch.setattr(services, "export_job_enqueue", lambda job: True)


def test_identical_request_reuses_the_queued_job(unit, period, alice, bob, no_enqueue):
    from reports.services import export_job_create

    first = export_job_create(user=alice, unit=unit, period=period, kind="pdf_survey", weight_mode=WeightMode.EXACT)
    again = export_job_create(user=bob, unit=unit, period=period, kind="pdf_survey", weight_mode=WeightMode.EXACT)
    assert again.pk == first.pk and again.reused and not first.reused
    # Another weight or kind is another request.
    other = export_job_create(user=alice, unit=unit, period=period, kind="pdf_survey", weight_mode=WeightMode.W0111)
    assert other.pk != first.pk
    ExportJob.objects.filter(pk=first.pk).update(status="done")
    after = export_job_create(user=alice, unit=unit, period=period, kind="pdf_survey", weight_mode=WeightMode.EXACT)
    assert after.pk != first.pk and not after.reused
    assert ExportJob.objects.filter(kind="pdf_survey", weight_mode=WeightMode.EXACT).count() == 2


def test_database_refuses_a_second_active_identical_job(unit, period):
    from django.db import IntegrityError, transaction

    ExportJob.objects.create(kind="xlsx", unit=unit, period=period, status="running")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(kind="xlsx", unit=unit, period=period, status="queued")
    ExportJob.objects.create(kind="xlsx", unit=unit, period=period, status="failed")  # finished ones are free


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_requests_make_one_job(unit, period, alice, no_enqueue):
    import threading

    from django.db import connection

    from reports.services import export_job_create

    barrier = threading.Barrier(6)
    ids, errors = [], []

    def request():
        try:
            barrier.wait(timeout=10)
            ids.append(
                export_job_create(user=alice, unit=unit, period=period, kind="xlsx", weight_mode=WeightMode.EXACT).pk
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert len(ids) == 6 and len(set(ids)) == 1
    assert ExportJob.objects.count() == 1


def test_retry_while_an_identical_job_is_active_shows_that_job(unit, period, no_enqueue):
    from reports.services import export_job_retry

    failed = ExportJob.objects.create(kind="xlsx", unit=unit, period=period, status="failed")
    active = ExportJob.objects.create(kind="xlsx", unit=unit, period=period, status="queued")
    assert export_job_retry(job=failed).pk == active.pk
    failed.refresh_from_db()
    assert failed.status == "failed"


# --- a job whose worker is gone (issue 12, item 7) ------------------------------


def _tmp(job, attempt=1, suffix=".pdf"):
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "exports" / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"job-{job.pk}-{attempt}-abc{suffix}"
    path.write_bytes(b"")  # the 0-byte file a killed worker leaves behind
    return path


def test_running_job_without_heartbeat_fails_at_once_and_can_be_retried(unit, period, settings, no_enqueue):
    from reports.services import WORKER_LOST, export_job_refresh, export_job_retry

    settings.SKM_EXPORT_HEARTBEAT_SECONDS = 10
    now = timezone.now()
    job = ExportJob.objects.create(
        kind="pdf_survey",
        unit=unit,
        period=period,
        status="running",
        attempt=1,
        percent=60,
        worker="celery@skm",
        started_at=now - dt.timedelta(seconds=40),
        heartbeat_at=now - dt.timedelta(seconds=31),  # three beats (30 s) missed
    )
    leftover = _tmp(job)
    job = export_job_refresh(job=job)
    assert job.status == "failed" and job.error == WORKER_LOST and job.finished_at
    assert not leftover.exists()
    retried = export_job_retry(job=job)
    assert retried.status == "queued" and retried.attempt == 2 and retried.worker == "" and retried.percent == 0


def test_running_job_with_a_fresh_heartbeat_or_no_worker_is_left_alone(unit, period, settings):
    from reports.services import export_job_refresh

    settings.SKM_EXPORT_HEARTBEAT_SECONDS = 10
    now = timezone.now()
    alive = ExportJob.objects.create(
        kind="pdf_survey", unit=unit, period=period, status="running", worker="celery@skm", heartbeat_at=now
    )
    # Run eagerly in the web process (no worker name): only the time-limit sweeper applies.
    eager = ExportJob.objects.create(
        kind="xlsx", unit=unit, period=period, status="running", heartbeat_at=now - dt.timedelta(hours=1)
    )
    assert export_job_refresh(job=alive).status == "running"
    assert export_job_refresh(job=eager).status == "running"


def test_restarted_worker_fails_only_its_own_running_jobs(unit, period):
    from reports.services import worker_started

    now = timezone.now()
    mine = ExportJob.objects.create(
        kind="pdf_survey", unit=unit, period=period, status="running", worker="celery@a", heartbeat_at=now
    )
    other = ExportJob.objects.create(
        kind="xlsx", unit=unit, period=period, status="running", worker="celery@b", heartbeat_at=now
    )
    assert worker_started(worker="celery@a") == 1
    mine.refresh_from_db(), other.refresh_from_db()
    assert mine.status == "failed" and other.status == "running"


def test_restarted_worker_removes_the_scratch_files_left_on_its_machine(unit, period, settings, tmp_path):
    """A job failed by another node (the web's heartbeat check) could not remove the
    scratch files of the killed worker's machine; the restarted worker does."""
    from reports.services import worker_started

    settings.SKM_EXPORT_TMP_DIR = str(tmp_path / "scratch")
    (tmp_path / "scratch").mkdir()
    now = timezone.now()
    dead = ExportJob.objects.create(kind="pdf_survey", unit=unit, period=period, status="failed", worker="celery@a")
    running = ExportJob.objects.create(
        kind="xlsx", unit=unit, period=period, status="running", worker="celery@b", heartbeat_at=now, attempt=1
    )
    left = tmp_path / "scratch" / f"job-{dead.pk}-1-abc.pdf"
    busy = tmp_path / "scratch" / f"job-{running.pk}-1-def.xlsx"
    left.write_bytes(b"%PDF half"), busy.write_bytes(b"PK")
    assert worker_started(worker="celery@a") == 0
    assert not left.exists() and busy.exists()


def test_sweeper_removes_orphaned_temp_files(unit, period, settings):
    settings.SKM_EXPORT_TIME_LIMIT = 60
    now = timezone.now()
    running = ExportJob.objects.create(
        kind="xlsx", unit=unit, period=period, status="running", attempt=2, started_at=now, heartbeat_at=now
    )
    failed = ExportJob.objects.create(kind="pdf_survey", unit=unit, period=period, status="failed")
    keep = _tmp(running, attempt=2, suffix=".xlsx")
    old_attempt = _tmp(running, attempt=1, suffix=".xlsx")
    orphan = _tmp(failed)
    result = export_jobs_sweep(now=now)
    assert result["tmp_removed"] == 2
    assert keep.exists() and not old_attempt.exists() and not orphan.exists()


def test_job_files_are_named_after_the_job_and_removed_on_failure(unit, period, monkeypatch):
    import reports.services as services

    seen = []

    def boom(*, target, attachment_target=None, **kwargs):
        seen.extend([target, attachment_target])
        raise RuntimeError("kehabisan memori")

    monkeypatch.setattr(services, "export_write", boom)
    job = ExportJob.objects.create(kind="pdf_survey", unit=unit, period=period, attempt=1)
    assert export_job_run(job_id=job.pk, attempt=1) == "failed"
    from pathlib import Path

    assert all(Path(p).name.startswith(f"job-{job.pk}-1-") for p in seen)
    assert not any(Path(p).exists() for p in seen)
