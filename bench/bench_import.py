#!/usr/bin/env python
"""Import throughput: an N-row CSV and XLSX into PostgreSQL, through the
``skm_import`` command and through the web import job (the worker's path).

    .venv/bin/python bench/bench_import.py [--rows 100000] [--db-name skm_bench_import]

Generates the files in a temporary directory, creates the database
``--db-name`` (dropped at the end; server from BENCH_DATABASE_URL,
default postgres://skm:skm@127.0.0.1:5432/postgres), and times each import in
a fresh process per file (Django start-up excluded) with its peak memory
(ru_maxrss). The job path stores the file as an upload, then runs
``surveys.services.import_job_run`` (what the Celery task calls) without a broker.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _collection_db import PYTHON, ROOT, bench_database
from _prod import db_name, load, production_env

HEADER = [
    "no",
    "layanan",
    "jenis_kelamin",
    "usia",
    "pendidikan",
    "pekerjaan",
    *[f"U{i}" for i in range(1, 10)],
    "saran",
    "tanggal",
]
SERVICES = ["KTP", "Kartu Keluarga", "Surat Pindah", ""]
EDUCATION = ["SD", "SMP", "SMA", "SMK", "D3", "S1", "S2"]
OCCUPATION = ["PELAJAR", "SWASTA", "PNS", "WIRASWASTA", "BURUH", "LAINNYA"]


def rows(n: int):
    rng = random.Random(42)
    for i in range(1, n + 1):
        answers = [rng.choice("1234abcd") if rng.random() > 0.01 else "" for _ in range(9)]
        yield [
            i,
            rng.choice(SERVICES),
            rng.choice("LP"),
            rng.randint(17, 80),
            rng.choice(EDUCATION),
            rng.choice(OCCUPATION),
            *answers,
            "pelayanan cepat" if i % 10 == 0 else "",
            f"2024-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}",
        ]


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows(n))


def write_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for row in rows(n):
        ws.append(row)
    wb.save(path)


CHILD = """
import resource, sys, time
import django
django.setup()
from django.core.management import call_command
args = sys.argv[1:]
start = time.perf_counter()
call_command("skm_import", *args, stdout=open("/dev/null", "w"))
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


JOB_CHILD = """
import resource, sys, time
import django
django.setup()
from django.core.files import File
from surveys.models import ImportJob, Unit
from surveys.services import import_job_run, period_get_or_create
from surveys.services_rounds import round_open
path, unit_code = sys.argv[1:3]
unit, _ = Unit.objects.get_or_create(code=unit_code, defaults={"name": unit_code})
period, _ = period_get_or_create(code="2024-S2")
# An import needs the unit's round open (as a staff member does before uploading).
from django.db import transaction
with transaction.atomic():
    round_open(unit=unit, period=period, user=None, reason="bench")
job = ImportJob(unit=unit, period=period, filename=path.rsplit("/", 1)[-1], create_services=True, attempt=1)
with open(path, "rb") as fh:
    job.upload.save("upload", File(fh), save=False)
job.save()
start = time.perf_counter()
status = import_job_run(job_id=job.pk, attempt=1)
elapsed = time.perf_counter() - start
assert status == "done", ImportJob.objects.get(pk=job.pk).errors
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _child_env(url: str, media: Path) -> dict:
    return production_env(url, MEDIA_ROOT=str(media))


def run_import(url: str, path: Path, unit: str, create: bool) -> tuple[float, float]:
    """Seconds spent inside skm_import (Django start-up excluded) and peak RSS in MB."""
    args = [PYTHON, "-c", CHILD, str(path), "--unit", unit, "--period", "2024-S2"]
    if create:
        args.append("--create")
    env = _child_env(url, path.parent / "media")
    out = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    elapsed, peak = out.split()[-2:]
    return float(elapsed), float(peak)


def run_job(url: str, path: Path, unit: str) -> tuple[float, float]:
    """Seconds inside import_job_run (the worker's path) and peak RSS in MB."""
    env = _child_env(url, path.parent / "media")
    out = subprocess.run(
        [PYTHON, "-c", JOB_CHILD, str(path), unit], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    elapsed, peak = out.split()[-2:]
    return float(elapsed), float(peak)


def count_rows(url: str, unit: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM surveys_response r JOIN surveys_unit u ON u.id = r.unit_id WHERE u.code = %s",
            [unit],
        ).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--db-name", default=db_name("skm_bench_import"), help="throw-away database (dropped at the end)"
    )
    args = parser.parse_args()
    n = args.rows
    with tempfile.TemporaryDirectory(prefix="skm-bench-import-") as tmp:
        tmpdir = Path(tmp)
        t = time.perf_counter()
        write_csv(tmpdir / "bench.csv", n)
        t_csv = time.perf_counter() - t
        t = time.perf_counter()
        write_xlsx(tmpdir / "bench.xlsx", n)
        t_xlsx = time.perf_counter() - t
        print(
            f"generated {n:,} rows: CSV {t_csv:.1f} s ({(tmpdir / 'bench.csv').stat().st_size / 1e6:.1f} MB), "
            f"XLSX {t_xlsx:.1f} s ({(tmpdir / 'bench.xlsx').stat().st_size / 1e6:.1f} MB)"
        )
        with bench_database(args.db_name, settings_env=production_env) as url:
            results = []
            for kind in ("csv", "xlsx"):
                for path_name, runner in (
                    ("command", lambda k, u: run_import(url, tmpdir / f"bench.{k}", u, create=True)),
                    ("job", lambda k, u: run_job(url, tmpdir / f"bench.{k}", u)),
                ):
                    unit = f"bench-{kind}-{path_name}"
                    elapsed, peak_mb = runner(kind, unit)
                    stored = count_rows(url, unit)
                    assert stored == n, f"{kind} {path_name}: {stored} rows stored, expected {n}"
                    results.append((kind, path_name, elapsed, peak_mb))
    print(f"{'file':<6}{'path':<9}{'rows':>10}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}")
    for kind, path_name, elapsed, peak in results:
        print(f"{kind:<6}{path_name:<9}{n:>10,}{elapsed:>10.1f}{n / elapsed:>10,.0f}{peak:>10.0f}")
    print(load())
    print(
        "RESULT "
        + json.dumps([{"file": k, "path": p, "rows": n, "seconds": e, "peak_mb": m} for k, p, e, m in results])
    )
    print(
        "(time inside skm_import / import_job_run: bounds check + parse + validate + COPY in batches, one "
        "transaction; Django start-up excluded; peak MB = max RSS of that process)"
    )


if __name__ == "__main__":
    main()
