"""Product settings plus one bare view, for bench_submit.py only."""

from skm.settings.local import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "submit_app.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
# The throttle runs (its upsert is part of the cost) but never blocks the load.
SKM_SUBMIT_RATE_LIMIT = "100000000/h"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
