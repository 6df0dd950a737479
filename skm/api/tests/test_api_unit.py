"""Token endpoints: the web's access rules (owner alice, supervisor bob,
outsider charlie, admin), anonymous clients and tokens without the scope."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from skm.api.models import ApiToken
from skm.api.services import api_token_revoke

from .conftest import bearer

pytestmark = pytest.mark.django_db

READS = [
    "/api/v1/units/pulutan/rounds/",
    "/api/v1/units/pulutan/rounds/2024-S2/results/",
    "/api/v1/units/pulutan/rounds/2024-S2/responses/",
]


@pytest.mark.parametrize("url", READS)
@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("admin_user", 200), ("charlie", 403)])
def test_reads_follow_the_web_access_rules(
    client, request, make_token, unit, period, reference_responses, url, who, status
):
    user = request.getfixturevalue(who)
    response = client.get(url, **bearer(make_token(user, ["read-unit"])))
    assert response.status_code == status
    if status == 403:
        assert response.json()["kode"] == "forbidden"


@pytest.mark.parametrize("url", READS)
def test_reads_need_a_token(client, unit, period, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {
        "galat": "Token API diperlukan (header Authorization: Bearer).",
        "kode": "token_missing",
    }
    assert response["Content-Language"] == "id"


@pytest.mark.parametrize("url", READS)
def test_reads_need_the_read_unit_scope(client, make_token, alice, unit, period, url):
    response = client.get(url, **bearer(make_token(alice, ["write-responses"])))
    assert response.status_code == 403
    assert response.json()["kode"] == "scope_missing"


def test_revoked_expired_and_forged_tokens_are_401(client, make_token, alice, unit, period):
    url = READS[0]
    secret = make_token(alice, ["read-unit"], days=1)
    assert client.get(url, **bearer(secret)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        expired = client.get(url, **bearer(secret))
    assert (expired.status_code, expired.json()["kode"]) == (401, "token_expired")
    api_token_revoke(token=ApiToken.objects.get(), user=alice)
    revoked = client.get(url, **bearer(secret), HTTP_ACCEPT_LANGUAGE="en")
    assert (revoked.status_code, revoked.json()) == (
        401,
        {"galat": "This API token has been revoked.", "kode": "token_revoked"},
    )
    forged = client.get(url, **bearer(secret[:-2] + "xx"))
    assert (forged.status_code, forged.json()["kode"]) == (401, "token_invalid")


def test_rounds_lists_the_units_rounds_with_their_respondents(
    client, make_token, alice, unit, period, reference_responses
):
    body = client.get(READS[0], {"period": "2024-s2"}, **bearer(make_token(alice, ["read-unit"]))).json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["period"], row["status"], row["respondents"], row["publications"]) == ("2024-S2", "open", 50, [])


def test_results_are_the_live_tallies(client, make_token, alice, unit, period, reference_responses, reference_expected):
    body = client.get(READS[1], **bearer(make_token(alice, ["read-unit"]))).json()
    assert body["respondents"] == 50
    assert body["instrument"] == "SKM"
    expected = reference_expected["weights"][body["weight_mode"]]
    assert (float(body["ikm"]), body["grade"]) == (expected["ikm"], expected["grade"])
    assert [float(u["nrr"]) for u in body["unsur"]] == [u["nrr"] for u in reference_expected["unsur"]]


def test_rate_limit_per_token(client, make_token, alice, unit, period, settings):
    settings.SKM_API_RATE_LIMIT = "2/h"
    secret, other = make_token(alice, ["read-unit"]), make_token(alice, ["read-unit"])
    assert [client.get(READS[0], **bearer(secret)).status_code for _ in range(3)] == [200, 200, 429]
    limited = client.get(READS[0], **bearer(secret))
    assert limited.json()["kode"] == "rate_limited" and int(limited["Retry-After"]) > 0
    assert client.get(READS[0], **bearer(other)).status_code == 200


def test_rate_limit_lets_requests_through_while_the_cache_is_down(client, make_token, alice, unit, period, settings):
    """Issue 19 item 1 for the API: a cache outage is not a 500."""
    from unittest import mock

    from skm.cache import CacheUnavailable

    settings.SKM_API_RATE_LIMIT = "2/h"
    secret = make_token(alice, ["read-unit"])
    with mock.patch("skm.api.auth.counter_incr", side_effect=CacheUnavailable("redis down")):
        assert [client.get(READS[0], **bearer(secret)).status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 403), ("charlie", 403), ("admin_user", 200)])
def test_close_and_open_a_round_need_write_access(client, request, make_token, unit, period, who, status):
    user = request.getfixturevalue(who)
    secret = make_token(user, ["write-rounds"])
    closed = client.post("/api/v1/units/pulutan/rounds/2024-S2/close/", **bearer(secret))
    assert closed.status_code == status
    if status == 200:
        assert closed.json()["status"] == "closed"
        reopened = client.post("/api/v1/units/pulutan/rounds/2024-S2/open/", **bearer(secret))
        assert reopened.json()["status"] == "open"
        again = client.post("/api/v1/units/pulutan/rounds/2024-S2/open/", **bearer(secret))
        assert (again.status_code, again.json()["kode"]) == (409, "step_refused")


def test_round_steps_need_the_write_rounds_scope(client, make_token, alice, unit, period):
    response = client.post("/api/v1/units/pulutan/rounds/2024-S2/close/", **bearer(make_token(alice, ["read-unit"])))
    assert (response.status_code, response.json()["kode"]) == (403, "scope_missing")
    assert client.post("/api/v1/units/pulutan/rounds/2024-S2/close/").status_code == 401


def test_responses_carry_no_personal_data(client, make_token, bob, unit, period, reference_responses):
    from surveys.models import Response

    Response.objects.filter(unit=unit).update(suggestion="Rahasia", gender="P", age=40)
    body = client.get(READS[2], {"page_size": 20}, **bearer(make_token(bob, ["read-unit"]))).json()
    assert body["count"] == 50 and len(body["items"]) == 20
    row = body["items"][0]
    assert set(row) == {"id", "channel", "number", "service", "service_date", "submitted_at", "answers", "instruments"}
    assert row["instruments"] == {}  # the round asks the SKM only
    assert "Rahasia" not in json.dumps(body)
    assert set(row["answers"]) == {f"U{i}" for i in range(1, 10)}
    paper = client.get(READS[2], {"channel": "web"}, **bearer(make_token(bob, ["read-unit"]))).json()
    assert paper["count"] == Response.objects.filter(unit=unit, channel="web").count()


def test_unknown_period_is_a_json_404(client, make_token, alice, unit, period):
    response = client.get("/api/v1/units/pulutan/rounds/2031-S1/results/", **bearer(make_token(alice, ["read-unit"])))
    assert (response.status_code, response.json()["kode"]) == (404, "not_found")


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("admin_user", 200), ("bob", 403), ("charlie", 403)])
def test_set_a_report_section(client, request, make_token, unit, period, who, status):
    from reports.models import ReportSection

    user = request.getfixturevalue(who)
    url = "/api/v1/units/pulutan/rounds/2024-S2/report-sections/kesimpulan/"
    body = json.dumps({"teks": "Pelayanan baik.\n\nAntrean perlu dipercepat."})
    response = client.put(url, body, content_type="application/json", **bearer(make_token(user, ["write-rounds"])))
    assert response.status_code == status
    if status == 200:
        section = ReportSection.objects.get(key="kesimpulan")
        assert section.text == "Pelayanan baik.\n\nAntrean perlu dipercepat." and section.updated_by == user
        assert section.history.first().history_user == user
    else:
        assert not ReportSection.objects.exists()


def test_report_section_refusals(client, make_token, alice, unit, period, reference_responses):
    from surveys.tests.factories import publish_round

    secret = make_token(alice, ["write-rounds"])
    base = "/api/v1/units/pulutan/rounds/2024-S2/report-sections/"

    def put(key, text, token=secret):
        return client.put(f"{base}{key}/", json.dumps({"teks": text}), content_type="application/json", **bearer(token))

    assert (put("nope", "x").status_code, put("nope", "x").json()["kode"]) == (422, "invalid")
    assert put("kesimpulan", "  ").status_code == 422
    assert put("kesimpulan", "x", token=make_token(alice, ["read-unit"])).json()["kode"] == "scope_missing"
    publish_round(unit, period, user=alice)
    published = put("kesimpulan", "Teks baru")
    assert (published.status_code, published.json()["kode"]) == (409, "round_published")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/units/pulutan/rounds/2024-S2/open/"),
        ("post", "/api/v1/units/pulutan/rounds/2024-S2/close/"),
        ("put", "/api/v1/units/pulutan/rounds/2024-S2/report-sections/kesimpulan/"),
    ],
)
def test_writes_refuse_anonymous_clients_and_sessions(client, alice, unit, period, method, url):
    assert getattr(client, method)(url, "{}", content_type="application/json").status_code == 401
    client.force_login(alice)  # a web session is not an API credential
    assert getattr(client, method)(url, "{}", content_type="application/json").status_code == 401
