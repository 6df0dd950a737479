"""The RTL through the API: the web's access rules and the report's reading of it."""

import pytest

from followup import services
from followup.models import PlanItem, Realisation
from followup.tests.conftest import plan  # noqa: F401 (fixture)

from .conftest import bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/units/pulutan/rounds/2024-S2/rtl/"


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("admin_user", 200), ("charlie", 403)])
def test_rtl_follows_the_web_access_rules(client, request, make_token, plan, who, status):  # noqa: F811
    response = client.get(URL, **bearer(make_token(request.getfixturevalue(who), ["read-unit"])))
    assert response.status_code == status


def test_rtl_needs_a_token_with_read_unit(client, make_token, alice, plan):  # noqa: F811
    assert client.get(URL).status_code == 401
    assert client.get(URL, **bearer(make_token(alice, ["write-responses"]))).json()["kode"] == "scope_missing"


def test_rtl_lists_priorities_items_and_realisations(client, make_token, alice, plan, django_assert_max_num_queries):  # noqa: F811
    first = PlanItem.objects.get(program="Pengadaan komputer")
    services.realisation_save(item=first, user=alice, status=Realisation.Status.SUDAH, description="Tiga unit dibeli")
    secret = make_token(alice, ["read-unit"])
    client.get(URL, **bearer(secret))  # the token's last use is written once a minute
    with django_assert_max_num_queries(12):
        body = client.get(URL, **bearer(secret)).json()
    assert [p["code"] for p in body["priorities"]] == ["U9", "U3"]
    items = body["priorities"][0]["items"]
    assert [i["number"] for i in items] == ["1.1", "1.2"]
    assert items[0]["realisation"]["status"] == Realisation.Status.SUDAH
    assert items[0]["realisation"]["description"] == "Tiga unit dibeli"
    assert items[1]["realisation"] is None
    assert (body["realised"], body["total"]) == (1, 3)


def test_no_rtl_is_a_json_404(client, make_token, alice, unit, period):
    response = client.get(URL, **bearer(make_token(alice, ["read-unit"])))
    assert (response.status_code, response.json()["kode"]) == (404, "not_found")
