"""The unit's own report text: every section reaches its PDF, publication locks
it, reopening unlocks it, and the report date drives cover, signature and schedule.

Markers are unique sentences typed here; the PDFs are read back with pdftotext."""

import datetime as dt
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reports.narrative import generated_texts, narrative_facts_build, working_days
from reports.sections import FOLLOWUP, SECTIONS, SURVEY
from reports.services import (
    report_docx_write,
    report_pdf_write,
    round_publish_with_report,
    section_reset,
    section_save,
)
from skm.rules.ikm import WeightMode
from skm.rules.textblocks import BlockKind
from surveys.models import SurveyRound
from surveys.results import unit_results_get
from surveys.services_rounds import round_open

pytestmark = pytest.mark.django_db


def pdftext(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", out)


def marker(key: str) -> str:
    return f"Penanda bagian {key.replace('_', ' ')} ditulis unit"


@pytest.fixture
def closed_round(unit, period, reference_responses):
    return SurveyRound.objects.update_or_create(
        unit=unit,
        period=period,
        defaults={"status": SurveyRound.Status.CLOSED, "closed_at": timezone.make_aware(dt.datetime(2024, 12, 20, 10))},
    )[0]


def _write_all(rnd, user):
    for spec in SECTIONS:
        key = spec.key.value
        # A paragraph, then a bulleted list: the list must print as a list.
        section_save(round=rnd, key=key, text=f"{marker(key)}.\n\n- butir pertama {key}\n- butir kedua", user=user)


def test_every_section_reaches_its_pdf(closed_round, report_plan, alice, tmp_path):
    _write_all(closed_round, alice)
    survey, followup = tmp_path / "s.pdf", tmp_path / "f.pdf"
    report_pdf_write(kind="pdf_survey", unit=closed_round.unit, period=closed_round.period, target=survey)
    report_pdf_write(kind="pdf_followup", unit=closed_round.unit, period=closed_round.period, target=followup)
    survey_text, followup_text = pdftext(survey), pdftext(followup)
    for spec in SECTIONS:
        text = survey_text if spec.report == SURVEY else followup_text
        assert marker(spec.key.value) in text, spec.key
        assert f"butir pertama {spec.key.value}" in text, spec.key
    # The survey report does not print the follow-up report's own sections, and vice versa.
    assert marker("lhtl_kesimpulan") not in survey_text
    assert marker("kesimpulan") not in followup_text.replace(marker("lhtl_kesimpulan"), "")


def docxtext(path) -> tuple[str, set[str]]:
    """All paragraph text (body and table cells) and the styles of the list paragraphs."""
    import docx

    document = docx.Document(str(path))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    return re.sub(r"\s+", " ", " ".join(p.text for p in paragraphs)), {
        p.text: p.style.name for p in paragraphs if p.text.startswith("butir pertama")
    }


def test_every_section_reaches_its_docx(closed_round, report_plan, alice, tmp_path):
    """The same markers as the PDF test, read back with python-docx; list items are list paragraphs."""
    _write_all(closed_round, alice)
    survey, followup = tmp_path / "s.docx", tmp_path / "f.docx"
    report_docx_write(kind="docx_survey", unit=closed_round.unit, period=closed_round.period, target=survey)
    report_docx_write(kind="docx_followup", unit=closed_round.unit, period=closed_round.period, target=followup)
    (survey_text, survey_items), (followup_text, followup_items) = docxtext(survey), docxtext(followup)
    for spec in SECTIONS:
        text, items = (survey_text, survey_items) if spec.report == SURVEY else (followup_text, followup_items)
        assert marker(spec.key.value) in text, spec.key
        item = f"butir pertama {spec.key.value}"
        assert item in items and "List" in items[item], (spec.key, items.get(item))


def test_unsur_explanation_prints_after_the_numbers_sentence(closed_round, alice, tmp_path):
    section_save(round=closed_round, key="u9", text="Komputer dan printer terbatas jumlahnya.", user=alice)
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=closed_round.unit, period=closed_round.period, target=out)
    text = pdftext(out)
    # U9 of the reference survey: 156/50 = 3,12 -> converted 78,00, B Baik (seed 004 Tabel III.14).
    numbers = text.index("nilai rata-rata 3,12 (nilai konversi 78,00)")
    assert text.index("Komputer dan printer terbatas jumlahnya.") > numbers


