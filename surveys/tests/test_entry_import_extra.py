"""Paper entry and import write the unit's extra answers (blanks allowed, as on paper)."""

import io

import pytest

import surveys.services as services
from conftest import PASSWORD
from surveys.importing import ImportFileError
from surveys.models import Response
from surveys.services import import_batch_create
from surveys.tests.factories import ExtraQuestionFactory
from surveys.tests.test_entry import entry_url, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(unit):
    return (
        ExtraQuestionFactory(
            unit=unit, code="T1", order=1, text="Sumber?", kind="single", choices=["TV", "Radio"], required=True
        ),
        ExtraQuestionFactory(
            unit=unit, code="T2", order=2, text="Fasilitas?", kind="multiple", choices=["Parkir", "Toilet"]
        ),
        ExtraQuestionFactory(unit=unit, code="T3", order=3, text="Berapa kali?", kind="number"),
    )


def test_paper_entry_stores_extra_answers(client, alice, unit, period, questions):
    t1, t2, t3 = questions
    client.login(username="alice", password=PASSWORD)
    page = client.get(entry_url(unit)).content.decode()
    assert f'name="{t1.field}"' in page and f'name="{t3.field}"' in page
    response = client.post(entry_url(unit), row(**{t2.field: "Toilet; Parkir", t3.field: "4"}))
    assert response.status_code == 302
    # A required question left blank on paper stays unanswered.
    assert Response.objects.get().extra == {t2.key: ["Parkir", "Toilet"], t3.key: 4}


def test_paper_entry_refuses_a_bad_extra_answer(client, alice, unit, period, questions):
    client.login(username="alice", password=PASSWORD)
    response = client.post(entry_url(unit), row(**{questions[0].field: "Koran"}))
    assert response.status_code == 400
    assert "Pilih salah satu jawaban yang tersedia." in response.content.decode()
    assert not Response.objects.exists()


HEADER = b"no,U1,U2,U3,U4,U5,U6,U7,U8,U9,T1,T2 Fasilitas?,t3\n"


@pytest.mark.parametrize("copy", [True, False])
def test_import_reads_extra_columns_by_code(unit, period, questions, monkeypatch, copy):
    t1, t2, t3 = questions
    if not copy:

        class NoCopy(services._ResponseWriter):
            def __init__(self):
                super().__init__()
                self.copy = False

        monkeypatch.setattr(services, "_ResponseWriter", NoCopy)
    data = io.BytesIO(HEADER + b"1,4,4,4,4,4,4,4,4,4,Radio,Parkir;Toilet,2.5\n2,3,3,3,3,3,3,3,3,3,,,\n")
    result = import_batch_create(fh=data, filename="x.csv", unit=unit, period=period)
    assert result.batch.rows == 2
    extras = list(Response.objects.order_by("number").values_list("extra", flat=True))
    assert extras == [{t1.key: "Radio", t2.key: ["Parkir", "Toilet"], t3.key: 2.5}, {}]


def test_import_names_row_and_column_of_a_bad_extra_answer(unit, period, questions):
    data = io.BytesIO(HEADER + b"1,4,4,4,4,4,4,4,4,4,Koran,,banyak\n")
    with pytest.raises(ImportFileError) as caught:
        import_batch_create(fh=data, filename="x.csv", unit=unit, period=period)
    text = " ".join(caught.value.errors)
    assert "baris 2, kolom T1: Pilih salah satu jawaban yang tersedia." in text
    assert "baris 2, kolom T3: Jawaban harus berupa angka." in text
    assert not Response.objects.exists()


def test_correction_page_edits_extra_answers(client, alice, unit, period, questions):
    from django.urls import reverse

    from surveys.tests.factories import ResponseFactory

    t1, t2, t3 = questions
    other_key = "999"  # an answer to a question no longer on the unit stays as it is
    row_ = ResponseFactory(
        unit=unit,
        period=period,
        channel=Response.Channel.PAPER,
        number=5,
        U1=3,
        extra={t1.key: "TV", t3.key: 2, other_key: "lama"},
    )
    client.login(username="alice", password=PASSWORD)
    url = reverse("surveys:round_response_edit", args=[unit.code, period.code, row_.pk])
    page = client.get(url).content.decode()
    assert 'id="extra-fields"' in page and f'name="{t2.field}"' in page
    data = {"nomor": "5", "u1": "3", t1.field: "Radio", t2.field: "Toilet;Parkir", t3.field: ""}
    bad = client.post(url, {**data, t3.field: "dua"})
    assert bad.status_code == 400 and "Jawaban harus berupa angka." in bad.content.decode()
    assert client.post(url, data).status_code == 302
    row_.refresh_from_db()
    assert row_.extra == {t1.key: "Radio", t2.key: ["Parkir", "Toilet"], other_key: "lama"}
    assert row_.history.first().history_user == alice


def test_import_page_lists_the_extra_columns(client, alice, unit, period, questions):
    from django.urls import reverse

    client.login(username="alice", password=PASSWORD)
    html = client.get(reverse("surveys:import_upload", args=[unit.code])).content.decode()
    section = html[html.index('id="format-tambahan"') :]
    assert "<strong>T1</strong> Sumber? (TV; Radio)" in section and "<strong>T3</strong> Berapa kali?" in section
