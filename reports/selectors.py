"""Reads for the report builder: export jobs and the data behind both reports.

Access is checked by the views with ``surveys.selectors.unit_get_for_user``
before anything here runs. All survey numbers come from database aggregates
(``response_tallies``) and the pure arithmetic in ``skm.rules.ikm``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from skm.rules.unsur import UNSUR_CODES
from surveys.access import user_unit_access
from surveys.models import Period, Response, Unit

from .models import ExportJob

# ---------------------------------------------------------------- export jobs


def export_job_list_for_user(*, user, unit: Unit | None = None) -> QuerySet[ExportJob]:
    """Jobs of the units the user can read (newest first), optionally of one unit."""
    qs = ExportJob.objects.select_related("unit", "period", "requested_by")
    access = user_unit_access(user=user)
    if unit is not None:
        return qs.filter(unit=unit) if access.can_read(unit.id) else qs.none()
    return qs if access.readable is None else qs.filter(unit_id__in=access.readable)


def export_job_get_for_user(*, user, job_id: int) -> ExportJob:
    """The job if its unit is readable by the user; 404 otherwise (ids are not secrets,
    but a 404 tells an outsider nothing)."""
    job = ExportJob.objects.select_related("unit", "period", "requested_by").filter(pk=job_id).first()
    if job is None or not user_unit_access(user=user).can_read(job.unit_id):
        raise Http404("Tugas ekspor tidak ditemukan.")
    return job


# ------------------------------------------------------------ survey numbers
# The IKM numbers, profile, distributions, adequacy and trend come from
# surveys.selectors.unit_results_get; only report-specific reads live here.


def respondent_rows(*, unit: Unit, period: Period):
    """Per-respondent rows for the appendix, streamed from the database."""
    fields = ["number", "service__name", "gender", "age", "education", "occupation"] + [c.lower() for c in UNSUR_CODES]
    return (
        Response.objects.filter(unit=unit, period=period)
        .order_by("number", "submitted_at", "id")
        .values_list(*fields)
        .iterator(chunk_size=2000)
    )


def suggestions(*, unit: Unit, period: Period) -> list[str]:
    return list(
        Response.objects.filter(unit=unit, period=period)
        .exclude(suggestion="")
        .order_by("submitted_at", "id")
        .values_list("suggestion", flat=True)
    )


def previous_period(*, period: Period) -> Period | None:
    return Period.objects.filter(kind=period.kind, start_date__lt=period.start_date).order_by("-start_date").first()
