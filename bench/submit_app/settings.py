"""Production settings plus two bare views, for bench_submit.py only."""

from skm.settings.production import *  # noqa: F403

ROOT_URLCONF = "submit_app.urls"
# The throttle runs (its upsert is part of the cost) but never blocks the load.
SKM_SUBMIT_RATE_LIMIT = "100000000/h"
# Likewise the API's per-token limit (bench_api.py).
SKM_API_RATE_LIMIT = "100000000/h"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
