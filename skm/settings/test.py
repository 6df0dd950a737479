"""Test settings: PostgreSQL (as in production), eager Celery unless a test
starts a real worker, fast password hashing, plain static storage."""

from .base import *
from .base import DEFAULT_FILE_STORAGE_ENTRY, SKM_TRANSACTION_POOLING, database_settings, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["*"]
# Never a replica alias here, whatever DATABASE_REPLICA_URL says: pytest-django would
# create and flush a test database on it (a standby refuses), and TEST MIRROR would only
# reuse the primary's connection. The replica tests add the real streaming replica of
# scripts/pg-scale.sh for themselves (the ``replica`` fixture, skm/tests/conftest.py).
# SKM_DB_POOLER applies: scripts/test.sh runs a slice of the suite through PgBouncer.
DATABASES = database_settings(
    url=env("DATABASE_URL", default="postgres://skm:skm@127.0.0.1:5432/skm"),
    conn_max_age=0,
    transaction_pooling=SKM_TRANSACTION_POOLING,
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A worker started by a test may be pointed at that test's object store: SKM_TEST_S3=true
# with the SKM_S3_* variables (the ``s3_worker_env`` fixture); never a developer's .env alone.
if env.bool("SKM_TEST_S3", default=False):
    STORAGES["default"] = DEFAULT_FILE_STORAGE_ENTRY
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Worker tests start a real worker with CELERY_TASK_ALWAYS_EAGER=false in its env.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Test-only hook: seconds to sleep after each export progress step (slow jobs).
SKM_EXPORT_STEP_DELAY = env.float("SKM_EXPORT_STEP_DELAY", default=0.0)
SKM_IMPORT_STEP_DELAY = env.float("SKM_IMPORT_STEP_DELAY", default=0.0)
SKM_SUBMIT_RATE_LIMIT = "1000/h"
# Client.login() authenticates without a request, which django-axes refuses;
# the login throttling tests switch it on (skm/tests/test_login_throttle.py).
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files from the finders (Playwright pages need Bootstrap) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
