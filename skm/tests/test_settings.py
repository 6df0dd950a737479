"""Settings fail closed (issue 8): production refuses to start without its
secrets, base defaults are safe, and log lines carry time, level and logger."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "k" * 20 + "Q7pX-2vL_9zR0wYb" * 3,
    "ALLOWED_HOSTS": "skm.example.go.id",
    "DATABASE_URL": "postgres://skm:x@127.0.0.1:5432/skm",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
    "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.CELERY_TASK_ALWAYS_EAGER)"
)


def _run(module: str, env: dict[str, str], code: str = PRINT) -> subprocess.CompletedProcess:
    # Not inherited: the variables these tests set, and the database ones of a run
    # through PgBouncer (scripts/test.sh) that would change what production makes.
    own = {*GOOD, "DEBUG", "SKM_BEHIND_PROXY", "SKM_DB_POOLER", "DATABASE_REPLICA_URL", "SKM_PREPARED_WEB_INSERT"}
    clean = {k: v for k, v in os.environ.items() if k not in own}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": module},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_starts_with_its_variables_https_only():
    result = _run("skm.settings.production", GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "31536000", "None", "False"]


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_production_refuses_to_start_without(missing):
    result = _run("skm.settings.production", {k: v for k, v in GOOD.items() if k != missing})
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _run("skm.settings.production", {**GOOD, "SECRET_KEY": "dev"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_proxy_header_is_trusted_only_when_asked():
    behind = _run("skm.settings.production", {**GOOD, "SKM_BEHIND_PROXY": "true"})
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in behind.stdout


def test_base_defaults_fail_closed():
    code = "from skm.settings import base as s; print(s.DEBUG, s.CELERY_TASK_ALWAYS_EAGER, hasattr(s, 'SECRET_KEY'))"
    result = _run("skm.settings.base", {}, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False"]


def test_local_is_the_embedded_default_and_says_tasks_run_eagerly(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = _run("skm.settings.local", env)
    assert result.returncode == 0, result.stderr
    debug, session_secure, _csrf, _ssl, _hsts, _proxy, eager = result.stdout.split()
    assert (debug, session_secure, eager) == ("True", "False", "True")
    assert "Celery eager" in result.stderr


def test_log_lines_carry_time_level_and_logger():
    code = "import django; django.setup(); import logging; logging.getLogger('skm.probe').warning('halo')"
    result = _run("skm.settings.production", GOOD, code=code)
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("time=20")
    assert " level=WARNING logger=skm.probe " in line
    assert line.endswith("msg='halo'")


SITE_URL = "import django; django.setup(); from django.conf import settings as s; print(s.SKM_SITE_URL)"


def test_production_links_use_the_first_host_over_https_unless_given():
    # Notification e-mails carry absolute links (issue 19 item 12).
    derived = _run("skm.settings.production", GOOD, code=SITE_URL)
    assert derived.returncode == 0, derived.stderr
    assert derived.stdout.strip() == "https://skm.example.go.id"
    given = _run("skm.settings.production", {**GOOD, "SKM_SITE_URL": "https://survei.example.go.id/"}, code=SITE_URL)
    assert given.stdout.strip() == "https://survei.example.go.id"


@pytest.mark.parametrize(
    "env",
    [{"ALLOWED_HOSTS": ".example.go.id"}, {"ALLOWED_HOSTS": "*"}, {"SKM_SITE_URL": "http://skm.example.go.id"}],
    ids=["wildcard-domain", "any-host", "plain-http"],
)
def test_production_refuses_links_it_cannot_name(env):
    result = _run("skm.settings.production", {**GOOD, **env}, code=SITE_URL)
    assert result.returncode != 0
    assert "SKM_SITE_URL" in result.stderr


def test_notifications_are_on_the_beat_schedule():
    from celery.schedules import crontab
    from django.conf import settings

    from skm.celery import app

    app.loader.import_default_modules()
    by_task = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (
        "surveys.tasks.send_round_notifications",
        "followup.tasks.send_rtl_overdue_digest",
        "reports.tasks.send_export_failed_notifications",
    ):
        assert task in app.tasks
    daily = by_task["surveys.tasks.send_round_notifications"]
    weekly = by_task["followup.tasks.send_rtl_overdue_digest"]
    assert isinstance(daily, crontab) and daily.day_of_week == set(range(7))
    assert isinstance(weekly, crontab) and weekly.day_of_week == {1}  # Monday
    assert by_task["reports.tasks.send_export_failed_notifications"] <= 15 * 60


def test_the_webhook_tasks_are_registered_and_scheduled():
    from celery.schedules import crontab
    from django.conf import settings

    from skm.celery import app

    app.loader.import_default_modules()
    by_task = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (
        "surveys.tasks.send_webhook_delivery",
        "surveys.tasks.webhooks_tick",
        "followup.tasks.record_rtl_overdue_webhooks",
    ):
        assert task in app.tasks
    assert by_task["surveys.tasks.webhooks_tick"] == 60.0  # the batching and the retries run every minute
    assert isinstance(by_task["followup.tasks.record_rtl_overdue_webhooks"], crontab)
    assert settings.SKM_WEBHOOK_ALLOW_HTTP is False and settings.SKM_WEBHOOK_ALLOW_PRIVATE is False


STORAGE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "import json; print(json.dumps(s.STORAGES['default']))"
)
S3 = {
    "SKM_S3_BUCKET": "skm-berkas",
    "SKM_S3_ENDPOINT_URL": "https://minio.example.go.id",
    "SKM_S3_ACCESS_KEY_ID": "skm",
    "SKM_S3_SECRET_ACCESS_KEY": "rahasia",
}


def test_files_stay_on_the_local_disk_without_a_bucket():
    import json

    result = _run("skm.settings.production", GOOD, code=STORAGE)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_makes_the_default_storage_a_private_object_store():
    import json

    result = _run("skm.settings.production", {**GOOD, **S3}, code=STORAGE)
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout)
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    assert entry["OPTIONS"] == {
        "bucket_name": "skm-berkas",
        "endpoint_url": "https://minio.example.go.id",
        "access_key": "skm",
        "secret_key": "rahasia",
        "region_name": "us-east-1",
        "location": "media",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": "path",
        "max_memory_size": 5 * 1024 * 1024,
    }
    other = _run(
        "skm.settings.production", {**GOOD, **S3, "SKM_S3_REGION": "ap-southeast-3", "SKM_S3_PREFIX": "skm/"}, STORAGE
    )
    options = json.loads(other.stdout)["OPTIONS"]
    assert (options["region_name"], options["location"]) == ("ap-southeast-3", "skm")


@pytest.mark.parametrize("missing", ["SKM_S3_ACCESS_KEY_ID", "SKM_S3_SECRET_ACCESS_KEY"])
def test_production_refuses_a_bucket_without_its_keys(missing):
    result = _run("skm.settings.production", {**GOOD, **{k: v for k, v in S3.items() if k != missing}})
    assert result.returncode != 0
    assert missing in result.stderr
