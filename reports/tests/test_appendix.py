"""The per-respondent appendix of the Laporan SKM (issue 13, item 4): ruled
pre-formatted lines with labels, never codes; the daftar isi stays right."""

import re
import subprocess

import pytest

from reports.appendix import respondent_table
from reports.services import report_pdf_write
from surveys.tests.factories import ResponseFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def page_texts(path, *, layout=False) -> list[str]:
    """The text of every page (pdftotext separates pages with a form feed)."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


# ------------------------------------------------------------ the lines, by hand


def test_lines_are_padded_columns_with_labels():
    rows = [
        (1234, "KTP", "P", 45, "DIPLOMA", "PELAJAR", 4, 3, 2, 1, 4, 3, 2, 1, None),
        (None, None, "L", None, "SD", "LAINNYA", 3, 3, 3, 3, 3, 3, 3, 3, 3),
    ]
    table = respondent_table(rows)
    assert [c.header for c in table.columns] == [
        "No", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", "Jenis Layanan",
        "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9",
    ]  # fmt: skip
    # Widths: No "1.234" 5; "Perempuan" 9; Usia floor 4; "Diploma (D1-D4)" 15;
    # "Pelajar/Mahasiswa" 17; jenis layanan floor 8; answers 1. Each column has one space each side.
    assert [c.width for c in table.columns] == [5, 9, 4, 15, 17, 8] + [1] * 9
    assert table.rows[0] == (
        " 1.234 "
        " Perempuan "
        "   45 "
        " Diploma (D1-D4) "
        " Pelajar/Mahasiswa "
        " KTP      "
        " 4  3  2  1  4  3  2  1"  # U9 blank: trailing spaces dropped
    )
    # No number: the row's position; no age and no jenis layanan: blank.
    assert table.rows[1] == (
        "     2  Laki-laki        SD               Lainnya                      3  3  3  3  3  3  3  3  3"
    )
    # Rules between columns: after 7, 18, 24, 41, 60, 70 characters, then every 3.
    assert table.rule_positions == [7, 18, 24, 41, 60, 70, 73, 76, 79, 82, 85, 88, 91, 94]
    assert table.total_chars == 97


def test_service_column_only_when_someone_has_one_and_long_names_wrap():
    no_service = respondent_table([(1, None, "L", 30, "SMA", "PNS", *[3] * 9)])
    assert "Jenis Layanan" not in [c.header for c in no_service.columns]
    name = "Surat Keterangan Tidak Mampu untuk Keringanan Biaya Pendidikan"
    table = respondent_table([(1, name, "L", 30, "SMA", "PNS", *[3] * 9)])
    service = table.columns[5]
    # 103 characters per line: 103 - (2+2 + 9+2 + 4+2 + 6+2 + 13+2 + 9x3) - 2 = 30.
    assert service.width == 30
    lines = table.rows[0].split("\n")
    assert len(lines) == 3
    assert "Surat Keterangan Tidak Mampu " in lines[0] and "Laki-laki" in lines[0]
    assert lines[1].strip() == "untuk Keringanan Biaya"
    assert lines[2].strip() == "Pendidikan"
    assert max(len(line) for line in lines) <= 103


# ------------------------------------------------------------ the rendered PDF


@pytest.fixture
def appendix_unit(unit, period):
    long_name = ServiceFactory(unit=unit, name="Administrasi Kependudukan")
    short = ServiceFactory(unit=unit, name="Surat Pindah")
    ResponseFactory(
        unit=unit, period=period, number=1001, service=long_name, gender="P", age=45,
        education="DIPLOMA", occupation="PELAJAR", U1=4, U2=3, U3=2, U4=1, U5=4, U6=3, U7=2, U8=1, U9=4,
    )  # fmt: skip
    ResponseFactory(
        unit=unit, period=period, number=1002, service=short, gender="L", age=62,
        education="STRATA", occupation="WIRAUSAHA",
    )  # fmt: skip
    return unit


def test_pdf_appendix_prints_labels_and_formatted_numbers(appendix_unit, period, tmp_path):
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=appendix_unit, period=period, target=out)
    pages = page_texts(out, layout=True)
    start = next(
        i for i, t in enumerate(pages) if "Data per Responden dan per Unsur Layanan" in t and "DAFTAR" not in t
    )
    text = pages[start]
    assert re.search(
        r"1\.001\s+Perempuan\s+45\s+Diploma \(D1-D4\)\s+Pelajar/Mahasiswa\s+Administrasi\s+"
        r"4\s+3\s+2\s+1\s+4\s+3\s+2\s+1\s+4\n\s+Kependudukan\n",
        text,
    ), text  # 14 characters are left for the jenis layanan on an A4 line: the name wraps
    assert re.search(r"1\.002\s+Laki-laki\s+62\s+Strata \(S1-S3\)\s+Wiraswasta\s+Surat Pindah\s+(3\s+){8}3", text)
    for code in ("DIPLOMA", "PELAJAR", "STRATA", "WIRAUSAHA"):
        assert code not in text
    # Totals below: U1 4 + 3 = 7, U2 3 + 3 = 6.
    assert re.search(r"Σ Nilai\s+7\s+6\s+5\s+4\s+7\s+6\s+5\s+4\s+7", text)


def test_daftar_isi_matches_the_pages_where_chapters_start(reference_responses, unit, period, tmp_path):
    """Seed 004's page scheme: each chapter numbered "I - 1" from its own first page,
    the appendix "L - 1"; the daftar isi prints the page of the heading's footer."""
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out)
    pages = page_texts(out)
    toc = next(t for t in page_texts(out, layout=True) if t.lstrip().startswith("DAFTAR ISI"))
    # The dotted leader is a rule, not text: the title, spaces, then "I - 1".
    entries = dict(re.findall(r"^\s*(BAB [IV]+ [^.\n]*?|LAMPIRAN)\s+([IVL]+ ?- ?\d+)\s*$", toc, flags=re.M))
    assert len(entries) == 6, toc  # BAB I-V and LAMPIRAN

    def footer(page_text: str) -> str:
        return re.sub(r"\s+", " ", page_text.strip().splitlines()[-1])

    for roman in ("I", "II", "III", "IV", "V"):
        (title,) = [k for k in entries if k.startswith(f"BAB {roman} ")]
        page = next(t for t in pages if re.search(rf"^BAB {roman}\n", t, flags=re.M) and "DAFTAR ISI" not in t)
        printed = re.sub(r"\s+", " ", entries[title].replace("-", " - "))
        assert printed == f"{roman} - 1", (title, printed)
        assert footer(page).replace("-", " - ").split() == [roman, "-", "1"], footer(page)
    data_entry = re.search(r"Data per Responden dan per Unsur Layanan\s+(L ?- ?\d+)", toc)
    data_page = next(t for t in pages if "Data per Responden dan per Unsur Layanan" in t and "DAFTAR ISI" not in t)
    assert re.sub(r"\s+", "", data_entry.group(1)) == re.sub(r"\s+", "", footer(data_page))
