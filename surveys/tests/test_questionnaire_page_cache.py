"""The questionnaire GET serves a page rendered once per process and context
(bench/README.md: the respondent's GET + POST flow). What must stay per
respondent: the one-time token, the CSRF token and cookie, the throttle; what
must follow the unit: its name, wording and services, the period, the language."""

import re

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from surveys.forms import token_read
from surveys.models import Response, SurveyRound, UnsurWording
from surveys.services_rounds import round_close
from surveys.tests.factories import ServiceFactory
from surveys.views import questionnaire as views

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during_period")]

TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url(unit, **query):
    base = reverse("surveys:questionnaire", args=[unit.code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def answers(token: str, **extra) -> dict:
    data = {"jenis_kelamin": "P", "usia": "34", "pendidikan": "SMA", "pekerjaan": "SWASTA", "saran": "", "token": token}
    data.update({f"u{i}": str(1 + i % 4) for i in range(1, 10)})
    data.update(extra)
    return data


def get_form(client, unit, **query):
    page = client.get(url(unit, **query))
    assert page.status_code == 200
    html = page.content.decode()
    return page, html, TOKEN_RE.search(html).group(1), CSRF_RE.search(html).group(1)


def test_second_get_is_served_from_the_rendered_page_with_fresh_tokens(unit, period):
    first = Client(enforce_csrf_checks=True)
    _page, html1, token1, csrf1 = get_form(first, unit)
    with CaptureQueriesContext(connection) as ctx:
        page2, html2, token2, csrf2 = get_form(Client(enforce_csrf_checks=True), unit)
    assert len(ctx.captured_queries) == 0  # unit, round and page all kept by the process
    assert page2.templates == []  # no template rendered
    assert token1 != token2 and csrf1 != csrf2
    assert views.TOKEN_SLOT not in html2 and views.CSRF_SLOT not in html2
    assert token_read(token2, unit_id=unit.pk) != token_read(token1, unit_id=unit.pk)
    # The same page apart from the two tokens.
    assert html2.replace(token2, "T").replace(csrf2, "C") == html1.replace(token1, "T").replace(csrf1, "C")
    assert "csrftoken" in page2.cookies  # the CSRF cookie is set as {% csrf_token %} sets it
    assert "no-store" in page2["Cache-Control"]


def test_each_cached_form_stores_once_and_its_replay_is_refused(unit, period):
    get_form(Client(), unit)  # renders the page
    stored = []
    for _ in range(3):
        client = Client(enforce_csrf_checks=True)
        _page, _html, token, csrf = get_form(client, unit)
        response = client.post(url(unit), answers(token, csrfmiddlewaretoken=csrf))
        assert response.status_code == 302
        replay = client.post(url(unit), answers(token, csrfmiddlewaretoken=csrf))
        assert replay.status_code == 409
        stored.append(token_read(token, unit_id=unit.pk))
    assert Response.objects.filter(unit=unit).count() == 3
    assert set(Response.objects.values_list("client_token", flat=True)) == set(stored)


def test_csrf_is_still_checked_on_the_post_of_a_cached_page(unit, period):
    get_form(Client(), unit)
    client = Client(enforce_csrf_checks=True)
    _page, _html, token, csrf = get_form(client, unit)
    # Another visitor's CSRF value does not pass with this cookie... (a page without cookie is refused too)
    other = Client(enforce_csrf_checks=True)
    refused = other.post(url(unit), answers(token, csrfmiddlewaretoken=csrf))
    assert refused.status_code == 403 and Response.objects.count() == 0
    assert client.post(url(unit), answers(token, csrfmiddlewaretoken=csrf)).status_code == 302


def test_a_forged_token_in_a_cached_page_is_refused(unit, period):
    get_form(Client(), unit)
    client = Client()
    _page, _html, token, _csrf = get_form(client, unit)
    forged = signing.dumps({"t": "0" * 32, "u": unit.pk}, salt="another-salt", compress=False)
    response = client.post(url(unit), answers(forged))
    assert response.status_code == 400 and Response.objects.count() == 0


def test_throttle_still_counts_posts_of_cached_pages(client, unit, period, settings):
    settings.SKM_SUBMIT_RATE_LIMIT = "2/h"
    codes = []
    for _ in range(3):
        _page, _html, token, _csrf = get_form(client, unit)
        codes.append(client.post(url(unit), answers(token)).status_code)
    assert codes == [302, 302, 429]
    assert Response.objects.count() == 2


def test_the_page_follows_the_unit_wording_services_and_round(unit, period):
    get_form(Client(), unit)
    unit.name = "Kelurahan Pulutan Baru"
    unit.save()
    assert "Kelurahan Pulutan Baru" in get_form(Client(), unit)[1]
    UnsurWording.objects.create(
        unit=unit, code="U8", question="Pengaduan di Pulutan?", label_1="a", label_2="b", label_3="c", label_4="d"
    )
    assert "Pengaduan di Pulutan?" in get_form(Client(), unit)[1]
    ServiceFactory(unit=unit, name="KTP")
    ServiceFactory(unit=unit, name="KK")
    assert 'name="layanan"' in get_form(Client(), unit)[1]
    round_close(round=unit.rounds.get(period=period), user=None)
    closed = Client().get(url(unit))
    assert closed.status_code == 404 and 'name="token"' not in closed.content.decode()  # "Survei belum dibuka"


def test_kiosk_and_language_get_pages_of_their_own(unit, period):
    plain = get_form(Client(), unit)[1]
    kiosk = get_form(Client(), unit, kiosk=1)[1]
    assert "data-idle-seconds" in kiosk and "data-idle-seconds" not in plain
    visitor = Client()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = visitor.get(url(unit)).content.decode()
    assert '<html lang="en">' in english and '<html lang="id">' in get_form(Client(), unit)[1]


def test_a_signed_in_visitor_gets_a_full_render(client, unit, period, alice):
    get_form(Client(), unit)
    client.login(username=alice.username, password=PASSWORD)
    page = client.get(url(unit))
    assert page.status_code == 200 and page.templates  # rendered, never a page kept for anonymous visitors
    token = TOKEN_RE.search(page.content.decode()).group(1)
    assert client.post(url(unit), answers(token)).status_code == 302


def test_a_round_opened_by_another_process_takes_answers_at_once(unit, period):
    rnd = unit.rounds.get(period=period)
    round_close(round=rnd, user=None)
    assert Client().get(url(unit)).status_code == 404  # this process now remembers "no open round"
    # Another process opens it: no signal reaches this one.
    SurveyRound.objects.filter(pk=rnd.pk).update(status=SurveyRound.Status.OPEN)
    client = Client()
    _page, _html, token, _csrf = get_form(client, unit)
    assert client.post(url(unit), answers(token)).status_code == 302
