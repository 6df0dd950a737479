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

``--rounds R`` (issue 18) measures instead, with ``--large N`` (default 1 000,
the large unit also gets the demo RTL), R interleaved rounds of: the trivial
document (one paragraph, as a document tree, through the same ``render_pdf``
with PDF/A and tags, and through the same DOCX writer), the Laporan SKM as PDF
(``report_pdf_write``: tagged PDF/A-3u with the round's attachments) and as
DOCX (``report_docx_write``), each in a fresh child process; ``--untagged``
adds the same PDF without structure tags. Prints min/median/max per measure,
its ratio to the trivial document of the same run, and the load average.

Runs on the production settings (``skm.settings.production``: DEBUG off, the
manifest static storage, Redis as the broker) with PostgreSQL and Redis at
127.0.0.1 (scripts/services.sh); the secrets it needs are bench-only values.
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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings.production")
    # Bench-only values for what production refuses to start without.
    os.environ.setdefault("SECRET_KEY", "bench-report-formats-not-a-secret-" + "x7Qp2Lm9Zr4Tb8Kc" * 3)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
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
            scores={"SKM": [rnd.choice((2, 3, 3, 4, 4)) for _k in range(9)]},
        )
        for i in range(1, large + 1)
    )
    from surveys.services_tallies import tally_rebuild

    tally_rebuild(unit_id=unit.id, period_id=period.id)  # bulk_create bypasses the services
    # Its RTL (the demo's plan, items and realisation): the Laporan SKM prints it.
    from django.contrib.auth import get_user_model

    from followup.demo import load_demo

    plan = load_demo(unit=unit, period=period, user=get_user_model().objects.order_by("pk").first())
    # Items the demo leaves without a realisation get an empty one ("belum"): the
    # generated LHTL conclusion (reports.narrative._lhtl_kesimpulan) reads
    # ``item.realisation`` of every pending item and fails on an item without one.
    from followup.models import PlanItem, Realisation

    bare = PlanItem.objects.filter(plan_unsur__plan=plan, realisation__isnull=True)
    Realisation.objects.bulk_create(Realisation(item=item) for item in bare)


TRIVIAL = ("trivial_pdf", "trivial_docx")


def trivial_write(kind: str, out: str) -> None:
    """The baseline: a one-paragraph document tree through the same writers as the reports."""
    import datetime as dt

    from reports.document import Document, Paragraph, PartKind, runs

    doc = Document(title="SKM", author="Kelurahan Uji Besar", subject="SKM", lang="id", date=dt.date(2024, 12, 31))
    doc.part(PartKind.CHAPTER).add(Paragraph(runs("Satu paragraf.")))
    if kind == "trivial_pdf":
        from reports.pdf import render_pdf
        from reports.render_html import document_html

        render_pdf(document_html(doc), out, title=doc.title, author=doc.author, lang="id")
    else:
        from reports.render_docx import document_docx_write

        document_docx_write(doc, out)


def child(kind: str, unit_code: str, out: str) -> None:
    """One export in a fresh process, so that the peak RSS is this export's own."""
    Path("/proc/self/clear_refs").write_text("5")  # forget the parent's high-water mark
    setup_django()
    from reports import services
    from surveys.models import Period, Unit

    unit, period = Unit.objects.get(code=unit_code), Period.objects.get(code="2024-S2")
    if kind == "pdf_survey_untagged":
        import functools

        from reports import pdf

        kind, pdf.render_pdf = "pdf_survey", functools.partial(pdf.render_pdf, tagged=False)
    start = time.perf_counter()
    if kind in TRIVIAL:
        trivial_write(kind, out)
    else:
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


def interleaved(large: int, rounds: int, untagged: bool) -> None:
    """R rounds of baseline, PDF and DOCX, interleaved, each in a fresh child process."""
    cases = {
        "trivial document, PDF (baseline)": ("trivial_pdf", "pdf"),
        "trivial document, DOCX (baseline)": ("trivial_docx", "docx"),
        f"Laporan SKM {large} resp., PDF": ("pdf_survey", "pdf"),
        f"Laporan SKM {large} resp., DOCX": ("docx_survey", "docx"),
    }
    if untagged:
        cases[f"Laporan SKM {large} resp., PDF untagged"] = ("pdf_survey_untagged", "pdf")
    times: dict[str, list[float]] = {name: [] for name in cases}
    loads = [os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        for _round in range(rounds):
            for name, (kind, ext) in cases.items():
                out = os.path.join(tmp, f"{kind}.{ext}")
                proc = subprocess.run(
                    [sys.executable, __file__, "--child", kind, "besar", out], capture_output=True, text=True
                )
                if proc.returncode != 0:
                    raise SystemExit(proc.stderr[-3000:])
                times[name].append(float(proc.stdout.strip().splitlines()[-1].split()[0]))
            loads.append(os.getloadavg())
            print(f"round {_round + 1}/{rounds}: " + ", ".join(f"{v[-1]:.2f}" for v in times.values()), flush=True)
        info = subprocess.run(["pdfinfo", os.path.join(tmp, "pdf_survey.pdf")], capture_output=True, text=True)
    base = {"pdf": statistics.median(times["trivial document, PDF (baseline)"])}
    base["docx"] = statistics.median(times["trivial document, DOCX (baseline)"])
    print(f"\n{'measure':<40} | {'min s':>6} | {'median s':>8} | {'max s':>6} | {'x baseline':>10}")
    for name, (_kind, ext) in cases.items():
        v = times[name]
        print(
            f"{name:<40} | {min(v):6.2f} | {statistics.median(v):8.2f} | {max(v):6.2f} | "
            f"{statistics.median(v) / base[ext]:10.1f}"
        )
    pdf_docx = statistics.median(times[f"Laporan SKM {large} resp., DOCX"]) / statistics.median(
        times[f"Laporan SKM {large} resp., PDF"]
    )
    print(f"DOCX / PDF (medians): {pdf_docx:.2f}")
    keys = ("Pages", "Tagged", "PDF version")
    print("; ".join(line for line in info.stdout.splitlines() if line.startswith(keys)))
    one = [load[0] for load in loads]
    print(f"load average (1 min) over the run: {min(one):.2f}–{max(one):.2f}; at the end: {loads[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per report and format (default 3)")
    parser.add_argument("--large", type=int, default=0, help="also a unit with N respondents (Laporan SKM only)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--rounds", type=int, default=0, help="interleave baseline/PDF/DOCX R rounds (issue 18)")
    parser.add_argument("--untagged", action="store_true", help="with --rounds: also the PDF without tags")
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
        if args.rounds and not args.large:
            args.large = 1000
        populate(args.large)
        print(f"data: demo{f' + {args.large} respondents' if args.large else ''} ({time.perf_counter() - t0:.1f} s)")
        from django.db import connections

        connections.close_all()
        if args.rounds:
            interleaved(args.large, args.rounds, args.untagged)
            return
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
