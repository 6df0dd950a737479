"""Lampiran: Pertanyaan Tambahan in the Laporan SKM, in the PDF and the DOCX alike."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from reports.selectors import extra_appendix
from reports.services import report_docx_write, report_pdf_write
from reports.tests.test_parity import docx_sequence, missing_in_order, pdf_outline, pdf_words
from skm.rules.extra import summarise
from skm.rules.ikm import WeightMode
from surveys.tests.factories import ExtraQuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def test_summarise_choices_numbers_dates_and_texts():
    multiple = summarise(
        code="T1",
        text="Q",
        kind="multiple",
        choices=["A", "B", "C"],
        answers=[["A", "B"], ["A"], None, ["A"]],
        respondents=5,
        limit=10,
    )
    assert multiple.answered == 3
    assert multiple.choices == (("A", 3, Fraction(100)), ("B", 1, Fraction(100, 3)), ("C", 0, Fraction(0)))
    number = summarise(code="T2", text="Q", kind="number", choices=[], answers=[1, 2.5, 4], respondents=3, limit=10)
    assert (number.mean, number.minimum, number.maximum) == (Fraction(5, 2), Fraction(1), Fraction(4))
    date = summarise(
        code="T3", text="Q", kind="date", choices=[], answers=["2024-08-17", "2024-01-02"], respondents=2, limit=10
    )
    assert (date.earliest, date.latest) == (dt.date(2024, 1, 2), dt.date(2024, 8, 17))
    text = summarise(code="T4", text="Q", kind="text", choices=[], answers=["a", "b", "c"], respondents=3, limit=2)
    assert text.texts == ("a", "b") and text.texts_omitted == 1


@pytest.fixture
def extra_data(unit, period):
    q_single = ExtraQuestionFactory(
        unit=unit,
        code="T1",
        order=1,
        text="Dari mana Anda tahu layanan ini?",
        kind="single",
        choices=["Teman", "Media sosial"],
    )
    q_number = ExtraQuestionFactory(unit=unit, code="T2", order=2, text="Berapa kali datang?", kind="number")
    q_date = ExtraQuestionFactory(unit=unit, code="T3", order=3, text="Kunjungan pertama?", kind="date")
    q_text = ExtraQuestionFactory(unit=unit, code="T4", order=4, text="Satu kata untuk kami?", kind="text")
    ExtraQuestionFactory(unit=unit, code="T5", order=5, text="Lama, tanpa jawaban?", kind="text", active=False)
    answers = [
        {q_single.key: "Teman", q_number.key: 2, q_date.key: "2024-07-03", q_text.key: "<b>Ramah</b>"},
        {q_single.key: "Teman", q_number.key: 5},
        {q_single.key: "Media sosial", q_date.key: "2024-09-30"},
        {},
    ]
    for extra in answers:
        ResponseFactory(unit=unit, period=period, extra=extra, U1=3, U2=3, U3=3, U4=3, U5=3, U6=3, U7=3, U8=3, U9=3)


def test_extra_appendix_lists_active_and_answered_questions(unit, period, extra_data):
    summaries = extra_appendix(unit=unit, period=period)
    assert [s.code for s in summaries] == ["T1", "T2", "T3", "T4"]
    assert summaries[0].choices[0][:2] == ("Teman", 2) and summaries[0].respondents == 4


def test_appendix_is_in_the_pdf_and_the_docx_alike(unit, period, extra_data, tmp_path):
    pdf, word = tmp_path / "r.pdf", tmp_path / "r.docx"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, weight_mode=WeightMode.W0111, target=pdf)
    report_docx_write(kind="docx_survey", unit=unit, period=period, weight_mode=WeightMode.W0111, target=word)
    headings, sequence = docx_sequence(word)
    assert pdf_outline(pdf) == headings
    assert "Pertanyaan Tambahan" in headings
    tail = sequence[sequence.index("Pertanyaan Tambahan") :]
    expected = [
        "T1. Dari mana Anda tahu layanan ini?",
        "Teman",
        "2",
        "66,67%",
        "Media sosial",
        "1",
        "33,33%",
        "T2. Berapa kali datang?",
        "Rata-rata",
        "3,50",
        "Terkecil",
        "2",
        "Terbesar",
        "5",
        "T3. Kunjungan pertama?",
        "Paling awal",
        "3 Juli 2024",
        "Paling akhir",
        "30 September 2024",
        "T4. Satu kata untuk kami?",
        "<b>Ramah</b>",
    ]
    assert missing_in_order(expected, " ".join(tail)) == []
    words = pdf_words(pdf)
    assert missing_in_order(tail, words) == []
    assert "<b>Ramah</b>" in words  # the text answer printed as text, not markup
    assert "Lama, tanpa jawaban?" not in words
