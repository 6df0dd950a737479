#!/usr/bin/env bash
# Two web nodes behind one balancer, on this machine, as root (issue 21):
#   nginx (a private instance on high ports, self-signed HTTPS) balancing two
#   gunicorn nodes A and B, each with its own MEDIA_ROOT, STATIC_ROOT and export
#   scratch directory; two Celery workers on different queues (celery+imports,
#   reports+exports), each with its own directories too; PostgreSQL through
#   PgBouncer (transaction pooling) with a streaming read replica
#   (scripts/pg-scale.sh); an S3-compatible object store (moto's server) for
#   every file; Redis for the broker and the shared cache.
# Then, through scripts/two_node_client.py: log in through the balancer; upload
# an evidence photo through node A and view it through node B; import a CSV
# handled by the imports worker; download a PDF report made by the reports
# worker; and stop node A during a bounded load on the public questionnaire:
# every accepted answer must be stored exactly once, and the balancer must keep
# serving (through node B) every request started after node A is gone.
#
# Everything runs as root from this checkout and its .venv (no copy, no new
# virtualenv: CI runs this right after the test suite). Idempotent (a previous
# run is cleaned up first), bounded in time (SKM_2NODE_TIMEOUT, default 600 s:
# room for apt on a fresh machine; the check itself takes 75 to 120 s), and it
# removes what it made on exit: processes, database, Redis db, files.
set -euo pipefail

LIMIT="${SKM_2NODE_TIMEOUT:-600}"
if [ -z "${SKM_2NODE_TIMED:-}" ]; then
  export SKM_2NODE_TIMED=1
  exec timeout --kill-after=20 "$LIMIT" bash "$0" "$@"
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8 LC_ALL=C.UTF-8
umask 022

BASE=/tmp/skm-two-node
PIDS="$BASE/pids"
LOGS="$BASE/logs"
NGX="$BASE/nginx"
DB=skm2node
REDIS_DB="${SKM_2NODE_REDIS_DB:-12}"
# Ports apart from deploy-check's (18443, 18080, 18000) and the tests'.
LB_PORT="${SKM_2NODE_PORT:-18743}"       # the balancer (https)
A_ROUTE_PORT=$((LB_PORT + 1))            # nginx, to node A only (https)
B_ROUTE_PORT=$((LB_PORT + 2))            # nginx, to node B only (https)
A_PORT=$((LB_PORT - 42))                 # gunicorn A (http, loopback)
B_PORT=$((LB_PORT - 41))                 # gunicorn B
S3_PORT=$((LB_PORT + 47))                # moto's S3 server
PGBOUNCER_PORT="${SKM_PGBOUNCER_PORT:-6432}"
REPLICA_PORT="${SKM_REPLICA_PORT:-5433}"
LOAD_SECONDS="${SKM_2NODE_LOAD_SECONDS:-15}"
LOAD_THREADS="${SKM_2NODE_THREADS:-8}"
HOST=127.0.0.1
SITE="https://$HOST:$LB_PORT"
BUCKET=skm-dua-node
S3_KEY=skm-two-node-access
S3_SECRET=skm-two-node-secret
START=$(date +%s)
export SKM_2NODE_START="$START"

