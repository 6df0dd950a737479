"""Settings shared by every environment, read from the environment (django-environ).

The defaults here fail closed: DEBUG is off, there is no secret key, no
database and tasks go to a broker. ``local`` (the embedded default used by
``scripts/dev.sh``) supplies development values, ``production`` refuses to
start without its required variables, ``test`` is for pytest.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from skm.queues import Queue
from skm.rules.ikm import parse_weight_mode

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "simple_history",
    "axes",
    "surveys",
    "followup",
    "reports",
    "skm.api",
    "skm.sso",
    # django-ninja: serves its Swagger UI from local static files (no CDN, CSP).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Staff pages and downloads: Cache-Control: private, no-store unless the view set its own.
    "skm.middleware.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "skm.middleware.ChosenLanguageMiddleware",
    # /api/: the language of Accept-Language (English or Bahasa Indonesia), not the menu's cookie.
    "skm.api.middleware.ApiLanguageMiddleware",
    "skm.middleware.RejectNullBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin edits are attributed to the signed-in user in the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "skm.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "surveys.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "skm.wsgi.application"

# Re-using connections matters: a fresh scram login per request costs ~7x throughput
# (behind PgBouncer too: the login to PgBouncer is a scram exchange of its own).
CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=60)
# PgBouncer and the read replica (README "PgBouncer dan replika baca").
# SKM_DB_POOLER=pgbouncer-transaction: DATABASE_URL is a PgBouncer in transaction pool
# mode; a server connection is ours only for one transaction, so nothing may outlive
# one: no server-side cursors (Django's WITH HOLD cursors of .iterator() outside a
# transaction), no prepared statements (psycopg's prepare_threshold stays None, as
# Django sets it, and the web insert is not prepared unless SKM_PREPARED_WEB_INSERT
# says so, for PgBouncer >= 1.21 with max_prepared_statements), no session SET.
DB_POOLERS = ("", "pgbouncer-transaction")
SKM_DB_POOLER = env("SKM_DB_POOLER", default="")
if SKM_DB_POOLER not in DB_POOLERS:
    raise ImproperlyConfigured(f"SKM_DB_POOLER must be one of {DB_POOLERS[1:]} or empty, not {SKM_DB_POOLER!r}.")
SKM_TRANSACTION_POOLING = SKM_DB_POOLER == "pgbouncer-transaction"
# The public pages and open data read DATABASE_REPLICA_URL (a streaming replica) while
# it answers and its data is less than SKM_REPLICA_MAX_LAG seconds behind the primary,
# else the primary (skm/db_replica.py); the verdict is kept SKM_REPLICA_CHECK_SECONDS
# per process, the lag counted as growing meanwhile.
SKM_REPLICA_MAX_LAG = env.float("SKM_REPLICA_MAX_LAG", default=30.0)
SKM_REPLICA_CHECK_SECONDS = env.float("SKM_REPLICA_CHECK_SECONDS", default=5.0)


def database_settings(
    *, url: str, replica_url: str = "", conn_max_age: int, transaction_pooling: bool = False
) -> dict[str, dict]:
    """DATABASES from DATABASE_URL and, when given, a read replica's URL (alias
    ``replica``, the same options; reads only, skm/db_replica.py)."""
    databases = {"default": env.db_url_config(url)}
    if replica_url:
        if databases["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL as DATABASE_URL.")
        replica = env.db_url_config(replica_url)
        # A replica that does not answer is given up quickly: the primary serves instead.
        replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
        databases["replica"] = replica  # skm.db_replica.REPLICA
    for db in databases.values():
        db.update(CONN_MAX_AGE=conn_max_age, CONN_HEALTH_CHECKS=True, ATOMIC_REQUESTS=False)
    if transaction_pooling:
        default = databases["default"]
        if default.get("OPTIONS", {}).get("prepare_threshold") is not None:
            raise ImproperlyConfigured("SKM_DB_POOLER=pgbouncer-transaction: leave prepare_threshold unset.")
        default["DISABLE_SERVER_SIDE_CURSORS"] = True
    return databases


DATABASES = (
    database_settings(
        url=env("DATABASE_URL"),
        replica_url=env("DATABASE_REPLICA_URL", default=""),
        conn_max_age=CONN_MAX_AGE,
        transaction_pooling=SKM_TRANSACTION_POOLING,
    )
    if "DATABASE_URL" in env
    else {}
)
# Inactive until a public view asks for the replica (skm.db_replica.replica_reads).
DATABASE_ROUTERS = ["skm.db_replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes) on /masuk/ and /admin/login/ alike: after
# SKM_LOGIN_FAILURE_LIMIT failed attempts a user name is locked at that client
# address only, and after SKM_LOGIN_ADDRESS_FAILURE_LIMIT failures from one
# address (any user names: password spraying) the address is locked, each for
# SKM_LOGIN_LOCKOUT_MINUTES (0 = until an admin removes the lock in Admin > Axes
# > Access attempts, or `manage.py axes_reset`). The rules: skm/login_lockout.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("SKM_LOGIN_FAILURE_LIMIT", default=5)
_lockout_minutes = env.int("SKM_LOGIN_LOCKOUT_MINUTES", default=30)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_lockout_minutes) if _lockout_minutes > 0 else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SKM_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("SKM_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_HANDLER = "skm.login_lockout.LoginLockoutHandler"
# An attempt during a lock does not extend it, so the time the page announces holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "skm.errors.login_locked_out"
# The same client address as the questionnaire's rate limit (SKM_CLIENT_IP_HEADER behind a proxy).
AXES_CLIENT_IP_CALLABLE = "surveys.throttle.client_address"
AXES_VERBOSE = False

# A login lasts one working day (the cookie expires SKM_SESSION_HOURS after login).
SESSION_COOKIE_AGE = env.int("SKM_SESSION_HOURS", default=9) * 3600

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "surveys:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Password reset mails. consolemail:// writes them to the log; a real server
# sets e.g. EMAIL_URL=smtp+tls://user:password@smtp.example.go.id:587.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SKM <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds before an unanswering mail server is given up (Django's default waits
# forever, which would hold a worker; notifications are retried later).
EMAIL_TIMEOUT = env.int("SKM_EMAIL_TIMEOUT", default=30)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
# Reset requests that send a mail per clock hour, per e-mail and per client
# address (0 = no limit); over a limit the answer is the same (skm/password_reset.py).
SKM_PASSWORD_RESET_PER_EMAIL = env.int("SKM_PASSWORD_RESET_PER_EMAIL", default=5)
SKM_PASSWORD_RESET_PER_ADDRESS = env.int("SKM_PASSWORD_RESET_PER_ADDRESS", default=20)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap is served locally: offices may be offline.
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
# Uploaded and generated files (evidence photos, logos, import uploads, exports,
# published PDFs) go through Django's storage API: MEDIA_ROOT on this machine,
# or an S3-compatible object store (MinIO, Ceph RGW, a cloud service) when
# SKM_S3_BUCKET is set. Objects are private (no ACL, signed URLs only): every
# download goes through a view that checks access (README "Files").
SKM_S3_BUCKET = env("SKM_S3_BUCKET", default="")
SKM_S3_ACCESS_KEY_ID = env("SKM_S3_ACCESS_KEY_ID", default="")
SKM_S3_SECRET_ACCESS_KEY = env("SKM_S3_SECRET_ACCESS_KEY", default="")


def s3_storage(
    *, bucket: str, access_key: str, secret_key: str, endpoint_url: str = "", region: str = "", prefix: str = "media"
) -> dict:
    """The ``STORAGES["default"]`` entry of a private S3-compatible bucket."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region or "us-east-1",
            "location": prefix.strip("/"),  # every key starts with it ("" = the bucket's root)
            "default_acl": None,  # the bucket's own (private) policy; never public-read
            "querystring_auth": True,  # a URL, if one is ever made, is signed ...
            "querystring_expire": 300,  # ... and short-lived (5 minutes)
            "file_overwrite": False,  # a second upload under the same name gets a new name
            "signature_version": "s3v4",
            "addressing_style": "path",  # MinIO and Ceph RGW: bucket in the path, no wildcard DNS
            # An object opened for reading (a download, an import) is spooled to a temporary
            # file past 5 MB instead of being held in memory (django-storages' default: 0 = never).
            "max_memory_size": 5 * 1024 * 1024,
        },
    }


