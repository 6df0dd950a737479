"""Export job lifecycle without a worker: stale attempts, sweeper, retention."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import ExportJob
from reports.services import export_job_run, export_jobs_sweep

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
    fresh = ExportJob.objects.create(
        kind="pdf_survey", unit=unit, period=period, status="running", started_at=now - dt.timedelta(seconds=30)
    )
    lost = ExportJob.objects.create(kind="pdf_survey", unit=unit, period=period, status="queued")
    ExportJob.objects.filter(pk=lost.pk).update(queued_at=now - dt.timedelta(seconds=121))
    # An old job retried just now is waiting in the queue, not lost.
    retried = ExportJob.objects.create(kind="pdf_survey", unit=unit, period=period, status="queued", queued_at=now)
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
    assert "saran yang dihapus" not in selectors.suggestions(unit=unit, period=period)
