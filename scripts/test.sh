#!/usr/bin/env bash
# The whole test suite against real PostgreSQL, Redis, a Celery worker and
# Chromium. Installs what it needs (apt as root) and starts the services.
#
# With no arguments (CI) there are three passes: first the page, permission, IKM
# and response-service tests on SQLite (the embedded default of scripts/dev.sh
# has code paths of its own: the comparison's portable ranking, the web
# insert's transaction), then a slice through PgBouncer in transaction mode,
# then the whole suite on PostgreSQL (with the read replica's tests). With arguments,
# only the PostgreSQL run of what they name, as before.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/system-deps.sh test
bash scripts/services.sh
# PgBouncer (transaction mode) and a streaming read replica of the primary, for the
# replica tests (skm/tests/test_db_replica.py) and the pass through PgBouncer below.
bash scripts/pg-scale.sh start
export TEST_REPLICA_URL="${TEST_REPLICA_URL:-postgres://skm:skm@127.0.0.1:${SKM_REPLICA_PORT:-5433}/skm}"
export TEST_PGBOUNCER_URL="${TEST_PGBOUNCER_URL:-postgres://skm:skm@127.0.0.1:${SKM_PGBOUNCER_PORT:-6432}/skm}"
export SKM_REQUIREMENTS=requirements-dev.txt
source scripts/_venv.sh
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://skm:skm@127.0.0.1:5432/skm}"
export REDIS_URL_TEST="${REDIS_URL_TEST:-redis://127.0.0.1:6379/15}"
export DJANGO_ALLOW_ASYNC_UNSAFE=true
# The SSO tests' OpenID provider (skm/tests/sso/op): its npm packages, from the lock file,
# installed again only when the lock changed.
OP_DIR="$ROOT/skm/tests/sso/op"
if command -v npm >/dev/null 2>&1; then
  op_want="$(sha256sum "$OP_DIR/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$OP_DIR/node_modules/.skm-lock.sha" 2>/dev/null)" != "$op_want" ]; then
    echo "==> npm ci (the SSO tests' OpenID provider)"
    npm ci --prefix "$OP_DIR" --no-audit --no-fund --loglevel=error >/dev/null
    echo "$op_want" > "$OP_DIR/node_modules/.skm-lock.sha"
  fi
fi
if [ "$#" -gt 0 ]; then
    exec python -m pytest "$@"
fi

# Pass 1: SQLite (in memory; tests marked `postgres` are skipped with their reason).
SQLITE_TESTS=(
    # pages: results, comparison, dashboard, RTL overview, responses, rounds, public pages
    surveys/tests/test_results_views.py surveys/tests/test_comparison.py
    surveys/tests/test_dashboard_collection.py surveys/tests/test_responses_views.py
    surveys/tests/test_rounds_views.py followup/tests/test_overview.py followup/tests/test_public_views.py
    reports/tests/test_comparison_export.py
    # permission matrices and access
    followup/tests/test_permissions.py surveys/tests/test_selectors.py surveys/tests/test_privacy.py
    # IKM rules and services
    skm/tests/rules surveys/tests/test_services.py surveys/tests/test_results.py
    surveys/tests/test_services_tallies.py surveys/tests/test_profile_tallies.py surveys/tests/test_standings.py
    surveys/tests/test_commands_ikm.py surveys/tests/test_publish_rule.py
    followup/tests/test_plan.py surveys/tests/test_exports.py
    # response services and the questionnaire (the web insert's SQLite branch)
    surveys/tests/test_services_responses.py surveys/tests/test_services_rounds.py surveys/tests/test_entry.py
    surveys/tests/test_questionnaire.py surveys/tests/test_questionnaire_integrity.py
    surveys/tests/test_questionnaire_fast_path.py surveys/tests/test_questionnaire_page_cache.py
    # extra questions per unit: the web insert's SQLite branch, the page, entry and import
    surveys/tests/test_questionnaire_extra.py surveys/tests/test_extra.py surveys/tests/test_extra_views.py
    surveys/tests/test_entry_import_extra.py
    # answers of any instrument: the JSON storage, its migration and the tallies on SQLite
    surveys/tests/test_migration_answers.py surveys/tests/test_models.py
)
echo "==> pass 1 of 3: ${#SQLITE_TESTS[@]} test modules on SQLite"
SQLITE_DIR="$(mktemp -d /tmp/skm-sqlite.XXXXXX)"
DATABASE_URL="sqlite:///$SQLITE_DIR/skm.sqlite3" python -m pytest -q "${SQLITE_TESTS[@]}"
rm -rf "$SQLITE_DIR"

# Pass 2: a slice through PgBouncer in transaction pool mode with the settings it
# needs (SKM_DB_POOLER): the questionnaire POST (the web insert), the web import,
# report and spreadsheet exports (Celery eager; rows read a chunk of keys at a time
# without a server-side cursor, skm/db_rows.py), the comparison (SET LOCAL), the public pages. Its own test
# database (test_skm_pgbouncer), created and dropped through PgBouncer.
PGBOUNCER_TESTS=(
    skm/tests/test_transaction_pooling.py skm/tests/test_db_rows.py
    surveys/tests/test_questionnaire.py surveys/tests/test_questionnaire_fast_path.py
    surveys/tests/test_imports_view.py surveys/tests/test_comparison.py reports/tests/test_comparison_export.py
    reports/tests/test_views.py::test_staff_and_supervisor_get_a_finished_pdf_eagerly
    reports/tests/test_views.py::test_word_reports_through_the_export_job
    surveys/tests/test_exports_raw.py followup/tests/test_public_views.py
)
echo "==> pass 2 of 3: ${#PGBOUNCER_TESTS[@]} test modules and tests through PgBouncer (transaction mode)"
DATABASE_URL="${TEST_PGBOUNCER_URL%/*}/skm_pgbouncer" SKM_DB_POOLER=pgbouncer-transaction \
    python -m pytest -q "${PGBOUNCER_TESTS[@]}"
echo "==> pass 3 of 3: the whole suite on PostgreSQL"
exec python -m pytest
