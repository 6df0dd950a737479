"""The fixed, dated file of a published version (``PublishedReport``).

A publication (``services_narrative.round_publish_with_report``) asks for the
Laporan SKM PDF of that version in the same transaction; once it commits, the
Celery task ``reports.tasks.build_published_report`` renders it once, with the
round's published data (the open-data CSV and JSON up to that version) embedded,
stores the bytes and their SHA-256, and the public page serves exactly those
bytes. A row is claimed by a conditional UPDATE, so a repeated or redelivered
message does nothing, and a file is never rebuilt once done.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from skm.rules.ikm import parse_weight_mode
from skm.rules.rounds import RoundStatus
from surveys.models import RoundPublication

from .models import ExportJob, PublishedReport
from .selectors import published_data_attachments

logger = logging.getLogger(__name__)

HARD_LIMIT_MARGIN = 30  # seconds between the soft limit and the hard kill

SUPERSEDED = gettext_noop(
    "Putaran sudah dibuka kembali atau dipublikasikan ulang sebelum berkas versi ini dibuat; "
    "berkasnya tidak dibuat dari data yang sudah berubah."
)


def published_report_time_limit(*, publication: RoundPublication) -> int:
    """Soft time limit of the task: the export jobs' limit for this many respondents."""
    from .services import export_time_limit

    return export_time_limit(rows=publication.respondents)


def published_reports_request(*, publication: RoundPublication) -> list[PublishedReport]:
    """Ask for the files of a new publication (call inside its transaction): one
    pending row per kind, enqueued once the transaction commits. Idempotent."""
    reports = []
    for kind in PublishedReport.Kind.values:
        report, created = PublishedReport.objects.get_or_create(publication=publication, kind=kind)
        if created:
            transaction.on_commit(functools.partial(published_report_enqueue, report_id=report.pk))
        reports.append(report)
    return reports


def published_report_enqueue(*, report_id: int) -> bool:
    """Send the build task; with the broker down the row stays pending (logged),
    and ``published_reports_requeue`` sends it again later."""
    from .tasks import build_published_report

    report = PublishedReport.objects.select_related("publication").filter(pk=report_id).first()
    if report is None:
        return False
    limit = published_report_time_limit(publication=report.publication)
    try:
        build_published_report.apply_async(
            args=[report_id], retry=False, soft_time_limit=limit, time_limit=limit + HARD_LIMIT_MARGIN
        )
    except Exception as exc:  # kombu OperationalError, redis ConnectionError, socket errors
        logger.warning("published report %s: queue unavailable: %s", report_id, exc)
        return False
    return True


def _claimable(now: dt.datetime) -> Q:
    # Pending, or running for longer than any run may last (its worker died).
    stale = now - dt.timedelta(seconds=int(settings.SKM_EXPORT_TIME_LIMIT_MAX) + 2 * HARD_LIMIT_MARGIN)
    return Q(status=PublishedReport.Status.PENDING) | Q(status=PublishedReport.Status.RUNNING, started_at__lt=stale)


def _superseded(publication: RoundPublication) -> bool:
    """The round changed since this version was published (reopened, or a later
    version exists): the report would no longer show this version's data."""
    rnd = publication.round
    latest = rnd.publications.aggregate(v=Max("version"))["v"]
    return rnd.state is not RoundStatus.PUBLISHED or latest != publication.version


def published_report_build(*, report_id: int, last_attempt: bool = True) -> str:
    """Render, store and hash one published report. Returns its final status.

    A failure puts the row back to pending for the task's next retry (or marks
    it failed on the ``last_attempt``) and re-raises."""
    from .services import report_pdf_write  # WeasyPrint: only in the worker

    now = timezone.now()
    claimed = (
        PublishedReport.objects.filter(_claimable(now), pk=report_id)
        .exclude(status=PublishedReport.Status.DONE)
        .update(status=PublishedReport.Status.RUNNING, started_at=now, attempts=F("attempts") + 1, error="")
    )
    if not claimed:
        report = PublishedReport.objects.filter(pk=report_id).first()
        return report.status if report else "missing"
    report = PublishedReport.objects.select_related("publication__round__unit", "publication__round__period").get(
        pk=report_id
    )
    publication = report.publication
    unit, period = publication.round.unit, publication.round.period
    if _superseded(publication):
        _finish_failed(report_id, SUPERSEDED)
        return PublishedReport.Status.FAILED
    try:
        with tempfile.TemporaryDirectory(prefix="skm-published-") as tmp:
            target = Path(tmp) / report.filename
            report_pdf_write(
                kind=ExportJob.Kind.PDF_SURVEY,
                unit=unit,
                period=period,
                weight_mode=parse_weight_mode(publication.weight_mode),
                target=str(target),
                attachments=published_data_attachments(unit=unit, period=period, up_to_version=publication.version),
            )
            data = target.read_bytes()
        report.file.save(report.filename, ContentFile(data), save=False)
        stored = PublishedReport.objects.filter(pk=report_id, status=PublishedReport.Status.RUNNING).update(
            status=PublishedReport.Status.DONE,
            file=report.file.name,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            finished_at=timezone.now(),
        )
        if not stored:  # reclaimed meanwhile as stale: the other run's file wins
            report.file.delete(save=False)
            return PublishedReport.objects.get(pk=report_id).status
        logger.info(
            "published report stored unit=%s period=%s version=%s bytes=%s",
            unit.code,
            period.code,
            publication.version,
            len(data),
        )
        return PublishedReport.Status.DONE
    except Exception as exc:
        logger.exception("published report %s failed", report_id)
        reason = (str(exc) or exc.__class__.__name__)[:500]
        if last_attempt:
            _finish_failed(report_id, reason)
        else:
            PublishedReport.objects.filter(pk=report_id, status=PublishedReport.Status.RUNNING).update(
                status=PublishedReport.Status.PENDING, error=reason
            )
        raise


def _finish_failed(report_id: int, reason: str) -> None:
    PublishedReport.objects.filter(pk=report_id, status=PublishedReport.Status.RUNNING).update(
        status=PublishedReport.Status.FAILED, error=reason, finished_at=timezone.now()
    )


def published_reports_requeue(*, older_than: dt.timedelta = dt.timedelta(minutes=15)) -> int:
    """Send again the pending rows whose message was lost (broker down at publication,
    flushed queue). A duplicate message is harmless (the claim)."""
    cutoff = timezone.now() - older_than
    ids = list(
        PublishedReport.objects.filter(status=PublishedReport.Status.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    return sum(published_report_enqueue(report_id=pk) for pk in ids)
