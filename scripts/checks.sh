#!/usr/bin/env bash
# Static checks run by CI before the tests: lint, format, types, layering,
# migrations and Django's deployment checklist under the production settings.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/system-deps.sh test
export SKM_REQUIREMENTS=requirements-dev.txt
source scripts/_venv.sh
step() { echo "==> $*"; }

step "ruff check";          ruff check .
step "ruff format --check"; ruff format --check .
step "mypy (rules and services)"; mypy
step "import layers";       lint-imports
step "makemigrations --check"
DATABASE_URL="sqlite:///$(mktemp -d)/check.sqlite3" DJANGO_SETTINGS_MODULE=skm.settings.local \
  python manage.py makemigrations --check --dry-run
step "check --deploy (production settings, test values)"
SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
ALLOWED_HOSTS=skm.example.go.id \
DATABASE_URL=postgres://skm:unused@127.0.0.1:5432/skm \
REDIS_URL=redis://127.0.0.1:6379/0 \
DJANGO_SETTINGS_MODULE=skm.settings.production \
  python manage.py check --deploy --fail-level WARNING
echo "==> checks passed"
