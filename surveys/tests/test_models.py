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
