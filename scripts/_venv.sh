# Sourced by dev.sh (runtime) and test.sh (SKM_REQUIREMENTS=requirements-dev.txt):
# create .venv and install the pinned requirements under the locked constraints.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
REQS="${SKM_REQUIREMENTS:-requirements.txt}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  echo "==> Membuat virtualenv .venv"
  "$PY" -m venv "$ROOT/.venv"
fi
stamp="$ROOT/.venv/.requirements.sha"
want="$(cat "$ROOT/requirements.txt" "$ROOT/$REQS" "$ROOT/constraints.txt" | sha256sum | cut -d' ' -f1)-$REQS"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> Memasang paket Python ($REQS)"
  # constraints.txt locks every transitive version (scripts/lock.sh);
  # build-constraints.txt pins setuptools for the xstatic-bootstrap sdist build.
  PIP_CONSTRAINT="$ROOT/scripts/build-constraints.txt" \
    "$ROOT/.venv/bin/pip" install -q --disable-pip-version-check \
      -c "$ROOT/constraints.txt" -r "$ROOT/$REQS"
  echo "$want" > "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
export MPLCONFIGDIR="${MPLCONFIGDIR:-$(mktemp -d)}"
