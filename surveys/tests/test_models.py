"""Database guarantees the collection side relies on."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from surveys.models import Response
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


def test_admin_cannot_change_responses_of_a_closed_period(client, admin_user, unit, period):
    from conftest import PASSWORD

    r = ResponseFactory(unit=unit, period=period)
    client.login(username="admin", password=PASSWORD)
    url = f"/admin/surveys/response/{r.pk}/change/"
    assert client.post(
        url,
        {
            "unit": unit.pk,
            "period": period.pk,
            "channel": "web",
            "u1": 1,
            "submitted_at_0": "2024-08-01",
            "submitted_at_1": "10:00:00",
        },
    ).status_code in (200, 302)
    period.is_open = False
    period.save()
    r.refresh_from_db()
    before = r.u1
    client.post(
        url,
        {
            "unit": unit.pk,
            "period": period.pk,
            "channel": "web",
            "u1": 4,
            "submitted_at_0": "2024-08-01",
            "submitted_at_1": "10:00:00",
        },
    )
    r.refresh_from_db()
    assert r.u1 == before
    assert client.post(f"/admin/surveys/response/{r.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Response.objects.filter(pk=r.pk).exists()
