#!/usr/bin/env python
"""Database size and backup/restore time per response, for the capacity plan
(docs/capacity-plan.md, issue 21 point 7).

    .venv/bin/python bench/bench_storage_size.py [--sizes 100000,1000000]

For each size, in the throw-away database ``skm_bench_size`` (dropped at the
end): generates the responses in SQL as bench_pages.py does (one unit, one
period, three jenis layanan, nine answers, a profile, 10 % with a saran),
rebuilds both tallies, then measures the on-disk size of the response table
with its indexes and TOAST, of the tallies, and of the whole database;
``pg_dump -Fc`` (time and file size) and ``pg_restore`` into a fresh database
(time). Sizes grow linearly with the rows, so the per-response figures of two
sizes give the slope the plan extrapolates with.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _prod import db_name, use_production_env  # noqa: E402
from _prod import load as load_average  # noqa: E402
from bench_ikm import admin_exec, admin_url, with_db  # noqa: E402
from bench_pages import load as load_rows  # noqa: E402

DB_NAME = db_name("skm_bench_size")
RESTORED = db_name("skm_bench_size_restored")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000")
    args = parser.parse_args()
    for name in (DB_NAME, RESTORED):
        admin_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin_exec(f"CREATE DATABASE {DB_NAME}")
    url = with_db(admin_url(), DB_NAME)
    use_production_env(url)
    try:
        return run(args, url)
    finally:
        from django.db import connections

        connections.close_all()
        for name in (DB_NAME, RESTORED):
            admin_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _size(cursor, table: str) -> int:
    cursor.execute("SELECT pg_total_relation_size(%s)", [table])
    return cursor.fetchone()[0]


def run(args, url: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from surveys.models import Period, Service, Unit

    call_command("migrate", verbosity=0)
    unit = Unit.objects.create(code="pulutan", name="Kelurahan Pulutan")
    period = Period.objects.create(code="2024-S2", kind="semester", start_date="2024-07-01", end_date="2024-12-31")
    service_ids = [Service.objects.create(unit=unit, name=f"Layanan {i + 1}").id for i in range(3)]
    results = []
    print(
        f"{'responses':>11} {'load s':>7} {'response MB':>12} {'B/resp':>7} {'tallies kB':>11} "
        f"{'db MB':>7} {'dump s':>7} {'dump MB':>8} {'restore s':>10}"
    )
    for rows in (int(s) for s in args.sizes.split(",")):
        seconds = load_rows(rows, unit, period, service_ids)
        with connection.cursor() as cur:
            cur.execute("UPDATE surveys_response SET suggestion = 'Antrean lebih cepat' WHERE number % 10 = 0")
            cur.execute("VACUUM FULL ANALYZE surveys_response")
            response = _size(cur, "surveys_response")
            tallies = _size(cur, "surveys_itemtally") + _size(cur, "surveys_profiletally")
            cur.execute("SELECT pg_database_size(current_database())")
            database = cur.fetchone()[0]
        connection.close()
        with tempfile.TemporaryDirectory(prefix="skm-bench-size-") as tmp:
            dump = Path(tmp) / "skm.dump"
            t0 = time.perf_counter()
            subprocess.run(["pg_dump", "-Fc", "-f", str(dump), url], check=True)
            dump_s = time.perf_counter() - t0
            admin_exec(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")
            admin_exec(f"CREATE DATABASE {RESTORED}")
            t0 = time.perf_counter()
            subprocess.run(
                ["pg_restore", "--no-owner", "-d", with_db(admin_url(), RESTORED), str(dump)],
                check=True,
                env={**os.environ},
            )
            restore_s = time.perf_counter() - t0
            dump_bytes = dump.stat().st_size
        row = {
            "responses": rows,
            "load_s": seconds,
            "response_bytes": response,
            "bytes_per_response": response / rows,
            "tally_bytes": tallies,
            "database_bytes": database,
            "dump_s": dump_s,
            "dump_bytes": dump_bytes,
            "restore_s": restore_s,
        }
        results.append(row)
        print(
            f"{rows:>11,} {seconds:>7.1f} {response / 1e6:>12.1f} {response / rows:>7.0f} {tallies / 1e3:>11.0f} "
            f"{database / 1e6:>7.1f} {dump_s:>7.1f} {dump_bytes / 1e6:>8.1f} {restore_s:>10.1f}"
        )
    print(load_average())
    print("RESULT " + json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
