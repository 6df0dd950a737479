"""Production: every secret and address comes from the environment, and start-up
fails (ImproperlyConfigured) when SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL or
REDIS_URL is missing, or SKM_S3_BUCKET is set without its access key and
secret. HTTPS only: secure cookies, HSTS, redirect to https."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import (
    CONN_MAX_AGE,
    SKM_S3_ACCESS_KEY_ID,
    SKM_S3_BUCKET,
    SKM_S3_SECRET_ACCESS_KEY,
    SKM_TRANSACTION_POOLING,
    database_settings,
    env,
)

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be a long random string (50+ characters).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's host name(s).")
# Links in notification e-mails: the public https address, given or derived from
# the first host name (a wildcard such as "*" or ".example.go.id" cannot name it).
SKM_SITE_URL = env("SKM_SITE_URL", default="").rstrip("/")
if not SKM_SITE_URL:
    if ALLOWED_HOSTS[0] == "*" or ALLOWED_HOSTS[0].startswith("."):
        raise ImproperlyConfigured("Set SKM_SITE_URL (e.g. https://skm.example.go.id): links in e-mails need it.")
    SKM_SITE_URL = f"https://{ALLOWED_HOSTS[0]}"
if not SKM_SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SKM_SITE_URL must be the site's https:// address.")
DATABASES = database_settings(
    url=env("DATABASE_URL"),
    replica_url=env("DATABASE_REPLICA_URL", default=""),
    conn_max_age=CONN_MAX_AGE,
    transaction_pooling=SKM_TRANSACTION_POOLING,
)
REDIS_URL = env("REDIS_URL")
if not REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL: reports and exports run on the Celery worker, never in a request.")
CELERY_BROKER_URL = REDIS_URL
# Files: an object store with a bucket but no credentials fails closed (never
# anonymous access); without a bucket, MEDIA_ROOT on this machine (README "Files").
if SKM_S3_BUCKET and not (SKM_S3_ACCESS_KEY_ID and SKM_S3_SECRET_ACCESS_KEY):
    raise ImproperlyConfigured("SKM_S3_BUCKET is set: set SKM_S3_ACCESS_KEY_ID and SKM_S3_SECRET_ACCESS_KEY too.")
CELERY_TASK_ALWAYS_EAGER = False

# SSO (SKM_OIDC_CLIENT_ID set) needs its secret and every endpoint, over https.
if SKM_SSO_ENABLED:
    _missing = [name for name, value in SKM_SSO_REQUIRED_SETTINGS.items() if not value]
    if _missing:
        raise ImproperlyConfigured(f"SKM_OIDC_CLIENT_ID is set: also set {', '.join(_missing)}.")
    _endpoints = {**SKM_SSO_REQUIRED_SETTINGS, "SKM_OIDC_END_SESSION_ENDPOINT": SKM_OIDC_END_SESSION_ENDPOINT}
    _plain = [
        name
        for name, value in _endpoints.items()
        if name.endswith("_ENDPOINT") and value and not value.startswith("https://")
    ]
    if _plain:
        raise ImproperlyConfigured(f"The identity provider's endpoints must be https://: {', '.join(_plain)}.")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
# The site usually runs on a sub-domain (skm.<pemda>.go.id): HSTS covers the
# names below it. Preloading is decided for the registrable domain by its owner
# (hstspreload.org takes apex domains only), so it is off and its check silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
