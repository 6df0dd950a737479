"""Benchmark: skm_ikm over N responses of one unit-period on PostgreSQL against
a bare SQL SUM/COUNT of the same rows, in the same run; then the results page.

    .venv/bin/python bench/bench_ikm.py            # 1 000 000 rows
    .venv/bin/python bench/bench_ikm.py --rows 100000 --runs 5

Creates a dedicated database ``skm_bench_ikm`` (dropped at the end), fills it
with generate_series in SQL, and prints medians. Target: skm_ikm within 2x of
the bare query. Connection: BENCH_DATABASE_URL or postgres://skm:skm@127.0.0.1:5432/postgres
(a role with CREATEDB).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "skm_bench_ikm"


def admin_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://skm:skm@127.0.0.1:5432/postgres")


def with_db(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + name))


def admin_exec(sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(sql)


def median_time(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--services", type=int, default=3, help="jenis layanan the rows are spread over")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    args = parser.parse_args()

    admin_exec(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_exec(f"CREATE DATABASE {DB_NAME}")
    # The production settings (bench/_prod.py): DEBUG off, Redis as broker and cache.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _prod import use_production_env

    use_production_env(with_db(admin_url(), DB_NAME))
    os.environ.setdefault("MPLCONFIGDIR", "/tmp/skm-mpl")
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_exec(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def run(args) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from surveys import charts
    from surveys.models import Period, Service, Unit
    from surveys.results import unit_ikm_breakdown

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s")

    kota = Unit.objects.create(code="salatiga", name="Pemerintah Kota Salatiga")
    kec = Unit.objects.create(code="sidorejo", name="Kecamatan Sidorejo", parent=kota)
    unit = Unit.objects.create(code="pulutan", name="Kelurahan Pulutan", parent=kec)
    period = Period.objects.create(code="2024-S2", kind="semester", start_date="2024-07-01", end_date="2024-12-31")
    services = [Service.objects.create(unit=unit, name=f"Layanan {i + 1}") for i in range(args.services)]
    service_ids = [s.id for s in services] or [None]

    # Answers: a fixed hash of (row, unsur) -> 2% blank, else 1..4 weighted towards 3 and 4.
    def answer(k: int) -> str:
        h = f"abs(hashint4(g * 9 + {k}))"
        return (
            f"CASE WHEN {h} % 50 = 0 THEN NULL WHEN {h} % 20 = 1 THEN 1 WHEN {h} % 10 < 2 THEN 2 "
            f"WHEN {h} % 10 < 6 THEN 3 ELSE 4 END"
        )

    svc_array = "ARRAY[" + ",".join(str(s) if s else "NULL" for s in service_ids) + "]::bigint[]"
    sql = f"""
        INSERT INTO surveys_response
          (unit_id, period_id, service_id, channel, number, gender, age, education, occupation, disability, suggestion,
           scores, submitted_at)
        SELECT {unit.id}, {period.id}, ({svc_array})[1 + (g % {len(service_ids)})], 'impor', g,
               CASE WHEN g % 3 = 0 THEN 'L' ELSE 'P' END, 15 + (g % 60),
               (ARRAY['SD','SMP','SMA','DIPLOMA','STRATA','LAINNYA'])[1 + (g % 6)],
               (ARRAY['PELAJAR','SWASTA','PNS','WIRAUSAHA','BURUH','LAINNYA'])[1 + (g % 6)], 'TIDAK', '',
               jsonb_build_object('SKM', jsonb_build_array({", ".join(answer(k) for k in range(1, 10))})),
               timestamptz '2024-07-01' + (g % 180) * interval '1 day'
        FROM generate_series(1, {args.rows}) AS g
    """
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql)
        cur.execute("VACUUM ANALYZE surveys_response")
    load = time.perf_counter() - t0
    from surveys.services_tallies import tally_rebuild

    t0 = time.perf_counter()
    tally_rebuild(unit_id=unit.id, period_id=period.id)  # a bulk load bypasses the services
    print(f"tallies rebuilt from the rows in {time.perf_counter() - t0:.1f} s")
    print(f"inserted {args.rows:,} responses in {load:.1f} s ({args.rows / load:,.0f} rows/s, generate_series)")

    bare_sql = (
        "SELECT "
        + ", ".join(f"SUM((scores->'SKM'->>{i})::int), COUNT(scores->'SKM'->>{i})" for i in range(9))
        + " FROM surveys_response WHERE unit_id = %s AND period_id = %s"
    )

    def bare():
        with connection.cursor() as cur:
            cur.execute(bare_sql, [unit.id, period.id])
            cur.fetchall()

    def selector():
        unit_ikm_breakdown(unit=unit, period=period, weight_mode="exact")

    def command():
        call_command("skm_ikm", "--unit", "pulutan", "--period", "2024-S2", "--json", stdout=StringIO())

    bare()
    command()  # warm the buffer cache the same way for both
    # Interleave so that noise from other processes hits both sides alike.
    bare_times, sel_times, cmd_times = [], [], []
    for _ in range(args.runs):
        bare_times.append(median_time(bare, 1)[0])
        sel_times.append(median_time(selector, 1)[0])
        cmd_times.append(median_time(command, 1)[0])
    b, s, c = (statistics.median(x) for x in (bare_times, sel_times, cmd_times))
    print(f"\nrows: {args.rows:,}  runs: {args.runs} (medians)")
    print(f"bare SQL SUM/COUNT x 9          : {b * 1000:8.1f} ms")
    print(f"selector unit_ikm_breakdown     : {s * 1000:8.1f} ms   ratio {s / b:.2f}x")
    print(f"skm_ikm --json (call_command)   : {c * 1000:8.1f} ms   ratio {c / b:.2f}x  (target <= 2x)")

    # Results page through the Django test client, logged in as a superuser.
    User = get_user_model()
    admin = User.objects.create_superuser("bench", "bench@example.invalid", "bench-pass-123")
    client = Client()
    client.force_login(admin)
    url = "/hasil/pulutan/2024-S2/"

    def page_cold():
        charts._CACHE.clear()
        r = client.get(url, secure=True)
        assert r.status_code == 200, r.status_code

    def page_warm():
        r = client.get(url, secure=True)
        assert r.status_code == 200, r.status_code

    page_cold()
    cold, _ = median_time(page_cold, max(3, args.runs // 2))
    warm, _ = median_time(page_warm, max(3, args.runs // 2))
    print(f"results page, charts rendered   : {cold * 1000:8.1f} ms")
    print(f"results page, charts cached     : {warm * 1000:8.1f} ms")

    # Where a warm page spends its database time.
    spent = []

    def timer(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - t0, sql))

    with connection.execute_wrapper(timer):
        page_warm()
    total_db = sum(t for t, _ in spent)
    print(f"  {len(spent)} queries, {total_db * 1000:.1f} ms in the database; the slowest:")
    for t, sql in sorted(spent, reverse=True)[:4]:
        kind = "GROUP BY " + sql.split("GROUP BY")[1].split()[0] if "GROUP BY" in sql else sql[:60]
        print(f"    {t * 1000:7.1f} ms  {kind}")
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF, SUMMARY ON) " + bare_sql, [unit.id, period.id])
        plan = [row[0] for row in cur.fetchall()]
    print("\nbare query plan:\n  " + "\n  ".join(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
