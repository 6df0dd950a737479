"""Writes for the surveys app."""

from __future__ import annotations

from django.db import transaction

from .models import Period
from .periods import parse_period_code


@transaction.atomic
def period_get_or_create(*, code: str, is_open: bool = True) -> tuple[Period, bool]:
    """Create a period from its code; dates follow the code grammar."""
    spec = parse_period_code(code)
    return Period.objects.get_or_create(
        code=spec.code,
        defaults={"kind": spec.kind, "start_date": spec.start, "end_date": spec.end, "is_open": is_open},
    )
