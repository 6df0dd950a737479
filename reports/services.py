"""Writes of the report builder: rendering reports and running export jobs.

The same functions serve the management commands (synchronously) and the
Celery task (``reports.tasks.run_export_job``), which only calls
``export_job_run``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from skm.rules.ikm import WeightMode, parse_weight_mode
from surveys.exports import worksheet_write
from surveys.exports_raw import export_csv_chunks, export_xlsx_write, raw_spec
from surveys.models import Period, Unit

from . import context as report_context
from .models import ExportJob
from .pdf import FencedURLFetcher, render_pdf

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

# Job messages and errors are stored as Indonesian msgids (gettext_noop) and
# translated on display: the worker has no request language.
QUEUE_UNAVAILABLE = gettext_noop("Layanan antrean ekspor sedang tidak tersedia. Silakan coba lagi beberapa saat lagi.")


def _noop(percent: int, message: str) -> None:
    return None


# ----------------------------------------------------------------- rendering


def report_html(*, kind: str, unit: Unit, period: Period, weight_mode: WeightMode, progress: Progress = _noop) -> str:
    """The report as HTML (autoescaped Django template), in Indonesian."""
    with translation.override("id"):
        if kind == ExportJob.Kind.PDF_FOLLOWUP:
            followup = report_context.followup_context(unit=unit, period=period, weight_mode=weight_mode)
            progress(40, gettext_noop("Menyusun halaman laporan"))
            return render_to_string("reports/followup_report.html", {"f": followup})
        if kind == ExportJob.Kind.PDF_SURVEY:
            survey = report_context.survey_context(unit=unit, period=period, weight_mode=weight_mode, progress=progress)
            progress(50, gettext_noop("Menyusun halaman laporan"))
            return render_to_string("reports/survey_report.html", survey.as_template_context())
    raise ValueError(f"bukan jenis laporan PDF: {kind}")


def report_pdf_write(
    *,
    kind: str,
    unit: Unit,
    period: Period,
    weight_mode: WeightMode = WeightMode.EXACT,
    target,
    progress: Progress = _noop,
    fetcher: FencedURLFetcher | None = None,
) -> None:
    """Render one of the two PDF reports to ``target`` (a path or a binary file)."""
    progress(5, gettext_noop("Mengambil data survei"))
    html = report_html(kind=kind, unit=unit, period=period, weight_mode=weight_mode, progress=progress)
    progress(60, gettext_noop("Membuat PDF"))
    render_pdf(html, target, fetcher=fetcher)
    progress(95, gettext_noop("Menyimpan berkas"))


def _scaled(progress: Progress, *, start: int, span: int, default: str) -> Progress:
    """A progress callback that maps a sub-step's 0-100 % onto ``start``..``start + span``."""

    def update(percent: int, message: str = "") -> None:
        progress(start + int(percent * span / 100), message or default)

    return update


def worksheet_xlsx_write(
    *, unit: Unit, period: Period, weight_mode: WeightMode = WeightMode.EXACT, target, progress: Progress = _noop
) -> None:
    """The XLSX worksheet (seed 004 appendix layout), streamed by surveys.exports."""
    progress(5, gettext_noop("Menulis lembar kerja"))
    worksheet_write(
        unit=unit,
        period=period,
        weight_mode=weight_mode,
        path_or_file=target,
        progress=_scaled(progress, start=5, span=90, default=gettext_noop("Menulis lembar kerja")),
    )
    progress(95, gettext_noop("Menyimpan berkas"))


def raw_data_write(*, kind: str, unit: Unit, period: Period, target, progress: Progress = _noop) -> None:
    """Every response of the round with every field (surveys.exports_raw), in Indonesian."""
    progress(5, gettext_noop("Menulis data mentah"))
    with translation.override("id"):
        if kind == ExportJob.Kind.RAW_CSV:
            with open(target, "w", encoding="utf-8", newline="") as fh:
                for piece in export_csv_chunks(unit=unit, period=period, spec=raw_spec()):
                    fh.write(piece)
        else:
            export_xlsx_write(
                unit=unit,
                period=period,
                spec=raw_spec(),
                target=target,
                title="Data mentah",
                progress=_scaled(progress, start=5, span=90, default=gettext_noop("Menulis data mentah")),
            )
    progress(95, gettext_noop("Menyimpan berkas"))


def export_write(*, kind: str, unit: Unit, period: Period, weight_mode, target, progress: Progress = _noop) -> None:
    if kind in (ExportJob.Kind.RAW_XLSX, ExportJob.Kind.RAW_CSV):
        raw_data_write(kind=kind, unit=unit, period=period, target=target, progress=progress)
    elif kind == ExportJob.Kind.XLSX:
        worksheet_xlsx_write(unit=unit, period=period, weight_mode=weight_mode, target=target, progress=progress)
    else:
        report_pdf_write(kind=kind, unit=unit, period=period, weight_mode=weight_mode, target=target, progress=progress)


# -------------------------------------------------------------- export jobs


def export_job_create(*, user, unit: Unit, period: Period, kind: str, weight_mode: WeightMode) -> ExportJob:
    """Create a queued job and enqueue it once the transaction commits.

    Returns the job; if the queue is unreachable the job is already marked
    failed with QUEUE_UNAVAILABLE (callers re-read ``job.status``)."""
    if kind not in ExportJob.Kind.values:
        raise ValueError(f"jenis ekspor tidak dikenal: {kind}")
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            unit=unit,
            period=period,
            weight_mode=weight_mode.value,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            attempt=1,
            message=gettext_noop("Menunggu giliran di antrean"),
        )
        transaction.on_commit(lambda: export_job_enqueue(job=job))
    job.refresh_from_db()
    return job


