"""Helpers shared by the collection benchmarks: a throw-away PostgreSQL database."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def admin_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://skm:skm@127.0.0.1:5432/postgres")


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_exec(sql: str) -> None:
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def bench_database(name: str, settings_env=None):
    """Create a fresh database, migrate it, yield its URL, drop it at the end.
    ``settings_env(url)`` gives the migrating process's environment (default: local settings)."""
    admin_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_exec(f'CREATE DATABASE "{name}"')
    url = with_db(admin_url(), name)
    try:
        if settings_env is not None:
            env = settings_env(url)
        else:
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "skm.settings.local", "DEBUG": "False"}
        subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        yield url
    finally:
        admin_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
