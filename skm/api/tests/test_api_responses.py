"""Submitting questionnaires through the API: the web form's validation and
one-statement insert, the Idempotency-Key, attribution and the throttle."""

import json

import pytest

from surveys.models import Response
from surveys.selectors import tally_totals
from surveys.tests.factories import ServiceFactory

from .conftest import bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/units/pulutan/responses/"
ANSWERS = {f"U{i}": 3 + (i % 2) for i in range(1, 10)}


def post(client, secret, payload, key="kunci-1", **extra):
    headers = {**bearer(secret), **({"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}), **extra}
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


def test_the_same_key_twice_stores_one_row_and_the_tally_matches(
    client, make_token, alice, unit, period, during_period
):
    secret = make_token(alice, ["write-responses"])
    payload = {"jawaban": ANSWERS, "jenis_kelamin": "P", "usia": 30, "saran": "Antrean lebih cepat"}
    first = post(client, secret, payload)
    second = post(client, secret, payload)
    assert first.status_code == 201 and first.json()["created"] is True
    assert second.status_code == 200 and second.json() == {**first.json(), "created": False}
    other = post(client, secret, payload, key="kunci-2")
    assert other.status_code == 201
    rows = Response.objects.filter(unit=unit, period=period)
    assert rows.count() == 2
    stored = rows.get(pk=first.json()["id"])
    assert stored.channel == Response.Channel.WEB
    assert stored.created_by == alice  # attributed to the token's user
    assert stored.answers() == ANSWERS
    respondents, tallies = tally_totals(unit=unit, period=period)[None]
    assert respondents == 2
    assert {t.code: t.total for t in tallies} == {code: 2 * value for code, value in ANSWERS.items()}


def test_the_same_key_with_other_answers_is_a_conflict(client, make_token, alice, unit, period, during_period):
    secret = make_token(alice, ["write-responses"])
    assert post(client, secret, {"jawaban": ANSWERS}).status_code == 201
    conflict = post(client, secret, {"jawaban": {**ANSWERS, "U1": 1}})
    assert (conflict.status_code, conflict.json()["kode"]) == (409, "idempotency_conflict")
    assert Response.objects.count() == 1


def test_keys_belong_to_their_token(client, make_token, alice, unit, period, during_period):
    one, two = make_token(alice, ["write-responses"]), make_token(alice, ["write-responses"])
    assert post(client, one, {"jawaban": ANSWERS}).status_code == 201
    assert post(client, two, {"jawaban": ANSWERS}).status_code == 201
    assert Response.objects.count() == 2


def test_the_web_forms_validation_applies(client, make_token, alice, unit, period, during_period):
    secret = make_token(alice, ["write-responses"])
    missing = post(client, secret, {"jawaban": {**ANSWERS, "U9": 5}})
    assert missing.status_code == 422
    assert missing.json()["kode"] == "invalid" and "u9" in missing.json()["rincian"]
    minor = post(client, secret, {"jawaban": ANSWERS, "usia": 15}, key="k2")
    assert minor.status_code == 422 and "usia" in minor.json()["rincian"]
    no_key = post(client, secret, {"jawaban": ANSWERS}, key=None)
    assert no_key.status_code == 422
    assert Response.objects.count() == 0


def test_a_unit_with_several_services_needs_the_service(client, make_token, alice, unit, period, during_period):
    ktp, kk = ServiceFactory(unit=unit, name="KTP"), ServiceFactory(unit=unit, name="KK")
    secret = make_token(alice, ["write-responses"])
    assert post(client, secret, {"jawaban": ANSWERS}).status_code == 422
    stored = post(client, secret, {"jawaban": ANSWERS, "layanan": kk.pk}, key="k2")
    assert stored.status_code == 201
    assert Response.objects.get().service == kk
    assert ktp.pk != kk.pk


def test_a_closed_round_takes_nothing(client, make_token, alice, unit, period, survey_round, during_period):
    survey_round.status = survey_round.Status.CLOSED
    survey_round.save()
    response = post(client, make_token(alice, ["write-responses"]), {"jawaban": ANSWERS})
    assert (response.status_code, response.json()["kode"]) == (410, "round_not_open")
    assert Response.objects.count() == 0


@pytest.mark.parametrize(("who", "status"), [("alice", 201), ("admin_user", 201), ("bob", 403), ("charlie", 403)])
def test_only_writers_of_the_unit_submit(client, request, make_token, unit, period, during_period, who, status):
    response = post(client, make_token(request.getfixturevalue(who), ["write-responses"]), {"jawaban": ANSWERS})
    assert response.status_code == status


def test_submitting_needs_the_scope_and_a_token(client, make_token, alice, unit, period, during_period):
    scoped = post(client, make_token(alice, ["read-unit"]), {"jawaban": ANSWERS})
    assert (scoped.status_code, scoped.json()["kode"]) == (403, "scope_missing")
    anonymous = client.post(URL, json.dumps({"jawaban": ANSWERS}), content_type="application/json")
    assert anonymous.status_code == 401
    assert Response.objects.count() == 0


def test_submissions_share_the_web_throttle_per_token(client, make_token, alice, unit, period, during_period, settings):
    settings.SKM_SUBMIT_RATE_LIMIT = "2/h"
    secret = make_token(alice, ["write-responses"])
    codes = [post(client, secret, {"jawaban": ANSWERS}, key=f"k{i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]
    assert Response.objects.count() == 2


def test_a_token_post_needs_no_csrf_cookie(make_token, alice, unit, period, during_period):
    """Partners are not browsers: a bearer token is the credential, so the
    CSRF check (meant for cookie sessions) must not refuse the POST."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post(strict, make_token(alice, ["write-responses"]), {"jawaban": ANSWERS}).status_code == 201


def test_a_session_alone_does_not_submit(client, alice, unit, period, during_period):
    client.force_login(alice)
    response = client.post(
        URL, json.dumps({"jawaban": ANSWERS}), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 401
    assert Response.objects.count() == 0


def test_a_malformed_body_is_a_json_422(client, make_token, alice, unit, period, during_period):
    secret = make_token(alice, ["write-responses"])
    response = client.post(
        URL, "{not json", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k", **bearer(secret)
    )
    assert response.status_code == 400
    assert response.json() == {
        "galat": "Isi permintaan tidak dapat dibaca: kirim JSON yang sah.",
        "kode": "bad_request",
    }
    typed = post(client, secret, {"jawaban": "semua baik"}, HTTP_ACCEPT_LANGUAGE="en")
    assert typed.status_code == 422
    assert typed.json()["galat"] == "The request is not valid." and typed.json()["rincian"]
    assert Response.objects.count() == 0


def test_invalid_submissions_count_against_the_throttle(
    client, make_token, alice, unit, period, during_period, settings
):
    settings.SKM_SUBMIT_RATE_LIMIT = "2/h"
    secret = make_token(alice, ["write-responses"])
    bad = {"jawaban": {"U1": 4}}
    assert [post(client, secret, bad, key=f"b{i}").status_code for i in range(3)] == [422, 422, 429]
    assert post(client, secret, {"jawaban": ANSWERS}, key="ok").status_code == 429


def test_a_submission_is_two_statements_when_warm(
    client, make_token, alice, unit, period, during_period, django_assert_num_queries
):
    """The token with its user and the user's unit roles (one statement), then
    the web's one-statement insert: no idempotency look-up on a new key, the
    open round from the web path's per-process cache. (In a test the insert
    runs inside a savepoint: SAVEPOINT and RELEASE are counted too.)"""
    secret = make_token(alice, ["write-responses"])
    assert post(client, secret, {"jawaban": ANSWERS}, key="warm").status_code == 201  # caches, last_used_at
    with django_assert_num_queries(4) as captured:
        assert post(client, secret, {"jawaban": ANSWERS}, key="counted").status_code == 201
    sql = [q["sql"] for q in captured.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(sql) == 2
    assert "api_apitoken" in sql[0] and "unitrole" in sql[0].lower()


def test_a_stored_key_is_replayed_after_the_round_closes(
    client, make_token, alice, unit, period, survey_round, during_period
):
    secret = make_token(alice, ["write-responses"])
    first = post(client, secret, {"jawaban": ANSWERS})
    survey_round.status = survey_round.Status.CLOSED
    survey_round.save()
    again = post(client, secret, {"jawaban": ANSWERS})
    assert again.status_code == 200 and again.json() == {**first.json(), "created": False}
    other = post(client, secret, {"jawaban": {**ANSWERS, "U1": 1}})
    assert (other.status_code, other.json()["kode"]) == (409, "idempotency_conflict")
    assert post(client, secret, {"jawaban": ANSWERS}, key="new").status_code == 410


def test_a_stored_key_is_replayed_when_throttled_or_sent_invalid(
    client, make_token, alice, unit, period, during_period, settings
):
    settings.SKM_SUBMIT_RATE_LIMIT = "1/h"
    secret = make_token(alice, ["write-responses"])
    first = post(client, secret, {"jawaban": ANSWERS})
    assert first.status_code == 201
    assert post(client, secret, {"jawaban": ANSWERS}, key="k2").status_code == 429
    assert post(client, secret, {"jawaban": ANSWERS}).status_code == 200  # over the limit, still the replay
    invalid = post(client, secret, {"jawaban": {**ANSWERS, "U1": 9}})
    assert (invalid.status_code, invalid.json()["kode"]) == (409, "idempotency_conflict")
    assert Response.objects.count() == 1


def test_the_roles_read_with_the_token_are_the_users_roles(make_token, alice, bob, unit, django_assert_num_queries):
    """api_token_authenticate reads the unit roles in the token's statement;
    user_unit_access then answers what unit_access_from_roles would."""
    from skm.api.services import api_token_authenticate
    from surveys.access import unit_access_from_roles, user_unit_access
    from surveys.tests.factories import UnitRoleFactory

    UnitRoleFactory(user=bob, unit=unit, role="staf")
    for user in (alice, bob):
        secret = make_token(user, ["write-responses"])
        api_token_authenticate(raw=secret)  # records last_used_at
        with django_assert_num_queries(1):
            token = api_token_authenticate(raw=secret)
            access = user_unit_access(user=token.user)
        expected = unit_access_from_roles(user=user)
        assert (access.staff_ids, access.supervisor_paths) == (expected.staff_ids, expected.supervisor_paths)
        assert access.can_write(unit.pk)