def export_job_enqueue(*, job: ExportJob) -> bool:
    """Send the job to Celery; on a broker error mark it failed instead of raising."""
    from .tasks import run_export_job

    try:
        # retry=False: with the broker down, fail now instead of blocking the request.
        run_export_job.apply_async(args=[job.pk, job.attempt], retry=False)
    except Exception as exc:  # kombu OperationalError, redis ConnectionError, socket errors
        logger.warning("export job %s: queue unavailable: %s", job.pk, exc)
        ExportJob.objects.filter(pk=job.pk, attempt=job.attempt, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.FAILED,
            error=QUEUE_UNAVAILABLE,
            message=gettext_noop("Gagal"),
            finished_at=timezone.now(),
        )
        return False
    return True


def export_job_retry(*, job: ExportJob) -> ExportJob:
    """Re-queue a failed job (the "Coba lagi" button); a new attempt number makes
    any stale message of the old attempt a no-op."""
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ExportJob.Status.FAILED:
            return locked
        _delete_result(locked)
        locked.status = ExportJob.Status.QUEUED
        locked.attempt += 1
        locked.percent = 0
        locked.error = ""
        locked.message = gettext_noop("Menunggu giliran di antrean")
        locked.started_at = None
        locked.finished_at = None
        locked.queued_at = timezone.now()
        locked.save()
        transaction.on_commit(lambda: export_job_enqueue(job=locked))
    locked.refresh_from_db()
    return locked


def _progress_updater(job_id: int, attempt: int) -> Progress:
    delay = float(getattr(settings, "SKM_EXPORT_STEP_DELAY", 0) or 0)

    def update(percent: int, message: str) -> None:
        ExportJob.objects.filter(pk=job_id, attempt=attempt, status=ExportJob.Status.RUNNING).update(
            percent=max(0, min(99, int(percent))), message=str(message)[:200]
        )
        if delay:
            time.sleep(delay)  # test hook: makes a job slow enough to kill its worker mid-way

    return update


def export_job_run(*, job_id: int, attempt: int) -> str:
    """Run one job attempt: queued -> running -> done | failed. Returns the final status.

    Claiming is a conditional UPDATE, so a redelivered or stale message (another
    attempt, or a job already running/finished) does nothing."""
    claimed = ExportJob.objects.filter(pk=job_id, attempt=attempt, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now(), percent=1, message=gettext_noop("Dimulai")
    )
    if not claimed:
        job = ExportJob.objects.filter(pk=job_id).first()
        return job.status if job else "missing"
    job = ExportJob.objects.select_related("unit", "period").get(pk=job_id)
    progress = _progress_updater(job_id, attempt)
    suffix = "." + job.extension
    tmp_dir = Path(settings.MEDIA_ROOT) / "exports" / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=suffix, dir=tmp_dir)
    os.close(fd)
    try:
        export_write(
            kind=job.kind,
            unit=job.unit,
            period=job.period,
            weight_mode=parse_weight_mode(job.weight_mode),  # parsed at the edge: the stored job
            target=tmp_name,
            progress=progress,
        )
        with open(tmp_name, "rb") as fh:
            job.result.save(job.filename, File(fh), save=False)
        ExportJob.objects.filter(pk=job_id, attempt=attempt, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE,
            result=job.result.name,
            percent=100,
            message=gettext_noop("Selesai"),
            finished_at=timezone.now(),
        )
        return ExportJob.Status.DONE
    except Exception as exc:
        logger.exception("export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id, attempt=attempt).update(
            status=ExportJob.Status.FAILED,
            error=_("Ekspor gagal: %(reason)s") % {"reason": str(exc)[:500] or exc.__class__.__name__},
            message=gettext_noop("Gagal"),
            finished_at=timezone.now(),
        )
        return ExportJob.Status.FAILED
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def _delete_result(job: ExportJob) -> None:
    if job.result:
        job.result.delete(save=False)
        job.result = ""


def export_jobs_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Mark jobs stuck past their time limit as failed and delete finished files
    older than SKM_EXPORT_RETENTION_HOURS. Run by celery beat and skm_export_cleanup."""
    now = now or timezone.now()
    limit = dt.timedelta(seconds=settings.SKM_EXPORT_TIME_LIMIT)
    # Running past the limit: the worker died or hung. Queued past twice the limit:
    # the message was lost (e.g. broker flushed).
    stuck = ExportJob.objects.filter(
        Q(status=ExportJob.Status.RUNNING, started_at__lt=now - limit)
        | Q(status=ExportJob.Status.QUEUED, queued_at__lt=now - 2 * limit)
    ).update(
        status=ExportJob.Status.FAILED,
        error=gettext_noop("Ekspor melewati batas waktu (pekerja berhenti atau macet). Silakan coba lagi."),
        message=gettext_noop("Gagal"),
        finished_at=now,
    )
    cutoff = now - dt.timedelta(hours=settings.SKM_EXPORT_RETENTION_HOURS)
    deleted = 0
    old = ExportJob.objects.filter(finished_at__lt=cutoff).exclude(result="")
    for job in old.iterator():
        _delete_result(job)
        ExportJob.objects.filter(pk=job.pk).update(
            result="", message=gettext_noop("Berkas sudah dihapus (melewati masa simpan)")
        )
        deleted += 1
    return {"stuck": stuck, "deleted": deleted}
