#!/usr/bin/env python
"""CPU per request of the bare insert and of a questionnaire POST, under gunicorn.

    .venv/bin/python bench/bench_submit_cpu.py [--requests 300 --rounds 4]

The throughput pairs of bench_submit.py swing with the other jobs on the
shared machine; CPU time per request moves much less with the load. This starts
the same gunicorn (bench_submit.start_gunicorn: production settings, 2 sync
workers, its own database), sends ``--requests`` requests one at a time per
side (bare insert, then pre-fetched questionnaire POSTs; the order alternates
between rounds) and reads /proc for the CPU the gunicorn workers and their
PostgreSQL backends used (this machine's PostgreSQL must run locally), and the
client's own. Prints ms per request and the bare/POST ratio of the server CPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_submit as b
from _collection_db import bench_database
from _prod import db_name, production_env

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def backends(url: str, database: str) -> list[int]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        ).fetchall()
    return [r[0] for r in rows]


def measure(fn, n: int, master: int, url: str, database: str) -> dict:
    """ms per request: gunicorn workers, PostgreSQL backends, client; wall."""
    procs, pgs = workers(master), backends(url, database)
    w0, p0 = sum(map(cpu_seconds, procs)), {pid: cpu_seconds(pid) for pid in pgs}
    c0, t0 = time.process_time(), time.perf_counter()
    ok = sum(bool(fn()) for _ in range(n))
    w1, c1, t1 = sum(map(cpu_seconds, procs)), time.process_time(), time.perf_counter()
    pg = sum(cpu_seconds(pid) - p0.get(pid, 0.0) for pid in set(pgs) | set(backends(url, database)))
    ms = lambda v: v / n * 1e3  # noqa: E731
    return {"ok": ok, "worker": ms(w1 - w0), "postgres": ms(pg), "client": ms(c1 - c0), "wall": ms(t1 - t0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--requests", type=int, default=300, help="requests per side and round")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    database = db_name("skm_bench_submit_cpu")
    with bench_database(database, settings_env=production_env) as url:
        period = b.setup_data(url)
        proc = b.start_gunicorn(url)
        try:
            b.run_phase(b.questionnaire_once, period, 2, 2)  # warm-up
            b.run_phase(b.bare_pair_once, period, 1, 2)
            results: dict[str, list[dict]] = {"bare": [], "post": []}
            for i in range(args.rounds):
                forms = [f for f in (b.fetch_form() for _ in range(args.requests)) if f]
                sides = {"bare": lambda: b.bare_once(period), "post": lambda forms=forms: b.post_form(forms.pop())}
                for side in ("bare", "post") if i % 2 == 0 else ("post", "bare"):
                    m = measure(sides[side], args.requests, proc.pid, url, database)
                    results[side].append(m)
                    print(
                        f"{side:5} ok {m['ok']:>4}  worker {m['worker']:.2f} ms  postgres {m['postgres']:.2f} ms  "
                        f"client {m['client']:.2f} ms  wall {m['wall']:.2f} ms  load {os.getloadavg()[0]:.2f}",
                        flush=True,
                    )
        finally:
            b.stop(proc)
    med = {
        side: {k: statistics.median(m[k] for m in ms) for k in ("worker", "postgres")} for side, ms in results.items()
    }
    for side, m in med.items():
        print(f"{side}: median worker {m['worker']:.2f} ms + postgres {m['postgres']:.2f} ms per request")
    bare, post = (sum(med[s].values()) for s in ("bare", "post"))
    print(f"server CPU per request: bare {bare:.2f} ms, POST {post:.2f} ms, bare/POST {bare / post:.2f}")


if __name__ == "__main__":
    main()
