#!/usr/bin/env bash
# Start PostgreSQL and Redis on loopback (no systemd), idempotently, and make
# the 'skm' role with CREATEDB that pytest-django needs.
set -euo pipefail
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PGVER="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$PGVER main$"; then
  pg_createcluster "$PGVER" main >/dev/null
fi
if ! pg_ctlcluster "$PGVER" main status >/dev/null 2>&1; then
  pg_ctlcluster "$PGVER" main start
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
pg_isready -h 127.0.0.1 >/dev/null
su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='skm'\"" | grep -q 1 || \
  su postgres -c "psql -q -c \"CREATE ROLE skm LOGIN PASSWORD 'skm' CREATEDB\""
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='skm'\"" | grep -q 1 || \
  su postgres -c "createdb -O skm skm"

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >/dev/null
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
echo "==> PostgreSQL $PGVER dan Redis berjalan di 127.0.0.1"
