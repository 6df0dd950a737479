"""The LHTL as units lay it out (issue 23): each layout option in the PDF and the Word
file, and the columns no item fills left out. Expected words are the seeds'."""

from __future__ import annotations

import re
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

from followup.models import EvidencePhoto, PlanItem, Realisation
from reports.layout import Bab3Layout, IntervalForm, ItemNumbering, LhtlLayout, Tabel1Values, TickMark
from reports.services import report_docx_write, report_pdf_write
from reports.services_layout import report_layout_save
from reports.tests.conftest import build_plan

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def lhtl(unit, period, tmp_path) -> tuple[str, str]:
    """(PDF text in drawing order, DOCX text: paragraphs and table cells in order), whitespace
    squashed; a line break reads as a space."""
    pdf, word = tmp_path / "lhtl.pdf", tmp_path / "lhtl.docx"
    report_pdf_write(kind="pdf_followup", unit=unit, period=period, target=pdf)
    report_docx_write(kind="docx_followup", unit=unit, period=period, target=word)
    pdf_text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout
    body = docx.Document(str(word)).element.body
    parts = []
    for el in body.iterchildren():
        if el.tag == qn("w:p"):
            parts.append(" ".join(t.text or "" for t in el.iter(qn("w:t"), qn("w:br"))))
        elif el.tag == qn("w:tbl"):
            for tr in el.iter(qn("w:tr")):
                parts.append(" ".join("".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.iter(qn("w:tc"))))
    return squash(pdf_text), squash(" ".join(parts))


def both(pdf: str, word: str, needle: str) -> bool:
    return needle in pdf and needle in word


def test_columns_no_item_fills_are_left_out(unit, period, reference_responses, tmp_path):
    """Seeds 000 and 003: no date column, no PJ and no quarter columns; nothing invented."""
    build_plan(unit, period, items_per_unsur=(1, 1), photos=0, realised=2)
    Realisation.objects.update(realised_on=None, challenges="")
    PlanItem.objects.update(responsible="", schedule=[])
    pdf, word = lhtl(unit, period, tmp_path)
    for text in (pdf, word):
        tabel2 = text[text.index("Tabel 2. Rencana Tindak Lanjut") :][:400]
        assert "Program/ Kegiatan" in tabel2
        assert "Waktu (Triwulan)" not in tabel2 and "Penanggung Jawab" not in tabel2 and "Tahun" not in tabel2
        tabel3 = text[text.index("Tabel 3. Realisasi Rencana Tindak Lanjut") :][:400]
        assert "Deskripsi Tindak Lanjut (Mohon Dijabarkan)" in tabel3
        assert "Tanggal, Bulan dan Tahun Realisasi" not in tabel3
        assert "Tantangan" not in tabel3 and "Dokumentasi" not in tabel3


def test_with_the_data_the_columns_are_there(unit, period, reference_responses, tmp_path):
    build_plan(unit, period, items_per_unsur=(1, 1), photos=1, realised=2)
    pdf, word = lhtl(unit, period, tmp_path)
    for text in (pdf, word):
        assert "Waktu (Triwulan)" in text and "Penanggung Jawab" in text
        assert "Tanggal, Bulan dan Tahun Realisasi" in text and "Dokumentasi Kegiatan" in text
        assert "Tantangan/ Hambatan" in text


def test_cover_title_names_and_year_as_the_unit_sets_them(unit, period, reference_responses, alice, tmp_path):
    """Seed 000: "Komisi Pemilihan Umum / Kabupaten Tangerang" on the cover, the short name in the
    text; seed 003: the title "... (SKM)" and no year line."""
    build_plan(unit, period, items_per_unsur=(1,), photos=0, realised=1)
    report_layout_save(
        unit=unit,
        layout=LhtlLayout(
            cover_title="Laporan Tindak Lanjut Hasil Survei Kepuasan Masyarakat (SKM)",
            cover_year=False,
            short_name="Kel. Pulutan",
            cover_name="Pemerintah Kota Salatiga / Kelurahan Pulutan",
        ),
        user=alice,
    )
    pdf, word = lhtl(unit, period, tmp_path)
    for text in (pdf, word):
        cover = text[: text.index("BAB I")]
        assert "LAPORAN TINDAK LANJUT HASIL SURVEI KEPUASAN MASYARAKAT (SKM)" in cover.upper()
        assert "PEMERINTAH KOTA SALATIGA KELURAHAN PULUTAN" in cover.upper()
        assert "KECAMATAN SIDOREJO" not in cover.upper()
        assert not re.search(r"\b20\d\d\s*$", cover.strip())  # no year line closes the cover
        assert "maka Kel. Pulutan perlu menyusun rencana tindak lanjut" in text
        assert "Kel. Pulutan telah menindaklanjuti rencana tindak lanjut" in text


