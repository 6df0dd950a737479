"""Both reports as Word documents, read back with python-docx.

Expected values: surveys/tests/data/pulutan-2024-s2.expected.json (hand arithmetic, copied
from shared/reference) and seed 004, as in test_reports.py: U1 NRR 3,34 -> 83,50; U9
156/50 = 3,12 -> 78,00; IKM 86,11 with weight 1/9 and 86,03 with 0,111; 18 L / 32 P."""

import datetime as dt
import re
from types import SimpleNamespace

import docx
import pytest
from docx.oxml.ns import qn

from reports import document as tree
from reports.build import text_blocks
from reports.context import followup_context, survey_context
from reports.render_docx import document_docx_write
from reports.services import report_docx_write
from skm.rules.ikm import WeightMode
from skm.rules.textblocks import BlockKind, TextBlock, parse_blocks
from surveys.models import Response

pytestmark = pytest.mark.django_db

SURVEY_CHAPTERS = [
    "KATA PENGANTAR",
    "DAFTAR ISI",
    "DAFTAR TABEL",
    "DAFTAR GAMBAR",
    "BAB I PENDAHULUAN",
    "BAB II PENGUMPULAN DATA SURVEI KEPUASAN MASYARAKAT",
    "BAB III HASIL PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT",
    "BAB IV ANALISIS HASIL SURVEI KEPUASAN MASYARAKAT",
    "BAB V KESIMPULAN",
    "LAMPIRAN",
]
SURVEY_SECTIONS = [
    "1.1. Latar Belakang",
    "1.2. Dasar Pelaksanaan Survei Kepuasan Masyarakat",
    "1.3. Maksud dan Tujuan",
    "2.1. Pelaksanaan Survei Kepuasan Masyarakat",
    "2.2. Metodologi Pengumpulan Data",
    "2.3. Lokasi Pengumpulan Data",
    "2.4. Waktu Pelaksanaan Survei Kepuasan Masyarakat",
    "2.5. Penentuan Jumlah Responden",
    "3.1. Jumlah dan Profil Responden",
    "3.2. Penilaian per Unsur Layanan",
    "3.3. Indeks Kepuasan Masyarakat",
    "4.1. Analisis Permasalahan Unsur Layanan",
    "4.2. Rencana Tindak Lanjut",
    "4.3. Tren Nilai Survei Kepuasan Masyarakat",
]
FOLLOWUP_CHAPTERS = [
    "BAB I PENDAHULUAN",
    "BAB II DESKRIPSI RENCANA TINDAK LANJUT",
    "BAB III REALISASI RENCANA TINDAK LANJUT",
    "BAB IV KESIMPULAN",
]
STAFF_TEXT = "<b>tebal</b> =SUM(1) &amp; @cmd"


