"""Both PDFs from the reference survey with an RTL and its realisation, read back with pdftotext.

Expected values: surveys/tests/data/pulutan-2024-s2.expected.json (copied from shared/reference) and seed 004
(U1 NRR 3,34 -> 83,50; IKM 86,11 with weight 1/9, 86,03 with 0,111)."""

import re
import subprocess

import pytest

from reports.services import report_pdf_write
from skm.rules.ikm import WeightMode

pytestmark = pytest.mark.django_db


def pdftext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def followup_text(unit, period, report_plan, tmp_path):
    out = tmp_path / "followup.pdf"
    report_pdf_write(kind="pdf_followup", unit=unit, period=period, target=out)
    return pdftext(out)


def test_followup_report_chapters_values_items_percent_signatory(followup_text, reference_expected):
    text = squash(followup_text)
    for chapter in ("BAB I", "BAB II", "BAB III", "BAB IV"):
        assert chapter in text
    assert "LAPORAN HASIL TINDAK LANJUT PELAKSANAAN SURVEI KEPUASAN MASYARAKAT" in text
    assert "SEMESTER II TAHUN 2024" in text
    assert "KECAMATAN SIDOREJO" in text and "PEMERINTAH KOTA SALATIGA" in text
    # Nine unsur, NRR and converted in Indonesian format, from the expected file.
    for u in reference_expected["unsur"]:
        nrr = f"{u['nrr']:.2f}".replace(".", ",")
        conv = f"{u['converted']:.2f}".replace(".", ",")
        assert re.search(rf"{u['code']}\. .*? {re.escape(nrr)} {re.escape(conv)} {u['grade']} {u['label']}", text), u[
            "code"
        ]
    assert "U1. Persyaratan 3,34 83,50 B Baik" in text
    assert "IKM Unit Layanan 86,11 B Baik" in text
    # Priority sentence from the plan: three lowest unsur.
    assert "terdiri dari 3 (tiga) unsur dengan nilai terendah" in text
    assert "Kerangka rencana tindak lanjutnya dapat terlihat pada tabel di bawah ini" in text
    # RTL items numbered, realisation, photos.
    for number in ("1.1", "1.2", "2.1", "3.1"):
        assert f"{number} Program" in text
    assert "Gambar 1. Dokumentasi kegiatan 1" in text and "Gambar 2. Dokumentasi kegiatan 2" in text
    assert "11 Februari" in text  # realisation date (the year may wrap in its cell)
    # 3 of 4 items realised.
    assert "sebanyak 75,00% (3 dari 4 RTL terealisasi" in text
    assert "Terkendala pengalokasian anggaran" in text
    assert "Diusulkan kembali" in text  # strategy cell (wraps)
    # Signature block.
    assert "Lurah Pulutan" in text
    assert "Budi Santoso, S.STP" in text and "Penata Tk. I (III/d)" in text
    assert "NIP. 198001012005011001" in text
    assert re.search(r"Salatiga, \d{1,2} [A-Z][a-z]+ \d{4}", text)


def test_followup_report_weight_0111(unit, period, report_plan, tmp_path):
    out = tmp_path / "f.pdf"
    report_pdf_write(kind="pdf_followup", unit=unit, period=period, weight_mode=WeightMode.W0111, target=out)
    text = squash(pdftext(out))
    assert "IKM Unit Layanan 86,03 B Baik" in text
    assert "bobot 0,111" in text


def test_followup_report_without_plan_says_so(unit, period, reference_responses, tmp_path):
    out = tmp_path / "f.pdf"
    report_pdf_write(kind="pdf_followup", unit=unit, period=period, target=out)
    text = squash(pdftext(out))
    assert "belum menyusun Rencana Tindak Lanjut" in text
    # No "0,00 % (0 dari 0 RTL)" sentence: BAB IV says there is no RTL instead.
    assert "0 dari 0 RTL" not in text
    assert "belum memiliki Rencana Tindak Lanjut hasil SKM Semester II Tahun 2024" in text


def test_survey_report_structure_and_numbers(unit, period, report_plan, tmp_path):
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, weight_mode=WeightMode.W0111, target=out)
    raw = pdftext(out)
    text = squash(raw)
    for heading in ("KATA PENGANTAR", "DAFTAR ISI", "BAB I", "BAB II", "BAB III", "BAB IV", "BAB V", "LAMPIRAN"):
        assert heading in text
    # Table of contents carries page numbers (target-counter).
    assert re.search(r"BAB III HASIL PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT\s*III ?- ?\d+", raw)
    assert "50 (lima puluh) responden" in text
    # Profile (seed 004 Tabel III.1: 18 L / 32 P).
    assert "Laki-laki 18 36,00%" in text and "Perempuan 32 64,00%" in text
    # Distribution of U9 with the unit's labels (seed Tabel III.13: 7 / 30 / 13).
    assert "Cukup 2 7 14,00%" in text and "Baik 3 30 60,00%" in text
    assert "IKM Unit Layanan 86,03 B Baik" in text
    assert "Sarana dan Prasarana (NRR 3,12, Baik)" in text
    # Per-respondent appendix: 50 rows plus the totals row of seed 004.
    assert "Σ Nilai 167 171 166 200 167 166 176 181 156" in text
    assert "Kuesioner Survei Kepuasan Masyarakat" in text or "KUESIONER" in text


