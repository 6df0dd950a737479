#!/usr/bin/env bash
# Do the README's "Deployment" as written, on this machine, as root, then use
# the site as a person would, over HTTPS:
#   a throwaway system user, a copy of the repository installed under a temp
#   directory, PostgreSQL (peer login) and Redis, gunicorn behind nginx on
#   127.0.0.1 with a self-signed certificate, a Celery worker and beat, all
#   started from the ExecStart lines of deploy/systemd/*.service as that user;
#   then log in, submit the public questionnaire, request a PDF report, wait for
#   the worker and download it; finally remove everything again.
#
# Differences from the README, because CI has no systemd and must not touch a
# real installation: paths live under $BASE instead of /srv, /etc and /var/lib;
# the user is "skmcheck"; nginx is a private instance on high ports; the
# services are started the way systemd would start them (user, environment
# file, working directory, umask). Idempotent (a previous run is cleaned up
# first) and bounded in time (every step has a timeout, the whole run too).
set -euo pipefail

LIMIT="${SKM_CHECK_TIMEOUT:-1200}"
if [ -z "${SKM_CHECK_TIMED:-}" ]; then
  export SKM_CHECK_TIMED=1
  exec timeout --kill-after=30 "$LIMIT" bash "$0" "$@"
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# A fresh Debian root shell: no virtualenvs or user-installed Pythons on PATH.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8 LC_ALL=C.UTF-8
umask 022

RUN_USER=skmcheck
BASE=/tmp/skm-deploy-check
APP="$BASE/srv/skm"
ETC="$BASE/etc/skm"
STATE="$BASE/var/lib/skm"
SSL="$BASE/etc/ssl/skm"
NGX="$BASE/nginx"
PIDS="$BASE/pids"
LOGS="$BASE/logs"
DOMAIN=skm-check.localhost
HTTPS_PORT="${SKM_CHECK_HTTPS_PORT:-18443}"
HTTP_PORT="${SKM_CHECK_HTTP_PORT:-18080}"
APP_PORT="${SKM_CHECK_APP_PORT:-18000}"
REDIS_DB="${SKM_CHECK_REDIS_DB:-13}"
SITE="https://$DOMAIN:$HTTPS_PORT"
START=$(date +%s)