def comma(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def lampiran(document) -> list[str]:
    return [re.sub(r"\s+", " ", p.text).strip() for p in document.paragraphs if p.style.name == "Judul Lampiran"]


def headings(document, level: int) -> list[str]:
    return [re.sub(r"\s+", " ", p.text).strip() for p in document.paragraphs if p.style.name == f"Heading {level}"]


def body_text(document) -> str:
    """Every paragraph and every table cell, in document order, whitespace squashed."""
    parts = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            parts.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            for tr in block.iter(qn("w:tr")):
                parts.append(" ".join("".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.iter(qn("w:tc"))))
    return re.sub(r"\s+", " ", " ".join(parts))


def rows_of(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def find_table(document, first_header: str, column: int = 0):
    for table in document.tables:
        if table.rows[0].cells[column].text == first_header:
            return table
    raise AssertionError(f"no table starting with {first_header!r}")


def write_survey(unit, period, tmp_path, weight_mode=WeightMode.EXACT, name="s.docx", **extra):
    out = tmp_path / name
    report_docx_write(kind="docx_survey", unit=unit, period=period, weight_mode=weight_mode, target=out, **extra)
    return docx.Document(str(out))


def write_followup(unit, period, tmp_path, weight_mode=WeightMode.EXACT):
    out = tmp_path / "f.docx"
    report_docx_write(kind="docx_followup", unit=unit, period=period, weight_mode=weight_mode, target=out)
    return docx.Document(str(out))


# ------------------------------------------------------------- Laporan SKM


def test_survey_docx_chapters_sections_and_numbers(unit, period, report_plan, reference_expected, tmp_path):
    document = write_survey(unit, period, tmp_path)
    assert headings(document, 1) == SURVEY_CHAPTERS
    assert [h for h in headings(document, 2) if h[:1].isdigit()] == SURVEY_SECTIONS
    assert lampiran(document) == [
        "Kuesioner Survei Kepuasan Masyarakat Semester II Tahun 2024 pada Unit Layanan Kelurahan Pulutan",
        "Data per Responden dan per Unsur Layanan",
        "Saran dan Masukan Responden",
    ]
    # Tabel III.(profile + 11): one row per unsur from the expected file, then the IKM (weight 1/9).
    summary = find_table(document, "Unsur Layanan", column=1)
    rows = rows_of(summary)
    assert rows[0] == [
        "No",
        "Unsur Layanan",
        "Jumlah Nilai",
        "Menjawab",
        "NRR",
        "NRR Tertimbang",
        "Nilai Konversi",
        "Mutu",
        "Kinerja",
    ]
    for row, u in zip(rows[1:10], reference_expected["unsur"], strict=True):
        assert row[1] == f"{u['code']}. {u['name']}"
        assert row[2] == str(u["total"]) and row[3] == str(u["answered"])
        assert row[4] == comma(u["nrr"]) and row[6] == comma(u["converted"])
        assert row[7:] == [u["grade"], u["label"]]
    assert rows[1][5] == "0,371"  # U1 weighted: 3,34 x 1/9 = 0,37111..., 3 decimals as seed 004
    ikm = reference_expected["weights"]["exact"]
    assert rows[10][1] == "IKM Unit Layanan" and rows[10][6:] == [comma(ikm["ikm"]), ikm["grade"], ikm["label"]]
    text = body_text(document)
    assert "U1. Persyaratan 167 50 3,34 0,371 83,50 B Baik" in text
    assert "IKM Unit Layanan 86,11 B Baik" in text
    assert "50 (lima puluh) responden" in text
    # Profile (seed 004 Tabel III.1: 18 L / 32 P) and the U9 distribution (7 / 30 / 13).
    assert "Laki-laki 18 36,00%" in text and "Perempuan 32 64,00%" in text
    assert "Cukup 2 7 14,00%" in text and "Baik 3 30 60,00%" in text and "Menjawab 50 100,00%" in text
    assert "Sarana dan Prasarana (NRR 3,12, Baik)" in text
    # Per-respondent appendix totals (seed 004) and the plan's RTL table.
    assert "Σ Nilai 167 171 166 200 167 166 176 181 156" in text
    # The appendix prints labels, not codes: respondent 1 of the reference file is
    # "P, 57" (the fixture stores gender and age only) and answers 4 3 3 4 4 3 3 4 3.
    appendix = rows_of(find_table(document, "Jenis Kelamin", column=1))
    assert appendix[0][:5] == ["No", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan"]
    assert appendix[1] == ["1", "Perempuan", "57", "", "", *"433443343"]
    rtl = find_table(document, "Prioritas Unsur", column=1)
    # The TW I-IV tick grid, as the LHTL's Tabel 2: 2024 TW 4, then 2025 TW 1 and TW 2.
    plan_rows = rows_of(rtl)
    assert plan_rows[2][:4] == ["1", "Sarana dan Prasarana", "3,12", "1.1 Program Sarana dan Prasarana nomor 1"]
    assert plan_rows[2][4:9] == ["", "", "", "✓", "2024"]
    assert plan_rows[3][4:9] == ["✓", "✓", "", "", "2025"]


def test_survey_docx_weight_0111_and_caption_numbers(unit, period, reference_responses, tmp_path):
    document = write_survey(unit, period, tmp_path, weight_mode=WeightMode.W0111)
    text = body_text(document)
    assert "IKM Unit Layanan 86,03 B Baik" in text
    assert "U1. Persyaratan 167 50 3,34 0,371 83,50 B Baik" in text  # 3,34 x 0,111 = 0,37074
    captions = [p.text.replace("\n", " ") for p in document.paragraphs if p.style.name == "Caption"]
    # Five profile tables (III.1-III.5, as test_reports.py), nine distributions (III.6-III.14),
    # then the interval table and the per-unsur table.
    assert "Tabel III.1 Jenis Kelamin Responden" in captions
    assert "Tabel III.5 Disabilitas Responden" in captions
    assert "Tabel III.6 Penilaian Unsur Persyaratan (U1)" in captions
    assert "Tabel III.14 Penilaian Unsur Sarana dan Prasarana (U9)" in captions
    assert "Tabel III.15 Interval Kategori Penilaian" in captions
    assert "Tabel III.16 Hasil Perhitungan Indeks Kepuasan Masyarakat per Unsur Layanan" in captions
    assert "Gambar III.1 Grafik Nilai per Unsur Layanan" in captions


def test_survey_docx_has_the_chart_and_the_signature(unit, period, reference_responses, tmp_path):
    document = write_survey(unit, period, tmp_path)
    # One period only: the per-unsur chart, no trend chart (as in the PDF).
    assert len(document.inline_shapes) == 1
    blob = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[blob].blob.startswith(b"\x89PNG")
    text = body_text(document)
    # The signature block after the kata pengantar and after BAB V.
    signature = "Lurah Pulutan Budi Santoso, S.STP Penata Tk. I (III/d) NIP. 198001012005011001"
    assert text.count(signature) == 2
    assert re.search(r"Salatiga, \d{1,2} [A-Z][a-z]+ \d{4} " + re.escape(signature), text)
    name = next(p for p in document.paragraphs if p.text == "Budi Santoso, S.STP")
    assert name.runs[0].bold and name.runs[0].underline


def test_survey_docx_dates_are_indonesian(unit, period, reference_responses, tmp_path):
    from django.utils import translation

    from reports.build import date_id

    with translation.override("id"):
        assert date_id(dt.date(2024, 8, 17)) == "17 Agustus 2024"
    text = body_text(write_survey(unit, period, tmp_path))
    start, end = period.start_date, period.end_date
    months = {7: "Juli", 12: "Desember", 1: "Januari", 6: "Juni"}
    assert f"{start.day} {months[start.month]} {start.year}" in text
    assert f"{end.day} {months[end.month]} {end.year}" in text


def test_survey_docx_page_numbers_cover_and_toc(unit, period, reference_responses, tmp_path):
    document = write_survey(unit, period, tmp_path)
    cover, front, bab1 = document.sections[0], document.sections[1], document.sections[2]
    for section in document.sections:
        assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    # Seed 004's scheme: the cover unnumbered, the front matter i, ii …, each chapter "I - 1" ….
    assert "PAGE" not in cover.footer._element.xml
    assert "PAGE" in front.footer._element.xml
    assert front._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt")) == "lowerRoman"
    assert bab1.footer.paragraphs[0].text.startswith("I - ") and "PAGE" in bab1.footer._element.xml
    assert bab1._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert bab1.header.paragraphs[0].text == "BAB I PENDAHULUAN"
    cover = [p.text for p in document.paragraphs[:8]]
    assert "Laporan\nSurvei Kepuasan Masyarakat\nKelurahan Pulutan" in cover
    assert "Semester II Tahun 2024" in cover and "SKM" in cover  # placeholder emblem, no logo
    assert document.paragraphs[0].runs[0].font.all_caps
    assert "Pemerintah Kota Salatiga\nKecamatan Sidorejo\nKelurahan Pulutan" in cover
    assert "Jl. Argowiyoto No. 1, Pulutan" in cover
    body = document.element.body.xml
    # Daftar isi, Daftar Tabel and Daftar Gambar: a PAGEREF to a bookmark on each heading and caption.
    assert body.count("PAGEREF _Ref") > 40 and "w:bookmarkStart" in body
    assert "w:updateFields" in document.settings.element.xml


def test_user_text_stays_literal_in_the_docx(unit, period, report_plan, tmp_path):
    Response.objects.filter(unit=unit, number=1).update(suggestion=STAFF_TEXT)
    # A vertical tab pasted from another program: XML cannot hold it, the export must not fail.
    Response.objects.filter(unit=unit, number=2).update(suggestion="Ruang tunggu\x0bpanas")
    item = report_plan.unsur_rows.first().items.first()
    item.program = "Perbaikan " + STAFF_TEXT
    item.save()
    unit.name = "Kelurahan <i>Pulutan</i>"
    unit.save()
    survey = body_text(write_survey(unit, period, tmp_path))
    assert STAFF_TEXT in survey  # the saran list
    assert "Perbaikan " + STAFF_TEXT in survey  # Tabel IV.1
    assert "Ruang tunggupanas" in survey
    assert "Laporan Survei Kepuasan Masyarakat pada Kelurahan <i>Pulutan</i> Semester II Tahun 2024." in survey
    followup = body_text(write_followup(unit, period, tmp_path))
    assert f"1.1 Perbaikan {STAFF_TEXT}" in followup


def test_survey_docx_for_a_period_without_responses(unit, period, tmp_path):
    document = write_survey(unit, period, tmp_path)
    assert headings(document, 1) == SURVEY_CHAPTERS
    text = body_text(document)
    assert "IKM Unit Layanan – – –" in text
    assert "Belum cukup data untuk menghitung IKM Kelurahan Pulutan pada Semester II Tahun 2024." in text
    assert "Tidak ada saran tertulis dari responden." in text
    assert len(document.inline_shapes) == 0


def test_survey_docx_large_period_points_to_the_attachment(settings, unit, period, reference_responses, tmp_path):
    settings.SKM_REPORT_APPENDIX_MAX_RESPONDENTS = 10
    text = body_text(write_survey(unit, period, tmp_path))
    assert "Data per responden (50 responden) tidak dicetak di sini karena melebihi 10 responden." in text
    assert "Σ Nilai 167 171 166 200 167 166 176 181 156" in text


def test_survey_docx_appends_the_previous_followup_and_trend_chart(unit, period, reference_responses, tmp_path):
    from reports.tests.conftest import build_plan
    from surveys.tests.factories import PeriodFactory, ResponseFactory

    previous = PeriodFactory(code="2024-S1", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30))
    ResponseFactory.create_batch(5, unit=unit, period=previous, **{f"U{i}": 3 for i in range(1, 10)})
    build_plan(unit, previous, items_per_unsur=(1, 1, 1), photos=1, realised=3)
    document = write_survey(unit, period, tmp_path)
    assert headings(document, 1) == SURVEY_CHAPTERS  # the embedded report adds no chapter of its own
    assert "Laporan Hasil Tindak Lanjut Survei Kepuasan Masyarakat Semester I Tahun 2024" in lampiran(document)
    assert headings(document, 3) == FOLLOWUP_CHAPTERS
    text = body_text(document)
    assert "sebanyak 100,00% (3 dari 3 RTL" in text
    # 5 respondents answering 3 everywhere: IKM 75,00, compared in the trend sentence.
    assert "mengalami peningkatan dibandingkan dengan Semester I Tahun 2024 (75,00)" in text
    # The per-unsur chart, the trend chart and the one evidence photo.
    assert len(document.inline_shapes) == 3
    assert "Gambar IV.1 Grafik Tren Indeks Kepuasan Masyarakat" in text
    assert "Gambar 1. Dokumentasi kegiatan 1" in text


def with_extra(monkeypatch, **attributes):
    """The view-models as the writer sees them, with attributes that parts of issue 9
    add in parallel (``narrative``, ``logo``): the writer reads them with getattr."""
    from reports import context

    def wrap(build):
        def wrapped(**kwargs):
            report = build(**kwargs)
            fields = {f: getattr(report, f) for f in report.__dataclass_fields__}
            return SimpleNamespace(**{**fields, **attributes})

        return wrapped

    monkeypatch.setattr(context, "survey_context", wrap(survey_context))
    monkeypatch.setattr(context, "followup_context", wrap(followup_context))


def test_cover_uses_the_units_own_logo_and_letterhead(unit, period, reference_responses, tmp_path):
    from django.core.files.base import ContentFile

    from reports.tests.conftest import jpeg_bytes

    unit.logo.save("logo.jpg", ContentFile(jpeg_bytes(size=(200, 200))), save=False)
    unit.phone, unit.website = "(0298) 321 123", "pulutan.salatiga.go.id"
    unit.save()
    document = write_survey(unit, period, tmp_path)
    cover = [p.text for p in document.paragraphs[:12]]
    assert "SKM" not in cover
    assert "Jl. Argowiyoto No. 1, Pulutan" in cover
    assert "Telepon (0298) 321 123 · pulutan.salatiga.go.id" in cover
    assert len(document.inline_shapes) == 2  # the logo and the per-unsur chart
    assert round(document.inline_shapes[0].width.cm, 1) == 3.2


def test_a_missing_photo_leaves_its_caption_and_the_report_is_made(unit, period, report_plan, tmp_path):
    from django.core.files.storage import default_storage

    from followup.models import EvidencePhoto

    first = EvidencePhoto.objects.order_by("order").first()
    default_storage.delete(first.image.name)
    document = write_followup(unit, period, tmp_path)
    assert len(document.inline_shapes) == 1
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Gambar 1. Dokumentasi kegiatan 1" in captions and "Gambar 2. Dokumentasi kegiatan 2" in captions


# ------------------------------------------------------- follow-up report


def test_followup_docx_chapters_tables_items_and_signature(unit, period, report_plan, reference_expected, tmp_path):
    document = write_followup(unit, period, tmp_path)
    assert headings(document, 1) == FOLLOWUP_CHAPTERS
    assert headings(document, 2) == ["A. Latar Belakang", "Dokumentasi Kegiatan"]
    summary = rows_of(find_table(document, "Unsur Pelayanan", column=1))
    for row, u in zip(summary[1:10], reference_expected["unsur"], strict=True):
        assert row == [
            row[0],
            f"{u['code']}. {u['name']}",
            comma(u["nrr"]),
            comma(u["converted"]),
            u["grade"],
            u["label"],
        ]
    assert summary[10][1:] == ["IKM Unit Layanan", "", "86,11", "B", "Baik"]
    plan = rows_of(find_table(document, "Prioritas Unsur", column=1))
    # Two header rows (rowspan/colspan of the PDF), then U9's first item over three years.
    assert plan[0][4:8] == ["Waktu (Triwulan)"] * 4 and plan[1][4:8] == ["I", "II", "III", "IV"]
    assert plan[2] == ["1", "Sarana dan Prasarana", "3,12", "1.1 Program Sarana dan Prasarana nomor 1"] + [
        "",
        "",
        "",
        "✓",
        "2024",
        "Sekretaris Kelurahan; Kasi. Pemerintahan",
    ]
    assert plan[3] == ["", "", "", "", "✓", "✓", "", "", "2025", ""]
    realisation = rows_of(find_table(document, "Rencana Tindak Lanjut", column=1))
    assert realisation[1] == [
        "1.1",
        "Program Sarana dan Prasarana nomor 1",
        "Sudah",
        "11 Februari 2025",
        "Kegiatan 1 telah dilaksanakan",
        "Gambar 1, Gambar 2",
        "Anggaran terbatas",
    ]
    assert realisation[4][2:4] == ["Belum", "–"]
    text = body_text(document)
    assert "sebanyak 75,00% (3 dari 4 RTL terealisasi" in text
    assert "3.1 Program Kompetensi Pelaksana nomor 1: Terkendala pengalokasian anggaran" in text
    assert "Diusulkan kembali pada perubahan anggaran Triwulan I 2026 Lurah Kecamatan Sidorejo; DPU PR" in text
    assert "Lurah Pulutan Budi Santoso, S.STP Penata Tk. I (III/d) NIP. 198001012005011001" in text
    assert len(document.inline_shapes) == 2  # the two evidence photos
    cover = [p.text for p in document.paragraphs[:8]]
    # Both covers top-down, as the Laporan SKM (issue 18: the two covers disagreed).
    assert "Pemerintah Kota Salatiga\nKecamatan Sidorejo\nKelurahan Pulutan" in cover


def test_followup_docx_without_plan_says_so(unit, period, reference_responses, tmp_path):
    text = body_text(write_followup(unit, period, tmp_path))
    assert "Kelurahan Pulutan belum menyusun Rencana Tindak Lanjut untuk periode Semester II Tahun 2024." in text
    assert "Belum ada rencana tindak lanjut yang dapat direalisasikan." in text


def test_followup_docx_uses_the_units_background_text(unit, period, reference_responses, tmp_path):
    unit.background_text = "Paragraf pertama.\nBaris kedua.\n\nParagraf kedua."
    unit.save()
    document = write_followup(unit, period, tmp_path)
    texts = [p.text for p in document.paragraphs]
    # The unit's text is the lhtl_latar_belakang section's default, in the plain-text
    # section format (skm.rules.textblocks): a single newline continues the paragraph.
    assert "Paragraf pertama. Baris kedua." in texts and "Paragraf kedua." in texts
    assert not any("World Bank" in t for t in texts)


# ------------------------------------------------------------- the blocks


def list_info(paragraph):
    num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    return paragraph.style.name, (num_pr.numId.val if num_pr is not None and num_pr.numId is not None else None)


def blocks_docx(blocks, tmp_path):
    """The unit's text as its own one-part document, written by the Word renderer and read back."""
    doc = tree.Document(title="t", author="Unit", subject="s", lang="id", date=dt.date(2024, 11, 4))
    doc.part(tree.PartKind.CHAPTER).add(*blocks)
    out = tmp_path / "blocks.docx"
    document_docx_write(doc, out)
    return [p for p in docx.Document(str(out)).paragraphs if p.text]


def test_text_blocks_paragraphs_bullets_and_numbered_lists_restart(tmp_path):
    blocks = parse_blocks(
        "Paragraf satu\nberlanjut.\n\n- butir a\n- butir b\n\n1. satu\n2. dua\n\nAntara.\n\n1. lagi satu\n2) lagi dua"
    )
    added = blocks_docx(text_blocks(blocks), tmp_path)
    assert [p.text for p in added] == [
        "Paragraf satu berlanjut.",
        "butir a",
        "butir b",
        "satu",
        "dua",
        "Antara.",
        "lagi satu",
        "lagi dua",
    ]
    info = [list_info(p) for p in added]
    assert info[0] == ("Isi", None) and info[5] == ("Isi", None)
    assert [name for name, _id in info[1:3]] == ["List Bullet", "List Bullet"]
    assert [name for name, _id in info[3:5] + info[6:8]] == ["List Number"] * 4
    first, second = info[3][1], info[6][1]
    # Each numbered list has its own numbering instance (both items share it) that starts at 1.
    assert first is not None and second is not None and first != second
    assert info[4][1] == first and info[7][1] == second


def test_text_blocks_keep_markup_literal(tmp_path):
    blocks = (
        TextBlock(BlockKind.PARAGRAPH, (STAFF_TEXT,)),
        TextBlock(BlockKind.BULLETS, ('=HYPERLINK("x")', "<script>")),
    )
    added = blocks_docx(text_blocks(blocks), tmp_path)
    assert [p.text for p in added] == [STAFF_TEXT, '=HYPERLINK("x")', "<script>"]
    assert [p.style.name for p in added] == ["Isi", "List Bullet", "List Bullet"]
    assert all(len(p.runs) == 1 and not p.runs[0].bold for p in added)


def narrative_of(**sections):
    return {key: parse_blocks(text) for key, text in sections.items()}


def test_narrative_sections_print_at_their_places(unit, period, report_plan, tmp_path, monkeypatch):
    """Until the view-models carry ``narrative`` (issue 9 part 3), set it on them here."""
    narrative = narrative_of(
        kata_pengantar="Pengantar kami sendiri.",
        latar_belakang="Latar belakang unit.",
        dasar_hukum="1. UU 25/2009\n2. Perwal Salatiga 12/2020",
        maksud_tujuan="Maksud unit.",
        pelaksanaan="Tim SK Lurah 5/2024.",
        jadwal="Jadwal unit.",
        u9="Ruang tunggu sempit.\n\n- kursi kurang\n- AC rusak",
        saran_ringkasan="Ringkasan saran unit.",
        rtl_narasi="Narasi RTL unit.",
        kesimpulan="Kesimpulan unit.",
        rekomendasi="- Rekomendasi satu",
        penutup="Penutup unit.",
        lhtl_kesimpulan="- Kesimpulan LHTL unit " + STAFF_TEXT,
    )
    with_extra(monkeypatch, narrative=narrative)
    document = write_survey(unit, period, tmp_path)
    texts = [p.text for p in document.paragraphs]

    def after(heading: str, text: str) -> bool:
        return texts.index(text) > texts.index(heading)

    # Each unit text replaces the generated default at its place, in order.
    order = [
        "Pengantar kami sendiri.",
        "Latar belakang unit.",
        "Perwal Salatiga 12/2020",
        "Maksud unit.",
        "Tim SK Lurah 5/2024.",
        "Jadwal unit.",
        "Ruang tunggu sempit.",
        "Ringkasan saran unit.",
        "Narasi RTL unit.",
        "Kesimpulan unit.",
        "Rekomendasi satu",
        "Penutup unit.",
    ]
    positions = [texts.index(t) for t in order]
    assert positions == sorted(positions)
    assert after("1.2. Dasar Pelaksanaan Survei Kepuasan Masyarakat", "Perwal Salatiga 12/2020")
    assert not any(t.startswith("Puji syukur") or t.startswith("Fungsi utama pemerintah") for t in texts)
    assert not any(t.startswith("Mengingat pentingnya") for t in texts)
    # U9's causes come right after U9's numbers sentence, indented under it.
    u9 = next(i for i, t in enumerate(texts) if t.startswith("Sarana dan Prasarana. Dari 50 responden"))
    assert texts[u9 + 1 : u9 + 4] == ["Ruang tunggu sempit.", "kursi kurang", "AC rusak"]
    assert [document.paragraphs[u9 + k].style.name for k in (1, 2)] == ["List Continue", "List Bullet 2"]
    # The unit's LHTL conclusion bullets in the embedded or the stand-alone follow-up report.
    followup = write_followup(unit, period, tmp_path)
    lines = [p.text for p in followup.paragraphs]
    assert "Kesimpulan LHTL unit " + STAFF_TEXT in lines
    assert lines.index("Kesimpulan LHTL unit " + STAFF_TEXT) > lines.index("BAB IV\nKESIMPULAN")


def test_typed_lists_keep_their_numbers_and_nesting_in_both_formats(tmp_path):
    """A typed "3." after a bullet list prints 3 (PDF: <ol start="3">; Word: a numbering
    instance starting at 3), and bullets typed under item 2 nest under it."""
    from reports.render_html import blocks_html

    blocks = parse_blocks("1. satu\n2. dua:\n   - a\n   - b\n\n- lepas\n\n3. tiga")
    html = blocks_html(blocks)
    assert "<ol><li>satu</li><li>dua:<ul><li>a</li><li>b</li></ul>\n</li></ol>" in html
    assert '<ol start="3" style="counter-reset: list-item 2"><li>tiga</li></ol>' in html
    paragraphs = blocks_docx(text_blocks(blocks), tmp_path)
    info = [(p.text, *list_info(p)) for p in paragraphs]
    assert [(text, style) for text, style, _n in info] == [
        ("satu", "List Number"),
        ("dua:", "List Number"),
        ("a", "List Bullet 2"),
        ("b", "List Bullet 2"),
        ("lepas", "List Bullet"),
        ("tiga", "List Number"),
    ]
    document = paragraphs[0].part.document
    numbering = document.part.numbering_part.element
    last = numbering.num_having_numId(info[-1][2])
    assert last.lvlOverride_lst[0].startOverride.val == 3
