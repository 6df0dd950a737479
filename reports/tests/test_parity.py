"""The PDF and the Word file say the same thing (issue 18).

Both are rendered from one document tree; this test reads both back — the PDF
with poppler (text and outline), the DOCX with python-docx — and compares, in
order, every heading, every caption and every table cell. A heading changed in
one renderer only (``reports.render_html`` or ``reports.render_docx``) fails it:
tried by hand, changing the chapter label in either renderer fails both checks.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from reports.services import report_docx_write, report_pdf_write
from reports.tests.conftest import build_plan
from skm.rules.ikm import WeightMode

HEADING_STYLES = {"Heading 1", "Heading 2", "Heading 3", "Heading 4", "Judul Lampiran", "Caption"}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def el_text(el) -> str:
    """The element's text, a line break read as a space."""
    return squash("".join((t.text or "") if t.tag == qn("w:t") else " " for t in el.iter(qn("w:t"), qn("w:br"))))


def docx_sequence(path: Path) -> tuple[list[str], list[str]]:
    """(headings, everything in order: headings, captions and table cells) of the DOCX."""
    document = docx.Document(str(path))
    headings, sequence = [], []
    for el in document.element.body:
        if el.tag == qn("w:p"):
            style = el.pPr.pStyle.val if el.pPr is not None and el.pPr.pStyle is not None else ""
            name = document.styles.get_by_id(style, 1).name if style else ""
            text = el_text(el)
            if name in HEADING_STYLES and text:
                sequence.append(text)
                if name != "Caption":
                    headings.append(text)
        elif el.tag == qn("w:tbl"):
            for tc in el.iter(qn("w:tc")):
                text = el_text(tc)
                if text:
                    sequence.append(text)
    return headings, sequence


def pdf_outline(path: Path) -> list[str]:
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout
    outline = xml[xml.find("<outline") :]
    return [
        squash(re.sub(r"<[^>]+>", "", m)).replace("&amp;", "&") for m in re.findall(r"<item[^>]*>(.*?)</item>", outline)
    ]


def pdf_words(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return squash(text)


def missing_in_order(expected: list[str], text: str) -> list[str]:
    """The expected strings not found after the previous one's position in ``text``."""
    missing, cursor = [], 0
    for item in expected:
        at = text.find(item, cursor)
        if at < 0:
            missing.append(item)
        else:
            cursor = at + len(item)
    return missing


@pytest.mark.parametrize(("pdf_kind", "docx_kind"), [("pdf_survey", "docx_survey"), ("pdf_followup", "docx_followup")])
def test_pdf_and_docx_say_the_same(unit, period, reference_responses, tmp_path, pdf_kind, docx_kind):
    build_plan(unit, period)
    pdf, word = tmp_path / "r.pdf", tmp_path / "r.docx"
    report_pdf_write(kind=pdf_kind, unit=unit, period=period, weight_mode=WeightMode.W0111, target=pdf)
    report_docx_write(kind=docx_kind, unit=unit, period=period, weight_mode=WeightMode.W0111, target=word)
    headings, sequence = docx_sequence(word)
    # The same headings, in the same order, as the PDF's outline.
    assert pdf_outline(pdf) == headings
    # Every heading, caption and table cell of the Word file in the PDF, in order.
    assert len(sequence) > 100
    assert missing_in_order(sequence, pdf_words(pdf)) == []