def test_survey_report_appends_previous_followup(unit, period, reference_responses, tmp_path):
    import datetime as dt

    from reports.tests.conftest import build_plan
    from surveys.tests.factories import PeriodFactory, ResponseFactory

    previous = PeriodFactory(code="2024-S1", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30))
    ResponseFactory.create_batch(5, unit=unit, period=previous)
    build_plan(unit, previous, items_per_unsur=(1, 1, 1), photos=0, realised=3)
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out)
    text = squash(pdftext(out))
    assert "Laporan Hasil Tindak Lanjut Survei Kepuasan Masyarakat Semester I Tahun 2024" in text
    assert "SEMESTER I TAHUN 2024" in text
    assert "sebanyak 100,00% (3 dari 3 RTL" in text
    # Report 4 November 2024, last realisation 13 February 2025: 3 months 9 days -> 4 months,
    # the PEKPPP bucket "within 6 months".
    assert "Seluruh RTL terealisasi dalam 6 bulan sejak laporan hasil SKM (4 bulan)" in text
    # Trend sentence compares with the previous semester (5 x all-3 answers -> 75,00).
    assert "mengalami peningkatan dibandingkan dengan Semester I Tahun 2024 (75,00)" in text


@pytest.mark.parametrize("kind", ["pdf_followup", "pdf_survey"])
def test_reports_render_for_a_period_without_responses(kind, unit, period, tmp_path):
    out = tmp_path / "empty.pdf"
    report_pdf_write(kind=kind, unit=unit, period=period, target=out)
    text = squash(pdftext(out))
    assert "BAB IV" in text
    assert "IKM Unit Layanan – – –" in text or "IKM Unit Layanan –" in text


def test_per_service_matrix_when_the_unit_has_several(unit, period, tmp_path):
    from surveys.tests.factories import ResponseFactory, ServiceFactory

    ktp = ServiceFactory(unit=unit, name="KTP")
    kk = ServiceFactory(unit=unit, name="Kartu Keluarga")
    # KTP: 3 respondents all 4 -> IKM 100,00; KK: 1 respondent all 2 -> 50,00.
    ResponseFactory.create_batch(3, unit=unit, period=period, service=ktp, **{f"U{i}": 4 for i in range(1, 10)})
    ResponseFactory(unit=unit, period=period, service=kk, **{f"U{i}": 2 for i in range(1, 10)})
    out = tmp_path / "f.pdf"
    report_pdf_write(kind="pdf_followup", unit=unit, period=period, target=out)
    text = squash(pdftext(out))
    assert "IKM per Jenis Layanan" in text
    assert "KTP 3 4,00" in text and "Kartu Keluarga 1 2,00" in text
    # Pooled unit IKM: NRR (4*3 + 2) / 4 = 3,50 -> 87,50; the unweighted mean of services is 75,00.
    assert "IKM unit (seluruh responden) 4 3,50" in text and "87,50" in text
    assert "Rata-rata IKM per jenis layanan (tidak tertimbang) 75,00" in text


def test_survey_report_uses_the_units_own_wording(unit, period, reference_responses, tmp_path):
    from surveys.models import UnsurWording

    # Seed 004 labels U8 "Tidak baik ... Sangat baik" instead of the Permenpan defaults.
    UnsurWording.objects.create(
        unit=unit,
        code="U8",
        question="Bagaimana pendapat Anda tentang penanganan pengaduan di kelurahan?",
        label_1="Tidak baik",
        label_2="Kurang baik",
        label_3="Baik",
        label_4="Sangat baik",
    )
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out)
    text = squash(pdftext(out))
    assert "Bagaimana pendapat Anda tentang penanganan pengaduan di kelurahan?" in text
    assert "a. Tidak baik" in text and "d. Sangat baik" in text
    # Seed 004 Tabel III.12: 19 Baik (38 %), 31 Sangat baik (62 %).
    assert "Baik 3 19 38,00%" in text and "Sangat baik 4 31 62,00%" in text
    assert "Dikelola dengan baik" not in text


def test_survey_report_has_a_disability_table_and_numbers_the_tables_after_it(
    unit, period, reference_responses, tmp_path
):
    from surveys.models import Response
    from surveys.services_tallies import tally_rebuild

    Response.objects.filter(number__in=[1, 2, 3]).update(disability="FISIK")
    Response.objects.filter(number__gt=3).update(disability="TIDAK")
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)  # a raw UPDATE bypasses the services
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out)
    text = squash(pdftext(out))
    # Five profile tables (III.1-III.5), nine distributions (III.6-III.14), then the interval table.
    assert "Tabel III.5 Disabilitas Responden" in text
    # 3 of 50 = 6,00 %; 47 of 50 = 94,00 % (the Laporan SKM is internal: exact counts).
    assert "Fisik 3 6,00%" in text and "Tidak ada 47 94,00%" in text
    assert "Tabel III.6 Penilaian Unsur" in text and "Tabel III.14 Penilaian Unsur" in text
    assert "Tabel III.15 Interval Kategori Penilaian" in text
    assert "Tabel III.16 Hasil Perhitungan Indeks Kepuasan Masyarakat per Unsur Layanan" in text
