"""Both Word reports of the reference survey as an office suite lays them out.

Each DOCX is converted with LibreOffice headless (reports/tests/office.py) and checked
against the WeasyPrint PDF of the same report: the page count within ±15 %, the daftar
isi lines carrying page numbers (Laporan SKM), and no table header word broken across
lines. On failure the pages are saved as PNG under the test's tmp dir, whose path the
failure message gives."""

import time

import pytest

from reports.services import report_docx_write, report_pdf_write
from reports.tests.office import (
    broken_words,
    docx_header_words,
    docx_to_pdf,
    page_count_close,
    pdf_page_count,
    pdf_page_pngs,
    pdf_text,
    toc_without_numbers,
)
from skm.rules.ikm import WeightMode

pytestmark = pytest.mark.django_db


def office_problems(unit, period, tmp_path, *, name: str, toc: bool) -> list[str]:
    docx_path = tmp_path / f"{name}.docx"
    report_docx_write(kind=f"docx_{name}", unit=unit, period=period, weight_mode=WeightMode.EXACT, target=docx_path)
    pdf_path = tmp_path / f"{name}.pdf"
    report_pdf_write(kind=f"pdf_{name}", unit=unit, period=period, weight_mode=WeightMode.EXACT, target=pdf_path)

    started = time.perf_counter()
    lo_pdf = docx_to_pdf(docx_path, tmp_path / "libreoffice")
    print(f"LibreOffice converted {docx_path.name} in {time.perf_counter() - started:.1f} s")

    lo_pages, pdf_pages = pdf_page_count(lo_pdf), pdf_page_count(pdf_path)
    problems = page_count_close(lo_pages, pdf_pages)
    if toc:
        problems += toc_without_numbers(pdf_text(lo_pdf, layout=True))
    problems += broken_words(docx_header_words(docx_path), pdf_text(lo_pdf))
    if problems:
        pngs = pdf_page_pngs(lo_pdf, tmp_path / f"{name}-pages")
        problems.append(f"LibreOffice's {lo_pages} pages as PNG: {pngs[0].parent if pngs else '(none)'}")
    return problems


def test_survey_docx_in_libreoffice(unit, period, report_plan, tmp_path):
    problems = office_problems(unit, period, tmp_path, name="survey", toc=True)
    assert not problems, "Laporan SKM (DOCX) in LibreOffice:\n" + "\n".join(problems)


def test_followup_docx_in_libreoffice(unit, period, report_plan, tmp_path):
    problems = office_problems(unit, period, tmp_path, name="followup", toc=False)
    assert not problems, "Laporan Hasil Tindak Lanjut (DOCX) in LibreOffice:\n" + "\n".join(problems)
