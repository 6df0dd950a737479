#!/usr/bin/env bash
# The whole test suite against real PostgreSQL, Redis, a Celery worker and
# Chromium. Installs what it needs (apt as root) and starts the services.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/system-deps.sh test
bash scripts/services.sh
export SKM_REQUIREMENTS=requirements-dev.txt
source scripts/_venv.sh
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://skm:skm@127.0.0.1:5432/skm}"
export REDIS_URL_TEST="${REDIS_URL_TEST:-redis://127.0.0.1:6379/15}"
export DJANGO_ALLOW_ASYNC_UNSAFE=true
exec python -m pytest "$@"
