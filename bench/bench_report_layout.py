"""Benchmark: the Laporan SKM at 1 000 respondents, with and without the
per-respondent appendix, and the appendix layouts WeasyPrint was tried with
(issue 13, item 4).

    .venv/bin/python bench/bench_report_layout.py [--respondents 1000] [--runs 3] [--keep]

Creates the PostgreSQL database ``skm_bench_report_layout`` (dropped at the end;
server from BENCH_PG, default postgres://skm:skm@127.0.0.1:5432), fills one unit
with N respondents over three jenis layanan, then, in one warm process and
interleaved run by run (medians of ``--runs``):

1. baseline: WeasyPrint rendering a trivial one-page document with report.css;
2. the appendix alone (title + N respondents + totals) in four layouts:
   ``table14`` the old table, one cell per value; ``table7`` the nine answers in
   one monospaced cell; ``ruled`` one pre-formatted line per respondent in a
   single cell (reports/appendix.py, the one used); ``divs`` the same lines as
   plain blocks without a table (no repeated header);
3. ``reports.services.report_pdf_write`` for the Laporan SKM with the appendix
   printed, and without it (SKM_REPORT_APPENDIX_MAX_RESPONDENTS below N: the PDF
   says the data are in the XLSX attachment). The report's charts are PNG and
   not cached, so matplotlib draws them every run (the SVG cache of the web
   pages is cleared too).

Each figure is printed with its ratio to the trivial document of the same run.
"""

from __future__ import annotations

import argparse
import html
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "skm_bench_report_layout"
PG = os.environ.get("BENCH_PG", "postgres://skm:skm@127.0.0.1:5432")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings.local")
    os.environ.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "skm-bench-mpl"))
    os.environ["LOG_LEVEL"] = "ERROR"
    import django

    django.setup()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def populate(n: int):
    import datetime as dt
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from surveys.models import Period, Response, Service, Unit

    call_command("migrate", verbosity=0)
    city = Unit.objects.create(code="kota", name="Pemerintah Kota Salatiga", city="Salatiga")
    district = Unit.objects.create(code="kec", name="Kecamatan Sidorejo", parent=city, city="Salatiga")
    unit = Unit.objects.create(
        code="pulutan", name="Kelurahan Pulutan", parent=district, city="Salatiga", signatory_name="Budi Santoso"
    )
    period = Period.objects.create(
        code="2024-S2", kind="semester", start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 12, 31)
    )
    services = [Service.objects.create(unit=unit, name=name) for name in ("KTP", "Surat Pindah", "Akta")]
    rnd = random.Random(13)
    now = timezone.now()
    Response.objects.bulk_create(
        Response(
            unit=unit,
            period=period,
            service=rnd.choice(services),
            channel="impor",
            number=i,
            gender=rnd.choice("LP"),
            age=rnd.randint(17, 75),
            education=rnd.choice([c for c, _l in Response.Education.choices]),
            occupation=rnd.choice([c for c, _l in Response.Occupation.choices]),
            submitted_at=now,
            suggestion="Ruang tunggu perlu diperluas." if i % 9 == 0 else "",
            scores={"SKM": [rnd.choice((2, 3, 3, 4, 4)) for _k in range(9)]},
        )
        for i in range(1, n + 1)
    )
    from surveys.services_tallies import tally_rebuild

    tally_rebuild(unit_id=unit.id, period_id=period.id)  # bulk_create bypasses the services
    return unit, period


# ---------------------------------------------------------------- the layouts


