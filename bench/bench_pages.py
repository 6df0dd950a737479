"""Benchmark: the results page and the public page at growing response counts,
against a bare SQL SUM/COUNT of the same rows, in the same run.

    .venv/bin/python bench/bench_pages.py                       # 1k, 100k, 1M
    .venv/bin/python bench/bench_pages.py --sizes 1000,100000 --runs 5

Creates ``skm_bench_pages`` (dropped at the end). For each size the responses
are generated in SQL (as bench_ikm.py), the tallies rebuilt from them (a bulk
load bypasses the services), the round closed and published through the
services; then, interleaved, median of ``--runs``:

- bare: SUM/COUNT of the nine unsur over the rows (what a scan costs);
- results page (staff), warm: charts cached, as every view after the first
  (re-warmed, untimed, after each cold public run);
- public page, warm: served from the per-publication cache;
- public page, cold: that cache and the chart cache emptied first.

Each run's ratios to its own bare query are printed as min / median / max,
with the load average. Runs on the production settings (bench/_prod.py; the
Django cache is Redis database BENCH_REDIS_DB, 9 by default, which the cold
runs empty).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _prod import db_name, spread, use_production_env  # noqa: E402
from _prod import load as load_average  # noqa: E402
from bench_ikm import admin_exec, admin_url, with_db  # noqa: E402

DB_NAME = db_name("skm_bench_pages")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    admin_exec(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_exec(f"CREATE DATABASE {DB_NAME}")
    use_production_env(with_db(admin_url(), DB_NAME))
    os.environ.setdefault("MPLCONFIGDIR", "/tmp/skm-mpl")
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        admin_exec(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def load(rows: int, unit, period, service_ids) -> float:
    from django.db import connection

    from surveys.services_tallies import tally_rebuild

    def answer(k: int) -> str:
        h = f"abs(hashint4(g * 9 + {k}))"
        return (
            f"CASE WHEN {h} % 50 = 0 THEN NULL WHEN {h} % 20 = 1 THEN 1 WHEN {h} % 10 < 2 THEN 2 "
            f"WHEN {h} % 10 < 6 THEN 3 ELSE 4 END"
        )

    svc_array = "ARRAY[" + ",".join(str(s) for s in service_ids) + "]::bigint[]"
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM surveys_response")
        cur.execute(f"""
            INSERT INTO surveys_response
              (unit_id, period_id, service_id, channel, number, gender, age, education, occupation, disability, suggestion,
               scores, submitted_at)
            SELECT {unit.id}, {period.id}, ({svc_array})[1 + (g % {len(service_ids)})], 'impor', g,
                   CASE WHEN g % 3 = 0 THEN 'L' ELSE 'P' END, 18 + (g % 60),
                   (ARRAY['SD','SMP','SMA','DIPLOMA','STRATA','LAINNYA'])[1 + (g % 6)],
                   (ARRAY['PELAJAR','SWASTA','PNS','WIRAUSAHA','BURUH','LAINNYA'])[1 + (g % 6)], 'TIDAK', '',
                   jsonb_build_object('SKM', jsonb_build_array({", ".join(answer(k) for k in range(1, 10))})),
                   timestamptz '2024-07-01' + (g % 180) * interval '1 day'
            FROM generate_series(1, {rows}) AS g
        """)
        cur.execute("VACUUM ANALYZE surveys_response")
    tally_rebuild(unit_id=unit.id, period_id=period.id)
    return time.perf_counter() - t0


def run(args) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from skm.rules.ikm import WeightMode
    from surveys import charts
    from surveys.models import Period, Service, SurveyRound, Unit
    from surveys.services_rounds import round_close, round_open, round_publish

    call_command("migrate", verbosity=0)
    kota = Unit.objects.create(code="salatiga", name="Pemerintah Kota Salatiga")
    kec = Unit.objects.create(code="sidorejo", name="Kecamatan Sidorejo", parent=kota)
    unit = Unit.objects.create(code="pulutan", name="Kelurahan Pulutan", parent=kec)
    period = Period.objects.create(code="2024-S2", kind="semester", start_date="2024-07-01", end_date="2024-12-31")
    service_ids = [Service.objects.create(unit=unit, name=f"Layanan {i + 1}").id for i in range(3)]
    admin = get_user_model().objects.create_superuser("bench", "bench@example.invalid", "bench-pass-123")
    staff, public = Client(), Client()
    staff.force_login(admin)
    bare_sql = (
        "SELECT "
        + ", ".join(f"SUM((scores->'SKM'->>{i})::int), COUNT(scores->'SKM'->>{i})" for i in range(9))
        + " FROM surveys_response WHERE unit_id = %s AND period_id = %s"
    )

    def timed(fn) -> float:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    def bare():
        with connection.cursor() as cur:
            cur.execute(bare_sql, [unit.id, period.id])
            cur.fetchall()

    def get(client, url):
        def fn():
            r = client.get(url, secure=True)
            assert r.status_code == 200, r.status_code

        return fn

    results = get(staff, "/hasil/pulutan/2024-S2/")
    public_warm = get(public, "/publik/pulutan/hasil/")

    def public_cold():
        cache.clear()
        charts._CACHE.clear()
        public_warm()

    print(
        f"{'responses':>10} {'insert':>7} {'publish':>8} {'bare ms':>8} {'results ms':>11} {'x bare min/med/max':>20} "
        f"{'public ms':>10} {'x bare':>18} {'cold ms':>8} {'x bare':>18}  load"
    )
    out = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        rnd = SurveyRound.objects.filter(unit=unit, period=period).first()
        if rnd is None or rnd.status != SurveyRound.Status.OPEN:
            round_open(unit=unit, period=period, user=admin, reason="bench")
        loaded = load(size, unit, period, service_ids)
        rnd = round_close(round=SurveyRound.objects.get(unit=unit, period=period), user=admin)
        t0 = time.perf_counter()
        round_publish(round=rnd, user=admin, weight_mode=WeightMode.EXACT, note=f"bench {size}")
        published = time.perf_counter() - t0
        bare(), results(), public_warm()  # warm buffers, chart and page caches
        times: dict[str, list[float]] = {"bare": [], "results": [], "public": [], "cold": []}
        for i in range(args.runs):  # interleaved: noise from other jobs hits every side alike
            order = [("bare", bare), ("results", results), ("public", public_warm), ("cold", public_cold)]
            for name, fn in order if i % 2 == 0 else reversed(order):
                times[name].append(timed(fn))
                if name == "cold":
                    results()  # the cold run emptied the chart cache the results page shares: warm it again
        m = {k: statistics.median(v) for k, v in times.items()}
        ratio = {
            k: [t / b for t, b in zip(times[k], times["bare"], strict=True)] for k in ("results", "public", "cold")
        }
        print(
            f"{size:>10,} {loaded:>6.1f}s {published:>7.2f}s {m['bare'] * 1000:>8.1f} {m['results'] * 1000:>11.1f} "
            f"{spread(ratio['results']):>20} {m['public'] * 1000:>10.1f} {spread(ratio['public']):>18} "
            f"{m['cold'] * 1000:>8.1f} {spread(ratio['cold']):>18}  {load_average()}"
        )
        out[size] = {"ms": {k: v * 1000 for k, v in m.items()}, "ratio": ratio, "load": load_average()}
        sys.stdout.flush()
    print("RESULT " + json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