def test_tabel_1_in_one_cell_flat_numbers_and_short_interval(unit, period, reference_responses, alice, tmp_path):
    """Seed 000's "3,53 / 88,21" cell; items numbered 1, 2, 3; seed 001's interval table."""
    build_plan(unit, period, items_per_unsur=(2, 1), photos=0, realised=3)
    report_layout_save(
        unit=unit,
        layout=LhtlLayout(combined_cell=True, numbering=ItemNumbering.FLAT, interval=IntervalForm.SHORT),
        user=alice,
    )
    pdf, word = lhtl(unit, period, tmp_path)
    for text in (pdf, word):
        # U1 of the reference survey: NRR 3,34 (167/50), converted 83,50.
        assert "U1. Persyaratan 3,34/83,50 B Baik" in text
        assert "NRR / Nilai Konversi" in text
        assert "1 Program Sarana dan Prasarana nomor 1" in text and "3 Program Waktu Penyelesaian nomor 1" in text
        assert "1.1 Program" not in text and "2.1 Program" not in text
        assert "1 1,00 - 2,59 25,00 - 64,99 D Tidak baik" in text
        assert "4 3,54 - 4,00 88,31 - 100,00 A Sangat baik" in text


def test_bab3_as_blocks_puts_each_items_photos_under_it(unit, period, reference_responses, alice, tmp_path):
    build_plan(unit, period, items_per_unsur=(1, 1), photos=2, realised=2)
    report_layout_save(unit=unit, layout=LhtlLayout(bab3=Bab3Layout.BLOCKS), user=alice)
    first = EvidencePhoto.objects.order_by("item__plan_unsur__order", "order").first()
    pdf, word = lhtl(unit, period, tmp_path)
    for text in (pdf, word):
        bab3 = text[text.index("Berdasarkan rencana tindak lanjut yang telah disusun") :]
        item1, item2 = bab3.index("Program Sarana dan Prasarana nomor 1"), bab3.index("Program Waktu Penyelesaian")
        photo1 = bab3.index(f"Gambar 1. {first.caption}")
        assert item1 < photo1 < item2  # the first item's photo under its own row
        assert "Dokumentasi Kegiatan Gambar" not in bab3  # no photo section after the blocks


def test_per_service_matrix_on_the_1_to_4_scale_with_a_mutu_row(unit, period, alice, tmp_path):
    """Seed 001: each service's IKM printed as 3,93, not 98,27, and a Mutu row under the matrix.
    Two services: all answers 4 (IKM 100,00 -> 4,00) and all answers 3 (75,00 -> 3,00)."""
    from surveys.services_tallies import tally_rebuild
    from surveys.tests.factories import ResponseFactory, ServiceFactory

    good, fair = ServiceFactory(unit=unit, name="Surat Pindah"), ServiceFactory(unit=unit, name="KTP")
    ResponseFactory.create_batch(3, unit=unit, period=period, service=good, **{f"U{i}": 4 for i in range(1, 10)})
    ResponseFactory.create_batch(3, unit=unit, period=period, service=fair, **{f"U{i}": 3 for i in range(1, 10)})
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)
    from reports.layout import MatrixScale

    report_layout_save(unit=unit, layout=LhtlLayout(matrix_scale=MatrixScale.NRR, matrix_mutu_row=True), user=alice)
    pdf, word = lhtl(unit, period, tmp_path)
    for text in (pdf, word):
        assert "IKM Layanan" in text  # seed 001's heading of the 1-4 column
        assert re.search(r"Surat Pindah 3 (4,00 ){9}4,00 A", text)
        assert re.search(r"KTP 3 (3,00 ){9}3,00 C", text)
        # Pooled: every unsur 3,50 (B), IKM 87,50 -> 3,50 on the 1-4 scale.
        assert re.search(r"Rata-rata IKM per Unsur 6 (3,50 ){9}3,50 B", text)
        assert re.search(r"Mutu Layanan (B ){9}B", text)
        # The mean of the two services' IKM: (100,00 + 75,00) / 2 = 87,50, band B.
        assert "Rata-rata IKM Layanan 87,50 (B atau Baik)" in text


