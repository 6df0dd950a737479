"""Writes of the questionnaire's test mode: staff's test answers and their deletion.

Test answers live in ``PracticeResponse`` only; nothing here touches
``Response``, the tallies, the throttle or a round, so no result can ever
count them."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from .answers import SKM_CODE, scores_pack
from .models import Period, PracticeClear, PracticeResponse, Service, Unit
from .services import DuplicateSubmission


def practice_response_create(
    *,
    unit: Unit,
    period: Period | None,
    service: Service | None,
    client_token: uuid.UUID,
    answers: dict[str, int | None],
    user,
    gender: str = "",
    age: int | None = None,
    education: str = "",
    occupation: str = "",
    disability: str = "",
    guardian_consent: bool = False,
    suggestion: str = "",
) -> PracticeResponse:
    """Store one test answer of ``user``; a reused form token raises DuplicateSubmission.

    No round needs to be open: a unit tries its questionnaire before opening one."""
    values = {"scores": {SKM_CODE: scores_pack(answers=answers)}}
    try:
        with transaction.atomic():
            return PracticeResponse.objects.create(
                unit=unit,
                period=period,
                service=service,
                gender=gender,
                age=age,
                education=education,
                occupation=occupation,
                disability=disability,
                guardian_consent=guardian_consent,
                suggestion=suggestion,
                submitted_at=timezone.now(),
                created_by=user,
                client_token=client_token,
                **values,
            )
    except IntegrityError as exc:
        if PracticeResponse.objects.filter(client_token=client_token).exists():
            raise DuplicateSubmission from exc
        raise


@transaction.atomic
def practice_response_clear(*, unit: Unit, user) -> int:
    """Delete every test answer of ``unit`` and record who did it; the number deleted."""
    deleted, _per_model = PracticeResponse.objects.filter(unit=unit).delete()
    if deleted:
        PracticeClear.objects.create(unit=unit, cleared_at=timezone.now(), cleared_by=user, count=deleted)
    return deleted
