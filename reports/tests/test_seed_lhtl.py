"""The LHTL of each of the four seeds (issue 23), read back from the PDF and the DOCX.

Each case is built from data kept in the repository (``reports/tests/seeds``) through
the product's services, the way the unit would do it today. Every element the seed
prints must be found, in the seed's order, in the PDF text (``pdftotext -raw``, the
content stream's order, whitespace squashed) and in the DOCX (python-docx: paragraphs
and table cells in body order, line breaks as spaces, "all caps" runs in capitals).

Elements the product cannot print yet are listed per seed in ``KNOWN_GAPS`` with a
reason; each of them must still be missing, so the list shrinks as the product grows.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from reports.services import report_docx_write, report_pdf_write
from reports.tests.seeds.build import SEEDS, build_case, seed_elements, seed_module
from reports.tests.seeds.spec import E, known_gap

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # A line broken after a hyphen inside a word ("bagian-" / "bagian") is where the layout
    # wrapped, not a space the unit typed.
    out = re.sub(r"(\w)-\n(\w)", r"\1-\2", out)
    return squash(out)


def docx_text(path) -> str:
    """Paragraphs and table cells in body order (a merged cell once)."""
    import docx
    from docx.oxml.ns import qn

    def run_text(r) -> str:
        rpr = r.find(qn("w:rPr"))
        caps = rpr is not None and rpr.find(qn("w:caps")) is not None
        if caps and rpr.find(qn("w:caps")).get(qn("w:val"), "true") in ("0", "false"):
            caps = False
        parts = []
        for c in r.iterchildren():
            if c.tag == qn("w:t"):
                parts.append((c.text or "").upper() if caps else (c.text or ""))
            elif c.tag in (qn("w:br"), qn("w:cr"), qn("w:tab")):
                parts.append(" ")
        return "".join(parts)

    chunks: list[str] = []

    def walk(el) -> None:
        for child in el.iterchildren():
            if child.tag == qn("w:p"):
                chunks.append("".join(run_text(r) for r in child.iter(qn("w:r"))))
            elif child.tag == qn("w:tbl"):
                for tr in child.iterchildren(qn("w:tr")):
                    for tc in tr.iterchildren(qn("w:tc")):
                        walk(tc)
            elif child.tag == qn("w:sdt"):
                for content in child.iterchildren(qn("w:sdtContent")):
                    walk(content)

    walk(docx.Document(str(path)).element.body)
    return squash(" ".join(chunks))


def in_order(text: str, elements: list[str]) -> int:
    """How many of ``elements`` are found one after the other (earliest match each);
    ``len(elements)`` when all are. Earliest matching finds a subsequence if one exists."""
    pos = 0
    for n, e in enumerate(elements):
        i = text.find(squash(e), pos)
        if i < 0:
            return n
        pos = i + len(squash(e))
    return len(elements)


def check(text: str, seed: str, fmt: str) -> None:
    module = seed_module(seed)
    elements: list[E] = [e for e in module.SEED.elements if not e.doubtful]
    assert [e.text for e in elements] == seed_elements(seed)
    if fmt == "DOCX":
        # A header row the seed repeats on its next page is one row in the Word file, marked
        # to repeat (w:tblHeader): the office suite draws it again where the table breaks.
        elements = [e for e in elements if "header repeated" not in e.where]
    gaps = module.KNOWN_GAPS
    required = [e for e in elements if known_gap(gaps, e) is None]
    found = in_order(text, [e.text for e in required])
    if found < len(required):
        e = required[found]
        pytest.fail(f"{fmt}: {found}/{len(required)} in order; next not found: {e.text!r} ({e.where})")
    # Every listed gap is still missing: putting it back in its place breaks the order.
    stale = []
    for i, e in enumerate(elements):
        if known_gap(gaps, e) is None:
            continue
        trial = [x.text for x in elements[: i + 1] if known_gap(gaps, x) is None or x is e]
        trial += [x.text for x in elements[i + 1 :] if known_gap(gaps, x) is None]
        if in_order(text, trial) == len(trial):
            stale.append(f"{e.text!r} ({e.where})")
    assert not stale, f"{fmt}: now printed, remove from KNOWN_GAPS: {stale}"


@pytest.mark.parametrize("seed", SEEDS)
def test_known_gaps_name_elements_of_the_seed(seed):
    module = seed_module(seed)
    for key, reason in module.KNOWN_GAPS.items():
        text, where = (key, "") if isinstance(key, str) else key
        assert reason.strip(), key
        assert any(e.text == text and where in e.where for e in module.SEED.elements if not e.doubtful), key


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_lhtl_prints_every_element_in_order(seed, tmp_path):
    case = build_case(seed)
    pdf = tmp_path / "lhtl.pdf"
    report_pdf_write(kind="pdf_followup", unit=case.unit, period=case.period, target=pdf)
    check(pdf_text(pdf), seed, "PDF")
    if pages := os.environ.get("SKM_SEED_PAGES"):  # the README's images: pages 1-3 of each seed's LHTL
        subprocess.run(
            ["pdftoppm", "-png", "-r", "45", "-f", "1", "-l", "3", str(pdf), f"{pages}/seed-{seed}"], check=True
        )
    out = tmp_path / "lhtl.docx"
    report_docx_write(kind="docx_followup", unit=case.unit, period=case.period, target=out)
    check(docx_text(out), seed, "DOCX")
