# shellcheck shell=bash
# Sourced by deploy-check.sh and two-node-check.sh: stopping what they started and
# showing its logs when a run fails.

stop_pid() {  # stop_pid FILE: TERM the process (its group, when it leads one) recorded there, KILL after 15 s
  local file="$1" pid
  pid="$(cat "$file" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

show_logs() {  # show_logs BASE LINES FILE...: the last LINES lines of each log that exists, on stderr
  local base="$1" lines="$2" log
  shift 2
  for log in "$@"; do
    [ -f "$log" ] || continue
    echo "----- ${log#"$base"/} (last $lines lines)" >&2
    tail -n "$lines" "$log" >&2
  done
}
