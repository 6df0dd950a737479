"""The public page and the open data are cached per published version."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.services import plan_create_from_ikm
from surveys.services import response_create_paper
from surveys.services_rounds import round_open
from surveys.tests.factories import publish_round

pytestmark = pytest.mark.django_db

URL = "/publik/pulutan/hasil/"


def get(client, url=URL):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_second_get_is_served_from_the_cache(client, unit, period, reference_responses, monkeypatch):
    publish_round(unit, period)
    first, first_queries = get(client)
    from surveys import charts

    monkeypatch.setattr(charts, "chart_unsur_bars", lambda *a, **k: pytest.fail("chart drawn again"))
    second, second_queries = get(client)
    assert second == first
    assert 'data-testid="ikm">86,11<' in second
    assert second_queries < first_queries
    # unit, the cache token (publications, unit history, published PDFs), the live RTL card (plan).
    assert second_queries == 5


def test_new_publication_changes_the_page(client, unit, period, alice, reference_responses):
    publish_round(unit, period)
    html, _n = get(client)
    assert "versi 1" in html and 'data-testid="ikm">86,11<' in html
    round_open(unit=unit, period=period, user=alice, reason="koreksi")
    response_create_paper(unit=unit, period=period, user=alice, answers={f"U{i}": 1 for i in range(1, 10)})
    publish_round(unit, period, note="satu kuesioner kertas tertinggal")
    html, _n = get(client)
    assert "versi 2" in html and "n = 51 responden" in html
    assert 'data-testid="ikm">86,11<' not in html


def test_language_is_part_of_the_key(client, unit, period, reference_responses):
    publish_round(unit, period)
    indonesian, _n = get(client)
    client.cookies["django_language"] = "en"
    english, _n = get(client)
    assert english != indonesian


def test_unknown_version_is_never_cached(client, unit, period, reference_responses):
    assert client.get(URL + "?versi=3").status_code == 404
    publish_round(unit, period)
    assert client.get(URL + "?versi=3").status_code == 404
    assert client.get(URL + "?versi=1").status_code == 200


def test_open_data_cached_and_renewed_by_a_publication(client, unit, period, alice, reference_responses):
    publish_round(unit, period)
    url = "/publik/pulutan/hasil.json"
    first, first_queries = get(client, url)
    again, again_queries = get(client, url)
    assert again == first and again_queries < first_queries
    round_open(unit=unit, period=period, user=alice, reason="koreksi")
    publish_round(unit, period, note="ulang")
    renewed, _n = get(client, url)
    assert '"version": 2' in renewed and '"version": 2' not in first


def test_rtl_card_stays_live_under_a_cached_page(client, unit, period, alice, reference_responses):
    publish_round(unit, period)
    html, _n = get(client)
    assert "Rencana tindak lanjut belum disusun." in html
    plan_create_from_ikm(unit=unit, period=period, user=alice)
    html, _n = get(client)
    assert "Rencana tindak lanjut belum disusun." not in html and 'data-testid="rtl"' in html
