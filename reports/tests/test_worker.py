"""Export jobs through a REAL Redis broker and a REAL Celery worker process.

The worker runs ``celery -A skm worker --pool=solo`` with the test settings,
pointed at pytest-django's test database (rows are committed: transactional_db)
and at Redis db 15 (REDIS_URL_TEST). SKM_EXPORT_STEP_DELAY slows each progress
step so that the test can observe "running" and kill the worker mid-job;
SKM_EXPORT_HEARTBEAT_SECONDS makes its heartbeat fast enough to miss in seconds.
The last tests check the queues by weight: every job lands on its queue, and a
report running on the reports worker does not hold up a spreadsheet export.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from conftest import PASSWORD
from reports.models import ExportJob
from reports.services import export_job_create
from reports.tasks import run_export_job
from reports.tests.conftest import reset_celery_pools
from skm.celery import app as celery_app
from skm.queues import ALL_QUEUES, Queue
from skm.rules.ikm import WeightMode

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    d = connection.settings_dict
    return f"postgres://{d['USER']}:{d['PASSWORD']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


@pytest.fixture
def redis_broker():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis tidak berjalan di {REDIS_URL} (scripts/services.sh menjalankannya)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI starts Redis: a skip there would hide a broken set-up
        pytest.skip(message)
    client.flushdb()
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    reset_celery_pools()
    conf.broker_url = REDIS_URL
    conf.task_always_eager = False
    yield client
    conf.broker_url, conf.task_always_eager = saved
    reset_celery_pools()
    client.flushdb()


@pytest.fixture
def start_worker(redis_broker, tmp_path):
    procs = []

    def start(
        step_delay: float = 0.0,
        *,
        heartbeat: int = 1,
        name: str | None = None,
        queues=ALL_QUEUES,
        extra_env: dict | None = None,
    ) -> subprocess.Popen:
        node = name or f"test{len(procs)}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "skm.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": settings.MEDIA_ROOT,
            "SKM_EXPORT_STEP_DELAY": str(step_delay),
            "SKM_EXPORT_HEARTBEAT_SECONDS": str(heartbeat),
            "MPLCONFIGDIR": str(tmp_path / "mpl"),
            **(extra_env or {}),
        }
        log_path = tmp_path / f"worker-{len(procs)}.log"
        with open(log_path, "wb") as log:
            proc = _popen_worker(node, env, log, queues)
        procs.append(proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(log_path.read_text())
            if celery_app.control.ping(destination=[f"{node}@{os.uname().nodename}"], timeout=0.5):
                return proc
        raise RuntimeError("worker did not start in 60 s")

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _popen_worker(node: str, env: dict, log, queues=ALL_QUEUES) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "skm",
            "worker",
            "--pool=solo",
            "-c",
            "1",
            "-Q",
            ",".join(queues),
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            f"{node}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for(job, predicate, timeout=90, seen=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if seen is not None and (not seen or seen[-1] != job.status):
            seen.append(job.status)
        if predicate(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} stuck in {job.status} ({job.percent}%: {job.message}) {job.error}")


def test_job_goes_queued_running_done_with_a_real_file(start_worker, unit, period, reference_responses, alice):
    start_worker(step_delay=0.3)
    job = export_job_create(user=alice, unit=unit, period=period, kind="pdf_followup", weight_mode=WeightMode.EXACT)
    seen = [job.status]
    _wait_for(job, lambda j: j.is_finished, seen=seen)
    assert seen[0] == "queued"
    assert "running" in seen
    assert seen[-1] == "done", job.error
    assert job.percent == 100 and job.started_at and job.finished_at
    path = Path(job.result.path)
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")


def _tmp_files(job):
    return sorted((Path(settings.MEDIA_ROOT) / "exports" / "tmp").glob(f"job-{job.pk}-*"))


def test_worker_killed_mid_job_fails_within_seconds_and_retry_succeeds(
    start_worker, redis_broker, unit, period, reference_responses, alice, client, settings
):
    # Before: the job stayed "Sedang diproses 60 %" until the sweeper ran (up to ~25 min),
    # "Coba lagi" was refused meanwhile and a 0-byte temp file stayed behind.
    settings.SKM_EXPORT_HEARTBEAT_SECONDS = 1  # the page treats 3 s without a heartbeat as a dead worker
    first = start_worker(step_delay=2.0, heartbeat=1)
    job = export_job_create(user=alice, unit=unit, period=period, kind="pdf_survey", weight_mode=WeightMode.EXACT)
    _wait_for(job, lambda j: j.status == "running" and j.percent >= 5, timeout=60)
    assert job.worker.startswith("test0@")
    assert _tmp_files(job)  # the worker's temp file, named after the job
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    killed_at = time.monotonic()

    # The job page's status poll fails the job as soon as three heartbeats are missed.
    assert client.login(username="alice", password=PASSWORD)
    status_url = reverse("reports:job_status", args=[job.pk])
    while time.monotonic() - killed_at < 30:
        payload = client.get(status_url).json()
        if payload["finished"]:
            break
        time.sleep(0.5)
    assert payload["status"] == "failed", payload
    assert time.monotonic() - killed_at < 20  # 3 missed 1-s beats, plus slack for a loaded machine
    assert "Pekerja ekspor berhenti" in payload["error"]
    assert _tmp_files(job) == []

    # "Coba lagi" works at once, and a restarted worker finishes the new attempt.
    start_worker(step_delay=0.0)
    response = client.post(reverse("reports:job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.attempt == 2
    _wait_for(job, lambda j: j.is_finished)
    assert job.status == "done", job.error
    assert Path(job.result.path).read_bytes().startswith(b"%PDF")
    assert _tmp_files(job) == []

    # A late redelivery of the killed attempt's message (acks_late) is a no-op.
    finished_at = job.finished_at
    result = run_export_job.apply_async(args=[job.pk, 1])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and redis_broker.llen("celery"):
        time.sleep(0.1)
    time.sleep(1.0)
    job.refresh_from_db()
    assert result.id and job.status == "done" and job.attempt == 2 and job.finished_at == finished_at


def test_worker_restarted_under_the_same_name_fails_its_dead_job_at_start(
    start_worker, unit, period, reference_responses, alice, settings
):
    # A slow heartbeat: the failure below comes from the restart (worker_ready), not from a missed beat.
    settings.SKM_EXPORT_HEARTBEAT_SECONDS = 600
    first = start_worker(step_delay=2.0, heartbeat=600, name="skm")
    job = export_job_create(user=alice, unit=unit, period=period, kind="pdf_survey", weight_mode=WeightMode.EXACT)
    _wait_for(job, lambda j: j.status == "running" and j.percent >= 5, timeout=60)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    job.refresh_from_db()
    assert job.status == "running"
    start_worker(step_delay=0.0, heartbeat=600, name="skm")
    _wait_for(job, lambda j: j.is_finished, timeout=10)
    assert job.status == "failed" and "Pekerja ekspor berhenti" in job.error
    assert _tmp_files(job) == []


def test_publication_has_its_fixed_pdf_built_by_the_worker(
    start_worker, client, unit, period, reference_responses, bob
):
    """Publishing enqueues the build once the transaction commits; the real worker
    stores the file, and the public download serves bytes with the stored SHA-256."""
    import hashlib

    from django.utils import timezone

    from reports.models import PublishedReport
    from reports.services_narrative import round_publish_with_report
    from surveys.models import SurveyRound

    start_worker()
    rnd = SurveyRound.objects.get(unit=unit, period=period)
    SurveyRound.objects.filter(pk=rnd.pk).update(status=SurveyRound.Status.CLOSED, closed_at=timezone.now())
    publication = round_publish_with_report(round=rnd, user=bob, weight_mode=WeightMode.EXACT)
    report = PublishedReport.objects.get(publication=publication)
    deadline = time.monotonic() + 120
    while report.status in (PublishedReport.Status.PENDING, PublishedReport.Status.RUNNING):
        assert time.monotonic() < deadline, f"published report stuck in {report.status}"
        time.sleep(0.2)
        report.refresh_from_db()
    assert report.status == PublishedReport.Status.DONE, report.error
    response = client.get(reverse("public_report_pdf", args=[unit.code, period.code, publication.version]))
    served = b"".join(response.streaming_content)
    assert hashlib.sha256(served).hexdigest() == report.sha256 and len(served) == report.size


# --- queues by weight (issue 21 point 2, skm/queues.py) ----------------------------


def lengths(client) -> dict[str, int]:
    return {queue: client.llen(queue) for queue in ALL_QUEUES}


@pytest.mark.parametrize(
    ("kind", "queue"),
    [
        ("pdf_survey", Queue.REPORTS),
        ("docx_followup", Queue.REPORTS),
        ("xlsx", Queue.EXPORTS),
        ("raw_csv", Queue.EXPORTS),
    ],
)
def test_an_export_job_lands_on_the_queue_of_its_weight(redis_broker, unit, period, alice, kind, queue):
    export_job_create(user=alice, unit=unit, period=period, kind=kind, weight_mode=WeightMode.EXACT)
    expected = dict.fromkeys(ALL_QUEUES, 0) | {queue.value: 1}
    assert lengths(redis_broker) == expected


def test_imports_publications_and_small_jobs_have_their_queues(redis_broker, unit, period, alice, reference_responses):
    from reports.services_published import published_report_enqueue
    from surveys.models import ImportJob
    from surveys.services import import_job_enqueue
    from surveys.tasks import send_round_notifications

    import_job_enqueue(job=ImportJob.objects.create(unit=unit, period=period, filename="a.csv", attempt=1))
    assert lengths(redis_broker)["imports"] == 1
    published_report_enqueue(report_id=_published_report(unit, period, alice))
    assert lengths(redis_broker)["reports"] == 1
    send_round_notifications.delay()
    assert lengths(redis_broker) == {"celery": 1, "exports": 0, "reports": 1, "imports": 1}


def _published_report(unit, period, user) -> int:
    from reports.models import PublishedReport
    from surveys.tests.factories import publish_round

    publication = publish_round(unit, period, user=user)
    return PublishedReport.objects.create(publication=publication).pk


def test_a_running_report_does_not_delay_a_spreadsheet(start_worker, unit, period, reference_responses, alice):
    # The reports worker takes each progress step slowly; the other worker serves the rest.
    start_worker(step_delay=1.5, name="reports", queues=[Queue.REPORTS.value])
    start_worker(name="rest", queues=[Queue.SMALL.value, Queue.EXPORTS.value, Queue.IMPORTS.value])
    report = export_job_create(user=alice, unit=unit, period=period, kind="pdf_survey", weight_mode=WeightMode.EXACT)
    _wait_for(report, lambda j: j.status == ExportJob.Status.RUNNING)
    started = time.monotonic()
    sheet = export_job_create(user=alice, unit=unit, period=period, kind="xlsx", weight_mode=WeightMode.EXACT)
    _wait_for(sheet, lambda j: j.is_finished)
    report.refresh_from_db()
    assert sheet.status == ExportJob.Status.DONE, sheet.error
    assert report.status == ExportJob.Status.RUNNING, "the report should still be running"
    assert time.monotonic() - started < 30
    _wait_for(report, lambda j: j.is_finished, timeout=180)
    assert report.status == ExportJob.Status.DONE, report.error


def test_an_export_built_by_a_worker_on_another_machine_is_downloaded_from_the_bucket(
    start_worker, s3_worker_env, s3_client, unit, period, reference_responses, alice, client
):
    """With an object store (README "Files") the worker shares no disk with the web
    node: it builds the PDF in its own scratch directory, saves it to the bucket,
    and the web node streams it from there through the access-checked view."""
    start_worker(extra_env=s3_worker_env)
    job = export_job_create(user=alice, unit=unit, period=period, kind="pdf_followup", weight_mode=WeightMode.EXACT)
    _wait_for(job, lambda j: j.is_finished)
    assert job.status == "done", job.error
    bucket = s3_worker_env["SKM_S3_BUCKET"]
    keys = [o["Key"] for o in s3_client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == ["media/" + job.result.name]
    assert client.login(username="alice", password=PASSWORD)
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    for root in (Path(s3_worker_env["MEDIA_ROOT"]), Path(settings.MEDIA_ROOT)):
        assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()], root
