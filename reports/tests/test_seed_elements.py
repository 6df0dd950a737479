"""Every part of seed 004 (issue 18, point 5), read back from the PDF text.

Expected words and numbers come from seed 004 and hand arithmetic, not from the
code under test. The reference survey is seed 004's 50 respondents, imported.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.utils import timezone

from followup.models import Realisation
from reports.services import report_pdf_write, section_save
from reports.tests.conftest import build_plan
from skm.rules.ikm import WeightMode
from surveys.models import ServicePopulation, SurveyRound
from surveys.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def pdf_text(path, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def rnd(unit, period, reference_responses):
    return SurveyRound.objects.update_or_create(
        unit=unit,
        period=period,
        defaults={
            "status": SurveyRound.Status.CLOSED,
            "closed_at": timezone.make_aware(dt.datetime(2024, 11, 4, 10)),
            "report_date": dt.date(2024, 11, 4),
        },
    )[0]


def survey_pdf(unit, period, tmp_path, *, layout: bool = False, **kwargs) -> str:
    out = tmp_path / "laporan.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out, **kwargs)
    return pdf_text(out, layout=layout)


def followup_pdf(unit, period, tmp_path) -> str:
    out = tmp_path / "lhtl.pdf"
    report_pdf_write(kind="pdf_followup", unit=unit, period=period, target=out)
    return squash(pdf_text(out))


def test_daftar_tabel_and_daftar_gambar_list_every_numbered_table_and_figure(unit, period, rnd, tmp_path):
    text = survey_pdf(unit, period, tmp_path, layout=True)
    pages = text.split("\f")
    tabel = next(p for p in pages if p.lstrip().startswith("DAFTAR TABEL"))
    gambar = next(p for p in pages if p.lstrip().startswith("DAFTAR GAMBAR"))
    # Seed 004's list: "Tabel II.1  Jadwal Pelaksanaan Survei Kepuasan Masyarakat  II - 3".
    assert re.search(r"Tabel II\.1\s+Jadwal Pelaksanaan Survei Kepuasan Masyarakat.*II ?- ?\d", tabel)
    assert re.search(r"Tabel III\.1\s+Jenis Kelamin Responden\s+III ?- ?\d", tabel)
    assert re.search(r"Tabel III\.15\s+Interval Kategori Penilaian\s+III ?- ?\d", tabel)
    assert re.search(r"Gambar III\.1\s+Grafik Nilai per Unsur Layanan\s+III ?- ?\d", gambar)
    # The front matter is numbered i, ii ... (seed 004: Daftar Tabel iv).
    assert tabel.rstrip().endswith("iv") and gambar.rstrip().endswith("v")


def test_tabel_ii1_has_working_days_and_the_rounds_own_window(unit, period, rnd, alice, tmp_path):
    """A round states its own window inside the period, as seed 002 does ("01 Oktober s.d
    17 November 2023"). 1-31 Oktober 2024: Tue 1 to Mon 28 is 4 weeks (20 weekdays), then
    Tue 29-Thu 31 (3): 23 working days, no national holiday in October 2024."""
    from surveys.services_rounds import round_set_schedule

    round_set_schedule(
        round=rnd, rows=[], collection_start=dt.date(2024, 10, 1), collection_end=dt.date(2024, 10, 31), user=alice
    )
    text = squash(survey_pdf(unit, period, tmp_path))
    assert "No Kegiatan Waktu Pelaksanaan Jumlah Hari Kerja" in text
    assert re.search(r"2 Pengumpulan Data 1 Oktober 2024 – 31 Oktober 2024 23 3 Pengolahan Data", text)


def test_lhtl_bab_iv_prints_the_units_conclusion_instead_of_the_generated_one(unit, period, rnd, alice, tmp_path):
    build_plan(unit, period, items_per_unsur=(2, 1, 1), photos=0, realised=3)
    generated = followup_pdf(unit, period, tmp_path)
    assert "telah menindaklanjuti rencana tindak lanjut hasil SKM Semester II Tahun 2024 sebanyak 75,00%" in generated
    section_save(
        round=rnd,
        key="lhtl_kesimpulan",
        text="Kesimpulan unit:\n\n1. Tindak lanjut 80 % menurut unit.\n2. Kedua:\n   - butir a\n   - butir b\n\n"
        "- catatan lepas\n\n3. Ketiga.",
        user=alice,
    )
    text = followup_pdf(unit, period, tmp_path)
    bab4 = text[text.rindex("BAB IV KESIMPULAN") :]
    # Only the unit's own words: the generated sentence is the prefill, never printed beside it.
    assert "telah menindaklanjuti" not in bab4
    assert bab4.count("Kesimpulan unit:") == 1
    # Typed numbers kept (3 after a bulleted list), bullets nested under item 2.
    assert re.search(
        r"1\. Tindak lanjut 80 % menurut unit\. 2\. Kedua: ◦ butir a ◦ butir b • catatan lepas 3\. Ketiga\.", bab4
    )


def test_tabel_4_strategi_holds_realised_items_too(unit, period, rnd, tmp_path):
    """Seeds 003 and 004 have a strategy table although every item is realised."""
    build_plan(unit, period, items_per_unsur=(1, 1, 1), photos=0, realised=3)
    Realisation.objects.filter(status=Realisation.Status.SUDAH).update(
        strategy="Sosialisasi berkala", target_time="Triwulan IV 2025"
    )
    text = followup_pdf(unit, period, tmp_path)
    assert "Tabel 4. Strategi Penyelesaian Rencana Tindak Lanjut" in text
    assert text.count("Sosialisasi berkala") == 3
    # The column titles of seeds 002, 003 and 004 (line 683): "Target Waktu Penyelesaian".
    tabel4 = squash(text[text.index("Tabel 4. Strategi") :])
    assert "Target Waktu Penyelesaian Penanggung Jawab" in tabel4


def test_tabel_iv1_uses_the_tw_tick_grid_of_the_lhtl(unit, period, rnd, tmp_path):
    build_plan(unit, period, items_per_unsur=(1, 1, 1), photos=0, realised=3)
    text = squash(survey_pdf(unit, period, tmp_path, layout=True))
    iv1 = text[text.rindex("Tabel IV.1") :]
    assert iv1.startswith("Tabel IV.1 Rencana Tindak Lanjut Perbaikan Pelayanan")
    assert "Waktu (Triwulan)" in iv1[:400] and " I II III IV " in iv1[:400]
    # U9's first item: 2024 TW IV, then 2025 TW I and II (conftest.build_plan), as ticks with the year.
    assert re.search(r"1\.1 Program Sarana dan ✓ 2024 Sekretaris", iv1), iv1[:900]
    assert "TW 1" not in text and "TW 4" not in text


def test_appendix_has_keterangan_nrr_rows_interval_table_and_profile_recap(unit, period, rnd, tmp_path):
    # Layout text: each row of the appendix tables on one line.
    text = squash(survey_pdf(unit, period, tmp_path, layout=True, weight_mode=WeightMode.W0111))
    appendix = text[text.rindex("Data per Responden dan per Unsur Layanan") :]
    # Seed 004: Σ Nilai 167 ..., NRR 3,34 ..., NRR tertimbang 0,371 (3,34 × 0,111 = 0,37074), IKM 86,03 B.
    assert "Σ Nilai 167 171 166 200 167 166 176 181 156" in appendix
    assert "NRR 3,34 3,42 3,32 4,00 3,34 3,32 3,52 3,62 3,12" in appendix
    assert "NRR tertimbang 0,371 0,380 0,369 0,444 0,371 0,369 0,391 0,402 0,346" in appendix
    assert "IKM Unit Layanan 86,03" in appendix and "Mutu Layanan B" in appendix
    assert "Kinerja Unit Layanan BAIK" in appendix
    assert "Keterangan:" in appendix and "NRR tertimbang = NRR × 0,111" in appendix
    assert "Nilai Interval dan Mutu Layanan" in appendix and "3,5324 – 4,00" in appendix
    # The profile recap: seed 004 "Laki-laki 18 36%", "Perempuan 32 64%".
    recap = appendix[appendix.index("Rekapitulasi Profil Responden") :]
    assert "1 Jenis Kelamin" in recap and "Laki-laki 18 36,00%" in recap and "Perempuan 32 64,00%" in recap


def test_methodology_and_location_say_only_the_channels_used(unit, period, rnd, tmp_path):
    """The reference round was imported only: 2.2 and 2.3 must not claim paper or online forms."""
    text = squash(survey_pdf(unit, period, tmp_path))
    start = text.index("2.2. Metodologi Pengumpulan Data Pendekatan")
    methods = text[start : text.index("2.4. Waktu Pelaksanaan Survei", start)]
    assert "berkas hasil survei yang diimpor" in methods
    assert "kuesioner kertas" not in methods and "daring" not in methods
    assert "diimpor ke aplikasi ini" in methods


def test_respondent_count_section_states_the_population(unit, period, rnd, tmp_path):
    """Krejcie & Morgan: N = 1 000 gives s = 278 (the regulation's table)."""
    service = ServiceFactory(unit=unit, name="Surat Pengantar")
    ServicePopulation.objects.create(service=service, period=period, population=1000)
    text = squash(survey_pdf(unit, period, tmp_path))
    section = text[text.index("2.5. Penentuan Jumlah Responden Jumlah sampel") :]
    assert "Surat Pengantar: populasi 1.000 orang, sampel minimal 278 orang" in section
    assert "Jumlah responden yang terkumpul adalah 50 (lima puluh) orang." in section


def test_one_percent_style_and_no_nested_parentheses(unit, period, rnd, tmp_path):
    text = squash(survey_pdf(unit, period, tmp_path, weight_mode=WeightMode.W0111))
    assert "(bobot 0,111 (" not in text and "((" not in text
    assert "Laki-laki 18 36,00%" in text
    assert not re.search(r"\d,\d\d %", text)  # "100,00 %" and "100,00%" are never both used


def test_the_lhtl_prints_percentages_in_one_style(unit, period, rnd, tmp_path):
    """Issue 18: "100,00%" and "100 %" in one paragraph; the PEKPPP band now reads "30 - 80%"."""
    build_plan(unit, period, items_per_unsur=(2, 1), photos=0, realised=2)
    text = followup_pdf(unit, period, tmp_path)
    assert "sebanyak 66,67% (2 dari 3 RTL terealisasi), masuk kategori PEKPPP 30 - 80%." in text
    assert not re.search(r"\d %", text)


def test_both_covers_print_the_unit_hierarchy_top_down(unit, period, rnd, tmp_path):
    build_plan(unit, period, items_per_unsur=(1,), photos=0, realised=1)
    survey = squash(survey_pdf(unit, period, tmp_path))
    followup = followup_pdf(unit, period, tmp_path)
    top_down = "PEMERINTAH KOTA SALATIGA KECAMATAN SIDOREJO KELURAHAN PULUTAN"
    assert top_down in survey[:600] and top_down in followup[:600]


def test_outline_nests_the_appended_lhtl_under_lampiran(unit, period, rnd, tmp_path):
    """BAB I-V and LAMPIRAN at the top; the previous period's LHTL under LAMPIRAN, its BAB I-IV
    under it (one top-level "BAB I" only). Read from the PDF with poppler's pdftohtml."""
    from surveys.tests.factories import PeriodFactory, ResponseFactory

    previous = PeriodFactory(code="2024-S1", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30))
    ResponseFactory.create_batch(5, unit=unit, period=previous)
    build_plan(unit, previous, items_per_unsur=(1,), photos=0, realised=1)
    out = tmp_path / "laporan.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out)
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(out)], capture_output=True, text=True).stdout
    outline = xml[xml.index("<outline>") :]
    depth, entries = 0, []
    for token in re.findall(r"<outline>|</outline>|<item[^>]*>.*?</item>", outline):
        if token == "<outline>":
            depth += 1
        elif token == "</outline>":
            depth -= 1
        else:
            entries.append((depth, re.sub(r"<[^>]+>", "", token)))
    top = [text for level, text in entries if level == 1]
    assert top[-6:] == [
        "BAB I PENDAHULUAN",
        "BAB II PENGUMPULAN DATA SURVEI KEPUASAN MASYARAKAT",
        "BAB III HASIL PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT",
        "BAB IV ANALISIS HASIL SURVEI KEPUASAN MASYARAKAT",
        "BAB V KESIMPULAN",
        "LAMPIRAN",
    ]
    lhtl = entries.index((2, "Laporan Hasil Tindak Lanjut Survei Kepuasan Masyarakat Semester I Tahun 2024"))
    nested = []
    for level, text in entries[lhtl + 1 :]:
        if level < 3:
            break
        if level == 3:
            nested.append(text)
    assert nested == [
        "BAB I PENDAHULUAN",
        "BAB II DESKRIPSI RENCANA TINDAK LANJUT",
        "BAB III REALISASI RENCANA TINDAK LANJUT",
        "BAB IV KESIMPULAN",
    ]
    assert [text for level, text in entries].count("BAB I PENDAHULUAN") == 2  # the report's and the LHTL's
