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
    clean = {k: v for k, v in os.environ.items() if k not in {*GOOD, "DEBUG", "SKM_BEHIND_PROXY"}}
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
