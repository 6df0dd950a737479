#!/usr/bin/env bash
# Install the Debian packages SKM needs. As root it installs them; otherwise it
# prints the apt command to run. Usage: system-deps.sh [run|test]
set -euo pipefail
MODE="${1:-test}"
RUN_PKGS="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 python3-venv"
# libreoffice-writer-nogui: the Word reports are converted headless (reports/tests/office.py).
# pgbouncer: scripts/pg-scale.sh runs one in transaction pool mode for the tests and benches.
TEST_PKGS="$RUN_PKGS postgresql pgbouncer redis-server chromium poppler-utils nginx openssl curl libreoffice-writer-nogui"
PKGS="$RUN_PKGS"; [ "$MODE" = test ] && PKGS="$TEST_PKGS"
# The SSO tests' OpenID provider (skm/tests/sso/op, oidc-provider 9) runs on Node.js
# >= 20.19. A machine without `node` gets Debian's nodejs and npm; where that Node is
# older (Debian 12 has 18), the SSO provider tests skip and say so.
if [ "$MODE" = test ] && ! command -v node >/dev/null 2>&1; then PKGS="$PKGS nodejs npm"; fi

missing=()
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Paket sistem berikut belum terpasang: ${missing[*]}" >&2
  echo "Jalankan sebagai root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "==> apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