step() { printf '==> [%3ss] %s\n' "$(($(date +%s) - START))" "$*"; }
fail() { echo "deploy-check GAGAL: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  echo "deploy-check: jalankan sebagai root (membuat pengguna sistem dan basis data sementara)" >&2
  exit 1
fi

# --- clean-up (also of a previous, interrupted run) ----------------------------
# shellcheck source=scripts/_check_lib.sh
source "$ROOT/scripts/_check_lib.sh"

remove_all() {  # stop what this script started, drop its database and user, delete $BASE
  local file pid
  for file in "$PIDS"/*.pid "$NGX/nginx.pid"; do
    [ -f "$file" ] || continue
    stop_pid "$file"
    step "  $(basename "$file" .pid) dihentikan"
  done
  if id "$RUN_USER" >/dev/null 2>&1; then
    # Leftovers of an interrupted run: every process of the throwaway user was started here.
    for pid in $(pgrep -u "$RUN_USER" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  fi
  timeout 60 su postgres -c "dropdb --if-exists --force $RUN_USER" >/dev/null 2>&1
  step "  basis data dihapus"
  timeout 60 su postgres -c "dropuser --if-exists $RUN_USER" >/dev/null 2>&1
  timeout 10 redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null 2>&1
  id "$RUN_USER" >/dev/null 2>&1 && userdel "$RUN_USER" >/dev/null 2>&1
  getent group "$RUN_USER" >/dev/null 2>&1 && groupdel "$RUN_USER" >/dev/null 2>&1
  rm -rf "$BASE"
  return 0
}

cleanup() {
  local status=$?
  trap - EXIT
  set +e
  if [ "$status" -ne 0 ] && [ -d "$LOGS" ]; then
    show_logs "$BASE" 40 "$LOGS"/*.log "$NGX"/error.log
  fi
  remove_all
  if id "$RUN_USER" >/dev/null 2>&1 || [ -e "$BASE" ]; then
    echo "deploy-check: pembersihan tidak tuntas ($RUN_USER / $BASE)" >&2
    [ "$status" -ne 0 ] || status=1
  fi
  [ "$status" -eq 0 ] && step "bersih: proses dihentikan, basis data dan pengguna $RUN_USER dihapus"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 124' TERM INT

step "membersihkan sisa percobaan sebelumnya"
remove_all
mkdir -p "$BASE" "$PIDS" "$LOGS"
chmod 0755 "$BASE"

# Prerequisites of the README's step 1 (CI installs them through system-deps.sh).
step "paket sistem dan layanan (PostgreSQL, Redis)"
timeout 900 bash "$ROOT/scripts/system-deps.sh" test
timeout 120 bash "$ROOT/scripts/services.sh" >/dev/null
for cmd in nginx openssl curl runuser setpriv pdfinfo; do command -v "$cmd" >/dev/null || fail "$cmd tidak ada"; done
timeout 10 redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null

# --- README step 2: service user, code, virtualenv -----------------------------
step "pengguna sistem $RUN_USER dan kode di $APP"
useradd --system --home-dir "$STATE" --shell /usr/sbin/nologin "$RUN_USER"
install -d -m 0755 "$BASE/srv" "$BASE/etc" "$BASE/var" "$BASE/var/lib"
install -d -o "$RUN_USER" -g "$RUN_USER" -m 0755 "$STATE"
install -d -o "$RUN_USER" -g "$RUN_USER" -m 0750 "$STATE/media"
# Instead of `git clone`: a copy of this checkout, owned by root like a clone would be.
install -d -m 0755 "$APP"
tar -C "$ROOT" --exclude=./.git --exclude=./.venv --exclude=./media --exclude=./staticfiles \
  --exclude=./db.sqlite3 --exclude=./.env --exclude=__pycache__ --exclude=./bench/results -cf - . |
  tar -C "$APP" --no-same-owner -xf -
cd "$APP"
step "virtualenv dan requirements.txt"
timeout 900 python3 -m venv .venv
PIP_CONSTRAINT=scripts/build-constraints.txt timeout 900 .venv/bin/pip install -c constraints.txt -r requirements.txt >"$LOGS/pip.log" 2>&1

# --- README step 3: PostgreSQL role and database, peer login ---------------------
step "basis data PostgreSQL $RUN_USER (login peer lewat soket)"
timeout 60 su postgres -c "createuser $RUN_USER"
timeout 60 su postgres -c "createdb -O $RUN_USER $RUN_USER"

# --- README step 4: settings ------------------------------------------------------
step "pengaturan $ETC/skm.env"
install -d -o root -g "$RUN_USER" -m 0750 "$ETC"
install -o root -g "$RUN_USER" -m 0640 deploy/.env.example "$ETC/skm.env"
sed -i "s/skm.example.go.id/$DOMAIN/g; s/^SECRET_KEY=.*/SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')/" "$ETC/skm.env"
# Check-only: the site is on a high port, the files under $BASE, its own database and Redis db.
sed -i -e "s|https://$DOMAIN|$SITE|g" -e "s|/var/lib/skm|$STATE|g" \
  -e "s|^DATABASE_URL=.*|DATABASE_URL=postgres:///$RUN_USER|" \
  -e "s|^REDIS_URL=.*|REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB|" "$ETC/skm.env"
export SKM_ENV_FILE="$ETC/skm.env" SKM_USER="$RUN_USER"

# --- README step 5: tables, static files, first admin ----------------------------
step "migrate"
timeout 300 deploy/skm-manage migrate --noinput >"$LOGS/migrate.log"
step "collectstatic"
timeout 300 deploy/skm-manage collectstatic --noinput >"$LOGS/collectstatic.log"
step "check --deploy, createsuperuser, skm_demo"
timeout 120 deploy/skm-manage check --deploy 2>&1 | tee "$LOGS/check.log" | sed 's/^/    /'
ADMIN_PASSWORD="$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')"
DJANGO_SUPERUSER_PASSWORD="$ADMIN_PASSWORD" timeout 120 deploy/skm-manage createsuperuser \
  --noinput --username admin-check --email admin@"$DOMAIN" >/dev/null
# The first-run checklist (units, periods, users and roles) done by the demo data.
DEMO_PASSWORD="$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')"
SKM_DEMO_PASSWORD="$DEMO_PASSWORD" timeout 300 deploy/skm-manage skm_demo >"$LOGS/demo.log"

# --- README step 6: TLS certificate (the self-signed variant) ---------------------
step "sertifikat TLS swatanda"
install -d -m 0755 "$SSL"
timeout 60 openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$DOMAIN" \
  -addext "subjectAltName=DNS:$DOMAIN" -keyout "$SSL/privkey.pem" -out "$SSL/fullchain.pem" 2>/dev/null
chmod 0600 "$SSL/privkey.pem"

# --- README step 7: nginx -------------------------------------------------------------
step "nginx di 127.0.0.1:$HTTPS_PORT (https) dan :$HTTP_PORT (http)"
install -d -m 0755 "$NGX" "$NGX/tmp" "$BASE/www"
# The README's sed, then check-only: loopback and high ports, paths under $BASE.
sed -e "s/skm.example.go.id/$DOMAIN/g" \
  -e "/listen \[::\]/d" \
  -e "s/listen 80;/listen 127.0.0.1:$HTTP_PORT;/" \
  -e "s/listen 443 ssl http2;/listen 127.0.0.1:$HTTPS_PORT ssl http2;/" \
  -e "s|127.0.0.1:8000|127.0.0.1:$APP_PORT|" \
  -e "s|/etc/ssl/skm|$SSL|g" -e "s|/var/lib/skm|$STATE|g" -e "s|/var/www/letsencrypt|$BASE/www|g" \
  deploy/nginx/skm.conf >"$NGX/skm.conf"
cat >"$NGX/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $NGX/access.log;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
    include $NGX/skm.conf;
}
EOF
timeout 30 nginx -t -q -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log"
timeout 30 nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log"

# --- README step 8: the three services, as systemd would start them -------------------
# Reads [Service] of a unit file after the check's path substitutions and prints
# User, WorkingDirectory, EnvironmentFile, UMask and the ExecStart words.
unit_fields() {
  sed -e "s|/srv/skm|$APP|g" -e "s|/etc/skm/skm.env|$ETC/skm.env|g" -e "s|/var/lib/skm|$STATE|g" \
    -e "s|^User=skm$|User=$RUN_USER|" -e "s|127.0.0.1:8000|127.0.0.1:$APP_PORT|" "$1" |
    python3 -c '
import shlex, sys
text = sys.stdin.read().replace("\\\n", " ")
keys, section = {}, None
for line in text.splitlines():
    line = line.strip()
    if line.startswith("["):
        section = line
    elif section == "[Service]" and "=" in line and not line.startswith("#"):
        key, value = line.split("=", 1)
        keys[key] = value
for key in ("User", "WorkingDirectory", "EnvironmentFile", "UMask"):
    print(keys[key])
# systemd turns "%%" into "%" (the workers name their node "NAME@%%h" for Celery).
print(shlex.join(keys["ExecStart"].replace("%%", "%").split()))
'
}

start_unit() {  # start_unit NAME: run the unit's ExecStart as its User, in the background
  local name="$1" fields user workdir envfile umask_ exec_line
  mapfile -t fields < <(unit_fields "deploy/systemd/$name.service")
  user="${fields[0]}" workdir="${fields[1]}" envfile="${fields[2]}" umask_="${fields[3]}" exec_line="${fields[4]}"
  [ "$user" = "$RUN_USER" ] || fail "$name: User=$user"
  local -a vars=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
    "HOME=$STATE" "USER=$user" "LOGNAME=$user" SHELL=/usr/sbin/nologin)
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) ;; *) vars+=("$line") ;; esac
  done <"$envfile"
  local -a cmd
  eval "cmd=($exec_line)"
  # setpriv execs (no fork, unlike runuser), so $! is the service's main process.
  setsid setpriv --reuid="$user" --regid="$user" --init-groups -- \
    env -i "${vars[@]}" bash -c 'umask "$1"; cd "$2"; shift 2; exec "$@"' _ "$umask_" "$workdir" "${cmd[@]}" \
    >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