def appendix_documents(unit, period) -> dict[str, str]:
    """The appendix alone in each layout, same rows, same labels."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from reports import selectors
    from reports.appendix import respondent_table
    from reports.context import survey_context

    with translation.override("id"):
        rows = list(selectors.respondent_rows(unit=unit, period=period))
        table = respondent_table(rows)
        context = survey_context(unit=unit, period=period, weight_mode="exact").as_template_context()
        survey = render_to_string("reports/survey_report.html", context)
    start = survey.index('<div class="appendix-title" id="l-data">')
    end = survey.index('<div class="appendix-title" id="l-saran">')
    head = '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/static/reports/report.css"></head><body>'
    title = '<div class="appendix-title">DATA PER RESPONDEN DAN PER UNSUR LAYANAN</div>'
    ruled = head + survey[start:end] + "</body></html>"

    cols = table.columns
    # Old table: one cell per value, from the same labelled values (re-split from the fixed-width lines).
    cells = []
    for line in table.rows:
        first = line.split("\n")[0].ljust(table.total_chars)
        values, x = [], 0
        for c in cols:
            values.append(first[x : x + c.span].strip())
            x += c.span
        cells.append(values)
    th = "".join(f"<th>{html.escape(c.header)}</th>" for c in cols)
    table14 = (
        head
        + title
        + f'<table class="compact"><thead><tr>{th}</tr></thead><tbody>'
        + "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in cells)
        + "</tbody></table></body></html>"
    )
    n_profile = len(cols) - 9
    th7 = "".join(f"<th>{html.escape(c.header)}</th>" for c in cols[:n_profile]) + "<th>U1 U2 U3 U4 U5 U6 U7 U8 U9</th>"
    table7 = (
        head
        + "<style>td.ans{white-space:pre;font-family:'DejaVu Sans Mono',monospace}</style>"
        + title
        + f'<table class="compact"><thead><tr>{th7}</tr></thead><tbody>'
        + "".join(
            "<tr>"
            + "".join(f"<td>{html.escape(v)}</td>" for v in r[:n_profile])
            + '<td class="ans">'
            + "  ".join(f"{v:>1}" for v in r[n_profile:])
            + "</td></tr>"
            for r in cells
        )
        + "</tbody></table></body></html>"
    )
    divs = (
        head
        + "<style>.l{font:7.5pt/1.3 'DejaVu Sans Mono',monospace;white-space:pre;border-bottom:.6pt solid #333}</style>"
        + title
        + "".join(f'<div class="l">{html.escape(line)}</div>' for line in table.rows)
        + "</body></html>"
    )
    return {"table14": table14, "table7": table7, "ruled": ruled, "divs": divs}


def render_html(text: str) -> int:
    from weasyprint import HTML

    from reports.pdf import ASSET_ORIGIN, FencedURLFetcher

    doc = HTML(string=text, base_url=ASSET_ORIGIN + "/", url_fetcher=FencedURLFetcher()).render()
    doc.write_pdf()
    return len(doc.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-old", action="store_true", help="skip the slow table14/table7 layouts")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')
    admin_sql(f'CREATE DATABASE "{DB}"')
    try:
        setup_django()
        unit, period = populate(args.respondents)
        from django.conf import settings

        from reports.services import report_pdf_write
        from surveys import charts

        settings.SKM_REPORT_APPENDIX_MAX_RESPONDENTS = args.respondents
        docs = appendix_documents(unit, period)
        if args.skip_old:
            docs = {k: v for k, v in docs.items() if k not in ("table14", "table7")}
        trivial = '<!doctype html><html><head><link rel="stylesheet" href="/static/reports/report.css"></head><body><h1>SKM</h1><p>Satu halaman.</p></body></html>'
        render_html(trivial)  # warm-up: fonts, WeasyPrint's own stylesheets

        def report(with_appendix: bool) -> int:
            settings.SKM_REPORT_APPENDIX_MAX_RESPONDENTS = args.respondents if with_appendix else args.respondents - 1
            charts._CACHE.clear()
            with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
                report_pdf_write(kind="pdf_survey", unit=unit, period=period, weight_mode="exact", target=fh.name)
                import subprocess

                info = subprocess.run(["pdfinfo", fh.name], capture_output=True, text=True).stdout
            return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))

        measures = {"trivial one-page document (baseline)": lambda: render_html(trivial)}
        for name, text in docs.items():
            measures[f"appendix alone, {name}"] = lambda text=text: render_html(text)
        measures[f"Laporan SKM, {args.respondents} respondents, appendix printed"] = lambda: report(True)
        measures["Laporan SKM, appendix in the XLSX attachment"] = lambda: report(False)

        times: dict[str, list[float]] = {k: [] for k in measures}
        cpu: dict[str, list[float]] = {k: [] for k in measures}
        pages: dict[str, int] = {}
        for _ in range(args.runs):
            for name, fn in measures.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                pages[name] = fn()
                times[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
        base = statistics.median(times["trivial one-page document (baseline)"])
        # CPU time of this process (the database's is not in it): less sensitive than
        # wall time to other jobs on a shared machine.
        print(f"\n{'measure':58s} {'median s':>9s} {'min s':>7s} {'CPU s':>6s} {'pages':>6s} {'x trivial':>10s}")
        for name, values in times.items():
            med = statistics.median(values)
            print(
                f"{name:58s} {med:9.2f} {min(values):7.2f} {statistics.median(cpu[name]):6.2f} "
                f"{pages[name]:6d} {med / base:10.0f}"
            )
        print(f"load average: {os.getloadavg()[0]:.1f}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
