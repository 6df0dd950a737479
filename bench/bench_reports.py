"""Benchmark of the report builder (issue 5).

    .venv/bin/python bench/bench_reports.py [--respondents 100000] [--appendix 1000] [--keep]

Creates the PostgreSQL database ``skm_bench_reports`` (dropped at the end),
fills it, and prints:
  - Laporan Hasil Tindak Lanjut PDF time (9 unsur, 10 items, 10 photos);
  - Laporan SKM PDF time with a 1 000-respondent appendix;
  - XLSX export of N respondents (surveys.exports.worksheet_write through
    reports.services) against plain openpyxl write-only writing the same rows,
    each in its own child process: wall time and peak RSS (ru_maxrss).
Needs PostgreSQL at 127.0.0.1 with the ``skm`` role (scripts/services.sh).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "skm_bench_reports"
PG = os.environ.get("BENCH_PG", "postgres://skm:skm@127.0.0.1:5432")


def setup_django():
    sys.path.insert(0, str(ROOT))
    # The production settings (bench/_prod.py): DEBUG off, Redis as broker and cache.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _prod import use_production_env

    use_production_env(f"{PG}/{DB}")
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "skm-bench-reports-media"))
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


# ------------------------------------------------------------------ fixtures


def populate(respondents: int, appendix: int) -> None:
    import datetime as dt
    import random

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.utils import timezone
    from PIL import Image

    from followup.models import EvidencePhoto, Plan, PlanItem, PlanUnsur, Realisation, evidence_upload_to
    from surveys.models import Period, Response, Unit

    call_command("migrate", verbosity=0)
    city = Unit.objects.create(code="kota", name="Pemerintah Kota Salatiga", city="Salatiga")
    district = Unit.objects.create(code="kec", name="Kecamatan Sidorejo", parent=city, city="Salatiga")
    small = Unit.objects.create(
        code="pulutan",
        name="Kelurahan Pulutan",
        parent=district,
        city="Salatiga",
        signatory_name="Budi Santoso",
        signatory_title="Lurah Pulutan",
        signatory_nip="198001012005011001",
    )
    big = Unit.objects.create(code="besar", name="Kelurahan Besar", parent=district, city="Salatiga")
    period = Period.objects.create(
        code="2024-S2", kind="semester", start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 12, 31)
    )
    rnd = random.Random(5)
    now = timezone.now()
    genders, edus, occs = (
        ["L", "P"],
        ["SD", "SMP", "SMA", "DIPLOMA", "STRATA"],
        ["PELAJAR", "SWASTA", "PNS", "WIRAUSAHA", "BURUH", "LAINNYA"],
    )

    def rows(unit, n):
        for i in range(1, n + 1):
            yield Response(
                unit=unit,
                period=period,
                channel="impor",
                number=i,
                gender=rnd.choice(genders),
                age=rnd.randint(17, 75),
                education=rnd.choice(edus),
                occupation=rnd.choice(occs),
                submitted_at=now,
                suggestion="Pelayanan sudah baik, ruang tunggu perlu diperluas." if i % 7 == 0 else "",
                scores={"SKM": [rnd.choice((2, 3, 3, 4, 4)) for _k in range(9)]},
            )

    Response.objects.bulk_create(rows(small, appendix), batch_size=5000)
    batch = []
    for r in rows(big, respondents):
        batch.append(r)
        if len(batch) == 5000:
            Response.objects.bulk_create(batch)
            batch = []
    Response.objects.bulk_create(batch)
    from surveys.services_tallies import tally_rebuild

    tally_rebuild()  # bulk_create bypasses the services that keep the tallies

    plan = Plan.objects.create(unit=small, period=period, lowest_n=9, survey_report_date=dt.date(2024, 11, 4))
    names = [
        "Persyaratan",
        "Sistem, Mekanisme, dan Prosedur",
        "Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk Spesifikasi Jenis Pelayanan",
        "Kompetensi Pelaksana",
        "Perilaku Pelaksana",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Sarana dan Prasarana",
    ]
    buf = io.BytesIO()
    Image.effect_mandelbrot((1600, 1000), (-2, -1.2, 1, 1.2), 60).convert("RGB").save(buf, "JPEG", quality=85)
    photo_bytes = buf.getvalue()
    n_item = 0
    for order, name in enumerate(names, start=1):
        row = PlanUnsur.objects.create(
            plan=plan, code=f"U{order}", title=name, nrr_total=165, nrr_answered=50, order=order
        )
        for i in range(1, (3 if order == 9 else 2)):
            n_item += 1
            item = PlanItem.objects.create(
                plan_unsur=row,
                order=i,
                program=f"Program perbaikan {name} ke-{i}",
                responsible="Sekretaris Kelurahan",
                schedule=[[2024, 4], [2025, 1], [2025, 2]],
            )
            Realisation.objects.create(
                item=item,
                status="sudah",
                realised_on=dt.date(2025, 2, 1),
                description="Kegiatan telah dilaksanakan bersama perangkat kelurahan.",
                challenges="-",
            )
            photo = EvidencePhoto(item=item, caption=f"Dokumentasi {name}", order=0)
            photo.image.name = default_storage.save(evidence_upload_to(photo, "f.jpg"), ContentFile(photo_bytes))
            photo.width, photo.height = 1600, 1000
            photo.save()
    assert n_item == 10


# ------------------------------------------------------------- measurements


def child(mode: str, out: str) -> None:
    """Runs in a fresh process so that ru_maxrss is this export's own peak."""
    # A forked child inherits the parent's RSS high-water mark; reset it (Linux
    # clear_refs "5") so that VmHWM is this export's own peak.
    Path("/proc/self/clear_refs").write_text("5")
    setup_django()
    start = time.perf_counter()
    if mode == "skm":
        from reports.services import worksheet_xlsx_write
        from surveys.models import Period, Unit

        worksheet_xlsx_write(
            unit=Unit.objects.get(code="besar"),
            period=Period.objects.get(code="2024-S2"),
            weight_mode="exact",
            target=out,
        )
    else:
        from openpyxl import Workbook

        from surveys.models import Response

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Data")
        ws.append(["No", "L/P", "Usia", "Pendidikan", "Pekerjaan"] + [f"U{k}" for k in range(1, 10)])
        fields = ["number", "gender", "age", "education", "occupation"] + [f"scores__SKM__{k}" for k in range(9)]
        for row in (
            Response.objects.filter(unit__code="besar")
            .order_by("number")
            .values_list(*fields)
            .iterator(chunk_size=5000)
        ):
            ws.append(list(row))
        wb.save(out)
    elapsed = time.perf_counter() - start
    status = Path("/proc/self/status").read_text()
    hwm_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    peak_mb = hwm_kb / 1024 if hwm_kb else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.2f} {peak_mb:.1f}")


