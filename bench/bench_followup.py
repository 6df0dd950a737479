"""Benchmark: the RTL supervisor overview and a plan page at scale, on PostgreSQL.

    .venv/bin/python bench/bench_followup.py [--units 2000] [--items 10] [--repeat 5]

Builds (once, idempotently) a district with N kelurahan, each with an RTL of
``--items`` items (about half realised, some overdue), in its own database
(``BENCH_DATABASE_URL``, default postgres://skm:skm@127.0.0.1:5432/skm_bench_followup),
then prints the median time and query count of:
  - the selector's GROUP BY alone (ORM) and the whole ``plan_overview``
    (access scoping, the unit list and that GROUP BY),
  - the overview page rendered through Django,
  - one plan page (BAB II table) with 40 items,
beside a bare SQL COUNT over the same items, measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _median_ms(fn, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    fn()  # warm-up
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://skm:skm@127.0.0.1:5432/skm_bench_followup")
    _ensure_database(url)
    # The production settings (bench/_prod.py): DEBUG off, Redis as broker and cache.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _prod import use_production_env

    use_production_env(url)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)

    from followup import selectors
    from followup.models import Plan, PlanItem, PlanUnsur, Realisation
    from surveys.models import Unit, UnitRole, unit_paths_rebuild
    from surveys.services import period_get_or_create

    period, _created = period_get_or_create(code="2024-S2")
    district, _ = Unit.objects.get_or_create(code="bench-kecamatan", defaults={"name": "Kecamatan Bench"})
    user, created = get_user_model().objects.get_or_create(username="bench-supervisor")
    if created:
        user.set_password("bench-only-password")
        user.save()
    UnitRole.objects.get_or_create(user=user, unit=district, role=UnitRole.Role.SUPERVISOR)

    have = Unit.objects.filter(parent=district).count()
    t0 = time.perf_counter()
    if have < args.units:
        with transaction.atomic():
            units = Unit.objects.bulk_create(
                [
                    Unit(code=f"bench-kel-{n:05d}", name=f"Kelurahan Bench {n:05d}", parent=district)
                    for n in range(have, args.units)
                ]
            )
            unit_paths_rebuild()  # bulk_create bypasses Unit.save: give the new units their tree paths
            plans = Plan.objects.bulk_create([Plan(unit=u, period=period) for u in units])
            rows = PlanUnsur.objects.bulk_create(
                [
                    PlanUnsur(plan=p, code=c, title=c, order=i + 1)
                    for p in plans
                    for i, c in enumerate(("U9", "U3", "U6"))
                ]
            )
            items = []
            for r_index, row in enumerate(rows):
                per_row = args.items // 3 + (1 if r_index % 3 < args.items % 3 else 0)
                for k in range(per_row):
                    quarter = (k % 4) + 1
                    year = 2025 if (r_index + k) % 2 else 2099
                    items.append(
                        PlanItem(
                            plan_unsur=row,
                            order=k + 1,
                            program=f"Kegiatan {k + 1}",
                            responsible="Lurah",
                            schedule=[[year, quarter]],
                            due_date=dt.date(year, quarter * 3, 28),
                        )
                    )
            items = PlanItem.objects.bulk_create(items, batch_size=5000)
            Realisation.objects.bulk_create(
                [
                    Realisation(item=it, status="sudah", realised_on=dt.date(2025, 5, 1), description="ok")
                    for n, it in enumerate(items)
                    if n % 2 == 0
                ],
                batch_size=5000,
            )
        print(f"data: created {args.units - have} units in {time.perf_counter() - t0:.1f} s")
    n_units = Unit.objects.filter(parent=district).count()
    n_items = PlanItem.objects.filter(plan_unsur__plan__unit__parent=district).count()
    print(f"data: {n_units} units, {n_items} RTL items, PostgreSQL {connection.pg_version}")

    def bare():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT p.unit_id, COUNT(i.id), COUNT(r.id) FILTER (WHERE r.status = 'sudah') "
                "FROM followup_plan p JOIN followup_planunsur u ON u.plan_id = p.id "
                "JOIN followup_planitem i ON i.plan_unsur_id = u.id "
                "LEFT JOIN followup_realisation r ON r.item_id = i.id WHERE p.period_id = %s GROUP BY p.unit_id",
                [period.id],
            )
            cur.fetchall()

    def orm_aggregate():
        list(
            Plan.objects.filter(period=period)
            .order_by()
            .values("id", "unit_id", "status")
            .annotate(**selectors._progress_aggregates())
        )

    def overview():
        user._skm_unit_access = None
        selectors.plan_overview(user=user, period=period, sort="persen", descending=True)

    client = Client()
    client.force_login(user)

    def page():
        r = client.get(f"/tindak-lanjut/?periode={period.code}&urut=persen&arah=turun", secure=True)
        assert r.status_code == 200, r.status_code

    big = Plan.objects.filter(unit__parent=district).order_by("id").first()
    row = big.unsur_rows.order_by("order").first()
    missing = 40 - PlanItem.objects.filter(plan_unsur__plan=big).count()
    if missing > 0:
        start = row.items.count()
        PlanItem.objects.bulk_create(
            [
                PlanItem(plan_unsur=row, order=start + k + 1, program=f"Tambahan {k}", schedule=[[2025, 2]])
                for k in range(missing)
            ]
        )
    superuser, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    admin_client = Client()
    admin_client.force_login(superuser)

    def plan_page():
        r = admin_client.get(f"/tindak-lanjut/rtl/{big.pk}/", secure=True)
        assert r.status_code == 200, r.status_code

    results = [
        ("bare SQL GROUP BY (same counts)", *_median_ms(bare, args.repeat)),
        ("ORM GROUP BY (the selector's)", *_median_ms(orm_aggregate, args.repeat)),
        ("plan_overview selector (scoped)", *_median_ms(overview, args.repeat)),
        ("overview page (HTML)", *_median_ms(page, args.repeat)),
        ("plan page, 40 items", *_median_ms(plan_page, args.repeat)),
    ]
    print(f"{'measure':<34}{'median ms':>12}{'queries':>10}")
    for name, ms, q in results:
        print(f"{name:<34}{ms:>12.1f}{q:>10}")
    print(
        f"ORM aggregate / bare SQL: {results[1][1] / results[0][1]:.2f}x; "
        f"whole selector (access scoping + unit list + aggregate) / bare SQL: {results[2][1] / results[0][1]:.2f}x"
    )


if __name__ == "__main__":
    main()
