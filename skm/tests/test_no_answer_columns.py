"""Issue 20 point 4: the answers are stored for any instrument, so no code outside
the instrument package names the old fixed answer columns ``u1`` ... ``u9``.

Scanned: the application packages, templates, static files and benchmarks.
Left out: tests, migrations (history) and the instrument package itself.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("skm", "surveys", "reports", "followup", "templates", "static", "bench")
SUFFIXES = {".py", ".html", ".js", ".css", ".txt", ".sql"}
# The instrument package: the rules, the built-in instruments and the one module
# that packs a response's answers.
INSTRUMENT_PACKAGE = {
    "skm/rules/instrument.py",
    "skm/rules/instruments_data.py",
    "skm/rules/unsur.py",
    "surveys/answers.py",
}
# Not answers: the Laporan SKM's narrative sections, one per unsur, keep their
# stored keys "u1".."u9" (report texts already written and frozen in publications).
NOT_ANSWERS = {"reports/sections.py"}
# u1..u9 as a word, or built as f"u{i}" / "u%d".
PATTERN = re.compile(r"\bu[1-9]\b|[\"']u\{|[\"']u%")


def _files():
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            rel = path.relative_to(ROOT).as_posix()
            if path.suffix not in SUFFIXES or not path.is_file() or ".min." in path.name:
                continue
            if "/tests/" in f"/{rel}" or "/migrations/" in rel or rel in INSTRUMENT_PACKAGE | NOT_ANSWERS:
                continue
            yield rel, path


def test_no_code_outside_the_instrument_package_names_the_answer_columns():
    offenders = [
        f"{rel}:{n}: {line.strip()}"
        for rel, path in _files()
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1)
        if PATTERN.search(line)
    ]
    assert offenders == []


def test_the_scan_sees_the_code_it_guards():
    """The scan reads the modules that used to name the columns (a scan of nothing passes trivially)."""
    scanned = {rel for rel, _path in _files()}
    assert {"surveys/models.py", "surveys/services.py", "surveys/services_tallies.py", "surveys/forms.py"} <= scanned
    assert {"reports/selectors.py", "surveys/exports_raw.py", "bench/bench_results_page.py"} <= scanned
    assert PATTERN.search('    u1 = models.PositiveSmallIntegerField("U1")')
    assert PATTERN.search('fields = [f"u{i}" for i in range(1, 10)]')
    assert not PATTERN.search('answers = {"U1": 4}  # mu1 bu9')