def test_user_text_is_escaped_in_the_pdf_html(closed_round, alice):
    from reports.services import report_html

    section_save(round=closed_round, key="penutup", text="<b>tebal</b> & <script>x</script>", user=alice)
    html = report_html(
        kind="pdf_survey", unit=closed_round.unit, period=closed_round.period, weight_mode=WeightMode.EXACT
    )
    assert "&lt;b&gt;tebal&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<b>tebal</b>" not in html


def test_generated_text_is_specific_to_the_round(closed_round):
    unit, period = closed_round.unit, closed_round.period
    res = unit_results_get(unit=unit, period=period, weight_mode=WeightMode.EXACT)
    facts = narrative_facts_build(
        unit=unit, period=period, result=res.result, distributions=res.distributions, rnd=closed_round
    )
    texts = generated_texts(facts)
    # The reference rows are stored with the import channel (conftest), 50 respondents.
    assert "Jawaban 50 responden dikumpulkan melalui:" in texts["pelaksanaan"]
    assert "- berkas hasil survei yang diimpor: 50 responden;" in texts["pelaksanaan"]
    assert "kertas" not in texts["pelaksanaan"]
    assert "http://" in texts["pelaksanaan"] and "/isi/pulutan/" in texts["pelaksanaan"]
    # 2024-S2 runs 1 July - 31 December 2024, but the round was closed (the report dated) on Fri 20 Dec, so
    # collection ends there: 132 weekdays - 7 (23-27, 30-31 Dec) = 125, minus the national holidays on a
    # weekday, Mon 16 Sep (Maulid Nabi) and Wed 27 Nov (Pilkada): 123 working days.
    assert "1 Juli 2024 sampai dengan 20 Desember 2024 (123 hari kerja)" in texts["jadwal"]
    assert "laporan disusun pada 20 Desember 2024" in texts["jadwal"]
    # Seed 004 Tabel III.13: 7 of 50 respondents answered U9 "Cukup" (value 2), none value 1.
    assert texts["u9"].startswith("Masih terdapat 7 dari 50 responden")
    # U4 (Biaya/Tarif): everyone answered 4, grade A.
    assert texts["u4"].startswith("Seluruh responden yang menjawab")
    assert "sangat baik dan perlu dipertahankan" in texts["u4"]
    assert "1. Undang-Undang Nomor 25 Tahun 2009" in texts["dasar_hukum"]


def test_working_days_by_hand():
    # Mon 1 Jul 2024 .. Sun 7 Jul 2024: five weekdays (1 Muharram falls on Sun 7 Jul); a single Saturday: none.
    assert working_days(dt.date(2024, 7, 1), dt.date(2024, 7, 7)) == 5
    # Mon 23 .. Fri 27 Dec 2024: five weekdays minus Natal (Wed 25) and cuti bersama (Thu 26).
    assert working_days(dt.date(2024, 12, 23), dt.date(2024, 12, 27)) == 3
    assert working_days(dt.date(2024, 7, 6), dt.date(2024, 7, 6)) == 0
    assert working_days(dt.date(2024, 7, 5), dt.date(2024, 7, 8)) == 2
    assert working_days(dt.date(2024, 7, 8), dt.date(2024, 7, 1)) == 0


def test_saving_the_generated_text_unchanged_keeps_it_baku(closed_round, alice):
    section = section_save(round=closed_round, key="penutup", text="  Teks  ", user=alice, generated="Teks")
    assert section.text == "" and not section.is_custom
    assert section.history.first().history_user == alice


def test_reset_returns_to_the_generated_text(closed_round, alice):
    section_save(round=closed_round, key="penutup", text="Teks unit sendiri.", user=alice)
    section = section_reset(round=closed_round, key="penutup", user=alice)
    assert section.text == ""
    assert section.history.count() == 2


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("tidak_ada", "x", "tidak dikenal"),
        ("penutup", "   ", "kosong"),
        ("penutup", "x" * 20_001, "batasnya 20.000 karakter"),
    ],
)
def test_bad_section_input_is_refused(closed_round, alice, key, text, message):
    with pytest.raises(ValidationError) as exc:
        section_save(round=closed_round, key=key, text=text, user=alice)
    assert message in " ".join(exc.value.messages)
    assert not closed_round.report_sections.exists()


