"""The office-suite checks (reports/tests/office.py) on small documents made here with
python-docx and converted with the real LibreOffice, and on plain text."""

import shutil

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports.tests import office
from reports.tests.office import (
    broken_words,
    docx_header_words,
    docx_to_pdf,
    page_count_close,
    pdf_page_count,
    pdf_page_pngs,
    pdf_text,
    toc_lines,
    toc_without_numbers,
)


def mark_header(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    trPr.append(OxmlElement("w:tblHeader"))


def fixed_table(document, widths_cm, rows):
    table = document.add_table(rows=len(rows), cols=len(widths_cm))
    table.style = "Table Grid"
    table.autofit = False  # w:tblLayout fixed: the office suite keeps the widths
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    return table


def tables_docx(path):
    """A table whose 0,9 cm first column holds neither "Menjawab" nor "Nilai", its two
    header rows marked as repeated header; a table without a marked
    header row (its first row counts); the broken word also whole in a body cell."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    narrow = fixed_table(
        document,
        [0.9, 5.0, 5.0],
        [
            ["Menjawab", "Persentase", "Keterangan"],
            ["Nilai", "Jumlah (%)", "Kinerja Unit"],
            ["50", "Menjawab", "Baik"],
        ],
    )
    mark_header(narrow.rows[0])
    mark_header(narrow.rows[1])
    document.add_paragraph("Paragraf di antara dua tabel.")
    fixed_table(document, [4.0, 8.0], [["Periode", "Responden Tertimbang"], ["Semester II", "Pendidikan"]])
    document.save(path)
    return path


def add_field(paragraph, instruction: str, shown: str) -> None:
    """A complex field (begin, instruction, separate, shown result, end)."""

    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def toc_entry(document, title: str):
    paragraph = document.add_paragraph(title)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(15.5), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    return paragraph


def bookmarked_heading(document, text: str, name: str) -> None:
    heading = document.add_heading("", level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "7")
    start.set(qn("w:name"), name)
    heading._p.append(start)
    heading.add_run(text)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), "7")
    heading._p.append(end)


def toc_docx(path):
    """DAFTAR ISI on page 1: an entry whose number is a PAGEREF field to a bookmark on
    page 3 (the field's stored result says 99: LibreOffice computes it on layout), an
    entry without a number; DAFTAR TABEL on page 2, BAB I on page 3."""
    document = docx.Document()
    title = document.add_heading("DAFTAR ISI", level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    entry = toc_entry(document, "1.1. Latar Belakang")
    entry.add_run("\t")
    add_field(entry, "PAGEREF _Toc_bab1 \\h", "99")
    toc_entry(document, "1.2. Maksud dan Tujuan")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    tables = document.add_heading("DAFTAR TABEL", level=1)
    tables.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Tabel I.1 Jadwal")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    bookmarked_heading(document, "BAB I PENDAHULUAN", "_Toc_bab1")
    document.add_paragraph("1.1. Latar Belakang")
    document.save(path)
    return path


# ------------------------------------------------------ with LibreOffice


def test_a_too_narrow_header_column_breaks_its_word_and_is_reported(tmp_path):
    path = tables_docx(tmp_path / "tables.docx")
    words = docx_header_words(path)
    # Both marked header rows of the first table, the first row of the second; no body row.
    assert words == ["Menjawab", "Persentase", "Keterangan", "Nilai", "Jumlah", "Kinerja", "Unit"] + [
        "Periode",
        "Responden",
        "Tertimbang",
    ]
    lo_pdf = docx_to_pdf(path, tmp_path / "lo")
    text = pdf_text(lo_pdf)
    assert "Menjawab" in text.split(), "whole in its 5 cm body cell"
    problems = broken_words(words, text)
    assert len(problems) == 2, problems
    assert problems[0].startswith('header word "Menjawab" is broken: printed as "M'), problems
    assert problems[1].startswith('header word "Nilai" is broken: printed as "N'), problems
    assert pdf_page_count(lo_pdf) == 1
    pngs = pdf_page_pngs(lo_pdf, tmp_path / "png")
    assert [p.name for p in pngs] == ["page-1.png"]


def test_toc_pageref_gets_its_number_from_libreoffice_and_a_bare_line_is_reported(tmp_path):
    lo_pdf = docx_to_pdf(toc_docx(tmp_path / "toc.docx"), tmp_path / "lo")
    assert pdf_page_count(lo_pdf) == 3
    text = pdf_text(lo_pdf, layout=True)
    lines = toc_lines(text)
    assert len(lines) == 2, lines
    assert lines[0].startswith("1.1. Latar Belakang") and lines[0].endswith(" 3"), lines
    assert lines[1] == "1.2. Maksud dan Tujuan"
    assert toc_without_numbers(text) == ['daftar isi line without a page number: "1.2. Maksud dan Tujuan"']


def test_a_failed_conversion_says_why(tmp_path):
    office.soffice_path()  # skip here, not below, when LibreOffice is missing
    with pytest.raises(
        pytest.fail.Exception, match=r"(?s)did not convert missing\.docx.*stderr: .*could not be loaded"
    ):
        docx_to_pdf(tmp_path / "missing.docx", tmp_path / "lo")


# ------------------------------------------------------ text only


def test_missing_soffice_skips_locally_and_fails_under_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="libreoffice-writer-nogui"):
        office.soffice_path()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        office.soffice_path()


def test_header_words_come_from_marked_rows_else_the_first(tmp_path):
    document = docx.Document()
    table = fixed_table(document, [3, 3], [["Unsur", "Nilai"], ["Jumlah Nilai", "NRR"], ["U1", "3,34"]])
    mark_header(table.rows[1])
    fixed_table(document, [3, 3], [["No.", "Pekerjaan/Profesi"], ["1", "Petani"]])
    document.save(tmp_path / "h.docx")
    assert docx_header_words(tmp_path / "h.docx") == ["Jumlah", "Nilai", "NRR", "No", "Pekerjaan", "Profesi"]


def test_broken_words_skips_short_words_and_names_missing_ones():
    words = ["NRR", "U1", "Menjawab", "Tertimbang", "Kinerja", "Mutu"]
    text = "No Unsur Menjaw\nab NRR Tertimbang\n... Kinerja Mu\ntu\nMenjawab"
    assert broken_words(words, text) == [
        'header word "Menjawab" is broken: printed as "Menjaw ab"',
        'header word "Mutu" is broken: printed as "Mu tu"',
    ]
    # A cell's second line read after the first lines of the cells to its right.
    assert broken_words(["Menjawab"], "M Persentase Keterangan\nen\nja\nw\nab Menjawab") == [
        'header word "Menjawab" is broken: printed as "M en ja w ab"'
    ]
    assert broken_words(["Perempuan"], "Laki-laki") == ['header word "Perempuan" is not in the text at all']
    assert broken_words(["Jenis", "Kelamin"], "Jenis-\nKelamin") == []


def test_toc_numbers_in_the_seed_styles():
    text = "\n".join(
        [
            "                    DAFTAR ISI",
            "KATA PENGANTAR ........................................ i",
            "DAFTAR ISI ............................................ ii",
            "BAB I PENDAHULUAN ................................. I - 1",
            "   1.1. Latar Belakang .............................. I-1",
            "   1.2. Survei Kepuasan Masyarakat Semester II Tahun 2024",
            "        pada Unit Layanan Kelurahan Pulutan .......... I - 2",
            "   1.3. Maksud dan Tujuan Tahun 2024",
            "BAB II PENGUMPULAN DATA                                 4",
            "LAMPIRAN",
            "                                 ii",
            "\f                DAFTAR TABEL",
            "Tabel I.1 Jadwal                                        5",
        ]
    )
    assert toc_without_numbers(text) == [
        'daftar isi line without a page number: "1.3. Maksud dan Tujuan Tahun 2024"',
        'daftar isi line without a page number: "LAMPIRAN"',
    ]
    # A centred heading on the same page ends the daftar isi too.
    same_page = "      DAFTAR ISI\nBAB I PENDAHULUAN ..... 1\n          DAFTAR GAMBAR\nGambar 1 Tren"
    assert toc_without_numbers(same_page) == []
    assert toc_without_numbers("KATA PENGANTAR\n") == ["no DAFTAR ISI heading in the text"]


def test_page_count_close():
    assert page_count_close(20, 20) == []
    assert page_count_close(23, 20) == []
    assert page_count_close(17, 20) == []
    assert page_count_close(7, 6) == [
        "LibreOffice lays the DOCX out on 7 pages, the PDF report has 6 (+17%, allowed ±15%)"
    ]
    assert page_count_close(12, 20, tolerance=0.5) == []
    assert page_count_close(16, 20) == [
        "LibreOffice lays the DOCX out on 16 pages, the PDF report has 20 (-20%, allowed ±15%)"
    ]


def test_real_words_in_a_row_are_not_a_broken_word():
    """LibreOffice's text of Tabel 3 holds "di", "Tindak", "Lanjut" near each other and
    "Ditindaklanjuti" whole: nothing is broken (a false alarm seen on the LHTL)."""
    text = "Rencana Tindak Lanjut Apakah RTL Telah Ditindaklanjuti (Sudah/Belum) dilaksanakan di Tindak Lanjut I"
    assert office.broken_words(["Ditindaklanjuti"], text) == []
    assert office.broken_words(["Ditindaklanjuti"], "Apakah RTL Telah Ditindak lanjuti") != []
