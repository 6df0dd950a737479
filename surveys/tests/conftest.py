"""A REAL Redis broker and a REAL Celery worker process for the import-job tests.

As in reports/tests/test_worker.py: the worker runs ``celery -A skm worker
--pool=solo`` with the test settings, pointed at pytest-django's test database
(rows are committed: transactional_db) and at Redis (REDIS_URL_TEST).
SKM_IMPORT_STEP_DELAY slows each progress step so a test can watch it.
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

from skm.queues import ALL_QUEUES

REDIS_URL = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    d = connection.settings_dict
    return f"postgres://{d['USER']}:{d['PASSWORD']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


def _reset_celery_pools() -> None:
    from kombu import pools

    from skm.celery import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_broker():
    import redis

    from skm.celery import app as celery_app

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis tidak berjalan di {REDIS_URL} (scripts/services.sh menjalankannya)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    client.flushdb()
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    _reset_celery_pools()
    conf.broker_url = REDIS_URL
    conf.task_always_eager = False
    yield client
    conf.broker_url, conf.task_always_eager = saved
    _reset_celery_pools()
    client.flushdb()


@pytest.fixture
def import_worker(redis_broker, tmp_path):
    """start(step_delay) -> the worker process; killed at the end of the test."""
    from skm.celery import app as celery_app

    procs = []

    def start(step_delay: float = 0.0, *, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        name = f"imp{len(procs)}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "skm.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": settings.MEDIA_ROOT,
            "SKM_IMPORT_STEP_DELAY": str(step_delay),
            "MPLCONFIGDIR": str(tmp_path / "mpl"),
            **(extra_env or {}),
        }
        log = open(tmp_path / f"worker-{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "skm", "worker", "--pool=solo", "-c", "1"]
            + ["-Q", ",".join(ALL_QUEUES)]
            + ["--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"{name}@%h"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError((tmp_path / f"worker-{name}.log").read_text())
            if celery_app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=0.5):
                return proc
        raise RuntimeError("worker did not start in 60 s")

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def wait_for(job, predicate, timeout=90, seen=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if seen is not None and (not seen or seen[-1] != (job.status, job.percent)):
            seen.append((job.status, job.percent))
        if predicate(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} stuck in {job.status} ({job.percent}%: {job.message}) {job.errors}")
