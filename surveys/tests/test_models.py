"""Database guarantees the collection side relies on."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from surveys.models import Response, SurveyRound
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [0, 5])
def test_answers_outside_1_4_are_refused_by_the_database(unit, period, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(unit=unit, period=period, u5=value)


def test_blank_answers_are_null(unit, period):
    r = ResponseFactory(unit=unit, period=period, u5=None)
    assert Response.objects.filter(u5__isnull=True).get() == r


def test_client_token_is_unique(unit, period):
    token = uuid.uuid4()
    ResponseFactory(unit=unit, period=period, client_token=token)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(unit=unit, period=period, client_token=token)
    ResponseFactory(unit=unit, period=period, client_token=None)
    ResponseFactory(unit=unit, period=period, client_token=None)  # many NULLs allowed


@pytest.mark.parametrize("status", ["open", "closed"])
def test_admin_cannot_write_responses(client, admin_user, unit, period, status):
    """Responses change only through the services (period checks, attribution):
    the admin can neither add one (to a closed period or any), change one
    (or move it into a closed period), nor delete one."""
    from conftest import PASSWORD

    SurveyRound.objects.filter(unit=unit, period=period).update(status=status)
    r = ResponseFactory(unit=unit, period=period, u1=2)
    client.login(username="admin", password=PASSWORD)
    url = f"/admin/surveys/response/{r.pk}/change/"
    assert client.get(url).status_code == 200  # viewing is allowed
    post = {
        "unit": unit.pk,
        "period": period.pk,
        "channel": "web",
        "u1": 4,
        "submitted_at_0": "2024-08-01",
        "submitted_at_1": "10:00:00",
    }
    assert client.post(url, post).status_code == 403
    assert client.post("/admin/surveys/response/add/", post).status_code == 403
    assert client.post(f"/admin/surveys/response/{r.pk}/delete/", {"post": "yes"}).status_code == 403
    r.refresh_from_db()
    assert r.u1 == 2
    assert Response.objects.count() == 1
