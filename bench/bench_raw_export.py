#!/usr/bin/env python
"""Raw data export: time and peak memory to write N responses as CSV and XLSX.

    .venv/bin/python bench/bench_raw_export.py [--rows 100000]

Creates the database ``skm_bench_raw_export`` (dropped at the end; server from
BENCH_DATABASE_URL, default postgres://skm:skm@127.0.0.1:5432/postgres),
fills one round with N responses through the importer (COPY; files of 250 000
rows, the importer's limit is 300 000 a file), then runs each
export in a fresh process (Django start-up excluded) and reports seconds,
rows per second and peak RSS:

- ``csv``: surveys.exports_raw.export_csv_chunks (pandas frames per chunk,
  labels, neutralise_cell, DataFrame.to_csv) written to a file, as the
  streamed HTTP response and the export job do;
- ``xlsx``: surveys.exports_raw.export_xlsx_write (the same frames into
  openpyxl's write-only workbook);
- ``plain-csv``: a baseline without pandas (values_list + dict labels +
  neutralise_cell + csv.writer), to judge whether pandas earns its place.

``--pgbouncer [--repeat 3]``: the exports read through PgBouncer in transaction
mode (``SKM_DB_POOLER=pgbouncer-transaction``, no server-side cursors, see
skm/db_rows.py), each CSV run interleaved with the same export on a direct
connection, min / median / max of time and peak RSS. ``plain-csv`` reads with
``.iterator()``, which behind the pooler receives every row at once (what the
exports did before skm.db_rows).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _collection_db import PYTHON, ROOT, bench_database
from _prod import db_name, load, production_env, spread, through_pgbouncer
from bench_import import HEADER, rows

CHILD = """
import resource, sys, time
import django
django.setup()
from django.utils import translation
from surveys.models import Period, Unit
mode, target = sys.argv[1], sys.argv[2]
translation.activate("id")
if mode == "fill":
    from pathlib import Path
    from surveys.services import import_batch_create
    stored = 0
    for part in sorted(Path(target).glob("in-*.csv")):  # the importer takes 300 000 rows a file
        with part.open("rb") as fh:
            batch = import_batch_create(fh=fh, filename=part.name, unit_code="bench", period_code="2024-S2", create=True)
        stored += batch.batch.rows
    # Warm PostgreSQL's cache, so that the first export measured does not pay for it.
    from surveys.exports_raw import RAW_FIELDS
    from surveys.models import Response
    for _row in Response.objects.values_list(*RAW_FIELDS).iterator(chunk_size=5000):
        pass
    print(stored, 0)
    sys.exit()
unit, period = Unit.objects.get(code="bench"), Period.objects.get(code="2024-S2")
start = time.perf_counter()
if mode == "csv":
    from surveys.exports_raw import export_csv_chunks, raw_spec
    with open(target, "w", encoding="utf-8", newline="") as fh:
        for piece in export_csv_chunks(unit=unit, period=period, spec=raw_spec()):
            fh.write(piece)
elif mode == "xlsx":
    from surveys.exports_raw import export_xlsx_write, raw_spec
    export_xlsx_write(unit=unit, period=period, spec=raw_spec(), target=target)
else:
    import csv
    from skm.rules.cells import neutralise_cell
    from surveys.exports_raw import CHOICE_COLUMNS, RAW_FIELDS, TEXT_COLUMNS, raw_spec
    from surveys.models import Response
    from django.utils import timezone
    labels = {RAW_FIELDS.index(c): {v: str(l) for v, l in ch.choices} for c, ch in CHOICE_COLUMNS.items()}
    text = [RAW_FIELDS.index(c) for c in TEXT_COLUMNS]
    at = RAW_FIELDS.index("submitted_at")
    qs = Response.objects.filter(unit=unit, period=period).order_by("submitted_at", "id").values_list(*RAW_FIELDS)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(raw_spec().headers)
        for row in qs.iterator(chunk_size=5000):
            row = list(row)
            for i, table in labels.items():
                row[i] = table.get(row[i], row[i] or "")
            for i in text:
                row[i] = neutralise_cell(row[i] or "")
            row[at] = timezone.localtime(row[at]).strftime("%Y-%m-%d %H:%M:%S")
            w.writerow(row)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


PART_ROWS = 250_000  # surveys.importing.MAX_ROWS is 300 000 data rows per file


def write_parts(tmpdir: Path, n: int) -> None:
    """The N generated rows as CSV files of at most PART_ROWS rows (numbers run on)."""
    generated = rows(n)
    for index in range((n + PART_ROWS - 1) // PART_ROWS):
        with (tmpdir / f"in-{index:03d}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(itertools.islice(generated, PART_ROWS))


def run(url: str, mode: str, target: Path, *, pgbouncer: bool = False) -> tuple[float, float]:
    env = (
        production_env(through_pgbouncer(url), SKM_DB_POOLER="pgbouncer-transaction")
        if pgbouncer
        else production_env(url)
    )
    done = subprocess.run([PYTHON, "-c", CHILD, mode, str(target)], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    first, second = done.stdout.split()[-2:]
    return float(first), float(second)


@contextlib.contextmanager
def filled(n: int) -> Iterator[tuple[str, Path]]:
    """A bench database holding one round of ``n`` generated responses, and a scratch directory."""
    with tempfile.TemporaryDirectory(prefix="skm-bench-raw-") as tmp:
        tmpdir = Path(tmp)
        write_parts(tmpdir, n)
        with bench_database(db_name("skm_bench_raw_export"), settings_env=production_env) as url:
            stored, _ = run(url, "fill", tmpdir)
            assert int(stored) == n, f"{stored} rows stored, expected {n}"
            yield url, tmpdir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pgbouncer", action="store_true", help="direct against PgBouncer, interleaved")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.rows
    if args.pgbouncer:
        pooled(n, args.repeat)
        return
    results = []
    with filled(n) as (url, tmpdir):
        for mode, ext in (("plain-csv", "csv"), ("csv", "csv"), ("xlsx", "xlsx")):
            out = tmpdir / f"out-{mode}.{ext}"
            elapsed, peak = run(url, mode, out)
            results.append((mode, elapsed, peak, out.stat().st_size / 1e6))
    print(f"{'export':<10}{'rows':>10}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}{'file MB':>10}")
    for mode, elapsed, peak, size in results:
        print(f"{mode:<10}{n:>10,}{elapsed:>10.1f}{n / elapsed:>10,.0f}{peak:>10.0f}{size:>10.1f}")


def pooled(n: int, repeat: int) -> None:
    """Each export direct and through PgBouncer, one after the other, ``repeat`` times."""
    cases = [(mode, via) for mode in ("plain-csv", "csv") for via in ("direct", "pgbouncer")]
    seconds: dict[tuple[str, str], list[float]] = {case: [] for case in cases}
    peaks: dict[tuple[str, str], list[float]] = {case: [] for case in cases}
    loads = []
    with filled(n) as (url, tmpdir):
        for _ in range(repeat):
            loads.append(load())
            for mode, via in cases:
                elapsed, peak = run(url, mode, tmpdir / "out.csv", pgbouncer=via == "pgbouncer")
                seconds[(mode, via)].append(elapsed)
                peaks[(mode, via)].append(peak)
    print(f"{n:,} rows; load average at each round: {'; '.join(loads)}")
    print(f"{'export':<11}{'via':<11}{'seconds min / median / max':>30}{'peak MB min / median / max':>30}")
    for case in cases:
        print(f"{case[0]:<11}{case[1]:<11}{spread(seconds[case]):>30}{spread(peaks[case], '{:.0f}'):>30}")


if __name__ == "__main__":
    main()
