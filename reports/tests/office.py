"""Office-suite checks of the Word reports: LibreOffice (headless) and poppler helpers.

Not a test module (pytest collects ``test_*.py`` only). ``docx_to_pdf`` converts a DOCX
as LibreOffice lays it out; the checks below read that PDF and return human-readable
problems (an empty list means fine), so that the tests of both reports can share them.

LibreOffice is a test dependency (``scripts/system-deps.sh test``). Without it the
conversion skips, except under CI (``CI`` set), where a missing soffice is a failure.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

SOFFICE_TIMEOUT = 120  # seconds for one conversion, profile creation included
POPPLER_TIMEOUT = 60

# One LibreOffice profile per process (per pytest worker), created on first use. Two
# soffice processes on one profile fail or hand their work to each other, so every
# conversion of this process holds the lock.
_LOCK = threading.Lock()
_PROFILE: Path | None = None


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def soffice_path() -> str:
    """The soffice executable; skips the test when it is missing, fails under CI."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    reason = "LibreOffice (soffice) is not installed: scripts/system-deps.sh test installs libreoffice-writer-nogui"
    if _under_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def _profile() -> Path:
    """This process's private LibreOffice profile directory (call with _LOCK held)."""
    global _PROFILE
    if _PROFILE is None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        _PROFILE = Path(tempfile.mkdtemp(prefix=f"skm-lo-{worker}-{os.getpid()}-"))
        atexit.register(shutil.rmtree, _PROFILE, ignore_errors=True)
    return _PROFILE


def docx_to_pdf(path: Path, outdir: Path) -> Path:
    """Convert ``path`` (DOCX) to ``outdir/<stem>.pdf`` with LibreOffice headless."""
    soffice = soffice_path()
    path, outdir = Path(path).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{path.stem}.pdf"
    target.unlink(missing_ok=True)
    with _LOCK:
        profile = _profile()
        home = profile / "home"
        home.mkdir(exist_ok=True)
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(path),
        ]
        env = {**os.environ, "HOME": str(home)}
        # Own process group: soffice starts soffice.bin, and a timeout must end both.
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
        )
        try:
            stdout, stderr = proc.communicate(timeout=SOFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            pytest.fail(
                f"LibreOffice did not convert {path.name} within {SOFFICE_TIMEOUT} s\n"
                f"command: {' '.join(command)}\nstderr: {stderr.strip()}\nstdout: {stdout.strip()}",
                pytrace=False,
            )
    if proc.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        pytest.fail(
            f"LibreOffice did not convert {path.name} to {target} (exit status {proc.returncode})\n"
            f"command: {' '.join(command)}\nstderr: {stderr.strip()}\nstdout: {stdout.strip()}",
            pytrace=False,
        )
    return target


def _poppler(args: list[str]) -> str:
    tool = args[0]
    if not shutil.which(tool):
        pytest.fail(f"{tool} (poppler-utils) is not installed: scripts/system-deps.sh test installs it", pytrace=False)
    done = subprocess.run(args, capture_output=True, text=True, timeout=POPPLER_TIMEOUT)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}", pytrace=False)
    return done.stdout


def pdf_page_count(path: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)", _poppler(["pdfinfo", str(path)]), re.MULTILINE)
    assert match, f"pdfinfo shows no page count for {path}"
    return int(match.group(1))


def pdf_text(path: Path, layout: bool = False) -> str:
    """The PDF's text; pages are separated by form feeds."""
    return _poppler(["pdftotext", *(["-layout"] if layout else []), str(path), "-"])