if SKM_S3_BUCKET:
    DEFAULT_FILE_STORAGE_ENTRY = s3_storage(
        bucket=SKM_S3_BUCKET,
        access_key=SKM_S3_ACCESS_KEY_ID,
        secret_key=SKM_S3_SECRET_ACCESS_KEY,
        endpoint_url=env("SKM_S3_ENDPOINT_URL", default=""),
        region=env("SKM_S3_REGION", default="us-east-1"),
        prefix=env("SKM_S3_PREFIX", default="media"),
    )
else:
    DEFAULT_FILE_STORAGE_ENTRY = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_FILE_STORAGE_ENTRY,
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Scratch files of an export while it is built on this machine, then saved to the
# storage above and removed; empty = MEDIA_ROOT/exports/tmp.
SKM_EXPORT_TMP_DIR = env("SKM_EXPORT_TMP_DIR", default="")
# Uploads above 5 MB go to a temporary file, not memory. Form fields other than
# files are bounded to Django's default 2.5 MB; the import upload has its own
# bound (SKM_IMPORT_MAX_BYTES), checked before the body is read. The reverse
# proxy's body limit (nginx client_max_body_size, deploy/nginx/skm.conf) is 21m.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


def cache_from_url(url: str) -> dict:
    """The cache settings of a CACHE_URL. A Redis URL gets ``skm.cache.TolerantRedisCache``:
    Django's own Redis backend raises while Redis is down, which would turn every page
    that reads the cache into a 500; the tolerant one answers a miss and logs it."""
    config = env.cache_url_config(url)
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "skm.cache.TolerantRedisCache"
    return config


