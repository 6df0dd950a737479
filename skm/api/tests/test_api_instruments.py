"""The API speaks of instruments (issue 22 after issue 20): a round that asks
the SPAK beside the SKM shows the SPAK in its live results (token) and in every
published version (public), with the same figures as the open data.

SPAK answers (AK1..AK5, scale 1-6, weight 1/5 each), by hand:
  r1 6 5 - 6 4, r2 5 5 6 - 3, r3 4 6 6 5 -
  NRR AK1 15/3 = 5, AK2 16/3 = 5,333, AK3 12/2 = 6, AK4 11/2 = 5,5, AK5 7/2 = 3,5
  IPAK = (1/5)(5 + 16/3 + 6 + 11/2 + 7/2) x 100/6 = 760/9 = 84,44 (B)
"""

import json

import pytest
from django.urls import reverse

from surveys.models import SurveyRound
from surveys.services import response_create_paper
from surveys.services_rounds import round_set_instruments
from surveys.tests.factories import publish_round

from .conftest import bearer

pytestmark = pytest.mark.django_db

SPAK = [
    {"AK1": 6, "AK2": 5, "AK3": None, "AK4": 6, "AK5": 4},
    {"AK1": 5, "AK2": 5, "AK3": 6, "AK4": None, "AK5": 3},
    {"AK1": 4, "AK2": 6, "AK3": 6, "AK4": 5, "AK5": None},
]
EXPECTED_SPAK = {
    "code": "SPAK",
    "index_name": "IPAK",
    "respondents": 3,
    "index": "84.44",
    "grade": "B",
    "items": [
        {"code": "AK1", "nrr": "5.000"},
        {"code": "AK2", "nrr": "5.333"},
        {"code": "AK3", "nrr": "6.000"},
        {"code": "AK4", "nrr": "5.500"},
        {"code": "AK5", "nrr": "3.500"},
    ],
}


@pytest.fixture
def spak_round(unit, period, alice, during_period):
    rnd = round_set_instruments(
        round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPAK"]
    )
    for answers in SPAK:
        response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4}, more={"SPAK": answers})
    return rnd


def test_live_results_list_the_other_instruments_by_hand(client, make_token, alice, spak_round):
    body = client.get("/api/v1/units/pulutan/rounds/2024-S2/results/", **bearer(make_token(alice, ["read-unit"])))
    body = body.json()
    assert (body["instrument"], body["respondents"]) == ("SKM", 3)
    assert body["instruments"] == [EXPECTED_SPAK]


def test_live_results_without_other_instruments_are_an_empty_list(client, make_token, alice, unit, period):
    body = client.get("/api/v1/units/pulutan/rounds/2024-S2/results/", **bearer(make_token(alice, ["read-unit"])))
    assert body.json()["instruments"] == []


def test_published_versions_carry_the_instruments_as_the_open_data(client, unit, period, bob, spak_round):
    publish_round(unit, period, user=bob)
    url = f"/api/v1/units/{unit.code}/publications/"
    (row,) = client.get(url).json()["results"]
    assert row["instruments"] == [EXPECTED_SPAK]
    (open_row,) = json.loads(client.get(reverse("public_results_json", args=[unit.code])).content)["results"]
    assert row.pop("instrument") == "SKM"
    assert row == open_row
    # Filtering by an instrument keeps the versions that asked it.
    assert [r["version"] for r in client.get(url, {"instrument": "spak"}).json()["results"]] == [1]
    assert client.get(url, {"instrument": "SPKP"}).json()["results"] == []
    assert len(client.get(url, {"instrument": "SKM"}).json()["results"]) == 1


def test_the_schema_documents_the_instruments(client):
    schema = client.get("/api/v1/schema/").json()
    figures = schema["components"]["schemas"]["InstrumentFiguresOut"]["properties"]
    assert set(figures) == {"code", "index_name", "respondents", "index", "grade", "items"}
    publication = schema["components"]["schemas"]["PublicationOut"]["properties"]
    assert publication["instruments"]["items"] == {"$ref": "#/components/schemas/InstrumentFiguresOut"}


