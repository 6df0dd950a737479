"""Reads for the report builder: export jobs and the data behind both reports.

Access is checked by the views with ``surveys.selectors.unit_get_for_user``
before anything here runs. All survey numbers come from database aggregates
(``response_tallies``) and the pure arithmetic in ``skm.rules.ikm``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import Http404

from skm.db_rows import rows_iter
from skm.rules.extra import ExtraSummary, summarise
from surveys.access import user_unit_access
from surveys.answers import answer_lookups
from surveys.models import ExtraQuestion, Period, Response, SurveyRound, Unit
from surveys.open_data import open_data_csv, open_data_json
from surveys.selectors_rounds import publication_open_data

from .layout import DEFAULT_LAYOUT, LhtlLayout
from .models import ExportJob, PublishedReport, ReportLayout

# ---------------------------------------------------------------- export jobs


def export_job_list_for_user(*, user, unit: Unit | None = None) -> QuerySet[ExportJob]:
    """Jobs of the units the user can read (newest first), optionally of one unit."""
    qs = ExportJob.objects.select_related("unit", "period", "requested_by")
    access = user_unit_access(user=user)
    if unit is not None:
        return qs.filter(unit=unit) if access.can_read(unit.id) else qs.none()
    return qs.filter(access.unit_q("unit__"))


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
    fields = ["number", "service__name", "gender", "age", "education", "occupation", *answer_lookups()]
    rows = Response.objects.filter(unit=unit, period=period).order_by("number", "submitted_at", "id")
    return rows_iter(rows.values_list(*fields), chunk_size=2000)


def respondent_count(*, unit: Unit, period: Period) -> int:
    return Response.objects.filter(unit=unit, period=period).count()


def appendix_in_attachment(*, unit: Unit, period: Period, respondents: int | None = None) -> bool:
    """Whether the Laporan SKM's per-respondent appendix is too long for the PDF
    (more than SKM_REPORT_APPENDIX_MAX_RESPONDENTS) and goes into the XLSX attachment."""
    if respondents is None:
        respondents = respondent_count(unit=unit, period=period)
    return respondents > settings.SKM_REPORT_APPENDIX_MAX_RESPONDENTS


def attachment_needed(*, unit: Unit, period: Period) -> bool:
    """Whether a Laporan SKM needs its XLSX attachment: the per-respondent appendix
    is too long for the PDF, or there are more distinct saran than the PDF lists."""
    if appendix_in_attachment(unit=unit, period=period):
        return True
    distinct = (
        Response.objects.filter(unit=unit, period=period).exclude(suggestion="").values("suggestion").distinct().count()
    )
    return distinct > settings.SKM_REPORT_SARAN_MAX_ROWS


@dataclass(frozen=True)
class SaranAppendix:
    """The saran of a period for the report: one row per saran while there are at
    most ``limit``; past that identical saran are merged with their count
    (``grouped``), most frequent first, and at most ``limit`` groups are listed."""

    rows: list[tuple[str, int]]  # (saran, how many respondents wrote it)
    total: int  # respondents with a saran
    distinct: int  # different saran
    grouped: bool
    limit: int

    @property
    def omitted_groups(self) -> int:
        return self.distinct - len(self.rows) if self.grouped else 0

    @property
    def omitted_saran(self) -> int:
        return self.total - sum(n for _s, n in self.rows) if self.grouped else 0


def saran_appendix(
    *, unit: Unit, period: Period, limit: int | None = None, instrument: str | None = None
) -> SaranAppendix:
    """Bounded in memory and in pages whatever the number of respondents.
    ``instrument``: only the respondents who answered that instrument (its report)."""
    limit = settings.SKM_REPORT_SARAN_MAX_ROWS if limit is None else limit
    with_saran = Response.objects.filter(unit=unit, period=period).exclude(suggestion="")
    if instrument is not None:
        with_saran = with_saran.filter(scores__has_key=instrument)
    total = with_saran.count()
    if total <= limit:
        rows = [(s, 1) for s in with_saran.order_by("submitted_at", "id").values_list("suggestion", flat=True)]
        return SaranAppendix(rows, total, total, False, limit)
    groups = with_saran.values("suggestion").annotate(n=Count("id"))
    distinct = groups.count()
    rows = [(g["suggestion"], g["n"]) for g in groups.order_by("-n", "suggestion")[:limit]]
    return SaranAppendix(rows, total, distinct, True, limit)


def previous_period(*, period: Period) -> Period | None:
    return Period.objects.filter(kind=period.kind, start_date__lt=period.start_date).order_by("-start_date").first()


# ------------------------------------------------------- published reports


def published_data_attachments(
    *, unit: Unit, period: Period, up_to_version: int | None = None
) -> list[tuple[str, bytes, str]]:
    """The round's published data as files to embed in the Laporan SKM PDF: the
    open-data CSV and JSON (``surveys.open_data``, the same as the public
    endpoints) of every published version of the round (up to ``up_to_version``).
    None while the round was never published."""
    rnd = SurveyRound.objects.filter(unit=unit, period=period).only("pk").first()
    if rnd is None:
        return []
    rows = publication_open_data(unit_ids=[unit.pk], round_id=rnd.pk, up_to_version=up_to_version)
    if not rows:
        return []
    stem = f"skm-{unit.code}-{period.code}"
    return [
        (
            f"{stem}.csv",
            open_data_csv(rows=rows).encode("utf-8"),
            f"Data terbuka hasil SKM {unit.name} {period.label} yang dipublikasikan (CSV)",
        ),
        (
            f"{stem}.json",
            open_data_json(unit_code=unit.code, subtree=False, rows=rows),
            f"Data terbuka hasil SKM {unit.name} {period.label} yang dipublikasikan (JSON)",
        ),
    ]


@dataclass(frozen=True)
class UnitPublishedReports:
    """The unit's stored Laporan SKM files (publication id -> row) and a token that
    changes whenever one is requested or finishes (the public page's cache key)."""

    by_publication: dict[int, PublishedReport]
    token: str


def published_reports_for_unit(*, unit: Unit) -> UnitPublishedReports:
    """One query: a unit has one file per published version."""
    rows = list(
        PublishedReport.objects.filter(publication__round__unit=unit, kind=PublishedReport.Kind.PDF_SURVEY).only(
            "pk", "publication_id", "status", "sha256", "size", "file", "kind"
        )
    )
    finished = sum(r.status in (PublishedReport.Status.DONE, PublishedReport.Status.FAILED) for r in rows)
    return UnitPublishedReports(
        by_publication={r.publication_id: r for r in rows},
        token=f"{max((r.pk for r in rows), default=0)}.{finished}",
    )


def _published_pdfs_served() -> QuerySet[PublishedReport]:
    """The Laporan SKM files the public download serves: stored and finished.
    The download and the DCAT catalogue both start here, so the catalogue lists
    a PDF exactly when its URL answers 200."""
    return PublishedReport.objects.filter(
        kind=PublishedReport.Kind.PDF_SURVEY, status=PublishedReport.Status.DONE
    ).exclude(file="")


def published_report_get_public(*, unit: Unit, period_code: str, version: int) -> PublishedReport:
    """A stored Laporan SKM file of a published version of the (public) unit, for
    anyone; 404 for an unknown period or version and for a file not (yet) stored."""
    report = (
        _published_pdfs_served()
        .select_related("publication__round__unit", "publication__round__period")
        .filter(
            publication__round__unit=unit,
            publication__round__period__code=period_code.upper(),
            publication__version=version,
        )
        .first()
    )
    if report is None:
        raise Http404("Laporan tidak ditemukan.")
    return report


def published_pdfs_for_publications(*, publication_ids) -> dict[int, PublishedReport]:
    """The served Laporan SKM file of each of these published versions that has
    one (publication id -> row with its SHA-256 and size). One query."""
    rows = _published_pdfs_served().filter(publication_id__in=publication_ids).only("publication_id", "sha256", "size")
    return {r.publication_id: r for r in rows}


# ------------------------------------------------------------ LHTL layout


def report_layout_get(*, unit: Unit) -> LhtlLayout:
    """The unit's LHTL layout options (issue 23); ``DEFAULT_LAYOUT`` when the unit
    has set none. One query."""
    stored = ReportLayout.objects.filter(unit_id=unit.pk).first()
    return DEFAULT_LAYOUT if stored is None else stored.as_layout()


def report_layout_row_get(*, unit: Unit) -> ReportLayout | None:
    """The stored row (who changed it and when), or None when the unit keeps the defaults."""
    return ReportLayout.objects.select_related("updated_by").filter(unit_id=unit.pk).first()


def extra_appendix(*, unit: Unit, period: Period, limit: int | None = None) -> list[ExtraSummary]:
    """The results of the unit's extra questions in the period: the questions
    still asked and any deactivated one answered in it. The answers are read in
    one pass over the period's rows that hold any (never part of an IKM)."""
    limit = settings.SKM_REPORT_SARAN_MAX_ROWS if limit is None else limit
    questions = list(ExtraQuestion.objects.filter(unit=unit).order_by("order", "id"))
    if not questions:
        return []
    rows = Response.objects.filter(unit=unit, period=period)
    respondents = rows.count()
    answers: dict[str, list] = {q.key: [] for q in questions}
    stored_rows = rows.exclude(extra={}).order_by("submitted_at", "id").values_list("extra", flat=True)
    for stored in rows_iter(stored_rows, chunk_size=2000):
        for key, value in (stored or {}).items():
            if key in answers:
                answers[key].append(value)
    return [
        summarise(
            code=q.code,
            text=q.text,
            kind=q.kind,
            choices=q.choices or [],
            answers=answers[q.key],
            respondents=respondents,
            limit=limit,
        )
        for q in questions
        if q.active or answers[q.key]
    ]