step() { printf '==> [%3ss] %s\n' "$(($(date +%s) - START))" "$*"; }
fail() { echo "two-node-check GAGAL: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  echo "two-node-check: jalankan sebagai root (membuat basis data dan nginx sementara)" >&2
  exit 1
fi

# --- clean-up (also of a previous, interrupted run) ----------------------------
# shellcheck source=scripts/_check_lib.sh
source "$ROOT/scripts/_check_lib.sh"

remove_all() {  # stop what this script started, drop its database, delete $BASE
  local file stoppers=()
  # TERM to every process group at once (gunicorn and Celery shut down warm), then wait.
  for file in "$PIDS"/*.pid "$NGX/nginx.pid"; do
    [ -f "$file" ] || continue
    stop_pid "$file" &
    stoppers+=($!)
  done
  [ ${#stoppers[@]} -eq 0 ] || wait "${stoppers[@]}"
  timeout 60 su postgres -c "dropdb --if-exists --force $DB" >/dev/null 2>&1
  timeout 10 redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null 2>&1
  # PgBouncer and the replica only when this run started them (they may serve others).
  if [ -f "$BASE/pg-scale-started" ]; then
    timeout 60 bash "$ROOT/scripts/pg-scale.sh" stop >/dev/null 2>&1
  fi
  rm -rf "$BASE"
  return 0
}

cleanup() {
  local status=$?
  trap - EXIT
  set +e
  if [ "$status" -ne 0 ] && [ -d "$LOGS" ]; then
    show_logs "$BASE" 30 "$LOGS"/*.log "$NGX"/error.log
  fi
  remove_all
  [ -e "$BASE" ] && { echo "two-node-check: pembersihan tidak tuntas ($BASE)" >&2; [ "$status" -ne 0 ] || status=1; }
  [ "$status" -eq 0 ] && step "bersih: proses dihentikan, basis data $DB dan $BASE dihapus"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 124' TERM INT

step "membersihkan sisa percobaan sebelumnya"
remove_all
mkdir -p "$BASE" "$PIDS" "$LOGS"

# --- services: PostgreSQL, Redis, PgBouncer and the replica, the virtualenv ----------
step "paket sistem dan layanan (PostgreSQL, Redis, PgBouncer, replika)"
timeout 900 bash "$ROOT/scripts/system-deps.sh" test
timeout 120 bash "$ROOT/scripts/services.sh" >/dev/null
for cmd in nginx openssl curl pg_isready redis-cli; do command -v "$cmd" >/dev/null || fail "$cmd tidak ada"; done
if ! pg_isready -q -h 127.0.0.1 -p "$PGBOUNCER_PORT" || ! pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then
  touch "$BASE/pg-scale-started"
fi
rc=0
timeout 180 bash "$ROOT/scripts/pg-scale.sh" start >"$LOGS/pg-scale.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "pg-scale.sh start (kode $rc$([ "$rc" -eq 124 ] && echo ', waktu 180 s habis')): $(tail -5 "$LOGS/pg-scale.log")"
# The repository's virtualenv as the test suite left it (moto's server is a dev requirement).
export SKM_REQUIREMENTS=requirements-dev.txt
# shellcheck source=scripts/_venv.sh
source "$ROOT/scripts/_venv.sh"
cd "$ROOT"
VENV="$ROOT/.venv/bin"
timeout 10 redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null

# --- settings shared by every process, and each node's own directories ------------------
SECRET="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
DEMO_PASSWORD="$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')"
PRIMARY_URL="postgres://skm:skm@127.0.0.1:5432/$DB"
COMMON=(
  PATH="$VENV:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" LANG=C.UTF-8 HOME=/root
  DJANGO_SETTINGS_MODULE=skm.settings.production
  "SECRET_KEY=$SECRET"
  "ALLOWED_HOSTS=$HOST"
  "CSRF_TRUSTED_ORIGINS=$SITE,https://$HOST:$A_ROUTE_PORT,https://$HOST:$B_ROUTE_PORT"
  "SKM_SITE_URL=$SITE"
  # Through PgBouncer in transaction mode; public pages and open data read the replica.
  "DATABASE_URL=postgres://skm:skm@127.0.0.1:$PGBOUNCER_PORT/$DB"
  "DATABASE_REPLICA_URL=postgres://skm:skm@127.0.0.1:$REPLICA_PORT/$DB"
  SKM_DB_POOLER=pgbouncer-transaction
  "REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB"
  # Shared by the nodes (rate limits, cached pages), as README "Files" says for several machines.
  "CACHE_URL=redis://127.0.0.1:6379/$REDIS_DB"
  SKM_BEHIND_PROXY=True SKM_CLIENT_IP_HEADER=HTTP_X_REAL_IP
  # Every respondent of the load comes from 127.0.0.1: no per-address limit here.
  SKM_SUBMIT_RATE_LIMIT=0/h
  "SKM_S3_BUCKET=$BUCKET" "SKM_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT"
  "SKM_S3_ACCESS_KEY_ID=$S3_KEY" "SKM_S3_SECRET_ACCESS_KEY=$S3_SECRET" SKM_S3_REGION=us-east-1 SKM_S3_PREFIX=media
  STATICFILES_BACKEND=skm.storage.GzipManifestStaticFilesStorage
  EMAIL_URL=consolemail:// LOG_LEVEL=WARNING
)
node_dirs() {  # node_dirs NAME: the env of one machine's local directories
  local dir="$BASE/$1"
  mkdir -p "$dir/media" "$dir/tmp" "$dir/static" "$dir/mpl"
  echo "MEDIA_ROOT=$dir/media"
  echo "SKM_EXPORT_TMP_DIR=$dir/tmp"
  echo "STATIC_ROOT=$dir/static"
  echo "MPLCONFIGDIR=$dir/mpl"
}
app() {  # app NAME COMMAND...: run in the foreground with the env of machine NAME
  local name="$1" vars
  shift
  mapfile -t vars < <(node_dirs "$name")
  env -i "${COMMON[@]}" "${vars[@]}" "$@"
}
start_bg() {  # start_bg NAME COMMAND...: in its own session (process group), logged, pid recorded
  local name="$1" vars
  shift
  mapfile -t vars < <(node_dirs "$name")
  setsid env -i "${COMMON[@]}" "${vars[@]}" "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds
  local seconds="$1" what="$2" file
  shift 2
  local until=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$until" ] || fail "$what tidak siap dalam $seconds detik"
    for file in "$PIDS"/*.pid; do
      kill -0 "$(cat "$file")" 2>/dev/null || fail "$(basename "$file" .pid) berhenti"
    done
    sleep 0.5
  done
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$LB_PORT" "$A_ROUTE_PORT" "$B_ROUTE_PORT" "$A_PORT" "$B_PORT" "$S3_PORT"; do
  port_free "$port" || fail "port $port sudah dipakai (SKM_2NODE_PORT memilih yang lain)"
done

# --- the object store ----------------------------------------------------------------
step "penyimpanan objek (moto S3) di 127.0.0.1:$S3_PORT, bucket $BUCKET"
start_bg s3 "$VENV/moto_server" -H 127.0.0.1 -p "$S3_PORT"
wait_for 30 "moto S3" curl -sf -o /dev/null "http://127.0.0.1:$S3_PORT/moto-api/"
app s3 python -c '
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id=sys.argv[3], aws_secret_access_key=sys.argv[4])
s3.create_bucket(Bucket=sys.argv[2])
' "http://127.0.0.1:$S3_PORT" "$BUCKET" "$S3_KEY" "$S3_SECRET"

# --- the database: created and migrated on the primary directly ------------------------
step "basis data $DB: migrate dan data demo (langsung ke primary)"
timeout 60 su postgres -c "createdb -O skm $DB"
# Migrations hold a session across statements: they go to the primary, not through the pooler.
app setup env -u DATABASE_REPLICA_URL -u SKM_DB_POOLER "DATABASE_URL=$PRIMARY_URL" \
  timeout 300 python manage.py migrate --noinput >"$LOGS/migrate.log" 2>&1 || fail "migrate: $(tail -5 "$LOGS/migrate.log")"
app setup env -u DATABASE_REPLICA_URL -u SKM_DB_POOLER "DATABASE_URL=$PRIMARY_URL" SKM_DEMO_PASSWORD="$DEMO_PASSWORD" \
  timeout 300 python manage.py skm_demo >"$LOGS/demo.log" 2>&1 || fail "skm_demo: $(tail -5 "$LOGS/demo.log")"

step "collectstatic untuk node A dan node B (masing-masing direktori sendiri)"
app node-a timeout 300 python manage.py collectstatic --noinput >"$LOGS/collectstatic.log" 2>&1 ||
  fail "collectstatic: $(tail -5 "$LOGS/collectstatic.log")"
# Node B's copy, from the same code (as collectstatic on a second machine would make it).
node_dirs node-b >/dev/null
cp -a "$BASE/node-a/static/." "$BASE/node-b/static/"

# --- nginx: the balancer and a route to each node --------------------------------------
step "sertifikat swatanda dan nginx: penyeimbang https://$HOST:$LB_PORT, node A :$A_ROUTE_PORT, node B :$B_ROUTE_PORT"
mkdir -p "$NGX/tmp"
timeout 60 openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" \
  -addext "subjectAltName=IP:$HOST" -keyout "$NGX/privkey.pem" -out "$NGX/cert.pem" 2>/dev/null
chmod 0600 "$NGX/privkey.pem"
proxy_lines() {  # the proxy settings of deploy/nginx/skm.conf's "location /"
  cat <<'EOF'
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_redirect off;
            proxy_read_timeout 75s;
            proxy_send_timeout 75s;
            # Which node answered (the last one tried): the check reads it.
            add_header X-SKM-Upstream $upstream_addr always;
EOF
}
tls_lines() {
  cat <<EOF
        ssl_certificate $NGX/cert.pem;
        ssl_certificate_key $NGX/privkey.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 21m;
EOF
}
cat >"$NGX/nginx.conf" <<EOF
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/error.log;
events { worker_connections 512; }
http {
    access_log $NGX/access.log;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;

    # Round robin over the two nodes. A node that refuses or drops a connection is
    # marked failed for 5 s (max_fails=1) and skipped meanwhile.
    upstream skm_nodes {
        server 127.0.0.1:$A_PORT max_fails=1 fail_timeout=5s;
        server 127.0.0.1:$B_PORT max_fails=1 fail_timeout=5s;
        keepalive 16;
    }
    upstream skm_node_a { server 127.0.0.1:$A_PORT; }
    upstream skm_node_b { server 127.0.0.1:$B_PORT; }

    server {
        listen 127.0.0.1:$LB_PORT ssl;
        server_name $HOST;
$(tls_lines)
        location / {
            proxy_pass http://skm_nodes;
            # A request goes to the other node when this one cannot be reached
            # (error: connection refused or reset before the request was sent;
            # timeout: no connection within proxy_connect_timeout) or answers
            # 502/503. Without "non_idempotent", nginx never passes a POST on
            # once it has been sent to a node: the node may have acted on it
            # before it died (a staff form, an upload), and a second node would
            # act again. Such a POST gets a 502.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
$(proxy_lines)
        }
        # The public questionnaire may pass a sent POST on: each form carries a
        # one-time token, so the other node stores the answer if the first did
        # not, and answers "Jawaban sudah diterima" (409) if it did. No answer is
        # stored twice, and no respondent gets a 502 because a node stopped.
        location /isi/ {
            proxy_pass http://skm_nodes;
            proxy_next_upstream error timeout non_idempotent http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
$(proxy_lines)
        }
    }
    server {
        listen 127.0.0.1:$A_ROUTE_PORT ssl;
        server_name $HOST;
$(tls_lines)
        location / {
            proxy_pass http://skm_node_a;
$(proxy_lines)
        }
    }
    server {
        listen 127.0.0.1:$B_ROUTE_PORT ssl;
        server_name $HOST;
$(tls_lines)
        location / {
            proxy_pass http://skm_node_b;
$(proxy_lines)
        }
    }
}
EOF
timeout 30 nginx -t -q -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log"
timeout 30 nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log"

# PgBouncer's admin console (admin_users = skm in scripts/pg-scale.sh): the transactions
# it pooled for this database so far (its counters outlive a dropped database).
bouncer_xacts() {
  local n
  n="$(PGPASSWORD=skm timeout 10 psql -h 127.0.0.1 -p "$PGBOUNCER_PORT" -U skm -d pgbouncer -tA -F' ' \
    -c 'SHOW STATS' | awk -v db="$DB" '$1 == db {print $2}')"
  echo "${n:-0}"
}
XACTS_BEFORE="$(bouncer_xacts)"

# --- the two nodes and the two workers ---------------------------------------------------
step "gunicorn node A (:$A_PORT) dan node B (:$B_PORT); worker 1 (celery, imports) dan worker 2 (reports, exports)"
start_node() {  # start_node a|b
  local port=$A_PORT
  [ "$1" = b ] && port=$B_PORT
  start_bg "node-$1" "$VENV/gunicorn" skm.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
    --timeout 60 --graceful-timeout 20 --access-logfile - --no-control-socket
}
start_node a
start_node b
start_bg worker-1 "$VENV/celery" --app skm worker --queues celery,imports --hostname "w1@%h" \
  --pool prefork --concurrency 1 --without-gossip --without-mingle --loglevel INFO
start_bg worker-2 "$VENV/celery" --app skm worker --queues reports,exports --hostname "w2@%h" \
  --pool prefork --concurrency 1 --without-gossip --without-mingle --loglevel INFO
CURL=(curl -sS --max-time 30 --cacert "$NGX/cert.pem")
wait_for 60 "node A" "${CURL[@]}" -f -o /dev/null "https://$HOST:$A_ROUTE_PORT/masuk/"
wait_for 60 "node B" "${CURL[@]}" -f -o /dev/null "https://$HOST:$B_ROUTE_PORT/masuk/"
for worker in worker-1 worker-2; do
  wait_for 60 "$worker" grep -q "ready\." "$LOGS/$worker.log"
done
# Static files come from each node (whitenoise), not from nginx.
css="$("${CURL[@]}" -f "$SITE/masuk/" | grep -o '/static/css/skm\.[0-9a-f]*\.css' | head -1)"
[ -n "$css" ] || fail "CSS berhash tidak ada di halaman masuk"
for route in "$A_ROUTE_PORT" "$B_ROUTE_PORT"; do
  "${CURL[@]}" -f -o /dev/null "https://$HOST:$route$css" || fail "$css dari :$route"
done

# --- the site, used through the balancer and each node ------------------------------------
CLIENT=(python "$ROOT/scripts/two_node_client.py"
  --lb "$SITE" --node-a "https://$HOST:$A_ROUTE_PORT" --node-b "https://$HOST:$B_ROUTE_PORT"
  --addr-a "127.0.0.1:$A_PORT" --addr-b "127.0.0.1:$B_PORT" --ca "$NGX/cert.pem"
  --db "$PRIMARY_URL" --replica-db "postgres://skm:skm@127.0.0.1:$REPLICA_PORT/$DB")
step "klien: masuk, halaman publik, foto A->B, impor, laporan"
"${CLIENT[@]}" flow --password="$DEMO_PASSWORD" \
  --s3-endpoint "http://127.0.0.1:$S3_PORT" --s3-key "$S3_KEY" --s3-secret "$S3_SECRET" --bucket "$BUCKET" \
  --media-a "$BASE/node-a/media" --media-b "$BASE/node-b/media"

# The load, twice: node A stopped gracefully (SIGTERM to the gunicorn master, as
# systemd stops skm-web), then, once started again, killed (SIGKILL to the master and
# its workers: a crash or the OOM killer).
for signal in TERM KILL; do
  if [ "$signal" = KILL ]; then
    step "node A dijalankan lagi"
    start_node a
    wait_for 60 "node A" "${CURL[@]}" -f -o /dev/null "https://$HOST:$A_ROUTE_PORT/masuk/"
    sleep 5  # nginx's fail_timeout: the balancer uses node A again
  fi
  "${CLIENT[@]}" load --pid-a "$PIDS/node-a.pid" --stop-signal "$signal" --threads "$LOAD_THREADS" \
    --load-seconds "$LOAD_SECONDS" --stop-after "$((LOAD_SECONDS / 3))" --grace 1 --summary "$BASE/load-$signal.json"
  kill -0 "$(cat "$PIDS/node-a.pid")" 2>/dev/null && fail "node A masih berjalan"
  kill -0 "$(cat "$PIDS/node-b.pid")" 2>/dev/null || fail "node B berhenti"
  rm -f "$PIDS/node-a.pid"
  # What nginx logged about the nodes meanwhile (the cause of the failed requests).
  grep -o '([0-9]*: [^)]*) while [a-z ]*\|upstream prematurely closed[a-z ]*' "$NGX/error.log" |
    sort | uniq -c | sed 's/^ */    nginx: /' || true
  : >"$NGX/error.log"
done

step "PgBouncer melayani basis data $DB; pekerjaan latar dikerjakan worker yang benar"
xacts=$(($(bouncer_xacts) - XACTS_BEFORE))
[ "$xacts" -gt 0 ] || fail "PgBouncer tidak melayani $DB"
echo "    PgBouncer: $xacts transaksi untuk $DB"
ran() { grep -q "Task $1\\[.*\\] succeeded" "$LOGS/$2.log"; }
ran surveys.tasks.run_import_job worker-1 || fail "impor tidak dikerjakan worker 1"
ran surveys.tasks.run_import_job worker-2 && fail "impor (juga) dikerjakan worker 2"
ran reports.tasks.run_export_job worker-2 || fail "laporan tidak dikerjakan worker 2"
ran reports.tasks.run_export_job worker-1 && fail "laporan (juga) dikerjakan worker 1"

python3 - "$BASE" "$(($(date +%s) - START))" <<'PY'
import json, sys
for signal in ("TERM", "KILL"):
    f = json.load(open(f"{sys.argv[1]}/load-{signal}.json"))
    print(
        f"RINGKASAN SIG{signal}: accepted {f['accepted']}, stored {f['stored']}, lost {f['lost']}, "
        f"duplicated {f['duplicated']}, acknowledged by the other node (409) {f['acknowledged_409']}, "
        f"failed {f['failed']} (failed but stored {f['failed_but_stored']}; "
        f"{', '.join(f['failures']) or '-'}); failed forms sent again: "
        f"{', '.join(f'{n} got {code}' for code, n in sorted(f['resubmitted'].items())) or 'none'}, "
        f"then stored {f['stored_after_resubmit']} (on the replica {f.get('stored_on_replica', '-')}); "
        f"node A gone {f['node_a_exit_s']} s after the signal; requests started after that (+1 s): "
        f"{f['after_stop']}, served {f['after_stop_ok']} (by node B {f['after_stop_by_b']})"
    )
print(f"RINGKASAN: two-node check {sys.argv[2]} s")
PY
step "SELESAI: dua node di balik penyeimbang beban berhasil dalam $(($(date +%s) - START)) detik"