def measure_child(mode: str) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, f"{mode}.xlsx")
        proc = subprocess.run(
            [sys.executable, __file__, "--child", mode, out], capture_output=True, text=True, env=os.environ.copy()
        )
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-3000:])
        elapsed, peak = proc.stdout.strip().splitlines()[-1].split()
        return float(elapsed), float(peak), os.path.getsize(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--respondents", type=int, default=100_000, help="respondents of the XLSX export (default 100000)"
    )
    parser.add_argument(
        "--appendix", type=int, default=1000, help="respondents in the Laporan SKM appendix (default 1000)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')
    admin_sql(f'CREATE DATABASE "{DB}"')
    try:
        setup_django()
        t0 = time.perf_counter()
        populate(args.respondents, args.appendix)
        print(
            f"data: {args.appendix} + {args.respondents} respondents, plan 9 unsur / 10 items / 10 photos ({time.perf_counter() - t0:.1f} s)"
        )

        from reports.services import report_pdf_write
        from surveys.models import Period, Unit

        unit, period = Unit.objects.get(code="pulutan"), Period.objects.get(code="2024-S2")
        results = {}
        for kind, label in (
            ("pdf_followup", "Laporan Hasil Tindak Lanjut"),
            ("pdf_survey", f"Laporan SKM ({args.appendix} responden)"),
        ):
            with tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, "r.pdf")
                times = []
                for _ in range(2):
                    start = time.perf_counter()
                    report_pdf_write(kind=kind, unit=unit, period=period, weight_mode="exact", target=out)
                    times.append(time.perf_counter() - start)
                pages = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout
                n_pages = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages")), "?")
                results[kind] = min(times)
                print(
                    f"{label:45s} {min(times):6.2f} s (best of 2), {n_pages} pages, {os.path.getsize(out) / 1024:.0f} KiB"
                )

        from django.db import connections

        connections.close_all()
        skm_t, skm_mem, skm_size = measure_child("skm")
        raw_t, raw_mem, raw_size = measure_child("openpyxl")
        print(
            f"XLSX {args.respondents} respondents, skm worksheet   {skm_t:6.2f} s, peak RSS {skm_mem:6.1f} MB, {skm_size / 1e6:.1f} MB file"
        )
        print(
            f"XLSX {args.respondents} respondents, bare openpyxl   {raw_t:6.2f} s, peak RSS {raw_mem:6.1f} MB, {raw_size / 1e6:.1f} MB file"
        )
        print(f"ratio skm / bare: time {skm_t / raw_t:.2f}x, memory {skm_mem / raw_mem:.2f}x")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')


if __name__ == "__main__":
    main()