def pdf_page_pngs(path: Path, outdir: Path, dpi: int = 60) -> list[Path]:
    """Every page as ``outdir/page-N.png``, in page order."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    _poppler(["pdftoppm", "-r", str(dpi), "-png", str(path), str(outdir / "page")])
    pages = list(outdir.glob("page-*.png"))
    return sorted(pages, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


# ------------------------------------------------------------------ checks

_TOKEN = re.compile(r"[^\W_]+")  # letters and digits; whitespace and punctuation separate


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_header_row(tr) -> bool:
    trPr = tr.find(qn("w:trPr"))
    if trPr is None:
        return False
    mark = trPr.find(qn("w:tblHeader"))
    return mark is not None and mark.get(qn("w:val"), "true").lower() not in ("0", "false", "off")


def docx_header_words(docx_path: Path) -> list[str]:
    """The words of every table's header rows (rows marked as repeated header
    ``w:tblHeader``, else the first row), nested tables included, in document order,
    each word once."""
    document = docx.Document(str(docx_path))
    words: dict[str, None] = {}
    for tbl in document.element.body.iter(qn("w:tbl")):
        rows = list(tbl.iterchildren(qn("w:tr")))
        if not rows:
            continue
        header = [tr for tr in rows if _is_header_row(tr)] or rows[:1]
        for tr in header:
            for tc in tr.iterchildren(qn("w:tc")):
                # The cell's own paragraphs only: a nested table has its own header.
                for p in tc.iterchildren(qn("w:p")):
                    text = "".join(t.text or "" for t in p.iter(qn("w:t")))
                    words.update(dict.fromkeys(tokens(text)))
    return list(words)


_SPLIT_WINDOW = 40  # tokens: a cell's next line comes after the other cells of its line


# Short Indonesian words that begin longer ones: a split never starts with one of them.
_SHORT_WORDS = {"di", "ke", "se", "ya", "pa", "be", "me", "pe", "te", "ter", "per", "dan", "ada", "apa"}


def _split_forms(word: str, stream: list[str]) -> set[str]:
    """The ways ``word`` appears cut into two or more tokens in ``stream`` (tokens in
    reading order), compared without case. Table text is read row by row, so a cell's
    second line may follow the first lines of the cells to its right: each next piece
    is looked for within a window of tokens ("M Persentase Keterangan en ja w ab")."""
    target = word.casefold()
    forms = set()
    folded = [t.casefold() for t in stream]
    for i, first in enumerate(folded):
        if not (first.isalpha() and len(first) < len(target) and target.startswith(first)):
            continue
        if first in _SHORT_WORDS:
            continue  # "di" + "Tindak" + "Lanjut" + "i" is four words, not "Ditindaklanjuti" broken
        pieces, rest, last = [stream[i]], target[len(first) :], i
        for j in range(i + 1, min(len(stream), i + _SPLIT_WINDOW)):
            if j - last > _SPLIT_WINDOW // 2:
                break
            piece = folded[j]
            if piece.isalpha() and rest.startswith(piece):
                pieces.append(stream[j])
                rest, last = rest[len(piece) :], j
                if not rest:
                    forms.add(" ".join(pieces))
                    break
    return forms


def broken_words(words: Iterable[str], lo_pdf_text: str) -> list[str]:
    """Each word of 4+ letters must occur whole in the PDF text (pdftotext without
    ``-layout``). A word the office suite split across lines shows up as two or more
    tokens ("Menjaw ab"), and is reported even when the same word is whole elsewhere
    (in a body row, say)."""
    stream = tokens(lo_pdf_text)
    present = {t.casefold() for t in stream}
    problems = []
    for word in dict.fromkeys(words):
        if not (word.isalpha() and len(word) >= 4):
            continue
        split = _split_forms(word, stream)
        if split:
            shown = ", ".join(f'"{form}"' for form in sorted(split))
            problems.append(f'header word "{word}" is broken: printed as {shown}')
        elif word.casefold() not in present:
            problems.append(f'header word "{word}" is not in the text at all')
    return problems


# A page number at the end of a TOC line: "3", "iv", "I - 1" / "I-1" (three digits at
# most, so that a title ending in a year is not taken for one).
_NUMBER = r"(\d{1,3}|[ivxlc]{1,6}|[IVXL]{1,5}\s?-\s?\d{1,3})"
_PAGE_NUMBER = re.compile(r"(?:^|[\s.\u2026])" + _NUMBER + r"\s*$")
_PAGE_NUMBER_ALONE = re.compile(_NUMBER)
_TOC_HEADING = re.compile(r"DAFTAR\s+ISI")
# Where the daftar isi ends: the next front-matter heading or the first chapter.
_NEXT_HEADING = re.compile(r"(DAFTAR\s+(TABEL|GAMBAR|LAMPIRAN|BAGAN)|KATA\s+PENGANTAR|BAB\s+[IVXL]+\b.*|LAMPIRAN)")
# A line that starts a TOC entry (a wrapped title's second line does not).
_ENTRY_START = re.compile(r"^(BAB\s+[IVXL]+\b|\d+(\.\d+)*\.?\s|[A-Z]\.\s|KATA\s|DAFTAR\s|LAMPIRAN\b|ABSTRAK\b)")
_COLUMN_TITLE = re.compile(r"(Halaman|Hal\.?|Hlm\.?)", re.IGNORECASE)
_CENTERED = 10  # leading spaces of a centred heading in ``pdftotext -layout`` text


def toc_lines(lo_pdf_text: str) -> list[str]:
    """The entries of the DAFTAR ISI page(s), stripped, inner whitespace squashed: from
    the heading up to the next heading (DAFTAR TABEL, BAB I ...). A heading is told from
    a TOC entry of the same words by having no page number and by standing centred
    (``pdftotext -layout``) or at the top of a later page. Running headers (the
    heading again at the top of a page), footer page numbers and the "Halaman" column
    title are left out."""
    out: list[str] = []
    started = False
    for page_no, page in enumerate(lo_pdf_text.split("\f")):
        raw = [line.rstrip() for line in page.splitlines() if line.strip()]
        for i, line in enumerate(raw):
            text = re.sub(r"\s+", " ", line).strip()
            top, centred = i <= 1, len(line) - len(line.lstrip()) >= _CENTERED
            if not started:
                if _TOC_HEADING.fullmatch(text):
                    started, first_page = True, page_no
                continue
            heading = _NEXT_HEADING.fullmatch(text) and not _PAGE_NUMBER.search(text)
            if heading and (centred or (top and page_no > first_page)):
                return out
            if (top and _TOC_HEADING.fullmatch(text)) or _COLUMN_TITLE.fullmatch(text):
                continue
            if _PAGE_NUMBER_ALONE.fullmatch(text):
                continue  # the footer, or a number the extraction put on its own line
            out.append(text)
    return out


def toc_without_numbers(lo_pdf_text: str) -> list[str]:
    """The daftar isi lines that have a title but no page number at the end (give
    ``pdf_text(..., layout=True)``). A title wrapped over two lines counts as one entry
    when its last line has the number."""
    if not any(_TOC_HEADING.fullmatch(line.strip()) for line in lo_pdf_text.splitlines()):
        return ["no DAFTAR ISI heading in the text"]
    lines = toc_lines(lo_pdf_text)
    if not lines:
        return ["the DAFTAR ISI has no entries"]
    problems = []
    for i, line in enumerate(lines):
        if _PAGE_NUMBER.search(line):
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if following and _PAGE_NUMBER.search(following) and not _ENTRY_START.match(following):
            continue  # wrapped title: the number is on the next line
        problems.append(f'daftar isi line without a page number: "{line}"')
    return problems


def page_count_close(lo_pages: int, pdf_pages: int, tolerance: float = 0.15) -> list[str]:
    """The office suite's page count within ``tolerance`` of the PDF report's."""
    if pdf_pages <= 0:
        return [f"the PDF report has {pdf_pages} pages"]
    off = (lo_pages - pdf_pages) / pdf_pages
    if abs(off) <= tolerance:
        return []
    return [
        f"LibreOffice lays the DOCX out on {lo_pages} pages, the PDF report has {pdf_pages} "
        f"({off:+.0%}, allowed ±{tolerance:.0%})"
    ]
