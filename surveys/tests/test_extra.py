"""Extra questions: the answer parser and the services' rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from surveys.extra import MAX_ACTIVE, ExtraDef, parse_answer, parse_answers
from surveys.models import ExtraQuestion
from surveys.services_extra import extra_question_create, extra_question_set_active, extra_question_update
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def definition(kind, choices=(), required=False):
    return ExtraDef(id=7, code="T1", text="Q?", text_en="", kind=kind, choices=tuple(choices), required=required)


def test_parse_single_and_multiple_keep_only_listed_choices():
    single = definition("single", ["Ya", "Tidak"])
    assert parse_answer(single, " Ya ") == "Ya"
    with pytest.raises(ValidationError, match="salah satu"):
        parse_answer(single, "Mungkin")
    multiple = definition("multiple", ["A", "B", "C"])
    assert parse_answer(multiple, "C; A;A") == ["A", "C"]
    assert parse_answer(multiple, ["B"]) == ["B"]
    with pytest.raises(ValidationError):
        parse_answer(multiple, ["A", "Z"])


def test_parse_number_date_text_and_required():
    number = definition("number")
    assert parse_answer(number, "12") == 12
    assert parse_answer(number, "3,5") == 3.5
    assert parse_answer(number, "1.234,5") == 1234.5
    for bad in ("dua", "1e12", "NaN"):
        with pytest.raises(ValidationError):
            parse_answer(number, bad)
    date = definition("date")
    assert parse_answer(date, "17/08/2024") == "2024-08-17"
    with pytest.raises(ValidationError, match="satu tahun"):
        parse_answer(date, (dt.date.today() + dt.timedelta(days=800)).isoformat())
    with pytest.raises(ValidationError):
        parse_answer(date, "1800-01-01")
    text = definition("text")
    assert parse_answer(text, "  cepat \n ramah ") == "cepat ramah"
    with pytest.raises(ValidationError, match="500"):
        parse_answer(text, "x" * 501)
    required = definition("text", required=True)
    with pytest.raises(ValidationError, match="wajib"):
        parse_answer(required, "  ")
    assert parse_answer(required, "", enforce_required=False) is None
    assert parse_answer(definition("text"), "") is None


def test_parse_answers_collects_values_and_errors():
    a = ExtraDef(id=1, code="T1", text="", text_en="", kind="number", choices=(), required=True)
    b = ExtraDef(id=2, code="T2", text="", text_en="", kind="text", choices=(), required=False)
    values, errors = parse_answers((a, b), {"t1": "x", "t2": "ok"})
    assert values == {"2": "ok"} and set(errors) == {"t1"}


def test_create_gives_codes_and_checks_limits(unit, alice):
    q1 = extra_question_create(
        unit=unit, user=alice, text="Dari mana Anda tahu?", kind="single", choices=["TV", "Radio"]
    )
    q2 = extra_question_create(unit=unit, user=alice, text="Berapa kali datang?", kind="number")
    assert (q1.code, q2.code) == ("T1", "T2") and q2.choices == []
    assert q1.history.first().history_user == alice
    with pytest.raises(ValidationError):
        extra_question_create(unit=unit, user=alice, text="Q", kind="single", choices=["Satu"])
    with pytest.raises(ValidationError):
        extra_question_create(unit=unit, user=alice, text="Q", kind="single", choices=["A", "a"])
    with pytest.raises(ValidationError):
        extra_question_create(unit=unit, user=alice, text="Q", kind="multiple", choices=["A", "x" * 101])
    with pytest.raises(ValidationError):
        extra_question_create(unit=unit, user=alice, text="x" * 301, kind="text")
    with pytest.raises(ValidationError):
        extra_question_create(unit=unit, user=alice, text="  ", kind="text")
    for i in range(MAX_ACTIVE - 2):
        extra_question_create(unit=unit, user=alice, text=f"Q{i}", kind="text")
    with pytest.raises(ValidationError, match="Paling banyak"):
        extra_question_create(unit=unit, user=alice, text="Satu lagi", kind="text")
    extra_question_set_active(question=q2, user=alice, active=False)
    q11 = extra_question_create(unit=unit, user=alice, text="Satu lagi", kind="text")
    assert q11.code == "T11"  # codes are never reused
    with pytest.raises(ValidationError):
        extra_question_set_active(question=q2, user=alice, active=True)


def test_kind_and_choices_are_frozen_once_answered(unit, period, alice):
    q = extra_question_create(unit=unit, user=alice, text="Q", kind="single", choices=["Ya", "Tidak"])
    q = extra_question_update(question=q, user=alice, text="Q baru", kind="single", choices=["Ya", "Tidak", "Ragu"])
    ResponseFactory(unit=unit, period=period, extra={q.key: "Ragu"})
    with pytest.raises(ValidationError, match="sudah dijawab"):
        extra_question_update(question=q, user=alice, text="Q", kind="single", choices=["Ya", "Tidak"])
    with pytest.raises(ValidationError, match="sudah dijawab"):
        extra_question_update(question=q, user=alice, text="Q", kind="text")
    q = extra_question_update(
        question=q, user=alice, text="Redaksi lain", kind="single", choices=["Ya", "Tidak", "Ragu"], required=True
    )
    assert q.text == "Redaksi lain" and q.required
    extra_question_set_active(question=q, user=alice, active=False)
    assert ExtraQuestion.objects.get(pk=q.pk).active is False