UNITS=(skm-web skm-worker skm-worker-exports skm-worker-reports skm-worker-imports skm-beat)
step "${UNITS[*]} dari deploy/systemd/*.service"
touch "$BASE/started"
for unit in "${UNITS[@]}"; do start_unit "$unit"; done

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds
  local seconds="$1" what="$2"
  shift 2
  local until=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$until" ] || fail "$what tidak siap dalam $seconds detik"
    for file in "$PIDS"/*.pid; do
      kill -0 "$(cat "$file")" 2>/dev/null || fail "$(basename "$file" .pid) berhenti"
    done
    sleep 1
  done
}

CURL=(curl -sS --max-time 60 --resolve "$DOMAIN:$HTTPS_PORT:127.0.0.1" --resolve "$DOMAIN:$HTTP_PORT:127.0.0.1"
  --cacert "$SSL/fullchain.pem")
wait_for 90 "gunicorn di balik nginx" "${CURL[@]}" -f -o /dev/null "$SITE/masuk/"
for worker in skm-worker skm-worker-exports skm-worker-reports skm-worker-imports; do
  wait_for 90 "worker Celery $worker" grep -q "ready\." "$LOGS/$worker.log"
done
wait_for 60 "celery beat" bash -c "ls '$STATE'/celerybeat-schedule* >/dev/null 2>&1"

step "proses berjalan sebagai $RUN_USER"
for unit in "${UNITS[@]}"; do
  pid="$(cat "$PIDS/$unit.pid")"
  owner="$(ps -o user= -p "$pid" | tr -d ' ')"
  [ "$owner" = "$RUN_USER" ] || fail "$unit berjalan sebagai '$owner'"
  for child in $(pgrep -P "$pid"); do
    [ "$(ps -o user= -p "$child" | tr -d ' ')" = "$RUN_USER" ] || fail "anak proses $unit bukan $RUN_USER"
  done
done

# --- Use the site over HTTPS ------------------------------------------------------------
WORK="$BASE/client"
install -d -m 0700 "$WORK"
csrf_from() {  # csrf_from HTML_FILE: the form's csrfmiddlewaretoken
  python3 -c 'import re, sys; print(re.search(r"name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"", open(sys.argv[1]).read()).group(1))' "$1"
}

step "http dialihkan ke https; header keamanan; cookie Secure"
headers="$("${CURL[@]}" -o /dev/null -D - "http://$DOMAIN:$HTTP_PORT/masuk/")"
grep -q "^HTTP/1.1 301" <<<"$headers" || fail "http tidak dialihkan: $headers"
grep -qi "^Location: https://$DOMAIN/masuk/" <<<"$headers" || fail "pengalihan bukan ke https"
STAFF_JAR="$WORK/staff.jar"
headers="$("${CURL[@]}" -c "$STAFF_JAR" -D - -o "$WORK/login.html" "$SITE/masuk/")"
grep -qi "^Strict-Transport-Security: max-age=" <<<"$headers" || fail "tanpa HSTS"
grep -qi "^Set-Cookie: csrftoken=.*; Secure" <<<"$headers" || fail "cookie CSRF tanpa Secure"

step "berkas statis dilayani nginx; MEDIA_ROOT tidak"
css="$(grep -o '/static/css/skm\.[0-9a-f]*\.css' "$WORK/login.html" | head -1)"
[ -n "$css" ] || fail "CSS berhash (ManifestStaticFilesStorage) tidak ada di halaman masuk"
headers="$("${CURL[@]}" -f -o /dev/null -D - "$SITE$css")"
grep -qi "^Cache-Control: public, max-age=31536000, immutable" <<<"$headers" || fail "statis tidak dari nginx"
headers="$("${CURL[@]}" -f -o /dev/null -D - -H "Accept-Encoding: gzip" "$SITE$css")"
grep -qi "^Content-Encoding: gzip" <<<"$headers" || fail "nginx tidak menyajikan .gz (gzip_static)"

step "masuk sebagai staf lewat HTTPS"
token="$(csrf_from "$WORK/login.html")"
code="$("${CURL[@]}" -b "$STAFF_JAR" -c "$STAFF_JAR" -o /dev/null -w '%{http_code} %{redirect_url}' \
  -H "Origin: $SITE" -e "$SITE/masuk/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=staf" \
  --data-urlencode "password=$DEMO_PASSWORD" "$SITE/masuk/")"
[ "$code" = "302 $SITE/" ] || fail "login: $code"
awk '$6 == "sessionid" && $4 == "TRUE" {found=1} END {exit !found}' "$STAFF_JAR" || fail "cookie sesi tanpa Secure"
"${CURL[@]}" -f -b "$STAFF_JAR" -o "$WORK/dashboard.html" "$SITE/"
grep -q "Staf Pulutan" "$WORK/dashboard.html" || fail "beranda staf tidak tampil"

step "responden mengisi kuesioner publik"
PUBLIC_JAR="$WORK/public.jar"
"${CURL[@]}" -f -c "$PUBLIC_JAR" -o "$WORK/form.html" "$SITE/isi/pulutan/"
python3 - "$WORK/form.html" >"$WORK/form.data" <<'PY'
"""Fill the questionnaire as a respondent would: hidden fields kept, the best
answer of every radio group, the first real option of every select, an age."""
import sys
from html.parser import HTMLParser
from urllib.parse import urlencode


class Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields, self.select = {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                self.fields[name] = a.get("value", "")
            elif kind == "radio":
                self.fields[name] = a["value"]  # the last option: the best score
            elif kind == "number" or name == "usia":
                self.fields[name] = "35"
            elif kind == "text":
                self.fields.setdefault(name, "")  # the honeypot stays empty
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and a.get("value") and self.select not in self.fields:
            self.fields[self.select] = a["value"]
        elif tag == "textarea" and name:
            self.fields[name] = "Pelayanan cepat (uji pemasangan)."

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


form = Form()
form.feed(open(sys.argv[1], encoding="utf-8").read())
assert {"token", "csrfmiddlewaretoken", "u1", "u9"} <= set(form.fields), sorted(form.fields)
print(urlencode(form.fields))
PY
code="$("${CURL[@]}" -b "$PUBLIC_JAR" -c "$PUBLIC_JAR" -o /dev/null -w '%{http_code} %{redirect_url}' \
  -H "Origin: $SITE" -e "$SITE/isi/pulutan/" --data "@$WORK/form.data" "$SITE/isi/pulutan/")"
case "$code" in "302 $SITE/isi/pulutan/terima-kasih/"*) ;; *) fail "kuesioner: $code" ;; esac
stored="$(timeout 30 runuser -u "$RUN_USER" -- psql -d "$RUN_USER" -tAc \
  "SELECT count(*) FROM surveys_response WHERE channel = 'web' AND scores->'SKM'->>0 = '4'
   AND scores->'SKM'->>8 = '4' AND age = 35
   AND suggestion = 'Pelayanan cepat (uji pemasangan).'")"
[ "$stored" = "1" ] || fail "jawaban web tersimpan: $stored (harus 1)"

step "meminta Laporan SKM (PDF) dan menunggu worker"
"${CURL[@]}" -f -b "$STAFF_JAR" -c "$STAFF_JAR" -o "$WORK/reports.html" "$SITE/laporan/unit/pulutan/"
token="$(csrf_from "$WORK/reports.html")"
job_url="$("${CURL[@]}" -b "$STAFF_JAR" -c "$STAFF_JAR" -o /dev/null -w '%{redirect_url}' \
  -H "Origin: $SITE" -e "$SITE/laporan/unit/pulutan/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "kind=pdf_survey" \
  --data-urlencode "period=2024-S2" --data-urlencode "weight_mode=exact" "$SITE/laporan/unit/pulutan/ekspor/")"
case "$job_url" in "$SITE/laporan/tugas/"*/) ;; *) fail "permintaan laporan: '$job_url'" ;; esac
job_started=$(date +%s)
until=$((job_started + 300))
while :; do
  "${CURL[@]}" -f -b "$STAFF_JAR" -o "$WORK/status.json" "${job_url}status/"
  state="$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["status"], d["download_url"] or "-")' "$WORK/status.json")"
  case "$state" in
    "done "*) break ;;
    failed* ) fail "tugas ekspor gagal: $(cat "$WORK/status.json")" ;;
  esac
  [ "$(date +%s)" -lt "$until" ] || fail "tugas ekspor belum selesai setelah 300 detik: $state"
  sleep 2