def test_an_item_nobody_reported_on_yet_is_counted_as_not_realised(unit, period, reference_responses, tmp_path):
    """No Realisation row at all (the demo's state for new items): the conclusion still renders."""
    build_plan(unit, period, items_per_unsur=(2, 1), photos=0, realised=3)
    Realisation.objects.filter(item__order=2).delete()
    pdf, word = lhtl(unit, period, tmp_path)
    for text in (pdf, word):
        assert "sebanyak 66,67% (2 dari 3 RTL terealisasi)" in text  # 2 / 3 x 100, half-up
        assert "Masih terdapat 1 rencana tindak lanjut yang belum terealisasi." in text


def test_bab1_title_tabel2_caption_and_bab3_by_number_with_unsur(unit, period, reference_responses, alice, tmp_path):
    """Seed 003: "BAB I LATAR BELAKANG" with no section under it, its own Tabel 2 caption, and
    BAB III by number (the priority's number once, the RTL as 1.1, 1.2); seed 002: an Unsur column."""
    build_plan(unit, period, items_per_unsur=(2, 1), photos=0, realised=3)
    report_layout_save(
        unit=unit,
        layout=LhtlLayout(
            bab1_title="LATAR BELAKANG",
            tabel2_caption="Rencana Tindak Lanjut Hasil Survey Kepuasan Masyarakat Semester II Tahun 2024",
            bab3_by_number=True,
            bab3_unsur=True,
        ),
        user=alice,
    )
    pdf, word = lhtl(unit, period, tmp_path)
    for text in (pdf, word):
        assert "BAB I LATAR BELAKANG" in text and "A. Latar Belakang" not in text
        assert "Tabel 2. Rencana Tindak Lanjut Hasil Survey Kepuasan Masyarakat Semester II Tahun 2024" in text
        tabel3 = text[text.index("Tabel 3. Realisasi Rencana Tindak Lanjut") :]
        assert tabel3.startswith("Tabel 3. Realisasi Rencana Tindak Lanjut No Unsur Rencana Tindak Lanjut")
        # Priority 1 (U9) has items 1.1 and 1.2: its number once; priority 2 (U3) item 2.1.
        assert re.search(r"1 Sarana dan Prasarana 1\.1 Sudah .*? Sarana dan Prasarana 1\.2 Sudah", tabel3)
        assert re.search(r"2 Waktu Penyelesaian 2\.1 Sudah", tabel3)
        assert "Program Sarana dan Prasarana nomor 1 Sudah" not in tabel3  # the number only


def test_tabel_1_and_2_as_the_unit_words_and_orders_them(unit, period, reference_responses, alice, tmp_path):
    """Seed 002's Tabel 1 (caption, "Unsur | IKM | Mutu Layanan", the NRR only, the unit's own
    names) in seed 000's order (U9 before U8), and seed 002's Tabel 2 quarters ("Waktu" over
    "TW 1" ... "TW 4", ticked "V"). Reference survey: U9 156/50 = 3,12 (78,00, B), U1 167/50 = 3,34."""
    build_plan(unit, period, items_per_unsur=(1,), photos=0, realised=1)
    report_layout_save(
        unit=unit,
        layout=LhtlLayout(
            tabel1_caption="Ringkasan Hasil SKM Periode 1 Juli s.d 31 Desember 2024",
            tabel1_values=Tabel1Values.NRR,
            tabel1_unsur_header="Unsur",
            tabel1_value_header="IKM",
            tabel1_mutu_header="Mutu Layanan",
            unsur_labels=(("U1", "Persyaratan Pelayanan"), ("U9", "Sarana")),
            tabel1_order=("U9", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8"),
            quarter_header="Waktu",
            quarter_labels=("TW 1", "TW 2", "TW 3", "TW 4"),
            tick=TickMark.V,
        ),
        user=alice,
    )
    pdf, word = lhtl(unit, period, tmp_path)
    for text in (pdf, word):
        tabel1 = text[text.index("Tabel 1. Ringkasan Hasil SKM Periode 1 Juli s.d 31 Desember 2024") :]
        tabel1 = tabel1[: tabel1.index("Tabel 2.")]
        assert "No Unsur IKM Mutu Layanan Kinerja" in tabel1
        assert "1 Sarana 3,12 B Baik 2 Persyaratan Pelayanan 3,34 B Baik 3 U2. Sistem" in tabel1
        assert "83,50" not in tabel1 and "Nilai Konversi" not in tabel1 and "U1. Persyaratan" not in tabel1
        tabel2 = text[text.index("Tabel 2.") :][:600]
        assert "TW 1" in tabel2 and "TW 4" in tabel2 and "Waktu (Triwulan)" not in tabel2
        assert "V 2024" in tabel2 and "✓" not in tabel2
