"""Write services of the collection side."""

import io
import uuid

import pytest
from django.core.exceptions import ValidationError

from surveys.importing import ImportFileError
from surveys.models import Response
from surveys.services import (
    DuplicateSubmission,
    PeriodClosed,
    import_batch_create,
    period_get_or_create,
    response_create_paper,
    response_create_web,
)
from surveys.tests.factories import PeriodFactory, ServiceFactory

pytestmark = pytest.mark.django_db

ALL3 = {f"U{i}": 3 for i in range(1, 10)}


def test_web_response_token_is_one_time(unit, period):
    token = uuid.uuid4()
    response_create_web(unit=unit, period=period, service=None, client_token=token, answers=ALL3)
    with pytest.raises(DuplicateSubmission):
        response_create_web(unit=unit, period=period, service=None, client_token=token, answers=ALL3)
    assert Response.objects.count() == 1


def test_closed_period_refuses_every_channel(unit, alice, tmp_path, reference_csv):
    closed = PeriodFactory(code="2024-S2", is_open=False)
    with pytest.raises(PeriodClosed):
        response_create_web(unit=unit, period=closed, service=None, client_token=uuid.uuid4(), answers=ALL3)
    with pytest.raises(PeriodClosed):
        response_create_paper(unit=unit, period=closed, user=alice, answers=ALL3)
    with reference_csv.open("rb") as fh, pytest.raises(ImportFileError, match="ditutup"):
        import_batch_create(fh=fh, filename="x.csv", unit=unit, period=closed)
    assert Response.objects.count() == 0


def test_paper_numbers_continue_and_blanks_stay_null(unit, period, alice):
    a = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4, "U9": None})
    b = response_create_paper(unit=unit, period=period, user=alice, answers={"U2": 1}, number=40)
    c = response_create_paper(unit=unit, period=period, user=alice, answers={"U3": 2})
    assert (a.number, b.number, c.number) == (1, 40, 41)
    a.refresh_from_db()
    assert a.u1 == 4 and a.u2 is None and a.u9 is None


def test_paper_service_of_another_unit_refused(unit, period, alice, other_unit):
    with pytest.raises(ValidationError):
        response_create_paper(unit=unit, period=period, user=alice, answers=ALL3,
                              service=ServiceFactory(unit=other_unit))


def test_import_rolls_back_created_unit_and_period_on_error():
    data = io.BytesIO(b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,1,1,1,1,1,1,1,7\n")
    with pytest.raises(ImportFileError):
        import_batch_create(fh=data, filename="x.csv", unit_code="baru", period_code="2031-TW2", create=True)
    from surveys.models import Period, Unit

    assert not Unit.objects.filter(code="baru").exists() and not Period.objects.filter(code="2031-TW2").exists()


def test_period_get_or_create_is_idempotent(db):
    p1, created1 = period_get_or_create(code="2025-tw3")
    p2, created2 = period_get_or_create(code="2025-TW3")
    assert p1 == p2 and created1 and not created2
    assert str(p1.start_date) == "2025-07-01" and str(p1.end_date) == "2025-09-30"
