"""Raw data exports carry one column per extra question, neutralised like any text cell."""

import csv
import io

import pytest
from openpyxl import load_workbook

from surveys.exports_raw import export_csv_chunks, export_xlsx_write, raw_spec
from surveys.tests.factories import ExtraQuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(unit):
    return (
        ExtraQuestionFactory(unit=unit, code="T1", order=1, text="Sumber info?", kind="multiple", choices=["A", "B"]),
        ExtraQuestionFactory(unit=unit, code="T2", order=2, text="Komentar singkat?", kind="text", active=False),
        ExtraQuestionFactory(unit=unit, code="T3", order=3, text="Berapa kali?", kind="number"),
    )


@pytest.fixture
def rows(unit, period, questions):
    t1, t2, t3 = questions
    ResponseFactory(unit=unit, period=period, extra={t1.key: ["A", "B"], t2.key: "=1+2", t3.key: 2.5})
    ResponseFactory(unit=unit, period=period, extra={})


def test_csv_has_a_column_per_question_after_u9(unit, period, rows):
    text = "".join(export_csv_chunks(unit=unit, period=period, spec=raw_spec(unit=unit))).lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(text)))
    header = table[0]
    at = header.index("U9")
    assert header[at + 1 : at + 4] == ["T1 Sumber info?", "T2 Komentar singkat?", "T3 Berapa kali?"]
    assert header[at + 4] == "Saran"
    assert table[1][at + 1 : at + 4] == ["A; B", "'=1+2", "2.5"]
    assert table[2][at + 1 : at + 4] == ["", "", ""]
    assert all(len(row) == len(header) for row in table)


def test_xlsx_has_the_same_columns_and_neutralised_cells(unit, period, rows, tmp_path):
    target = tmp_path / "raw.xlsx"
    assert export_xlsx_write(unit=unit, period=period, spec=raw_spec(unit=unit), target=target) == 2
    sheet = load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    at = values[0].index("U9")
    assert values[0][at + 2] == "T2 Komentar singkat?"
    assert values[1][at + 1 : at + 4] == ["A; B", "'=1+2", 2.5]


def test_without_questions_the_columns_are_unchanged(unit, period):
    assert raw_spec(unit=unit).headers == raw_spec().headers
