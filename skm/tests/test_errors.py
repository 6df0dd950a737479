"""The polite error pages tell the truth about what happened to the user's data."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from surveys.models import Response
from surveys.tests.test_questionnaire import answers, token_from

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_indonesian():
    # ChosenLanguageMiddleware leaves the last request's language active in this
    # thread; an English request must not leak into later tests.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def failing_client():
    return Client(raise_request_exception=False)


@pytest.mark.usefixtures("during_period")
def test_500_after_a_post_says_the_answer_may_not_be_saved(failing_client, unit, period, monkeypatch):
    url = reverse("surveys:questionnaire", args=[unit.code])
    page = failing_client.get(url)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("surveys.views.questionnaire.response_create_web", broken)
    response = failing_client.post(url, answers(token=token_from(page.content.decode())))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi gangguan" in html
    assert "mungkin belum tersimpan" in html and "kirim sekali lagi" in html
    # The old page promised the data was safe although nothing was stored.
    assert "tidak hilang" not in html
    assert Response.objects.count() == 0


def test_500_on_a_page_view_does_not_talk_about_saving(failing_client, unit, period, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("cache went away")

    monkeypatch.setattr("surveys.views.questionnaire.questionnaire_context", broken)
    response = failing_client.get(reverse("surveys:questionnaire", args=[unit.code]))
    assert response.status_code == 500
    html = response.content.decode()
    assert "halaman ini tidak dapat ditampilkan" in html
    assert "tersimpan" not in html


def test_500_page_in_english(failing_client, unit, period, monkeypatch):
    monkeypatch.setattr(
        "surveys.views.questionnaire.questionnaire_context", lambda **kw: (_ for _ in ()).throw(RuntimeError())
    )
    failing_client.cookies["django_language"] = "en"
    html = failing_client.get(reverse("surveys:questionnaire", args=[unit.code])).content.decode()
    assert "this page could not be shown" in html
