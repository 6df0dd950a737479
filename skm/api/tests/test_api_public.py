"""The public API: no token, the same rows as the open data, never more."""

import json

import pytest
from django.urls import reverse

from surveys.models import RoundPublication
from surveys.tests.factories import PeriodFactory, SurveyRoundFactory, UnitFactory, publish_round

pytestmark = pytest.mark.django_db


def test_units_lists_active_units_paginated_and_by_parent(client, unit, district, city, other_unit):
    UnitFactory(code="lama", name="Unit Lama", parent=district, is_active=False)
    body = client.get("/api/v1/units/").json()
    codes = [u["code"] for u in body["items"]]
    assert body["count"] == len(codes) == 5
    assert "lama" not in codes
    assert {"code": "pulutan", "name": "Kelurahan Pulutan", "parent": "sidorejo"} in body["items"]
    assert set(body["items"][0]) == {"code", "name", "parent"}
    children = client.get("/api/v1/units/", {"parent": "sidorejo"}).json()
    assert [u["code"] for u in children["items"]] == ["pulutan"]
    page = client.get("/api/v1/units/", {"page_size": 2, "page": 2}).json()
    assert len(page["items"]) == 2 and page["count"] == 5


def test_publications_are_the_open_data_rows_and_only_published_versions(
    client, unit, period, reference_responses, bob
):
    publish_round(unit, period, user=bob)
    publish_round(unit, period, user=bob, note="Koreksi")  # version 2
    draft_period = PeriodFactory(code="2025-S1")
    SurveyRoundFactory(unit=unit, period=draft_period)  # open, never published
    response = client.get(f"/api/v1/units/{unit.code}/publications/")
    assert response.status_code == 200
    body = response.json()
    open_data = json.loads(client.get(reverse("public_results_json", args=[unit.code])).content)
    assert [r["version"] for r in body["results"]] == [2, 1]
    assert {r["period"] for r in body["results"]} == {"2024-S2"}
    assert RoundPublication.objects.count() == 2
    for api_row, open_row in zip(body["results"], open_data["results"], strict=True):
        assert api_row.pop("instrument") == "SKM"
        # Nothing the open data does not show, and exactly its figures.
        assert api_row == open_row


def test_publications_filter_by_period_and_instrument(client, unit, period, reference_responses, bob):
    publish_round(unit, period, user=bob)
    url = f"/api/v1/units/{unit.code}/publications/"
    assert len(client.get(url, {"period": "2024-s2"}).json()["results"]) == 1
    assert client.get(url, {"period": "2025-S1"}).json()["results"] == []
    assert client.get(url, {"instrument": "SPKP"}).json()["results"] == []
    assert len(client.get(url, {"instrument": "SKM"}).json()["results"]) == 1


def test_publications_etag_answers_304_until_a_new_version(client, unit, period, reference_responses, bob):
    publish_round(unit, period, user=bob)
    url = f"/api/v1/units/{unit.code}/publications/"
    first = client.get(url)
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=300"
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    publish_round(unit, period, user=bob, note="Koreksi")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_unknown_or_inactive_unit_is_a_json_404(client, unit):
    unit.is_active = False
    unit.save()
    response = client.get(f"/api/v1/units/{unit.code}/publications/")
    assert response.status_code == 404
    assert response.json() == {"galat": "Tidak ditemukan.", "kode": "not_found"}
    english = client.get("/api/v1/units/nope/publications/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"galat": "Not found.", "kode": "not_found"}


def test_a_units_page_is_two_queries_whatever_the_tree(client, unit, other_unit, django_assert_max_num_queries):
    for i in range(60):
        UnitFactory(code=f"desa-{i}", name=f"Desa {i}", parent=unit)
    with django_assert_max_num_queries(2):
        body = client.get("/api/v1/units/").json()
    assert body["count"] == 65 and len(body["items"]) == 50


def test_a_token_gets_nothing_more_from_the_public_endpoints(
    client, unit, period, reference_responses, bob, admin_user
):
    from skm.api.services import api_token_create

    publish_round(unit, period, user=bob)
    _token, secret = api_token_create(user=admin_user, name="A", scopes=["read-public", "read-unit"])
    url = f"/api/v1/units/{unit.code}/publications/"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").json() == client.get(url).json()
    assert (
        client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
        == client.get("/api/v1/units/").json()
    )
