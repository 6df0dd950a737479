"""Benchmark: the supervisor pages over a whole tree (up to a province), on PostgreSQL.

    .venv/bin/python bench/bench_supervisor.py                      # 100, 2 000 and 20 000 units
    .venv/bin/python bench/bench_supervisor.py --units 20000 --responses 10 --repeat 5
    .venv/bin/python bench/bench_supervisor.py --units 500000 --responses 4 --pages "comparison;comparison, search p.3"

For each tree size it creates the database ``skm_bench_supervisor`` (dropped at
the end; server from BENCH_DATABASE_URL, default postgres://skm:skm@127.0.0.1:5432/postgres),
builds a province -> kabupaten -> kecamatan -> kelurahan tree of N units with
COPY, ``--responses`` answers per unit for one period (INSERT ... SELECT over
generate_series, unit quality spread so every grade band occurs) and an RTL with
three items for one unit in five, then a supervisor of the root. It times,
through Django's test client as that supervisor:

  - the comparison page (page 1; page 3 of a search), the RTL overview (sorted
    by %), the dashboard (page 2);
  - *cold*: the first request of a fresh Python process (empty Django cache,
    empty chart cache, templates not yet compiled; PostgreSQL's buffers stay warm);
  - *warm*: the median of ``--repeat`` further requests;
  - the queries each page makes and the longest SQL text it sends;

each beside its baseline, interleaved with it (baseline then page, page then
baseline, alternating, ``--repeat`` pairs): for the comparison, a bare indexed
read of 50 units of the subtree (``ORDER BY id LIMIT 50``: the league table
should make a page of the ranking cost about that); for the RTL overview and the dashboard, a bare
paginated unit list (``... ORDER BY name LIMIT 50 OFFSET 50``). Each page's
ratio is given per pair as min / median / max, with the load average.

Runs on the production settings (bench/_prod.py: Redis cache, DEBUG off,
requests over https as behind nginx).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _collection_db import admin_exec, admin_url, with_db  # noqa: E402
from _prod import db_name, load, production_env, spread  # noqa: E402

DB_NAME = db_name("skm_bench_supervisor")
PAGES = {
    "comparison": "/hasil/perbandingan/?periode=2024-S2",
    "comparison, search p.3": "/hasil/perbandingan/?periode=2024-S2&q=kelurahan&hal=3",
    "RTL overview": "/tindak-lanjut/?periode=2024-S2&urut=persen&arah=turun",
    "dashboard p.2": "/?hal=2",
}


def _env(url: str) -> dict:
    return production_env(url)


def _setup_django(url: str):
    os.environ.update(_env(url))
    os.environ.pop("DEBUG", None)
    import django

    django.setup()


def _shape(n: int) -> tuple[int, int, int]:
    kab = min(max(n // 600, 3), 35)
    kec = min(max(n // (kab * 25), 3), 20)
    kel = n - 1 - kab - kab * kec
    return kab, kec, kel


def build(url: str, units: int, responses: int) -> None:
    """The tree, the answers and the RTLs (bulk: COPY and INSERT ... SELECT)."""
    _setup_django(url)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from surveys.models import PATH_WIDTH, Period, UnitRole

    kab, kec, kel = _shape(units)
    rows = []  # (id, parent_id, code, name)
    next_id = 1
    rows.append((next_id, None, "provinsi", "Provinsi Bench"))
    root_id = next_id
    next_id += 1
    kecs = []
    for a in range(kab):
        kab_id = next_id
        rows.append((kab_id, root_id, f"kab-{a:03d}", f"Kabupaten Bench {a:03d}"))
        next_id += 1
        for b in range(kec):
            rows.append((next_id, kab_id, f"kec-{a:03d}-{b:03d}", f"Kecamatan Bench {a:03d}-{b:03d}"))
            kecs.append(next_id)
            next_id += 1
    for c in range(kel):
        parent = kecs[c % len(kecs)]
        rows.append((next_id, parent, f"kel-{c:06d}", f"Kelurahan Bench {c:06d}"))
        next_id += 1
    paths = {}
    for unit_id, parent_id, _code, _name in rows:  # parents come before their children
        paths[unit_id] = (paths[parent_id] if parent_id else "") + f"{unit_id:0{PATH_WIDTH}d}."
    t0 = time.perf_counter()
    columns = (
        "id, parent_id, code, name, path, address, city, signatory_name, signatory_title, signatory_rank, "
        "signatory_nip, background_text, is_active, privacy_notice, privacy_contact, allow_minors, "
        "phone, website, logo"
    )
    with connection.cursor() as cur:
        with cur.copy(f"COPY surveys_unit ({columns}) FROM STDIN") as copy:
            for unit_id, parent_id, code, name in rows:
                copy.write_row(
                    (
                        *(unit_id, parent_id, code, name, paths[unit_id]),
                        *("", "", "", "", "", "", "", True, "", "", False, "", "", ""),
                    )
                )
        cur.execute("SELECT setval(pg_get_serial_sequence('surveys_unit', 'id'), %s)", [next_id])
    period = Period.objects.create(code="2024-S2", kind="semester", start_date="2024-07-01", end_date="2024-12-31")

    # Answers: unit quality q = hash(unit) % 4 shifts every answer, so IKMs spread over A-D.
    def answer(k: int) -> str:
        h = f"abs(hashint4((u.id * 131 + g * 9 + {k})::int))"
        q = "abs(hashint4(u.id::int)) %% 4"  # %% : the statement has parameters
        return f"CASE WHEN {h} %% 50 = 0 THEN NULL ELSE least(4, greatest(1, 1 + ({h} %% 3) + ({q} + 1) / 2)) END"

    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO surveys_response
              (unit_id, period_id, channel, number, gender, education, occupation, disability, suggestion,
               scores, submitted_at)
            SELECT u.id, %s, 'impor', g, 'P', 'SMA', 'SWASTA', '', '',
                   jsonb_build_object('SKM', jsonb_build_array({", ".join(answer(k) for k in range(1, 10))})),
                   timestamptz '2024-07-01' + (g %% 180) * interval '1 day'
            FROM surveys_unit u CROSS JOIN generate_series(1, %s) AS g
            """,
            [period.id, responses],
        )
        # An RTL with three items (one realised) for one unit in five.
        cur.execute(
            """
            INSERT INTO followup_plan (unit_id, period_id, status, lowest_n, weight_mode, notes, created_at, updated_at)
            SELECT id, %s, 'draft', 3, 'exact', '', now(), now() FROM surveys_unit WHERE id %% 5 = 0
            """,
            [period.id],
        )
    build_plans(connection)
    from surveys.services_tallies import tally_rebuild

    tally_rebuild(period_id=period.id)  # the bulk INSERT bypasses the services
    user = get_user_model().objects.create_user("bench-supervisor", password="bench-only-password-1")
    UnitRole.objects.create(user=user, unit_id=root_id, role=UnitRole.Role.SUPERVISOR)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(
        f"  tree: 1 province, {kab} kabupaten, {kab * kec} kecamatan, {kel} kelurahan = {len(rows)} units; "
        f"{len(rows) * responses:,} responses; built in {time.perf_counter() - t0:.1f} s"
    )


