#!/usr/bin/env bash
# Run SKM on its embedded default: SQLite, Celery eager, demo data, no Redis.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/system-deps.sh run
source scripts/_venv.sh
python manage.py migrate -v 0
python manage.py skm_demo
exec python manage.py runserver "${SKM_BIND:-127.0.0.1:8000}"
