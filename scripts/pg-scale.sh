#!/usr/bin/env bash
# PostgreSQL at scale, on this machine (no systemd), idempotently, as root:
#   start: a PgBouncer in transaction pool mode on 127.0.0.1:$SKM_PGBOUNCER_PORT (6432)
#          in front of the primary (the Debian cluster "<ver> main" on 127.0.0.1:5432,
#          started by scripts/services.sh), any database name, role skm with the
#          primary's own password secret; and a streaming physical replica of the
#          primary (pg_basebackup -R, replication slot skm_replica_<port>) on
#          127.0.0.1:$SKM_REPLICA_PORT (5433).
#   stop:  stops both and removes the replica, its slot and the PgBouncer files.
# Files live in $SKM_PGSCALE_DIR (/tmp/skm-pgscale). Needs scripts/services.sh first
# and the Debian package pgbouncer (scripts/system-deps.sh test installs it).
set -euo pipefail
export LANG=C.UTF-8 LC_ALL=C.UTF-8
ACTION="${1:-start}"
DIR="${SKM_PGSCALE_DIR:-/tmp/skm-pgscale}"
BOUNCER_PORT="${SKM_PGBOUNCER_PORT:-6432}"
REPLICA_PORT="${SKM_REPLICA_PORT:-5433}"
PRIMARY_PORT=5432
# One slot per replica port: a second set (other ports and directory) keeps its own.
SLOT="skm_replica_$REPLICA_PORT"
PGVER="$(ls /usr/lib/postgresql | sort -n | tail -1)"
PGBIN="/usr/lib/postgresql/$PGVER/bin"
REPLICA_DIR="$DIR/replica"

# One run at a time (scripts/test.sh and scripts/two-node-check.sh may start it together).
# The daemons started below must not inherit descriptor 9, or they hold the lock for
# as long as they run and the next start waits forever (as_postgres closes it).
exec 9>"$DIR.lock"
flock -w 120 9 || { echo "Menunggu $DIR.lock lebih dari 120 s: pg-scale.sh lain masih berjalan?" >&2; exit 1; }