def build_plans(connection) -> None:
    from followup.models import Plan

    columns = {f.column for f in Plan._meta.concrete_fields}
    assert {"unit_id", "period_id", "status"} <= columns
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO followup_planunsur (plan_id, code, title, "order")
            SELECT id, 'U9', 'Sarana dan Prasarana', 1 FROM followup_plan
            """
        )
        cur.execute(
            """
            INSERT INTO followup_planitem
              (plan_unsur_id, "order", program, cause, responsible, schedule, due_date, created_at, updated_at)
            SELECT pu.id, k, 'Kegiatan ' || k, '', 'Lurah', '[[2025, 1]]'::jsonb, date '2025-03-31', now(), now()
            FROM followup_planunsur pu CROSS JOIN generate_series(1, 3) AS k
            """
        )
        cur.execute(
            """
            INSERT INTO followup_realisation (item_id, status, realised_on, description, challenges, reason, strategy,
              target_time, strategy_responsible, stakeholders, updated_at)
            SELECT id, 'sudah', date '2025-02-01', 'ok', '', '', '', '', '', '', now()
            FROM followup_planitem WHERE "order" = 1
            """
        )


BASELINE = {
    "comparison": "index50",
    "comparison, search p.3": "index50",
    "RTL overview": "list",
    "dashboard p.2": "list",
}


def measure(url: str, repeat: int, only: frozenset[str] = frozenset()) -> dict:
    """Run in a fresh process: the first request of each page is the cold one."""
    _setup_django(url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(username="bench-supervisor")
    client = Client()
    client.force_login(user)
    root_path = "00000001."
    out: dict = {}

    def timed(fn):
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    sums = ", ".join(
        f"sum(t.total) FILTER (WHERE t.item = {i}), sum(t.answered) FILTER (WHERE t.item = {i})" for i in range(1, 10)
    )

    def bare_tallies():
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT t.unit_id, sum(t.answered) FILTER (WHERE t.item = 0), {sums} FROM surveys_itemtally t "
                "JOIN surveys_unit u ON u.id = t.unit_id WHERE u.path LIKE %s "
                "AND t.instrument = 'SKM' AND t.period_id = (SELECT id FROM surveys_period WHERE code = '2024-S2') "
                "GROUP BY t.unit_id",
                [root_path + "%"],
            )
            cur.fetchall()

    def bare_list():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id, code, name FROM surveys_unit WHERE path LIKE %s ORDER BY name LIMIT 50 OFFSET 50",
                [root_path + "%"],
            )
            cur.fetchall()

    def bare_index50():
        # What issue 21 measures the league table against: a bare indexed read of 50 rows.
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id, code, name FROM surveys_unit WHERE path LIKE %s ORDER BY id LIMIT 50", [root_path + "%"]
            )
            cur.fetchall()

    baselines = {"tallies": bare_tallies, "list": bare_list, "index50": bare_index50}
    for fn in baselines.values():
        fn()
    for name, path in PAGES.items():
        if only and name not in only:
            continue

        def get(path=path):
            r = client.get(path, secure=True)
            assert r.status_code == 200, (path, r.status_code)
            return r

        with CaptureQueriesContext(connection) as ctx:
            cold = timed(get)
        queries = len(ctx.captured_queries)
        longest = max((len(q["sql"]) for q in ctx.captured_queries), default=0)
        bare = baselines[BASELINE[name]]
        warm_times, bare_times = [], []
        for i in range(repeat):
            if i % 2 == 0:
                bare_times.append(timed(bare))
                warm_times.append(timed(get))
            else:
                warm_times.append(timed(get))
                bare_times.append(timed(bare))
        size = len(get().content)
        out[name] = {
            "cold": cold,
            "warm": warm_times,
            "bare": bare_times,
            "baseline": BASELINE[name],
            "queries": queries,
            "longest_sql": longest,
            "html": size,
            "load": load(),
        }
    # The chart images of the comparison page: first render, then from the cache.
    import re

    html = client.get(PAGES["comparison"], secure=True).content.decode()
    srcs = [s.replace("&amp;", "&") for s in re.findall(r'<img src="(/grafik/[^"]+)"', html)]
    out["_charts_first"] = sum(timed(lambda s=s: client.get(s, secure=True)) for s in srcs)
    out["_charts_again"] = sum(timed(lambda s=s: client.get(s, secure=True)) for s in srcs)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", default="100,2000,20000", help="comma-separated tree sizes")
    parser.add_argument("--responses", type=int, default=10, help="answers per unit")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", default="", help="page names separated by ; (default: all)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: a fresh measuring process
    parser.add_argument("--build", help=argparse.SUPPRESS)  # internal: build one tree
    args = parser.parse_args()
    if args.build:
        build(args.build, int(args.units), args.responses)
        return 0
    only = frozenset(p.strip() for p in args.pages.split(";") if p.strip())
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat, only)))
        return 0
    url = with_db(admin_url(), DB_NAME)
    for n in [int(x) for x in args.units.split(",")]:
        admin_exec(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin_exec(f'CREATE DATABASE "{DB_NAME}"')
        try:
            env = _env(url)
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
            print(f"\n== {n:,} units ==")
            build_in_process(url, n, args.responses)
            res = subprocess.run(
                [sys.executable, __file__, "--measure", url, "--repeat", str(args.repeat), "--pages", args.pages],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            data = json.loads(res.stdout.strip().splitlines()[-1])
            report(n, data)
        finally:
            admin_exec(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    return 0


def build_in_process(url: str, n: int, responses: int) -> None:
    # A child process, so each tree size gets a fresh Django and connection.
    subprocess.run(
        [sys.executable, __file__, "--build", url, "--units", str(n), "--responses", str(responses)],
        cwd=ROOT,
        env=_env(url),
        check=True,
    )


def report(n: int, data: dict) -> None:
    print(
        "  baselines, interleaved with each page: index50 = bare indexed read of 50 units of the subtree "
        "(ORDER BY id LIMIT 50); list = bare unit page (ORDER BY name LIMIT 50 OFFSET 50)"
    )
    print(
        f"  {'page':<24}{'cold ms':>9}{'warm ms (min/med/max)':>24}{'baseline ms (med)':>19}"
        f"{'ratio min/med/max':>20}{'queries':>8}{'max SQL':>9}{'HTML KiB':>9}  load"
    )
    results = {}
    for name in PAGES:
        if name not in data:
            continue
        d = data[name]
        ratios = [w / b for w, b in zip(d["warm"], d["bare"], strict=True) if b > 0]
        results[name] = {
            "units": n,
            "warm_ms": statistics.median(d["warm"]) * 1000,
            "bare_ms": statistics.median(d["bare"]) * 1000,
            "baseline": d["baseline"],
            "ratio": ratios,
            "queries": d["queries"],
            "load": d["load"],
        }
        print(
            f"  {name:<24}{d['cold'] * 1000:>9.0f}{spread([w * 1000 for w in d['warm']], '{:.0f}'):>24}"
            f"{d['baseline'] + ' ' + format(statistics.median(d['bare']) * 1000, '.1f'):>19}"
            f"{spread(ratios, '{:.1f}'):>20}{d['queries']:>8}{d['longest_sql']:>9}{d['html'] / 1024:>9.0f}  {d['load']}"
        )
    print(
        f"  comparison charts: first render {data['_charts_first'] * 1000:.0f} ms, "
        f"from the cache {data['_charts_again'] * 1000:.0f} ms"
    )
    print("RESULT " + json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
