# Sourced by dev.sh and test.sh: create .venv and install the pinned requirements.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  echo "==> Membuat virtualenv .venv"
  "$PY" -m venv "$ROOT/.venv"
fi
stamp="$ROOT/.venv/.requirements.sha"
want="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> Memasang paket Python (requirements.txt)"
  # xstatic-bootstrap is an sdist whose setup still imports pkg_resources.
  PIP_CONSTRAINT="$ROOT/scripts/build-constraints.txt" \
    "$ROOT/.venv/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.txt"
  echo "$want" > "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
export MPLCONFIGDIR="${MPLCONFIGDIR:-$(mktemp -d)}"