as_postgres() { su postgres -s /bin/bash -c "$1" 9>&-; }
primary_sql() { as_postgres "psql -p $PRIMARY_PORT -tAXq -c \"$1\""; }
bouncer_pid() {
  local pid
  pid="$(cat "$DIR/pgbouncer.pid" 2>/dev/null)" || return 1
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}
replica_running() { [ -f "$REPLICA_DIR/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl -D '$REPLICA_DIR' status" >/dev/null 2>&1; }

drop_slot() {  # the slot of a replica that stopped (its walsender may take a moment to go)
  for _ in $(seq 1 50); do
    [ -n "$(primary_sql "SELECT 1 FROM pg_replication_slots WHERE slot_name = '$1'")" ] || return 0
    primary_sql "SELECT pg_drop_replication_slot('$1') FROM pg_replication_slots WHERE slot_name = '$1' AND NOT active" >/dev/null
    sleep 0.1
  done
  echo "Slot replikasi $1 masih dipakai; hapus dengan pg_drop_replication_slot('$1')" >&2
  return 1
}

stop_all() {
  local pid slot="$SLOT"
  if [ -f "$REPLICA_DIR/postgresql.auto.conf" ]; then
    slot="$(sed -n "s/^primary_slot_name = '\(.*\)'$/\1/p" "$REPLICA_DIR/postgresql.auto.conf" | tail -1)"
    slot="${slot:-$SLOT}"
  fi
  if pid="$(bouncer_pid)"; then
    kill -INT "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if replica_running; then
    as_postgres "$PGBIN/pg_ctl -D '$REPLICA_DIR' -m fast -w stop" >/dev/null
  fi
  if pg_isready -q -h 127.0.0.1 -p "$PRIMARY_PORT"; then
    drop_slot "$slot"
  fi
  rm -rf "$DIR"
}

if [ "$ACTION" = stop ]; then
  stop_all
  echo "==> PgBouncer dan replika baca dihentikan"
  exit 0
fi
[ "$ACTION" = start ] || { echo "Pemakaian: $0 start|stop" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "Jalankan sebagai root: bash $0 start" >&2; exit 1; }
command -v pgbouncer >/dev/null 2>&1 || bash "$(dirname "${BASH_SOURCE[0]}")/system-deps.sh" test
command -v pgbouncer >/dev/null 2>&1 || { echo "Paket pgbouncer belum terpasang: apt-get install pgbouncer" >&2; exit 1; }
pg_isready -q -h 127.0.0.1 -p "$PRIMARY_PORT" || { echo "PostgreSQL utama belum berjalan: bash scripts/services.sh" >&2; exit 1; }
mkdir -p "$DIR"
chown postgres:postgres "$DIR"
chmod 700 "$DIR"

# Tests pause and resume replay on the replica as skm (granted on the primary, replicated).
# Function privileges are per database: template1 passes them on to the test
# databases pytest-django creates.
for db in template1 skm; do
  as_postgres "psql -p $PRIMARY_PORT -d $db -tAXq -c 'GRANT EXECUTE ON FUNCTION pg_wal_replay_pause(), pg_wal_replay_resume() TO skm'"
done

# --- The replica: a second cluster made by pg_basebackup -R from the primary.
if [ ! -f "$REPLICA_DIR/standby.signal" ]; then
  if replica_running; then as_postgres "$PGBIN/pg_ctl -D '$REPLICA_DIR' -m fast -w stop" >/dev/null; fi
  rm -rf "$REPLICA_DIR"
  # A slot keeps the WAL the replica has not received yet (a leftover one is replaced).
  drop_slot "$SLOT"
  # Over the primary's Unix socket as postgres (pg_hba: local replication all peer).
  as_postgres "$PGBIN/pg_basebackup -h /var/run/postgresql -p $PRIMARY_PORT -D '$REPLICA_DIR' -R -C -S $SLOT -X stream -c fast"
  # A Debian cluster keeps its configuration in /etc: the copy has none of its own.
  # Limits the standby must match at least are the primary's.
  limits=""
  for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
    limits+="$name = $(primary_sql "SHOW $name")"$'\n'
  done
  cat > "$REPLICA_DIR/postgresql.conf" <<EOF
# skm read replica (scripts/pg-scale.sh): streaming from 127.0.0.1:$PRIMARY_PORT
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
unix_socket_directories = '$DIR'
hba_file = '$REPLICA_DIR/pg_hba.conf'
ident_file = '$REPLICA_DIR/pg_ident.conf'
hot_standby = on
hot_standby_feedback = on
shared_buffers = 64MB
logging_collector = off
$limits
EOF
  cat > "$REPLICA_DIR/pg_hba.conf" <<'EOF'
local all all peer
host all all 127.0.0.1/32 scram-sha-256
EOF
  : > "$REPLICA_DIR/pg_ident.conf"
  chown postgres:postgres "$REPLICA_DIR/postgresql.conf" "$REPLICA_DIR/pg_hba.conf" "$REPLICA_DIR/pg_ident.conf"
fi
if ! replica_running; then
  as_postgres "$PGBIN/pg_ctl -D '$REPLICA_DIR' -l '$DIR/replica.log' -w -t 30 start" >/dev/null
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT" && break; sleep 0.2; done
pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT" || { echo "Replika tidak menjawab; lihat $DIR/replica.log" >&2; exit 1; }

# --- PgBouncer, transaction pooling, in front of the primary.
# The auth file holds the primary's own secret of skm (SCRAM, or md5 on an older
# cluster), so the password is never written out and PgBouncer logs in to the
# primary with the client's SCRAM proof.
secret="$(primary_sql "SELECT rolpassword FROM pg_authid WHERE rolname = 'skm'")"
[ -n "$secret" ] || { echo "Peran skm belum ada: bash scripts/services.sh" >&2; exit 1; }
case "$secret" in SCRAM-SHA-256*) auth_type=scram-sha-256 ;; *) auth_type=md5 ;; esac
umask 077
printf '"skm" "%s"\n' "$secret" > "$DIR/userlist.txt.new"
cat > "$DIR/pgbouncer.ini.new" <<EOF
; skm PgBouncer (scripts/pg-scale.sh)
[databases]
; any database name, the test databases pytest-django creates included
* = host=127.0.0.1 port=$PRIMARY_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
pool_mode = transaction
auth_type = $auth_type
auth_file = $DIR/userlist.txt
; the admin console (database "pgbouncer"): the tests close a test database's server
; connections there before pytest-django drops it
admin_users = skm
max_client_conn = 1000
default_pool_size = 20
min_pool_size = 0
server_idle_timeout = 60
ignore_startup_parameters = extra_float_digits
pidfile = $DIR/pgbouncer.pid
logfile = $DIR/pgbouncer.log
EOF
changed=0
for f in pgbouncer.ini userlist.txt; do
  if cmp -s "$DIR/$f.new" "$DIR/$f"; then rm "$DIR/$f.new"; else mv "$DIR/$f.new" "$DIR/$f"; changed=1; fi
done
chown postgres:postgres "$DIR/pgbouncer.ini" "$DIR/userlist.txt"
if pid="$(bouncer_pid)" && [ "$changed" = 1 ]; then
  kill -INT "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
if ! bouncer_pid >/dev/null; then
  # Debian's packaged instance (/etc/pgbouncer, started by the package on some
  # machines) listens on 6432 too: this one replaces it.
  if [ -f /var/run/postgresql/pgbouncer.pid ] && kill -0 "$(cat /var/run/postgresql/pgbouncer.pid)" 2>/dev/null; then
    kill -INT "$(cat /var/run/postgresql/pgbouncer.pid)"; sleep 0.5
  fi
  as_postgres "pgbouncer -d -q '$DIR/pgbouncer.ini'"
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$BOUNCER_PORT" && break; sleep 0.2; done
pg_isready -q -h 127.0.0.1 -p "$BOUNCER_PORT" || { echo "PgBouncer tidak menjawab; lihat $DIR/pgbouncer.log" >&2; exit 1; }
echo "==> PgBouncer (mode transaksi) di 127.0.0.1:$BOUNCER_PORT dan replika baca di 127.0.0.1:$REPLICA_PORT berjalan"
