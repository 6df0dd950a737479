"""A unit's export jobs through the API: the web's access rules."""

import pytest

from reports.models import ExportJob

from .conftest import bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/units/pulutan/exports/"


@pytest.fixture
def jobs(unit, period, alice, other_unit):
    mine = ExportJob.objects.create(
        kind=ExportJob.Kind.PDF_SURVEY, unit=unit, period=period, weight_mode="exact", requested_by=alice
    )
    ExportJob.objects.create(kind=ExportJob.Kind.PDF_SURVEY, unit=other_unit, period=period, weight_mode="exact")
    return [mine]


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("admin_user", 200), ("charlie", 403)])
def test_export_jobs_follow_the_web_access_rules(client, request, make_token, jobs, who, status):
    response = client.get(URL, **bearer(make_token(request.getfixturevalue(who), ["read-unit"])))
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert [j["id"] for j in body["items"]] == [jobs[0].pk]
        assert body["items"][0]["period"] == "2024-S2" and body["items"][0]["has_result"] is False


def test_export_jobs_need_a_token_with_read_unit(client, make_token, alice, jobs):
    assert client.get(URL).status_code == 401
    assert client.get(URL, **bearer(make_token(alice, ["write-rounds"]))).json()["kode"] == "scope_missing"
    assert client.get(URL, {"period": "2025-S1"}, **bearer(make_token(alice, ["read-unit"]))).json()["count"] == 0
