"""What every bench shares: the production settings' environment, the figures
of interleaved baseline/measure pairs, and the load average beside them.

The benches run on ``skm.settings.production`` as a deployment does (DEBUG
off, Celery not eager, the Django cache in a real Redis), with bench-only
values for what production refuses to start without:

- ``SECRET_KEY``: generated per run;
- ``ALLOWED_HOSTS``: the loopback names and the test client's ``testserver``;
- ``DATABASE_URL``: the bench's own throw-away database;
- ``REDIS_URL`` and ``CACHE_URL``: Redis on 127.0.0.1:6379, database
  ``BENCH_REDIS_DB`` (default 9; ``BENCH_REDIS_URL`` overrides the server);
- ``SKM_BEHIND_PROXY=True``: requests say ``X-Forwarded-Proto: https`` as
  nginx does (the test client passes ``secure=True``), so the HTTPS redirect,
  secure cookies and the CSRF origin check run as in production;
- ``STATICFILES_BACKEND``: plain static storage (no ``collectstatic`` run).
"""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import urllib.parse
from collections.abc import Sequence


def redis_url() -> str:
    base = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
    return f"{base}/{os.environ.get('BENCH_REDIS_DB', '9')}"


def db_name(base: str) -> str:
    """The bench database's name; ``BENCH_DB_SUFFIX`` keeps two people's runs apart."""
    return base + os.environ.get("BENCH_DB_SUFFIX", "")


_SECRET = secrets.token_urlsafe(64)


def _static_root() -> str:
    # WhiteNoise warns about a missing STATIC_ROOT; the finders are not used in production.
    path = os.path.join(tempfile.gettempdir(), "skm-bench-static")
    os.makedirs(path, exist_ok=True)
    return path


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """os.environ plus the production settings' environment for a bench process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "skm.settings.production",
        "SECRET_KEY": _SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url(),
        "CACHE_URL": redis_url(),
        "SKM_BEHIND_PROXY": "True",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "STATIC_ROOT": _static_root(),
        "LOG_LEVEL": "WARNING",
        "MPLCONFIGDIR": os.environ.get("MPLCONFIGDIR", "/tmp/skm-mpl"),
    }
    env.pop("DEBUG", None)  # production has DEBUG off whatever the caller's shell says
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.update(extra)
    return env


def use_production_env(database_url: str, **extra: str) -> None:
    """The same, applied to this process (before django.setup())."""
    os.environ.update(production_env(database_url, **extra))
    os.environ.pop("DEBUG", None)
    os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


def spread(values: Sequence[float], fmt: str = "{:.2f}") -> str:
    """min / median / max of a series."""
    if not values:
        return "-"
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def through_pgbouncer(url: str) -> str:
    """The same database's URL through the PgBouncer of scripts/pg-scale.sh."""
    parts = urllib.parse.urlsplit(url)
    port = int(os.environ.get("SKM_PGBOUNCER_PORT", "6432"))
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.netloc.rsplit('@', 1)[0]}@127.0.0.1:{port}"))
