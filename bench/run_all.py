#!/usr/bin/env python
"""Run the benches one after the other and rewrite the "Latest run" table of bench/README.md.

    .venv/bin/python bench/run_all.py                    # every bench, default sizes (7,3 min on the loaded 2-core machine)
    .venv/bin/python bench/run_all.py --only submit,command --no-write

Each bench runs in its own process on the production settings (bench/_prod.py:
Redis on 127.0.0.1:6379 database BENCH_REDIS_DB, 9 by default, as broker and
cache; PostgreSQL from BENCH_DATABASE_URL), creates and drops its own
database, and prints a ``RESULT {json}`` line that this runner reads. Every
figure is a ratio to a baseline measured interleaved with it in the same run,
given as min / median / max, with the load average at the time. The full
output of each bench goes to ``--logs`` (default a temporary directory).

The table goes between the ``run_all:begin`` and ``run_all:end`` markers of
bench/README.md (``--no-write`` prints it only). Exits 1 if a bench fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = HERE / "README.md"
BEGIN, END = "<!-- run_all:begin -->", "<!-- run_all:end -->"

# name -> arguments (sizes of the issues' targets, kept small where they need not be large;
# the whole run took 7,3 minutes on the 2-core machine at a load average of 4-6)
BENCHES = {
    "submit": ["bench_submit.py", "--pairs", "10", "--pair-seconds", "3"],
    # Needs scripts/pg-scale.sh start (PgBouncer on 127.0.0.1:6432).
    "submit_pgbouncer": ["bench_submit.py", "--pgbouncer", "--pairs", "10", "--pair-seconds", "3"],
    "supervisor": ["bench_supervisor.py", "--units", "2000,20000", "--repeat", "7"],
    "pages": ["bench_pages.py", "--sizes", "1000,100000,1000000", "--runs", "5"],
    "command": ["bench_command.py", "--runs", "9"],
    "import": ["bench_import.py", "--rows", "100000"],
    "api": ["bench_api.py", "--pairs", "6", "--pair-seconds", "3", "--requests", "30", "--responses", "1000"],
}


def fmt(value: float, digits: int = 2) -> str:
    """A number as the README writes it: decimal comma, thin-space thousands."""
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")
    return text


def ld(text: str) -> str:
    """'load 2.96/4.13' as '2,96/4,13'."""
    return text.replace("load ", "").replace(".", ",")


def spread(values, digits: int = 2) -> str:
    if not values:
        return "–"
    return " / ".join(fmt(v, digits) for v in (min(values), statistics.median(values), max(values)))


def run_bench(name: str, args: list[str], logs: Path) -> tuple[list | None, float, str]:
    """Run one bench; (its RESULT lines, seconds, log path)."""
    log = logs / f"{name}.log"
    start = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.run(
            [sys.executable, str(HERE / args[0]), *args[1:]], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    elapsed = time.perf_counter() - start
    text = log.read_text()
    found = [line[len("RESULT ") :] for line in text.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not found:
        print(f"  {name}: FAILED (exit {proc.returncode}), see {log}", flush=True)
        print("\n".join(text.splitlines()[-15:]))
        return None, elapsed, str(log)
    print(f"  {name}: {elapsed:.0f} s", flush=True)
    return [json.loads(x) for x in found], elapsed, str(log)


def rows_submit(found: list) -> list[tuple[str, ...]]:
    r = found[-1]
    loads = f"{ld(r['load'][0])} … {ld(r['load'][-1])}"
    via = ", through PgBouncer (transaction mode)" if r.get("pgbouncer") else ""
    return [
        (
            f"questionnaire POST alone (gunicorn, 2 workers, 8 client threads){via}",
            f"{fmt(statistics.median(r['post']), 1)}/s",
            f"bare insert view POST{via.replace(', ', ' ')} {fmt(statistics.median(r['bare_post']), 1)}/s",
            spread(r["post_ratio"]),
            "≥ 0,70",
            loads,
        ),
        (
            f"respondent's full flow: GET the form + POST it{via}",
            f"{fmt(statistics.median(r['flow']), 1)}/s (lost {r['lost']}, duplicated {r['duplicated']})",
            f"bare GET + bare POST{via.replace(', ', ' ')} {fmt(statistics.median(r['bare_pair']), 1)}/s",
            spread(r["flow_ratio"]),
            "≥ 0,50",
            loads,
        ),
    ]


def rows_supervisor(found: list) -> list[tuple[str, ...]]:
    out = []
    for page, d in ((page, d) for r in found for page, d in r.items()):
        baseline = "bare SUM of the subtree's round tallies" if d["baseline"] == "tallies" else "bare unit page"
        out.append(
            (
                f"{page}, {fmt(d['units'], 0)} units, warm",
                f"{fmt(d['warm_ms'], 0)} ms ({d['queries']} queries)",
                f"{baseline} {fmt(d['bare_ms'], 1)} ms",
                spread(d["ratio"], 1),
                "< 1 s",
                ld(d["load"]),
            )
        )
    return out


def rows_pages(found: list) -> list[tuple[str, ...]]:
    r = found[-1]
    out = []
    for size, d in r.items():
        bare = f"bare SUM/COUNT × 9 {fmt(d['ms']['bare'], 1)} ms"
        for key, label in (("results", "results page (staff), warm"), ("public", "public page, cached")):
            out.append(
                (
                    f"{label}, {fmt(int(size), 0)} responses",
                    f"{fmt(d['ms'][key], 0)} ms",
                    bare,
                    spread(d["ratio"][key], 1),
                    "",
                    ld(d["load"]),
                )
            )
    return out


def rows_command(found: list) -> list[tuple[str, ...]]:
    r = found[-1]
    return [
        (
            "`skm_ikm --json`, 1 000 responses, as a command",
            f"{fmt(statistics.median(r['ikm']))} s",
            f"`psql -c` same SUM/COUNT {fmt(statistics.median(r['psql']), 3)} s; "
            f"`django.setup()` alone {fmt(statistics.median(r['setup']))} s",
            f"{spread(r['by_psql'], 1)} × psql; {spread(r['by_setup'])} × setup",
            "< 1 s",
            ld(r["load"]),
        )
    ]


def rows_import(found: list) -> list[tuple[str, ...]]:
    out = []
    for d in found[-1]:
        out.append(
            (
                f"import {d['file'].upper()} through the {d['path']}, {fmt(d['rows'], 0)} rows",
                f"{fmt(d['rows'] / d['seconds'], 0)} rows/s ({fmt(d['seconds'], 1)} s, {fmt(d['peak_mb'], 0)} MB)",
                "",
                "",
                "",
                "",
            )
        )
    return out


def rows_api(found: list) -> list[tuple[str, ...]]:
    r = found[-1]
    loads = f"{ld(r['load'][0])} … {ld(r['load'][-1])}"
    page = f"public page, cached {fmt(statistics.median(r['page_ms']), 1)} ms"
    return [
        (
            f"API submission, fresh Idempotency-Key (gunicorn, 2 workers, {r['threads']} client threads)",
            f"{fmt(statistics.median(r['api']), 1)}/s (lost {r['lost']}, duplicated {r['duplicated']})",
            f"questionnaire POST alone {fmt(statistics.median(r['web']), 1)}/s",
            spread(r["submit_ratio"]),
            "",
            loads,
        ),
        (
            f"API publications, warm, {fmt(r['responses'], 0)} responses",
            f"{fmt(statistics.median(r['api_ms']), 1)} ms",
            page,
            spread(r["get_ratio"]),
            "",
            loads,
        ),
        (
            f"API publications, If-None-Match (304), {fmt(r['responses'], 0)} responses",
            f"{fmt(statistics.median(r['api304_ms']), 1)} ms",
            page,
            spread(r["get304_ratio"]),
            "",
            loads,
        ),
    ]


ROWS = {
    "submit": rows_submit,
    "submit_pgbouncer": rows_submit,
    "supervisor": rows_supervisor,
    "pages": rows_pages,
    "command": rows_command,
    "import": rows_import,
    "api": rows_api,
}


def table(results: dict, durations: dict, started: str, total: float, load_span: str) -> str:
    lines = [
        f"Written by `bench/run_all.py` on {started} UTC ({fmt(total / 60, 1)} min in all; "
        f"load average {load_span}). Ratios are measure / baseline per interleaved pair, min / median / max.",
        "",
        "| what | figure (median) | baseline (median) | ratio min / median / max | target | load 1/5 min |",
        "|---|---|---|---|---|---|",
    ]
    for name, result in results.items():
        if result is None:
            lines.append(f"| `{BENCHES[name][0]}` | FAILED | | | | |")
            continue
        for row in ROWS[name](result):
            lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append(
        "Commands (run by the runner): "
        + "; ".join(f"`{' '.join(BENCHES[n])}` {fmt(durations[n], 0)} s" for n in results)
        + "."
    )
    return "\n".join(lines)


def write_readme(block: str) -> None:
    text = README.read_text()
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{README} has no {BEGIN} … {END} block")
    README.write_text(pattern.sub(lambda _m: f"{BEGIN}\n{block}\n{END}", text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHES)}")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave bench/README.md alone")
    parser.add_argument("--logs", help="directory for each bench's full output")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(BENCHES)
    unknown = set(names) - set(BENCHES)
    if unknown:
        raise SystemExit(f"unknown bench(es): {', '.join(sorted(unknown))}")
    logs = Path(args.logs or tempfile.mkdtemp(prefix="skm-bench-"))
    logs.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    print(f"running {', '.join(names)}; logs in {logs}", flush=True)
    t0 = time.perf_counter()
    loads = [os.getloadavg()[0]]
    results, durations = {}, {}
    for name in names:
        results[name], durations[name], _log = run_bench(name, BENCHES[name], logs)
        loads.append(os.getloadavg()[0])
    total = time.perf_counter() - t0
    block = table(results, durations, started, total, f"{fmt(min(loads))}–{fmt(max(loads))}")
    print()
    print(block)
    if not args.no_write:
        write_readme(block)
        print(f"\nwritten to {README}")
    print(f"\ntotal {total / 60:.1f} min")
    return 1 if any(r is None for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
