"""The embedded default (``scripts/dev.sh``): SQLite, Celery eager, DEBUG on.

For one machine only: a development secret key, plain http, no Redis needed.
Never use it on a server; ``production`` refuses to start without real values.
"""

import logging

from .base import *
from .base import BASE_DIR, DEFAULT_FILE_STORAGE_ENTRY, REDIS_URL, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-a-secret")
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].update(CONN_MAX_AGE=env.int("CONN_MAX_AGE", default=60), CONN_HEALTH_CHECKS=True)
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
