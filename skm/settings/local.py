"""The embedded default (``scripts/dev.sh``): SQLite, Celery eager, DEBUG on.

For one machine only: a development secret key, plain http, no Redis needed.
Never use it on a server; ``production`` refuses to start without real values.
"""

import logging

from .base import *
from .base import (
    BASE_DIR,
    CONN_MAX_AGE,
    DEFAULT_FILE_STORAGE_ENTRY,
    REDIS_URL,
    SKM_TRANSACTION_POOLING,
    database_settings,
    env,
)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-a-secret")
DATABASES = database_settings(
    url=env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    replica_url=env("DATABASE_REPLICA_URL", default=""),
    conn_max_age=CONN_MAX_AGE,
    transaction_pooling=SKM_TRANSACTION_POOLING,
)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
STORAGES = {
    "default": DEFAULT_FILE_STORAGE_ENTRY,  # MEDIA_ROOT unless SKM_S3_BUCKET is set
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Without Redis the tasks (PDF, XLSX) run inside the request: fine on one
# machine with demo data, and announced at start-up so nobody mistakes it for a deployment.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
if CELERY_TASK_ALWAYS_EAGER:
    logging.getLogger("skm.settings").warning("Celery eager: background jobs run inside the web request (local only)")