done
download="${state#done }"
step "unduh PDF (tugas selesai dalam $(($(date +%s) - job_started)) s)"
headers="$("${CURL[@]}" -f -b "$STAFF_JAR" -D - -o "$WORK/laporan.pdf" "$SITE$download")"
grep -qi "^Content-Type: application/pdf" <<<"$headers" || fail "bukan application/pdf"
[ "$(head -c 5 "$WORK/laporan.pdf")" = "%PDF-" ] || fail "berkas bukan PDF"
pages="$(pdfinfo "$WORK/laporan.pdf" | awk '/^Pages:/ {print $2}')"
echo "    laporan.pdf: $(stat -c %s "$WORK/laporan.pdf") bytes, $pages halaman"
[ "$pages" -ge 5 ] || fail "PDF terlalu pendek ($pages halaman)"

step "berkas ekspor di MEDIA_ROOT tidak bisa diunduh langsung"
exported="$(cd "$STATE/media" && find . -name '*.pdf' -print -quit)"
[ -n "$exported" ] || fail "berkas PDF tidak ada di MEDIA_ROOT"
code="$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$SITE/media/${exported#./}")"
[ "$code" = "404" ] || fail "/media/${exported#./} menjawab $code"
code="$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$SITE${download}")"
[ "$code" = "302" ] || fail "unduhan tanpa login menjawab $code (harus 302 ke halaman masuk)"

step "celery beat: jadwal di direktori state, tidak ada berkas baru di direktori kode"
ls "$STATE"/celerybeat-schedule* >/dev/null || fail "jadwal beat tidak ada di $STATE"
new_files="$(find "$APP" -newer "$BASE/started" -not -path "$APP/.venv/*" -not -name '*.pyc' -not -type d)"
[ -z "$new_files" ] || fail "berkas baru di direktori kode: $new_files"
grep -q "Scheduler: Sending due task\|beat: Starting" "$LOGS/skm-beat.log" || fail "beat tidak berjalan"
for unit in "${UNITS[@]}"; do
  kill -0 "$(cat "$PIDS/$unit.pid")" 2>/dev/null || fail "$unit berhenti"
done

step "SELESAI: pemasangan sesuai README berhasil dalam $(($(date +%s) - START)) detik"
