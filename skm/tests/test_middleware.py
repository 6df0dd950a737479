import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_indonesian_by_default_even_for_english_browsers(client):
    response = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "Masuk ke SKM" in response.content.decode()


def test_language_choice_is_honoured(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/masuk/")
    assert response["Content-Language"] == "en"


def test_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/masuk/")["Content-Language"] == "id"


def test_unknown_url_gets_indonesian_404_page(client):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
