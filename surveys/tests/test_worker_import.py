"""Web import jobs through a REAL Redis broker and a REAL Celery worker process."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from surveys.models import ImportBatch, ImportJob, Response
from surveys.services import import_job_create, import_jobs_sweep
from surveys.tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HEADER = "no,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"


def csv_upload(rows: int, bad_line: int | None = None) -> SimpleUploadedFile:
    lines = [f"{i},1,2,3,4,1,2,3,4,1\n" for i in range(1, rows + 1)]
    if bad_line:
        lines[bad_line - 2] = f"{bad_line - 1},1,2,7,4,1,2,3,4,1\n"
    return SimpleUploadedFile("responden.csv", (HEADER + "".join(lines)).encode())


def test_import_job_goes_queued_running_done_in_the_worker(import_worker, unit, period, alice):
    import_worker(step_delay=0.15)
    job = import_job_create(user=alice, unit=unit, period=period, upload=csv_upload(6000))
    stored = Path(job.upload.path)
    assert stored.is_file()
    seen = [(job.status, job.percent)]
    wait_for(job, lambda j: j.is_finished, seen=seen)
    assert job.status == "done", job.errors
    statuses = [s for s, _ in seen]
    assert statuses[0] == "queued" and "running" in statuses
    running = [p for s, p in seen if s == "running"]
    assert len(set(running)) >= 3, seen  # the bar moved while the rows were written
    assert job.percent == 100 and job.batch.rows == 6000 and job.batch.created_by == alice
    assert Response.objects.filter(import_batch=job.batch).count() == 6000
    assert not stored.exists() and not job.upload


def test_bad_row_fails_the_job_with_its_message_and_saves_nothing(import_worker, unit, period, alice):
    import_worker()
    job = import_job_create(user=alice, unit=unit, period=period, upload=csv_upload(3000, bad_line=2500))
    wait_for(job, lambda j: j.is_finished)
    assert job.status == "failed"
    assert job.errors == ["baris 2500, kolom U3: nilai '7' tidak valid (1-4 atau a-d)"]
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_worker_killed_mid_import_leaves_nothing_and_the_sweeper_fails_the_job(
    import_worker, unit, period, alice, settings
):
    first = import_worker(step_delay=1.0)
    job = import_job_create(user=alice, unit=unit, period=period, upload=csv_upload(8000))
    wait_for(job, lambda j: j.status == "running" and j.percent >= 10, timeout=60)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    time.sleep(1.0)
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0  # the transaction died with it
    settings.SKM_IMPORT_TIME_LIMIT = 1
    assert import_jobs_sweep() == {"stuck": 1}
    job.refresh_from_db()
    assert job.status == "failed" and "batas waktu" in job.errors[0] and not job.upload
    assert ImportJob.objects.get().status == "failed"


def test_an_upload_stored_by_the_web_node_is_imported_by_a_worker_on_another_machine(
    import_worker, s3_worker_env, s3_client, unit, period, alice
):
    """With an object store (README "Files") the worker shares no disk with the web
    node: it has a MEDIA_ROOT of its own and reads the upload from the bucket."""
    import_worker(extra_env=s3_worker_env)
    bucket = s3_worker_env["SKM_S3_BUCKET"]
    job = import_job_create(user=alice, unit=unit, period=period, upload=csv_upload(200))
    wait_for(job, lambda j: j.is_finished)
    assert job.status == "done", job.errors
    assert Response.objects.filter(import_batch=job.batch).count() == 200
    assert not job.upload and s3_client.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
    for root in (Path(s3_worker_env["MEDIA_ROOT"]), Path(settings.MEDIA_ROOT)):
        assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()], root
