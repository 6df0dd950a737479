"""Benchmark: the Laporan SKM export job at 1 000, 10 000 and 100 000 respondents (issue 12).

    .venv/bin/python bench/bench_report_sizes.py [--sizes 1000,10000,100000] [--threshold N] [--keep]

Creates the PostgreSQL database ``skm_bench_report_sizes`` (dropped at the end)
with one unit per size, each with that many respondents (a third of them with a
saran: half from 20 common phrases, half unique). For each size a fresh child
process runs what the export job runs, ``reports.services.export_write`` for
``pdf_survey`` with an attachment target: the PDF and, above
SKM_REPORT_APPENDIX_MAX_RESPONDENTS (default 1 000; ``--threshold`` overrides it
for the children), the XLSX attachment with the per-respondent data and every
saran. It prints wall time (PDF and attachment separately), peak RSS (VmHWM of
the child), PDF pages and file sizes.
Needs PostgreSQL at 127.0.0.1 with the ``skm`` role (scripts/services.sh).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "skm_bench_report_sizes"
PG = os.environ.get("BENCH_PG", "postgres://skm:skm@127.0.0.1:5432")

COMMON_SARAN = [f"Saran umum nomor {i}: antrean dipercepat dan ruang tunggu diperluas." for i in range(20)]


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings.base")
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "skm-bench-report-sizes-media"))
    os.environ.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "skm-bench-mpl"))
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


def populate(sizes: list[int]) -> None:
    import datetime as dt
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from surveys.models import Period, Response, Unit

    call_command("migrate", verbosity=0)
    city = Unit.objects.create(code="kota", name="Pemerintah Kota Salatiga", city="Salatiga")
    period = Period.objects.create(
        code="2024-S2", kind="semester", start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 12, 31)
    )
    rnd = random.Random(12)
    now = timezone.now()
    for size in sizes:
        unit = Unit.objects.create(
            code=f"unit-{size}", name=f"Kelurahan Uji {size}", parent=city, city="Salatiga", signatory_name="Budi"
        )
        batch = []
        for i in range(1, size + 1):
            saran = ""
            if i % 3 == 0:
                saran = rnd.choice(COMMON_SARAN) if i % 2 else f"Saran khusus responden {i}: {rnd.random():.6f}"
            batch.append(
                Response(
                    unit=unit,
                    period=period,
                    channel="impor",
                    number=i,
                    gender=rnd.choice("LP"),
                    age=rnd.randint(17, 75),
                    education=rnd.choice(["SD", "SMP", "SMA", "DIPLOMA", "STRATA"]),
                    occupation=rnd.choice(["PELAJAR", "SWASTA", "PNS", "WIRAUSAHA", "BURUH", "LAINNYA"]),
                    submitted_at=now,
                    suggestion=saran,
                    scores={"SKM": [rnd.choice((2, 3, 3, 4, 4)) for _k in range(9)]},
                )
            )
            if len(batch) == 5000:
                Response.objects.bulk_create(batch)
                batch = []
        Response.objects.bulk_create(batch)
        from surveys.services_tallies import tally_rebuild

        tally_rebuild()  # bulk_create bypasses the services that keep the tallies


def child(size: str, out_dir: str) -> None:
    """One export in a fresh process, so that the peak RSS is this export's own."""
    Path("/proc/self/clear_refs").write_text("5")  # forget the parent's high-water mark
    setup_django()
    from reports import services
    from surveys.models import Period, Unit

    unit, period = Unit.objects.get(code=f"unit-{size}"), Period.objects.get(code="2024-S2")
    pdf, xlsx = os.path.join(out_dir, "r.pdf"), os.path.join(out_dir, "r.xlsx")
    marks = {}

    def progress(percent, message):
        if percent >= 60 and "pdf" not in marks:
            marks["pdf"] = time.perf_counter()

    start = time.perf_counter()
    attached = services.export_write(
        kind="pdf_survey",
        unit=unit,
        period=period,
        weight_mode="exact",
        target=pdf,
        attachment_target=xlsx,
        progress=progress,
    )
    end = time.perf_counter()
    pdf_end = marks.get("pdf", end) if attached else end
    status = Path("/proc/self/status").read_text()
    hwm_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    print(f"{end - start:.2f} {pdf_end - start:.2f} {hwm_kb / 1024:.1f} {int(attached)}")


def measure(size: int, threshold: int | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ.copy()
        if threshold is not None:
            env["SKM_REPORT_APPENDIX_MAX_RESPONDENTS"] = str(threshold)
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(size), tmp], capture_output=True, text=True, env=env
        )
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-3000:])
        total, pdf_time, peak, attached = proc.stdout.strip().splitlines()[-1].split()
        info = subprocess.run(["pdfinfo", os.path.join(tmp, "r.pdf")], capture_output=True, text=True).stdout
        pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages")), "?")
        xlsx = os.path.join(tmp, "r.xlsx")
        return {
            "total": float(total),
            "pdf": float(pdf_time),
            "peak": float(peak),
            "pages": pages,
            "pdf_kib": os.path.getsize(os.path.join(tmp, "r.pdf")) / 1024,
            "xlsx_mb": os.path.getsize(xlsx) / 1e6 if attached == "1" else 0.0,
            "attached": attached == "1",
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="respondent counts, comma-separated")
    parser.add_argument("--threshold", type=int, default=None, help="SKM_REPORT_APPENDIX_MAX_RESPONDENTS for the run")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')
    admin_sql(f'CREATE DATABASE "{DB}"')
    try:
        setup_django()
        t0 = time.perf_counter()
        populate(sizes)
        print(f"data: {' + '.join(map(str, sizes))} respondents ({time.perf_counter() - t0:.1f} s)")
        from django.db import connections

        connections.close_all()
        print(
            f"{'respondents':>11} | {'total s':>7} | {'PDF s':>6} | {'XLSX s':>6} | {'peak MB':>7} | "
            f"{'pages':>5} | {'PDF KiB':>7} | {'XLSX MB':>7}"
        )
        for size in sizes:
            m = measure(size, args.threshold)
            xlsx_s = m["total"] - m["pdf"] if m["attached"] else 0.0
            print(
                f"{size:>11} | {m['total']:7.1f} | {m['pdf']:6.1f} | {xlsx_s:6.1f} | {m['peak']:7.0f} | "
                f"{m['pages']:>5} | {m['pdf_kib']:7.0f} | {m['xlsx_mb']:7.1f}",
                flush=True,
            )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')


if __name__ == "__main__":
    main()