CACHES = {
    "default": cache_from_url(env.str("CACHE_URL", default="locmemcache://skm")),
}

# Celery. Tasks go to the broker; only ``local`` (the embedded default without
# Redis) runs them eagerly in-process, and says so.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An export job's soft time limit grows with the rows it writes (fixed at enqueue,
# stored on the job): SKM_EXPORT_TIME_LIMIT (the floor) + rows x
# SKM_EXPORT_SECONDS_PER_ROW, at most SKM_EXPORT_TIME_LIMIT_MAX; the hard limit is 30 s
# later. The XLSX of 1 000 000 responses took 730 s on a loaded 2-core machine (0.73 ms
# per row), so 2 ms per row leaves room: 600 + 2 000 = 2 600 s for it.
SKM_EXPORT_TIME_LIMIT = env.int("SKM_EXPORT_TIME_LIMIT", default=600)
SKM_EXPORT_SECONDS_PER_ROW = env.float("SKM_EXPORT_SECONDS_PER_ROW", default=0.002)
SKM_EXPORT_TIME_LIMIT_MAX = env.int("SKM_EXPORT_TIME_LIMIT_MAX", default=4 * 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "max_retries": 1,
    # Redis redelivers an unacknowledged (acks_late) message after this many
    # seconds: longer than an export's hard time limit, so a job that is still
    # running is never delivered twice, and a killed worker's message comes back
    # soon after the limit instead of after Redis' default hour. The largest
    # limit a job can get, since the limit scales with the job's rows.
    "visibility_timeout": SKM_EXPORT_TIME_LIMIT_MAX + 30 + 60,
}
CELERY_TIMEZONE = TIME_ZONE
# Queues by weight (skm/queues.py): each has its own worker unit in deploy/systemd.
# An export job's queue is chosen per job when it is sent (reports.services.export_queue).
CELERY_TASK_DEFAULT_QUEUE = Queue.SMALL.value
CELERY_TASK_ROUTES = {
    "reports.tasks.build_published_report": {"queue": Queue.REPORTS.value},
    "surveys.tasks.run_import_job": {"queue": Queue.IMPORTS.value},
}
# Export jobs: the stuck-job sweeper and the file clean-up run from celery beat
# (or `manage.py skm_export_cleanup` from cron).
CELERY_BEAT_SCHEDULE = {
    "reports-sweep-export-jobs": {"task": "reports.tasks.sweep_export_jobs", "schedule": 15 * 60.0},
    # UU 27/2022: erase saran and profiles past SKM_RETENTION_MONTHS (or `manage.py skm_retention`).
    "surveys-erase-expired-personal-data": {
        "task": "surveys.tasks.erase_expired_personal_data",
        "schedule": 24 * 3600.0,
    },
    "surveys-sweep-import-jobs": {"task": "surveys.tasks.sweep_import_jobs", "schedule": 15 * 60.0},
    # The league table (surveys.services_standings): the units whose tallies changed.
    "surveys-refresh-standings": {"task": "surveys.tasks.refresh_standings", "schedule": 60.0},
    # Fails running jobs whose worker stopped sending heartbeats (killed, OOM).
    "reports-fail-lost-export-jobs": {"task": "reports.tasks.fail_lost_export_jobs", "schedule": 60.0},
    # E-mail notifications (each event is sent once; see surveys/services_notifications.py),
    # at CELERY_TIMEZONE (Asia/Jakarta): rounds waiting for publication and periods ending
    # in 7 days every morning, the overdue RTL digest on Monday mornings, failed exports
    # within minutes.
    "surveys-send-round-notifications": {
        "task": "surveys.tasks.send_round_notifications",
        "schedule": crontab(hour=7, minute=0),
    },
    "followup-send-rtl-overdue-digest": {
        "task": "followup.tasks.send_rtl_overdue_digest",
        "schedule": crontab(hour=7, minute=15, day_of_week="mon"),
    },
    "reports-send-export-failed-notifications": {
        "task": "reports.tasks.send_export_failed_notifications",
        "schedule": 5 * 60.0,
    },
    # Webhooks (surveys/services_webhooks.py): every minute, one "responses received"
    # call per unit with new responses, and the deliveries whose retry is due; every
    # morning the RTL items that became overdue.
    "surveys-webhooks-tick": {"task": "surveys.tasks.webhooks_tick", "schedule": 60.0},
    "followup-record-rtl-overdue-webhooks": {
        "task": "followup.tasks.record_rtl_overdue_webhooks",
        "schedule": crontab(hour=6, minute=45),
    },
}

