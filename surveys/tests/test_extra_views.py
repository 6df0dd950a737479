"""The extra questions page: staff edit, a supervisor reads, an outsider gets
403, anonymous visitors go to the login page."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import ExtraQuestion
from surveys.tests.factories import ExtraQuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def page(unit):
    return reverse("surveys:extra_questions", args=[unit.code])


def login(client, user):
    client.login(username=user.username, password=PASSWORD)


NEW = {"text": "Dari mana Anda tahu layanan ini?", "kind": "single", "choices": "Teman\nMedia sosial\n"}


@pytest.mark.parametrize(
    ("who", "get_status", "post_status", "sees_form"),
    [
        ("alice", 200, 302, True),
        ("bob", 200, 403, False),
        ("charlie", 403, 403, False),
        ("admin_user", 200, 302, True),
    ],
)
def test_page_by_role(request, client, unit, who, get_status, post_status, sees_form):
    ExtraQuestionFactory(unit=unit, text="Pertanyaan lama?")
    login(client, request.getfixturevalue(who))
    response = client.get(page(unit))
    assert response.status_code == get_status
    if get_status == 200:
        html = response.content.decode()
        assert "Pertanyaan lama?" in html
        assert ('id="form-pertanyaan"' in html) is sees_form
    assert client.post(page(unit), NEW).status_code == post_status
    assert ExtraQuestion.objects.filter(text=NEW["text"]).exists() is (post_status == 302)


def test_anonymous_is_sent_to_login(client, unit):
    response = client.get(page(unit))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.post(page(unit), NEW).status_code == 302
    assert not ExtraQuestion.objects.exists()


def test_staff_add_edit_and_deactivate(client, unit, period, alice):
    login(client, alice)
    assert client.post(page(unit), NEW).status_code == 302
    question = ExtraQuestion.objects.get()
    assert question.code == "T1" and question.choices == ["Teman", "Media sosial"]
    assert question.history.first().history_user == alice
    bad = client.post(page(unit), {**NEW, "choices": "Hanya satu"})
    assert bad.status_code == 400 and "Isi 2 sampai 20 pilihan jawaban" in bad.content.decode()
    ResponseFactory(unit=unit, period=period, extra={question.key: "Teman"})
    refused = client.post(page(unit), {**NEW, "id": question.pk, "kind": "text", "choices": ""})
    assert refused.status_code == 400 and "sudah dijawab" in refused.content.decode()
    edited = client.post(page(unit), {**NEW, "id": question.pk, "text": "Redaksi baru?", "required": "on", "order": 3})
    assert edited.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.required, question.order) == ("Redaksi baru?", True, 3)
    assert client.post(page(unit), {"aksi": "nonaktifkan", "id": question.pk}).status_code == 302
    question.refresh_from_db()
    assert question.active is False


def test_other_units_question_is_404(client, unit, other_unit, alice):
    theirs = ExtraQuestionFactory(unit=other_unit)
    login(client, alice)
    assert client.post(page(unit), {"aksi": "nonaktifkan", "id": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.active


def test_response_detail_shows_extra_answers(client, unit, period, alice, survey_round):
    active = ExtraQuestionFactory(unit=unit, text="Sumber info?", kind="multiple", choices=["TV", "Radio"])
    old = ExtraQuestionFactory(unit=unit, text="Pertanyaan lama?", kind="text", active=False)
    unused = ExtraQuestionFactory(unit=unit, text="Tidak dipakai lagi?", kind="text", active=False)
    row = ResponseFactory(unit=unit, period=period, extra={active.key: ["TV", "Radio"], old.key: "<b>ramah</b>"})
    login(client, alice)
    html = client.get(reverse("surveys:round_response_detail", args=[unit.code, period.code, row.pk])).content.decode()
    section = html[html.index('id="extra-answers"') :]
    assert "TV; Radio" in section and "&lt;b&gt;ramah&lt;/b&gt;" in section and "Pertanyaan lama?" in section
    assert unused.text not in section
