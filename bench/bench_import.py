#!/usr/bin/env python
"""Import throughput: skm_import of an N-row CSV and XLSX into PostgreSQL.

    .venv/bin/python bench/bench_import.py [--rows 100000]

Generates the files in a temporary directory, creates the database
``skm_bench_import`` (dropped at the end; server from BENCH_DATABASE_URL,
default postgres://skm:skm@127.0.0.1:5432/postgres), and times
the ``skm_import`` command in a fresh process per file (the time
Django start-up excluded) and its peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _collection_db import PYTHON, ROOT, bench_database

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


def run_import(url: str, path: Path, unit: str, create: bool) -> tuple[float, float]:
    """Seconds spent inside skm_import (Django start-up excluded) and peak RSS in MB."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "skm.settings.local", "DEBUG": "False"}
    args = [PYTHON, "-c", CHILD, str(path), "--unit", unit, "--period", "2024-S2"]
    if create:
        args.append("--create")
    out = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
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
        with bench_database("skm_bench_import") as url:
            results = []
            for kind, unit in (("csv", "bench-csv"), ("xlsx", "bench-xlsx")):
                elapsed, peak_mb = run_import(url, tmpdir / f"bench.{kind}", unit, create=True)
                stored = count_rows(url, unit)
                assert stored == n, f"{kind}: {stored} rows stored, expected {n}"
                results.append((kind, elapsed, peak_mb))
    print(f"{'file':<6}{'rows':>10}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}")
    for kind, elapsed, peak in results:
        print(f"{kind:<6}{n:>10,}{elapsed:>10.1f}{n / elapsed:>10,.0f}{peak:>10.0f}")
    print(
        "(time inside the skm_import command: parse + validate + COPY in batches, one transaction; "
        "Django start-up excluded; peak MB = max RSS of that process)"
    )


if __name__ == "__main__":
    main()
