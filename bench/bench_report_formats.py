"""Benchmark: the demo reports as PDF and as Word (DOCX) (issue 9, part 4).

    .venv/bin/python bench/bench_report_formats.py [--runs 3] [--large 1000] [--keep]

Creates the PostgreSQL database ``skm_bench_report_formats`` (dropped at the
end), loads the demo data (``manage.py skm_demo``: Kelurahan Pulutan, 50
respondents in 2024-S2, an RTL with its realisation, earlier periods for the
trend) and times what the export job runs, ``reports.services.export_write``,
for the Laporan SKM and the Laporan Hasil Tindak Lanjut in both formats. Each
run is a fresh child process (Django start-up not timed), so every run pays for
its own first chart and fonts as a worker does. ``--large N`` adds a unit with N
random respondents (the per-respondent appendix is printed up to
SKM_REPORT_APPENDIX_MAX_RESPONDENTS, 1 000) and times its Laporan SKM too.
Prints the median and fastest wall time, the peak RSS (VmHWM of the child) and
the file size; PDF pages from pdfinfo.
Needs PostgreSQL at 127.0.0.1 with the ``skm`` role (scripts/services.sh).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "skm_bench_report_formats"
PG = os.environ.get("BENCH_PG", "postgres://skm:skm@127.0.0.1:5432")
KINDS = ("pdf_survey", "docx_survey", "pdf_followup", "docx_followup")


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings.base")
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "skm-bench-report-formats-media"))
    os.environ.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "skm-bench-mpl"))
    os.environ.setdefault("SKM_DEMO_PASSWORD", "bench-demo-rahasia-123")
    os.environ["LOG_LEVEL"] = "ERROR"
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def populate(large: int) -> None:
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from surveys.models import Period, Response, Unit

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("skm_demo", password=os.environ["SKM_DEMO_PASSWORD"], stdout=quiet)
    if not large:
        return
    demo = Unit.objects.get(code="pulutan")
    unit = Unit.objects.create(
        code="besar", name="Kelurahan Uji Besar", parent=demo.parent, city="Salatiga", signatory_name="Budi"
    )
    period = Period.objects.get(code="2024-S2")
    rnd = random.Random(9)
    now = timezone.now()
    Response.objects.bulk_create(
        Response(
            unit=unit,
            period=period,
            channel="impor",
            number=i,
            gender=rnd.choice("LP"),
            age=rnd.randint(17, 75),
            submitted_at=now,
            suggestion=f"Saran responden {i}" if i % 4 == 0 else "",
            **{f"u{k}": rnd.choice((2, 3, 3, 4, 4)) for k in range(1, 10)},
        )
        for i in range(1, large + 1)
    )
    from surveys.services_tallies import tally_rebuild

    tally_rebuild(unit_id=unit.id, period_id=period.id)  # bulk_create bypasses the services


def child(kind: str, unit_code: str, out: str) -> None:
    """One export in a fresh process, so that the peak RSS is this export's own."""
    Path("/proc/self/clear_refs").write_text("5")  # forget the parent's high-water mark
    setup_django()
    from reports import services
    from surveys.models import Period, Unit

    unit, period = Unit.objects.get(code=unit_code), Period.objects.get(code="2024-S2")
    start = time.perf_counter()
    services.export_write(kind=kind, unit=unit, period=period, weight_mode="exact", target=out)
    elapsed = time.perf_counter() - start
    status = Path("/proc/self/status").read_text()
    hwm_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    print(f"{elapsed:.3f} {hwm_kb / 1024:.1f}")


def measure(kind: str, unit_code: str, runs: int) -> dict:
    times, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r." + kind.split("_")[0])
        for _run in range(runs):
            proc = subprocess.run(
                [sys.executable, __file__, "--child", kind, unit_code, out], capture_output=True, text=True
            )
            if proc.returncode != 0:
                raise SystemExit(proc.stderr[-3000:])
            elapsed, peak = proc.stdout.strip().splitlines()[-1].split()
            times.append(float(elapsed))
            peaks.append(float(peak))
        pages = "–"
        if kind.startswith("pdf"):
            info = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout
            pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages")), "?")
        return {
            "median": statistics.median(times),
            "best": min(times),
            "peak": max(peaks),
            "kib": os.path.getsize(out) / 1024,
            "pages": pages,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per report and format (default 3)")
    parser.add_argument("--large", type=int, default=0, help="also a unit with N respondents (Laporan SKM only)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')
    admin_sql(f'CREATE DATABASE "{DB}"')
    try:
        setup_django()
        t0 = time.perf_counter()
        populate(args.large)
        print(f"data: demo{f' + {args.large} respondents' if args.large else ''} ({time.perf_counter() - t0:.1f} s)")
        from django.db import connections

        connections.close_all()
        print(f"{'report':<32} | {'median s':>8} | {'best s':>6} | {'peak MB':>7} | {'KiB':>5} | {'pages':>5}")
        cases = [(kind, "pulutan", f"demo {kind}") for kind in KINDS]
        if args.large:
            cases += [(kind, "besar", f"{args.large} resp. {kind}") for kind in ("pdf_survey", "docx_survey")]
        for kind, unit_code, label in cases:
            m = measure(kind, unit_code, args.runs)
            print(
                f"{label:<32} | {m['median']:8.2f} | {m['best']:6.2f} | {m['peak']:7.0f} | {m['kib']:5.0f} | "
                f"{m['pages']:>5}",
                flush=True,
            )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')


if __name__ == "__main__":
    main()