def test_publication_locks_the_text_and_reopening_unlocks_it(closed_round, alice, bob):
    section_save(round=closed_round, key="kesimpulan", text="Kesimpulan versi pertama.", user=alice)
    publication = round_publish_with_report(round=closed_round, user=bob, note="")
    assert publication.snapshot["narrative"]["kesimpulan"] == "Kesimpulan versi pertama."
    # Every section is frozen, the kept (generated) ones too.
    assert set(publication.snapshot["narrative"]) == {s.key.value for s in SECTIONS}
    assert publication.snapshot["narrative"]["penutup"].startswith("Demikian Laporan Survei Kepuasan Masyarakat")
    with pytest.raises(ValidationError) as exc:
        section_save(round=closed_round, key="kesimpulan", text="Diubah diam-diam.", user=alice)
    assert "mengunci teks laporan" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        section_reset(round=closed_round, key="kesimpulan", user=alice)
    round_open(unit=closed_round.unit, period=closed_round.period, user=alice, reason="koreksi")
    section_save(round=closed_round, key="kesimpulan", text="Kesimpulan versi kedua.", user=alice)
    publication.refresh_from_db()
    assert publication.snapshot["narrative"]["kesimpulan"] == "Kesimpulan versi pertama."


def test_report_date_drives_cover_signature_and_schedule(closed_round, tmp_path):
    closed_round.report_date = dt.date(2025, 1, 15)
    closed_round.report_place = "Pulutan"
    closed_round.save()
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=closed_round.unit, period=closed_round.period, target=out)
    text = pdftext(out)
    assert "Pulutan, 15 Januari 2025" in text
    assert "Penyusunan dan Pelaporan Hasil 15 Januari 2025" in text
    cover = text[: text.index("KATA PENGANTAR")]
    assert "2025" in cover and str(timezone.localdate().year) not in cover.replace("2025", "")


def test_report_date_defaults_to_the_close_date_and_city(closed_round, tmp_path):
    out = tmp_path / "f.pdf"
    report_pdf_write(kind="pdf_followup", unit=closed_round.unit, period=closed_round.period, target=out)
    text = pdftext(out)
    assert "Salatiga, 20 Desember 2024" in text
    cover = text[: text.index("BAB I")]
    assert cover.rstrip().endswith("2024")


def test_narrative_mapping_shape(closed_round, report_plan, alice):
    from reports.context import followup_context, survey_context

    section_save(round=closed_round, key="lhtl_kesimpulan", text="- satu\n- dua", user=alice)
    survey = survey_context(unit=closed_round.unit, period=closed_round.period, weight_mode=WeightMode.EXACT)
    followup = followup_context(unit=closed_round.unit, period=closed_round.period, weight_mode=WeightMode.EXACT)
    assert set(survey.narrative) == {s.key.value for s in SECTIONS if s.report == SURVEY}
    assert set(followup.narrative) == {s.key.value for s in SECTIONS if s.report == FOLLOWUP}
    assert all(isinstance(v, tuple) for v in survey.narrative.values())
    (block,) = followup.narrative["lhtl_kesimpulan"]
    assert block.kind is BlockKind.BULLETS and block.items == ("satu", "dua")


def test_saran_summary_lists_the_most_frequent_saran(unit, period):
    from surveys.tests.factories import ResponseFactory

    for i, text in enumerate(["Antrean  dipercepat"] * 3 + ["Parkir diperluas"] * 2 + ["Toilet", "Kipas angin"]):
        ResponseFactory(unit=unit, period=period, number=i + 1, suggestion=text, U1=4)
    rnd = SurveyRound.objects.get(unit=unit, period=period)
    res = unit_results_get(unit=unit, period=period, weight_mode=WeightMode.EXACT)
    facts = narrative_facts_build(unit=unit, period=period, result=res.result, distributions=res.distributions, rnd=rnd)
    # 7 respondents wrote a saran; the top three by count, ties by text ("Kipas" < "Toilet").
    assert generated_texts(facts)["saran_ringkasan"] == (
        "Dari 7 responden yang menulis saran, saran yang paling sering disampaikan adalah:\n"
        "- Antrean dipercepat (3 responden)\n"
        "- Parkir diperluas (2 responden)\n"
        "- Kipas angin (1 responden)"
    )
