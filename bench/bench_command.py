"""Benchmark: ``skm_ikm --json`` as a command (a fresh process, wall time) against
``psql -c`` running the same SUM/COUNT, in the same run (issue 13, item 6).

    .venv/bin/python bench/bench_command.py [--rows 1000] [--runs 7] [--keep]

Creates the PostgreSQL database ``skm_bench_command`` (dropped at the end;
BENCH_DATABASE_URL, default postgres://skm:skm@127.0.0.1:5432/postgres), inserts
``--rows`` responses of one unit-period with generate_series, then alternates,
run by run, four subprocesses and prints their median wall times:

1. ``psql -c "SELECT SUM((scores->'SKM'->>0)::int), ... FROM surveys_response WHERE ..."`` (baseline);
2. ``python -c "import django; django.setup()"``: the floor any command pays;
3. ``manage.py skm_ikm --unit ... --period ... --json``: the target is under 1 s;
4. ``python -c "... import skm.urls"`` and the heavy libraries it loaded
   (must be none: weasyprint, matplotlib, openpyxl, pandas).

Every process runs on the production settings (bench/_prod.py: DEBUG off,
Redis as broker and cache). The order of the four alternates from run to run;
each run's ratio skm_ikm / psql and skm_ikm / django.setup() is printed as
min / median / max, with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _prod import db_name, load, production_env, spread  # noqa: E402

DB_NAME = db_name("skm_bench_command")
HEAVY = ("weasyprint", "matplotlib", "openpyxl", "pandas", "docx")


def admin_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://skm:skm@127.0.0.1:5432/postgres")


def with_db(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path="/" + name))


def admin_exec(sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(sql)


def populate(rows: int) -> tuple[int, int]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from surveys.models import Period, Service, Unit

    call_command("migrate", verbosity=0)
    kota = Unit.objects.create(code="salatiga", name="Pemerintah Kota Salatiga")
    unit = Unit.objects.create(code="pulutan", name="Kelurahan Pulutan", parent=kota)
    period = Period.objects.create(code="2024-S2", kind="semester", start_date="2024-07-01", end_date="2024-12-31")
    services = [Service.objects.create(unit=unit, name=f"Layanan {i + 1}").id for i in range(3)]
    answers = (
        "jsonb_build_object('SKM', jsonb_build_array("
        + ", ".join(
            f"CASE WHEN abs(hashint4(g * 9 + {k})) % 50 = 0 THEN NULL ELSE 1 + abs(hashint4(g * 9 + {k})) % 4 END"
            for k in range(1, 10)
        )
        + "))"
    )
    with connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO surveys_response
              (unit_id, period_id, service_id, channel, number, gender, age, education, occupation, disability, suggestion,
               scores, submitted_at)
            SELECT {unit.id}, {period.id}, (ARRAY{services}::bigint[])[1 + g % 3], 'impor', g,
                   CASE WHEN g % 3 = 0 THEN 'L' ELSE 'P' END, 15 + g % 60, 'SMA', 'SWASTA', '', '',
                   {answers}, timestamptz '2024-07-01' + (g % 180) * interval '1 day'
            FROM generate_series(1, {rows}) AS g""")
    from surveys.services_tallies import tally_rebuild

    tally_rebuild(unit_id=unit.id, period_id=period.id)  # a bulk load bypasses the services
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE surveys_response")
    connection.close()
    return unit.id, period.id


def wall(cmd: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:3]} failed: {proc.stderr[-2000:]}")
    return elapsed, proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not shutil.which("psql"):
        raise SystemExit("psql is needed (postgresql-client)")

    admin_exec(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_exec(f"CREATE DATABASE {DB_NAME}")
    db_url = with_db(admin_url(), DB_NAME)
    env = production_env(db_url, PYTHONPATH=str(ROOT))
    os.environ.update(env)
    os.environ.pop("DEBUG", None)
    sys.path.insert(0, str(ROOT))
    try:
        unit_id, period_id = populate(args.rows)
        sums = ", ".join(f"SUM((scores->'SKM'->>{i})::int), COUNT(scores->'SKM'->>{i})" for i in range(9))
        bare = f"SELECT {sums} FROM surveys_response WHERE unit_id = {unit_id} AND period_id = {period_id}"
        python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
        probe = (
            "import json, sys, django; django.setup(); import skm.urls; "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
        )
        commands = {
            "psql -c (same SUM/COUNT), baseline": ["psql", db_url, "-Atc", bare],
            "python: django.setup() only": [python, "-c", "import django; django.setup()"],
            "manage.py skm_ikm --json": [
                python,
                "manage.py",
                "skm_ikm",
                "--unit",
                "pulutan",
                "--period",
                "2024-S2",
                "--json",
            ],
            "python: django.setup() + import skm.urls": [python, "-c", probe],
        }
        times: dict[str, list[float]] = {k: [] for k in commands}
        outputs: dict[str, str] = {}
        for i in range(args.runs):
            for name, cmd in list(commands.items())[:: 1 if i % 2 == 0 else -1]:
                elapsed, outputs[name] = wall(cmd, env)
                times[name].append(elapsed)
        payload = json.loads(outputs["manage.py skm_ikm --json"])
        assert payload["respondents"] == args.rows, payload.get("respondents")
        heavy = json.loads(outputs["python: django.setup() + import skm.urls"].strip().splitlines()[-1])
        base = statistics.median(times["psql -c (same SUM/COUNT), baseline"])
        print(f"\n{args.rows:,} responses, {args.runs} alternated runs, wall time of each process")
        print(f"{'command':44s} {'median s':>9s} {'min s':>7s} {'x psql':>7s}")
        for name, values in times.items():
            med = statistics.median(values)
            print(f"{name:44s} {med:9.3f} {min(values):7.3f} {med / base:7.2f}")
        print(f"heavy libraries loaded by skm.urls: {heavy or 'none'}")
        ikm, psql, setup = (
            times["manage.py skm_ikm --json"],
            times["psql -c (same SUM/COUNT), baseline"],
            times["python: django.setup() only"],
        )
        by_psql = [a / b for a, b in zip(ikm, psql, strict=True)]
        by_setup = [a / b for a, b in zip(ikm, setup, strict=True)]
        print(f"skm_ikm / psql per run, min / median / max: {spread(by_psql)}")
        print(f"skm_ikm / django.setup() per run, min / median / max: {spread(by_setup)}")
        print(load())
        print(
            "RESULT "
            + json.dumps(
                {"ikm": ikm, "psql": psql, "setup": setup, "by_psql": by_psql, "by_setup": by_setup, "load": load()}
            )
        )
    finally:
        if not args.keep:
            admin_exec(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
