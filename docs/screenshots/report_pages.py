"""Regenerate the README's report page images from the demo data.

Run from the repository root (needs poppler-utils and, for the Word pages,
LibreOffice Writer):

    .venv/bin/python docs/screenshots/report_pages.py

It makes a throw-away SQLite database with the demo (``skm_demo``), writes the
Laporan SKM and the LHTL as PDF and DOCX with ``skm_report``, converts the DOCX
with LibreOffice headless as a user's office suite would open it, finds the
pages by their headings and renders them to PNG under docs/img/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "img"


def heading_page(title: str):
    """A page that opens with ``title`` (the front matter has no running header)."""
    return lambda lines: bool(lines) and lines[0] == title


def chapter_page(label: str, title: str):
    """A page holding the chapter heading: "BAB IV" on a line, its title on the next."""
    return lambda lines: any(a == label and b == title for a, b in zip(lines, lines[1:], strict=False))


def holds(*needles: str):
    return lambda lines: all(any(line.startswith(n) for line in lines) for n in needles)


# (image name, which file, how the page is recognised)
PAGES = [
    ("doc-daftar-isi", "survey.pdf", heading_page("DAFTAR ISI")),
    ("doc-daftar-tabel", "survey.pdf", heading_page("DAFTAR TABEL")),
    ("doc-tabel-ii1", "survey.pdf", holds("Tabel II.1", "No Kegiatan")),
    ("doc-lhtl-bab4", "followup.pdf", chapter_page("BAB IV", "KESIMPULAN")),
    ("doc-docx-daftar-isi", "lo/survey.pdf", heading_page("DAFTAR ISI")),
    ("doc-docx-tabel-ii1", "lo/survey.pdf", holds("Tabel II.1", "No Kegiatan")),
]


def run(*args: str, env: dict | None = None) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, env=env, cwd=ROOT).stdout


def find_page(pdf: Path, matches) -> int:
    count = int(next(line.split()[-1] for line in run("pdfinfo", str(pdf)).splitlines() if line.startswith("Pages")))
    for page in range(1, count + 1):
        text = run("pdftotext", "-f", str(page), "-l", str(page), "-raw", str(pdf), "-")
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        if matches(lines):
            return page
    raise SystemExit(f"page not found in {pdf}")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="skm-pages-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "skm.settings.local",
        "DATABASE_URL": f"sqlite:///{work}/db.sqlite3",
        "MEDIA_ROOT": str(work / "media"),
    }
    python = sys.executable
    run(python, "manage.py", "migrate", "-v", "0", env=env)
    run(python, "manage.py", "skm_demo", env=env)
    for kind in ("survey", "followup"):
        for ext in ("pdf", "docx"):
            run(python, "manage.py", "skm_report", kind, "--unit", "pulutan", "--period", "2024-S2",
                "-o", str(work / f"{kind}.{ext}"), env=env)  # fmt: skip
    (work / "lo").mkdir()
    for kind in ("survey", "followup"):
        run("soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
            "--outdir", str(work / "lo"), str(work / f"{kind}.docx"), env={**env, "HOME": str(work)})  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    for name, source, needle in PAGES:  # needle: the page's predicate
        pdf = work / source
        page = find_page(pdf, needle)
        target = OUT / name
        run("pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(target))
        print(f"{target}.png  ({source}, page {page})")


if __name__ == "__main__":
    main()
