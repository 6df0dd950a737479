"""Benchmark: the results page's first view against a warm one, at 1k / 100k / 1M responses.

    .venv/bin/python bench/bench_results_page.py                    # 1 000, 100 000 and 1 000 000
    .venv/bin/python bench/bench_results_page.py --rows 1000,100000 --repeat 5

For each size: a fresh database ``skm_bench_results`` (dropped at the end;
server from BENCH_DATABASE_URL), one unit with N responses for one period
(INSERT ... SELECT over generate_series, in SQL: the fastest bulk path there is,
faster than COPY from Python), then, in a fresh Python process logged in as the
unit's staff:

  - *first view*: the first GET of the page with these numbers (empty Django
    cache, empty chart caches; PostgreSQL's buffers warm from the load), after
    one GET of the same template for an empty period has warmed the process
    (URL configuration, template compilation, connection);
  - *warm view*: the median of ``--repeat`` further GETs;
  - the page's chart SVGs (``<img src=/grafik/...>``): the first fetch renders
    them, the next fetch reads the Django cache;
  - baseline: the bare SQL SUM/COUNT x 9 over the same rows, in the same process.

Target (issue 13): first view <= warm view + 0.3 s at 1 000 000 responses.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _collection_db import admin_exec, admin_url, with_db  # noqa: E402

DB_NAME = "skm_bench_results"
URL = "/hasil/pulutan/2024-S2/"


def _env(url: str) -> dict:
    """The production settings (bench/_prod.py): DEBUG off, Redis as broker and cache."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _prod import production_env

    return production_env(url)


def _setup(url: str) -> None:
    os.environ.update(_env(url))
    os.environ.pop("DEBUG", None)
    import django

    django.setup()


def build(url: str, rows: int) -> None:
    _setup(url)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from surveys.models import Period, Service, Unit, UnitRole

    kota = Unit.objects.create(code="salatiga", name="Pemerintah Kota Salatiga")
    unit = Unit.objects.create(code="pulutan", name="Kelurahan Pulutan", parent=kota)
    period = Period.objects.create(code="2024-S2", kind="semester", start_date="2024-07-01", end_date="2024-12-31")
    Period.objects.create(code="2024-S1", kind="semester", start_date="2024-01-01", end_date="2024-06-30")
    services = [Service.objects.create(unit=unit, name=f"Layanan {i + 1}").id for i in range(3)]

    def answer(k: int) -> str:
        h = f"abs(hashint4(g * 9 + {k}))"
        return (
            f"CASE WHEN {h} % 50 = 0 THEN NULL WHEN {h} % 20 = 1 THEN 1 WHEN {h} % 10 < 2 THEN 2 "
            f"WHEN {h} % 10 < 6 THEN 3 ELSE 4 END"
        )

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO surveys_response
              (unit_id, period_id, service_id, channel, number, gender, age, education, occupation, disability,
               suggestion, scores, submitted_at)
            SELECT {unit.id}, {period.id}, (ARRAY{services})[1 + (g % 3)], 'impor', g,
                   CASE WHEN g % 3 = 0 THEN 'L' ELSE 'P' END, 17 + (g % 60),
                   (ARRAY['SD','SMP','SMA','DIPLOMA','STRATA','LAINNYA'])[1 + (g % 6)],
                   (ARRAY['PELAJAR','SWASTA','PNS','WIRAUSAHA','BURUH','LAINNYA'])[1 + (g % 6)], '', '',
                   jsonb_build_object('SKM', jsonb_build_array({", ".join(answer(k) for k in range(1, 10))})),
                   timestamptz '2024-07-01' + (g % 180) * interval '1 day'
            FROM generate_series(1, {rows}) AS g
            """
        )
    from surveys.services_tallies import tally_rebuild

    tally_rebuild(unit_id=unit.id, period_id=period.id)  # the bulk INSERT bypasses the services
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE surveys_response")
    user = get_user_model().objects.create_user("bench-staff", password="bench-only-password-1")
    UnitRole.objects.create(user=user, unit=unit, role=UnitRole.Role.STAFF)
    print(f"  {rows:,} responses loaded in {time.perf_counter() - t0:.1f} s")


def measure(url: str, repeat: int) -> dict:
    _setup(url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-staff"))

    def timed(fn):
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    def get():
        r = client.get(URL, secure=True)
        assert r.status_code == 200, r.status_code
        return r

    def bare():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT "
                + ", ".join(f"SUM((scores->'SKM'->>{i})::int), COUNT(scores->'SKM'->>{i})" for i in range(9))
                + " FROM surveys_response WHERE unit_id = (SELECT id FROM surveys_unit WHERE code = 'pulutan')"
            )
            cur.fetchall()

    # Warm the process itself (URL configuration, template compilation, the
    # first connection) on the same template with another period (no answers):
    # what remains in the first view is what the data costs the first time.
    process_first = timed(lambda: client.get("/hasil/pulutan/2024-S1/", secure=True))
    first = timed(get)
    warm = [timed(get) for _ in range(repeat)]
    html = get().content.decode()
    srcs = [s.replace("&amp;", "&") for s in re.findall(r'<img src="(/grafik/[^"]+)"', html)]
    charts_first = sum(timed(lambda s=s: client.get(s, secure=True)) for s in srcs)
    charts_again = sum(timed(lambda s=s: client.get(s, secure=True)) for s in srcs)
    bare()
    bare_t = statistics.median([timed(bare) for _ in range(repeat)])
    return {
        "process_first": process_first,
        "first": first,
        "warm": statistics.median(warm),
        "charts": len(srcs),
        "charts_first": charts_first,
        "charts_again": charts_again,
        "bare": bare_t,
        "inline_svg": "<svg" in html,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build, int(args.rows))
        return 0
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat)))
        return 0
    url = with_db(admin_url(), DB_NAME)
    print(
        f"{'responses':>10}{'first ms':>10}{'warm ms':>9}{'first-warm':>11}{'warm/bare':>10}{'charts 1st':>11}{'cached':>8}"
    )
    for n in [int(x) for x in args.rows.split(",")]:
        admin_exec(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin_exec(f'CREATE DATABASE "{DB_NAME}"')
        try:
            env = _env(url)
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
            subprocess.run([sys.executable, __file__, "--build", url, "--rows", str(n)], cwd=ROOT, env=env, check=True)
            res = subprocess.run(
                [sys.executable, __file__, "--measure", url, "--repeat", str(args.repeat)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            d = json.loads(res.stdout.strip().splitlines()[-1])
            assert not d["inline_svg"], "the page must not draw charts"
            print(
                f"{n:>10,}{d['first'] * 1000:>10.0f}{d['warm'] * 1000:>9.0f}"
                f"{(d['first'] - d['warm']) * 1000:>11.0f}{d['warm'] / d['bare']:>10.2f}"
                f"{d['charts_first'] * 1000:>11.0f}{d['charts_again'] * 1000:>8.0f}"
                f"   ({d['charts']} charts; bare SUM/COUNT {d['bare'] * 1000:.0f} ms)"
            )
        finally:
            admin_exec(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
