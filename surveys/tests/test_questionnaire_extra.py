"""The questionnaire with the unit's extra questions: shown after the nine
unsur, validated, stored in the same row, never part of the IKM."""

import re

import pytest

from skm.rules.ikm import WeightMode
from surveys.models import ItemTally, Response
from surveys.results import unit_ikm_breakdown
from surveys.services_extra import extra_question_create, extra_question_set_active
from surveys.tests.test_questionnaire import submit, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during_period")]


@pytest.fixture
def questions(unit, alice):
    return [
        extra_question_create(
            unit=unit,
            user=alice,
            text="Dari mana Anda tahu layanan ini?",
            kind="single",
            choices=["Teman", "Media sosial"],
            required=True,
        ),
        extra_question_create(
            unit=unit,
            user=alice,
            text="Fasilitas yang dipakai?",
            kind="multiple",
            choices=["Parkir", "Ruang tunggu", "Toilet"],
        ),
        extra_question_create(unit=unit, user=alice, text="Berapa kali datang tahun ini?", kind="number"),
        extra_question_create(unit=unit, user=alice, text="Tanggal kunjungan pertama?", kind="date"),
        extra_question_create(unit=unit, user=alice, text="Satu kata untuk kami?", kind="text"),
    ]


def test_extra_questions_render_after_the_unsur_and_before_saran(client, unit, period, questions):
    html = client.get(url(unit)).content.decode()
    assert html.index('name="u9"') < html.index("Dari mana Anda tahu layanan ini?") < html.index('name="saran"')
    assert f'name="t{questions[1].pk}" value="Ruang tunggu"' in html
    assert 'type="date"' in html


def test_submit_stores_extra_answers_in_the_row(client, unit, period, questions):
    q1, q2, q3, q4, q5 = questions
    response = submit(
        client,
        unit,
        **{
            q1.field: "Teman",
            q2.field: ["Toilet", "Parkir"],
            q3.field: "3",
            q4.field: "2024-08-17",
            q5.field: " Ramah ",
        },
    )
    assert response.status_code == 302
    row = Response.objects.get()
    assert row.extra == {
        q1.key: "Teman",
        q2.key: ["Parkir", "Toilet"],
        q3.key: 3,
        q4.key: "2024-08-17",
        q5.key: "Ramah",
    }


def test_optional_extras_may_stay_blank(client, unit, period, questions):
    q1 = questions[0]
    assert submit(client, unit, **{q1.field: "Media sosial"}).status_code == 302
    assert Response.objects.get().extra == {q1.key: "Media sosial"}


@pytest.mark.parametrize(
    ("index", "value", "message"),
    [
        (0, "", "Pertanyaan ini wajib dijawab."),
        (0, "Koran", "Pilih salah satu jawaban yang tersedia."),
        (1, "Kolam", "Pilih hanya jawaban yang tersedia."),
        (2, "tiga", "Jawaban harus berupa angka."),
        (3, "2999-01-01", "Tanggal harus antara 1 Januari 1900 dan satu tahun dari hari ini."),
    ],
)
def test_bad_extra_answer_is_400_with_message_and_nothing_saved(client, unit, period, questions, index, value, message):
    data = {questions[0].field: "Teman", questions[index].field: value}
    response = submit(client, unit, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'href="#f-{questions[index].field}"' in html
    assert not Response.objects.exists()


def test_a_change_to_the_questions_shows_at_once_on_the_cached_page(client, unit, period, questions):
    first = client.get(url(unit)).content.decode()
    assert "Satu kata untuk kami?" in first
    extra_question_set_active(question=questions[4], user=None, active=False)
    second = client.get(url(unit)).content.decode()
    assert "Satu kata untuk kami?" not in second
    assert re.search(r"Dari mana Anda tahu", second)


def test_ikm_is_identical_with_and_without_extra_answers(client, unit, period, questions):
    q1 = questions[0]
    for _ in range(3):
        assert submit(client, unit, **{q1.field: "Teman", questions[2].field: "7"}).status_code == 302
    with_extra = unit_ikm_breakdown(unit=unit, period=period, weight_mode=WeightMode.EXACT)[0]
    tallies = list(ItemTally.objects.values())
    Response.objects.update(extra={})
    without = unit_ikm_breakdown(unit=unit, period=period, weight_mode=WeightMode.EXACT)[0]
    assert with_extra.ikm_exact == without.ikm_exact and with_extra.ikm is not None
    assert Response.objects.exclude(extra={}).count() == 0
    assert tallies == list(ItemTally.objects.values())