# SKM domain settings. The weight mode is parsed here, once: an unknown value stops start-up.
SKM_WEIGHT_MODE = parse_weight_mode(env("SKM_WEIGHT_MODE", default="exact"))  # exact | 0.111 | 0.11
SKM_EXPORT_RETENTION_HOURS = env.int("SKM_EXPORT_RETENTION_HOURS", default=72)
# A raw-data XLSX of more rows than this is made by an export job, not in the request.
SKM_RAW_EXPORT_SYNC_MAX = env.int("SKM_RAW_EXPORT_SYNC_MAX", default=20_000)
# Web imports run in the worker: the upload limit (refused before the body is
# read) and the task's time limit.
SKM_IMPORT_MAX_BYTES = env.int("SKM_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
SKM_IMPORT_TIME_LIMIT = env.int("SKM_IMPORT_TIME_LIMIT", default=600)
# A worker writes a heartbeat every SKM_EXPORT_HEARTBEAT_SECONDS while it runs
# a job; after three missed beats the job is failed and can be retried.
SKM_EXPORT_HEARTBEAT_SECONDS = env.int("SKM_EXPORT_HEARTBEAT_SECONDS", default=10)
# Laporan SKM: above this many respondents the per-respondent appendix goes into
# an XLSX attached to the report instead of the PDF; past SKM_REPORT_SARAN_MAX_ROWS
# saran the PDF lists identical saran once with their count, most frequent first.
SKM_REPORT_APPENDIX_MAX_RESPONDENTS = env.int("SKM_REPORT_APPENDIX_MAX_RESPONDENTS", default=1000)
SKM_REPORT_SARAN_MAX_ROWS = env.int("SKM_REPORT_SARAN_MAX_ROWS", default=200)
SKM_SUBMIT_RATE_LIMIT = env("SKM_SUBMIT_RATE_LIMIT", default="30/h")
# REST API (skm/api): requests per token per window ("1000/h"; 0/h: no limit). A token's
# questionnaire submissions also count against SKM_SUBMIT_RATE_LIMIT, per token.
SKM_API_RATE_LIMIT = env("SKM_API_RATE_LIMIT", default="1000/h")
# The questionnaire's web insert runs as a server-side prepared statement (once
# per database connection); off by default with SKM_DB_POOLER=pgbouncer-transaction
# (Debian 12's PgBouncer 1.18 keeps no prepared statements across transactions).
SKM_PREPARED_WEB_INSERT = env.bool("SKM_PREPARED_WEB_INSERT", default=not SKM_TRANSACTION_POOLING)
# When it is not prepared, PostgreSQL runs it as a PL/pgSQL function (installed on first
# use, named by a hash of its text), whose plan each server connection keeps.
SKM_WEB_INSERT_FUNCTION = env.bool("SKM_WEB_INSERT_FUNCTION", default=True)
# Behind a reverse proxy, the META key holding the real client address (e.g. HTTP_X_REAL_IP).
SKM_CLIENT_IP_HEADER = env("SKM_CLIENT_IP_HEADER", default="")
SKM_PHOTO_MAX_BYTES = env.int("SKM_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
SKM_PHOTO_MAX_PIXELS = env.int("SKM_PHOTO_MAX_PIXELS", default=40_000_000)
SKM_PHOTO_MAX_SIDE = env.int("SKM_PHOTO_MAX_SIDE", default=1600)
# The site's public address (scheme and host, no trailing slash): the links in
# e-mail notifications, and the address skm_demo prints. Production derives it
# from ALLOWED_HOSTS when unset (skm/settings/production.py).
SKM_SITE_URL = env("SKM_SITE_URL", default="http://127.0.0.1:8000")
# Webhooks: endpoints must be https:// and resolve to public addresses (no calls
# into the server's own network). Both may be allowed for development and tests.
SKM_WEBHOOK_ALLOW_HTTP = env.bool("SKM_WEBHOOK_ALLOW_HTTP", default=False)
SKM_WEBHOOK_ALLOW_PRIVATE = env.bool("SKM_WEBHOOK_ALLOW_PRIVATE", default=False)
# The open-data catalogue (/publik/katalog.json, DCAT): the licence of every
# published dataset (a licence URL) and the name of the catalogue's publisher,
# the institution running this instance (empty: "SKM" and the site's host name).
SKM_OPEN_DATA_LICENSE = env("SKM_OPEN_DATA_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")
SKM_OPEN_DATA_PUBLISHER = env("SKM_OPEN_DATA_PUBLISHER", default="")
# Decoded samples (width x height x channels x bytes per sample, after a JPEG's
# reduced decoding): a 16-bit 6000 x 6000 RGBA PNG holds 288 MB in a 300 KB file.
SKM_PHOTO_MAX_DECODED_BYTES = env.int("SKM_PHOTO_MAX_DECODED_BYTES", default=100 * 1024 * 1024)
# Saran and profile fields are erased this many months after the end of their period (0 = never).
SKM_RETENTION_MONTHS = env.int("SKM_RETENTION_MONTHS", default=24)
# A kiosk questionnaire left with answers and no activity is emptied after this many seconds.
SKM_KIOSK_IDLE_SECONDS = env.int("SKM_KIOSK_IDLE_SECONDS", default=60)
# A friendly page, and on the questionnaire the respondent's answers, instead of Django's CSRF page.
CSRF_FAILURE_VIEW = "skm.errors.csrf_failure"

# Content-Security-Policy (django-csp 4): scripts only from our own static files, never
# inline (every page's behaviour lives in static/js/). Inline styles stay allowed:
# matplotlib's SVG charts and the QR codes are inline SVG with style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}


def sso_form_action(csp: dict, end_session_endpoint: str) -> dict:
    """The CSP with the provider's origin allowed as a form target: logout (a form
    post) is redirected to the end-session endpoint, and form-action covers redirects."""
    if not end_session_endpoint:
        return csp
    parts = urlsplit(end_session_endpoint)
    directives = {**csp["DIRECTIVES"]}
    directives["form-action"] = [*directives["form-action"], f"{parts.scheme}://{parts.netloc}"]
    return {**csp, "DIRECTIVES": directives}


# Single sign-on with OpenID Connect (mozilla-django-oidc, skm/sso/, README "Single
# sign-on"), beside passwords. Off unless SKM_OIDC_CLIENT_ID is set; then the client
# secret and the provider's endpoints are needed too (production refuses to start
# without them). ID tokens are RS256, verified with the provider's JWKS; the audience
# is the client id and, when SKM_OIDC_ISSUER is set, the issuer must be it. Users are
# never created: a login matches an existing account (skm/sso/services.py).
OIDC_RP_CLIENT_ID = env("SKM_OIDC_CLIENT_ID", default="")
SKM_SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env("SKM_OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("SKM_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("SKM_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("SKM_OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("SKM_OIDC_JWKS_ENDPOINT", default="")
# Optional: logout also ends the provider's session (RP-initiated logout).
SKM_OIDC_END_SESSION_ENDPOINT = env("SKM_OIDC_END_SESSION_ENDPOINT", default="")
SKM_OIDC_ISSUER = env("SKM_OIDC_ISSUER", default="")
# The login button reads "Masuk dengan <SKM_OIDC_PROVIDER_NAME>".
SKM_SSO_PROVIDER_NAME = env("SKM_OIDC_PROVIDER_NAME", default="SSO")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = env.int("SKM_OIDC_TIMEOUT", default=10)
OIDC_OP_LOGOUT_URL_METHOD = "skm.sso.services.provider_logout_url"
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
SKM_SSO_REQUIRED_SETTINGS = {
    "SKM_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
    "SKM_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
    "SKM_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
    "SKM_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
    "SKM_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
}
if SKM_SSO_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "skm.sso.backends.SkmOidcBackend"]
    CONTENT_SECURITY_POLICY = sso_form_action(CONTENT_SECURITY_POLICY, SKM_OIDC_END_SESSION_ENDPOINT)

# Secure cookies need HTTPS; ``local`` turns them off for http://127.0.0.1.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# Trust X-Forwarded-Proto only behind a TLS proxy that sets (overwrites) it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("SKM_BEHIND_PROXY", default=False) else None

# One line per record: time, level, logger, message (logfmt-style key=value pairs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": "time=%(asctime)s level=%(levelname)s logger=%(name)s process=%(process)d msg=%(message)r",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every layout step at INFO; keep warnings only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
