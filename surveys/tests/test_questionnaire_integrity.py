"""Questionnaire integrity without a browser: no caching, no autocomplete, no
inline script, and a friendly CSRF failure that keeps the respondent's answers."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import Response, SurveyRound
from surveys.tests.test_questionnaire import answers, submit, token_from, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during_period")]


def assert_not_cacheable(response):
    cache_control = response["Cache-Control"]
    for directive in ("no-store", "no-cache", "must-revalidate", "private", "max-age=0"):
        assert directive in cache_control, cache_control


def test_form_thanks_and_error_pages_are_not_cacheable(client, unit, period):
    assert_not_cacheable(client.get(url(unit)))
    assert_not_cacheable(client.get(url(unit, kiosk=1)))
    posted = submit(client, unit)
    assert posted.status_code == 302
    assert_not_cacheable(client.get(posted["Location"]))
    invalid = client.post(url(unit), {"token": "x"})
    assert invalid.status_code == 400
    assert_not_cacheable(invalid)


def test_form_and_its_fields_do_not_autocomplete(client, unit, period):
    html = client.get(url(unit)).content.decode()
    form_tag = re.search(r"<form method=\"post\"[^>]*>", html).group(0)
    assert 'autocomplete="off"' in form_tag and 'id="kuesioner"' in form_tag
    for name in ("usia", "saran", "pendidikan", "pekerjaan"):
        tag = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'autocomplete="off"' in tag, name


def test_no_inline_script_or_handler_on_the_respondent_pages(client, unit, period):
    forms = [client.get(url(unit)), client.get(url(unit, kiosk=1)), client.post(url(unit), {"token": "x"})]
    posted = submit(client, unit, path=url(unit, kiosk=1))
    for page in [*forms, client.get(posted["Location"])]:
        html = page.content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert not re.search(r"\son[a-z]+=", html)
    for page in forms:
        assert "/static/js/questionnaire.js" in page.content.decode()


def test_kiosk_form_carries_idle_timeout_and_clean_reset_url(client, unit, period, settings):
    settings.SKM_KIOSK_IDLE_SECONDS = 45
    html = client.get(url(unit, kiosk=1)).content.decode()
    assert 'data-idle-seconds="45"' in html
    assert f'data-reset-url="{url(unit)}?kiosk=1"' in html
    assert 'id="kiosk-idle"' in html and "Saya masih mengisi" in html
    phone = client.get(url(unit)).content.decode()
    assert "data-idle-seconds" not in phone and 'id="kiosk-idle"' not in phone


def test_kiosk_thanks_page_returns_to_a_new_form_also_without_javascript(client, unit, period):
    posted = submit(client, unit, path=url(unit, kiosk=1))
    html = client.get(posted["Location"]).content.decode()
    assert 'data-kiosk-return="/isi/pulutan/?kiosk=1" data-kiosk-seconds="6"' in html
    assert re.search(
        r"<noscript><meta http-equiv=\"refresh\" content=\"6;url=/isi/pulutan/\?kiosk=1\"></noscript>", html
    )


# --- CSRF failure (CSRF_FAILURE_VIEW) -----------------------------------------


@pytest.fixture
def strict():
    """A browser that enforces CSRF like a real one (the test client skips it by default)."""
    return Client(enforce_csrf_checks=True)


def test_questionnaire_without_csrf_cookie_keeps_the_answers(strict, unit, period):
    page = strict.get(url(unit))
    token = token_from(page.content.decode())
    strict.cookies.clear()  # the browser dropped its cookies
    data = answers(token=token, saran="Tolong tambah kursi", u4="1")
    response = strict.post(url(unit), data)
    assert response.status_code == 403
    html = response.content.decode()
    assert "CSRF" not in html and "Forbidden" not in html
    assert "Jawaban Anda belum terkirim." in html and "izinkan cookie" in html
    # What the respondent typed is back in the form, with a fresh token and a fresh cookie.
    assert ">Tolong tambah kursi</textarea>" in html
    assert 'name="u4" value="1" required checked' in html
    assert 'name="usia" id="id_usia" autocomplete="off"' in html and 'value="34"' in html
    new_token = token_from(html)
    assert new_token != token
    assert "csrftoken" in response.cookies
    assert_not_cacheable(response)
    assert Response.objects.count() == 0

    # One more press of Kirim (the browser now sends the new cookie) stores it once.
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    stored = strict.post(url(unit), {**data, "token": new_token, "csrfmiddlewaretoken": csrf})
    assert stored.status_code == 302
    assert Response.objects.get().suggestion == "Tolong tambah kursi"


def test_service_questionnaire_csrf_failure_keeps_the_fixed_service(strict, unit, period):
    from surveys.tests.factories import ServiceFactory

    service = ServiceFactory(unit=unit, name="Surat Pindah")
    path = reverse("surveys:questionnaire_service", args=[unit.code, service.pk])
    response = strict.post(path, answers(token="x"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Layanan: Surat Pindah" in html and "Jawaban Anda belum terkirim." in html


def test_csrf_failure_on_a_closed_round_explains_the_closure(strict, unit, period):
    SurveyRound.objects.filter(unit=unit, period=period).update(status=SurveyRound.Status.CLOSED)
    response = strict.post(url(unit, periode="2024-S2"), answers(token="x"))
    assert response.status_code == 410
    assert "tidak sedang dibuka" in response.content.decode()


def test_csrf_failure_elsewhere_is_a_polite_page_that_offers_the_form_again(strict, alice):
    response = strict.post(reverse("login") + "?next=/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Sesi formulir sudah berakhir" in html and "CSRF" not in html
    assert 'href="/masuk/?next=/"' in html and "Buka kembali formulir" in html
    assert_not_cacheable(response)
