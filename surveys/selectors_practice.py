"""Reads of the questionnaire's test mode (``PracticeResponse``): only the
preview page reads this table; no result, export or public page does."""

from __future__ import annotations

from dataclasses import dataclass

from .models import PracticeClear, PracticeResponse, Unit


@dataclass(frozen=True)
class PracticeSummary:
    count: int
    latest: list[PracticeResponse]
    last_clear: PracticeClear | None


def practice_summary_for_unit(*, unit: Unit, limit: int = 5) -> PracticeSummary:
    """How many test answers the unit has, its newest ``limit`` and the last deletion."""
    count = PracticeResponse.objects.filter(unit=unit).count()
    latest = (
        list(PracticeResponse.objects.filter(unit=unit).select_related("created_by", "service", "period")[:limit])
        if count
        else []
    )
    last_clear = PracticeClear.objects.filter(unit=unit).select_related("cleared_by").first()
    return PracticeSummary(count=count, latest=latest, last_clear=last_clear)