def test_a_submission_answers_every_instrument_the_round_asks(client, make_token, alice, unit, period, spak_round):
    from surveys.models import Response

    from .test_api_responses import ANSWERS, post

    secret = make_token(alice, ["write-responses"])
    created = post(client, secret, {"jawaban": {**ANSWERS, "AK1": 6, "AK2": 5, "AK3": 6, "AK4": 4, "AK5": 1}})
    assert created.status_code == 201, created.json()
    stored = Response.objects.get(pk=created.json()["id"])
    assert stored.answers("SPAK") == {"AK1": 6, "AK2": 5, "AK3": 6, "AK4": 4, "AK5": 1}
    assert stored.answers() == ANSWERS
    # An answer outside the SPAK's 1-6 scale is refused like the web form refuses it; nothing is stored.
    bad = post(client, secret, {"jawaban": {**ANSWERS, "AK1": 7}}, key="kunci-2")
    assert bad.status_code == 422 and "ak1" in bad.json()["rincian"]
    assert Response.objects.filter(unit=unit, period=period).count() == 4


def test_the_same_key_with_instrument_answers_is_a_replay_not_a_conflict(
    client, make_token, alice, unit, period, spak_round
):
    from surveys.models import Response

    from .test_api_responses import ANSWERS, post

    secret = make_token(alice, ["write-responses"])
    payload = {"jawaban": {**ANSWERS, "AK1": 6, "AK2": 5, "AK3": 6, "AK4": 4, "AK5": 3}}
    first, second = post(client, secret, payload), post(client, secret, payload)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["created"] is False and second.json()["id"] == first.json()["id"]
    other = post(client, secret, {"jawaban": {**payload["jawaban"], "AK5": 2}})
    assert (other.status_code, other.json()["kode"]) == (409, "idempotency_conflict")
    assert Response.objects.filter(unit=unit, period=period).count() == 4


def test_extra_questions_by_code_are_validated_and_stored(client, make_token, alice, unit, period, during_period):
    from surveys.models import Response
    from surveys.tests.factories import ExtraQuestionFactory

    from .test_api_responses import ANSWERS, post

    heard = ExtraQuestionFactory(unit=unit, code="T1", kind="single", choices=["Teman", "Media sosial"], required=True)
    channels = ExtraQuestionFactory(unit=unit, code="T2", kind="multiple", choices=["Loket", "Daring", "Telepon"])
    wait = ExtraQuestionFactory(unit=unit, code="T3", kind="number", choices=[])
    secret = make_token(alice, ["write-responses"])

    missing = post(client, secret, {"jawaban": ANSWERS}, key="k1")
    assert missing.status_code == 422
    assert missing.json()["rincian"][heard_field(heard)] == ["Pertanyaan ini wajib dijawab."]
    unknown = post(client, secret, {"jawaban": ANSWERS, "tambahan": {"T1": "Teman", "T9": "x"}}, key="k2")
    assert unknown.status_code == 422
    assert unknown.json()["rincian"]["tambahan"] == ["Pertanyaan tambahan tidak dikenal: T9."]
    assert not Response.objects.filter(unit=unit).exists()

    payload = {"jawaban": ANSWERS, "tambahan": {"t1": "Media sosial", "T2": ["Telepon", "Loket"], "T3": 15}}
    created = post(client, secret, payload, key="k3")
    assert created.status_code == 201, created.json()
    stored = Response.objects.get(pk=created.json()["id"])
    # Several choices are kept in the question's order.
    assert stored.extra == {str(heard.pk): "Media sosial", str(channels.pk): ["Loket", "Telepon"], str(wait.pk): 15}


def heard_field(question) -> str:
    return f"t{question.pk}"


def test_the_response_list_gives_each_instruments_answers(client, make_token, bob, unit, period, spak_round):
    body = client.get(
        "/api/v1/units/pulutan/rounds/2024-S2/responses/", **bearer(make_token(bob, ["read-unit"]))
    ).json()
    # Newest first: the third paper form's SPAK answers, AK5 left blank.
    assert body["count"] == 3
    assert body["items"][0]["instruments"] == {"SPAK": SPAK[2]}
    assert body["items"][0]["answers"]["U1"] == 4
