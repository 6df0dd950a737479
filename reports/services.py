"""Writes of the report builder: rendering reports and running export jobs.

The same functions serve the management commands (synchronously) and the
Celery task (``reports.tasks.run_export_job``), which only calls
``export_job_run``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from skm.queues import Queue
from skm.rules.ikm import WeightMode, parse_weight_mode
from surveys.answers import instrument_get
from surveys.exports_raw import export_csv_chunks, export_xlsx_write, raw_spec
from surveys.models import Period, Unit

from . import build, selectors
from . import context as report_context
from .models import ExportJob
from .services_layout import report_layout_reset, report_layout_save  # noqa: F401 (public API)
from .services_narrative import round_publish_with_report, section_reset, section_save  # noqa: F401 (public API)

if TYPE_CHECKING:
    from .document import Document
    from .pdf import FencedURLFetcher, PdfAttachment

# WeasyPrint (reports.pdf), openpyxl (surveys.exports) and matplotlib (surveys.charts)
# are imported by the functions that use them: this module is imported by the views
# and so by the URL configuration, which every management command and worker loads.

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

# Job messages and errors are stored as Indonesian msgids (gettext_noop) and
# translated on display: the worker has no request language.
QUEUE_UNAVAILABLE = gettext_noop("Layanan antrean ekspor sedang tidak tersedia. Silakan coba lagi beberapa saat lagi.")
WORKER_LOST = gettext_noop(
    "Pekerja ekspor berhenti di tengah jalan (dimatikan, dimulai ulang atau kehabisan memori). Silakan coba lagi."
)


def _noop(percent: int, message: str) -> None:
    return None


# ----------------------------------------------------------------- rendering


PDF_KINDS = (ExportJob.Kind.PDF_FOLLOWUP, ExportJob.Kind.PDF_SURVEY, ExportJob.Kind.PDF_INSTRUMENT)
DOCX_KINDS = (ExportJob.Kind.DOCX_FOLLOWUP, ExportJob.Kind.DOCX_SURVEY, ExportJob.Kind.DOCX_INSTRUMENT)


def report_html(
    *,
    kind: str,
    unit: Unit,
    period: Period,
    weight_mode: WeightMode,
    progress: Progress = _noop,
    instrument: str = "",
) -> str:
    """The report as HTML (autoescaped Django template), in Indonesian."""
    from .render_html import document_html

    if kind not in PDF_KINDS:
        raise ValueError(f"bukan jenis laporan PDF: {kind}")
    document = report_document(
        kind=kind, unit=unit, period=period, weight_mode=weight_mode, progress=progress, instrument=instrument
    )
    progress(50, gettext_noop("Menyusun halaman laporan"))
    return document_html(document)


def report_document(
    *,
    kind: str,
    unit: Unit,
    period: Period,
    weight_mode: WeightMode,
    progress: Progress = _noop,
    instrument: str = "",
) -> Document:
    """The report's document tree (reports.build), the one source of its PDF and its DOCX.
    ``instrument``: the code (SPKP, SPAK) of an instrument report's survey; the
    unit's round of ``period`` must ask it (``InstrumentNotAsked`` otherwise)."""
    with translation.override("id"):
        if kind in (ExportJob.Kind.PDF_INSTRUMENT, ExportJob.Kind.DOCX_INSTRUMENT):
            from .build_instrument import instrument_document
            from .context_instrument import instrument_context

            report = instrument_context(unit=unit, period=period, code=instrument)
            progress(40, gettext_noop("Menyusun halaman laporan"))
            return instrument_document(report)
        if kind in (ExportJob.Kind.PDF_FOLLOWUP, ExportJob.Kind.DOCX_FOLLOWUP):
            followup = report_context.followup_context(unit=unit, period=period, weight_mode=weight_mode)
            progress(40, gettext_noop("Menyusun halaman laporan"))
            return build.followup_document(followup)
        if kind in (ExportJob.Kind.PDF_SURVEY, ExportJob.Kind.DOCX_SURVEY):
            survey = report_context.survey_context(unit=unit, period=period, weight_mode=weight_mode, progress=progress)
            progress(45, gettext_noop("Menyusun halaman laporan"))
            return build.survey_document(survey)
    raise ValueError(f"bukan jenis laporan: {kind}")


def report_pdf_write(
    *,
    kind: str,
    unit: Unit,
    period: Period,
    weight_mode: WeightMode = WeightMode.EXACT,
    target,
    progress: Progress = _noop,
    fetcher: FencedURLFetcher | None = None,
    attachments: list[PdfAttachment] | None = None,
    instrument: str = "",
) -> None:
    """Render one of the PDF reports to ``target`` (a path or a binary file).

    A tagged PDF/A-3 with title, author (the unit) and language set; the Laporan
    SKM embeds the round's published data (``attachments``, by default the open
    data of every published version of the round). ``instrument``: the survey
    (SPKP, SPAK) of the report of an instrument (``ExportJob.Kind.PDF_INSTRUMENT``)."""
    from .pdf import render_pdf

    progress(5, gettext_noop("Mengambil data survei"))
    html = report_html(
        kind=kind, unit=unit, period=period, weight_mode=weight_mode, progress=progress, instrument=instrument
    )
    progress(60, gettext_noop("Membuat PDF"))
    if kind == ExportJob.Kind.PDF_SURVEY:
        title = f"Laporan Survei Kepuasan Masyarakat {unit.name} {period.label}"
        if attachments is None:
            attachments = selectors.published_data_attachments(unit=unit, period=period)
    elif kind == ExportJob.Kind.PDF_INSTRUMENT:
        title = f"Laporan {instrument_get(instrument).name.get('id')} {unit.name} {period.label}"
    else:
        title = f"Laporan Hasil Tindak Lanjut SKM {unit.name} {period.label}"
    render_pdf(html, target, fetcher=fetcher, title=title, author=unit.name, lang="id", attachments=attachments or ())
    progress(95, gettext_noop("Menyimpan berkas"))


def report_docx_write(
    *,
    kind: str,
    unit: Unit,
    period: Period,
    weight_mode: WeightMode = WeightMode.EXACT,
    target,
    progress: Progress = _noop,
    instrument: str = "",
) -> None:
    """Write one of the reports as a Word document (DOCX) to ``target`` (a path
    or a binary file): the same view-model as the PDF, written by ``reports.docx``.
    ``instrument``: as for ``report_pdf_write``."""
    # python-docx is loaded only here: serving pages never needs it.
    from .render_docx import document_docx_write

    if kind not in DOCX_KINDS:
        raise ValueError(f"bukan jenis laporan Word: {kind}")
    progress(5, gettext_noop("Mengambil data survei"))
    document = report_document(
        kind=kind, unit=unit, period=period, weight_mode=weight_mode, progress=progress, instrument=instrument
    )
    progress(50, gettext_noop("Membuat dokumen Word"))
    document_docx_write(document, target)
    progress(95, gettext_noop("Menyimpan berkas"))


REPORT_WRITERS: dict[str, Callable[..., None]] = {
    ExportJob.Kind.PDF_FOLLOWUP: report_pdf_write,
    ExportJob.Kind.PDF_SURVEY: report_pdf_write,
    ExportJob.Kind.PDF_INSTRUMENT: report_pdf_write,
    ExportJob.Kind.DOCX_FOLLOWUP: report_docx_write,
    ExportJob.Kind.DOCX_SURVEY: report_docx_write,
    ExportJob.Kind.DOCX_INSTRUMENT: report_docx_write,
}


def _scaled(progress: Progress, *, start: int, span: int, default: str) -> Progress:
    """A progress callback that maps a sub-step's 0-100 % onto ``start``..``start + span``."""

    def update(percent: int, message: str = "") -> None:
        progress(start + int(percent * span / 100), message or default)

    return update


def worksheet_xlsx_write(
    *, unit: Unit, period: Period, weight_mode: WeightMode = WeightMode.EXACT, target, progress: Progress = _noop
) -> None:
    """The XLSX worksheet (seed 004 appendix layout), streamed by surveys.exports."""
    from surveys.exports import worksheet_write

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
                for piece in export_csv_chunks(unit=unit, period=period, spec=raw_spec(unit=unit)):
                    fh.write(piece)
        else:
            export_xlsx_write(
                unit=unit,
                period=period,
                spec=raw_spec(unit=unit),
                target=target,
                title="Data mentah",
                progress=_scaled(progress, start=5, span=90, default=gettext_noop("Menulis data mentah")),
            )
    progress(95, gettext_noop("Menyimpan berkas"))


def survey_attachment_write(
    *, unit: Unit, period: Period, weight_mode: WeightMode, target, progress: Progress = _noop
) -> None:
    """The XLSX attached to a large Laporan SKM: the worksheet (per-respondent data
    on "Data responden") plus every saran grouped with its count on "Saran"."""
    from surveys.exports import worksheet_write

    worksheet_write(
        unit=unit,
        period=period,
        weight_mode=weight_mode,
        path_or_file=target,
        include_saran=True,
        progress=_scaled(progress, start=0, span=100, default=gettext_noop("Menulis lampiran XLSX")),
    )


def export_write(
    *,
    kind: str,
    unit: Unit,
    period: Period,
    weight_mode: WeightMode,
    target,
    attachment_target=None,
    progress: Progress = _noop,
    user=None,
    instrument: str = "",
) -> bool:
    """Write one export to ``target``. A Laporan SKM (PDF or Word) above the appendix threshold
    also gets its XLSX attachment written to ``attachment_target`` (when given);
    returns whether it was. ``instrument``: the survey of an instrument report (SPKP, SPAK)."""
    if kind in (ExportJob.Kind.RAW_XLSX, ExportJob.Kind.RAW_CSV):
        raw_data_write(kind=kind, unit=unit, period=period, target=target, progress=progress)
        return False
    if kind == ExportJob.Kind.COMPARISON_XLSX:
        from django.contrib.auth.models import AnonymousUser

        from surveys.exports_comparison import comparison_xlsx_write  # openpyxl: only in the worker

        # The subtree as the requesting user may read it (staff: only their own unit).
        comparison_xlsx_write(
            user=user or AnonymousUser(),
            unit=unit,
            period=period,
            weight_mode=weight_mode,
            target=target,
            progress=progress,
        )
        return False
    if kind == ExportJob.Kind.XLSX:
        worksheet_xlsx_write(unit=unit, period=period, weight_mode=weight_mode, target=target, progress=progress)
        return False
    attach = (
        kind in (ExportJob.Kind.PDF_SURVEY, ExportJob.Kind.DOCX_SURVEY)
        and attachment_target is not None
        and selectors.attachment_needed(unit=unit, period=period)
    )
    report_progress = _scaled(progress, start=0, span=60, default="") if attach else progress
    REPORT_WRITERS[kind](
        kind=kind,
        unit=unit,
        period=period,
        weight_mode=weight_mode,
        target=target,
        progress=report_progress,
        instrument=instrument,
    )
    if attach:
        progress(60, gettext_noop("Menulis lampiran XLSX"))
        survey_attachment_write(
            unit=unit,
            period=period,
            weight_mode=weight_mode,
            target=attachment_target,
            progress=_scaled(progress, start=60, span=35, default=gettext_noop("Menulis lampiran XLSX")),
        )
    return attach


# -------------------------------------------------------------- export jobs


HARD_LIMIT_MARGIN = 30  # seconds between the soft limit (clean failure) and the hard kill


def export_time_limit(*, rows: int) -> int:
    """Soft time limit in seconds of an export job writing ``rows`` responses:
    SKM_EXPORT_TIME_LIMIT + rows x SKM_EXPORT_SECONDS_PER_ROW, at most
    SKM_EXPORT_TIME_LIMIT_MAX (and never below the floor)."""
    floor = int(settings.SKM_EXPORT_TIME_LIMIT)
    cap = max(floor, int(settings.SKM_EXPORT_TIME_LIMIT_MAX))
    scaled = floor + int(max(0, rows) * float(settings.SKM_EXPORT_SECONDS_PER_ROW))
    return min(cap, scaled)


def _job_time_limit(job: ExportJob) -> int:
    return job.time_limit or int(settings.SKM_EXPORT_TIME_LIMIT)


def _active_job(*, kind: str, unit: Unit, period: Period, weight_mode: str, instrument: str = "") -> ExportJob | None:
    return (
        ExportJob.objects.filter(
            kind=kind,
            unit=unit,
            period=period,
            weight_mode=weight_mode,
            instrument=instrument,
            status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING],
        )
        .order_by("-created_at")
        .first()
    )


def export_job_create(
    *, user, unit: Unit, period: Period, kind: str, weight_mode: WeightMode, instrument: str = ""
) -> ExportJob:
    """Create a queued job and enqueue it once the transaction commits.

    An identical job (kind, unit, period, weight, instrument) already queued or running is
    returned instead, with ``job.reused = True``: the partial unique constraint
    ``exportjob_one_active_per_request`` makes this atomic under concurrent requests.
    If the queue is unreachable the job is already marked failed with
    QUEUE_UNAVAILABLE (callers re-read ``job.status``).

    The report of an instrument (SPKP, SPAK) names it in ``instrument``; its index
    has no weight modes, so the job is stored with the exact weights."""
    if kind not in ExportJob.Kind.values:
        raise ValueError(f"jenis ekspor tidak dikenal: {kind}")
    if kind in ExportJob.INSTRUMENT_KINDS:
        instrument = instrument_get(instrument).code  # InstrumentError for an unknown code
        weight_mode = WeightMode.EXACT
    elif instrument:
        raise ValueError(f"jenis ekspor {kind} tidak memakai instrumen")
    mode = weight_mode.value
    for _try in range(3):
        existing = _active_job(kind=kind, unit=unit, period=period, weight_mode=mode, instrument=instrument)
        if existing is not None:
            existing = export_job_refresh(job=existing)  # a dead worker's job is failed, not reused
            if not existing.is_finished:
                existing.reused = True
                return existing
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    kind=kind,
                    unit=unit,
                    period=period,
                    weight_mode=mode,
                    instrument=instrument,
                    requested_by=user if getattr(user, "is_authenticated", False) else None,
                    attempt=1,
                    message=gettext_noop("Menunggu giliran di antrean"),
                    time_limit=export_time_limit(rows=selectors.respondent_count(unit=unit, period=period)),
                )
                transaction.on_commit(functools.partial(export_job_enqueue, job=job))
        except IntegrityError:
            continue  # an identical job was created at the same moment: reuse it
        job.refresh_from_db()
        job.reused = False
        return job
    raise RuntimeError("export job: could not create or reuse an identical job")


# Report documents are the heavy jobs (WeasyPrint, charts): their own queue, so a
# spreadsheet asked for meanwhile does not wait behind them (skm/queues.py).
REPORT_KINDS = frozenset(
    {
        ExportJob.Kind.PDF_FOLLOWUP,
        ExportJob.Kind.PDF_SURVEY,
        ExportJob.Kind.DOCX_FOLLOWUP,
        ExportJob.Kind.DOCX_SURVEY,
        ExportJob.Kind.PDF_INSTRUMENT,
        ExportJob.Kind.DOCX_INSTRUMENT,
    }
)


def export_queue(kind: str) -> str:
    """The Celery queue of an export job of this kind."""
    return Queue.REPORTS.value if kind in REPORT_KINDS else Queue.EXPORTS.value


def export_job_enqueue(*, job: ExportJob) -> bool:
    """Send the job to Celery; on a broker error mark it failed instead of raising."""
    from .tasks import run_export_job

    try:
        # retry=False: with the broker down, fail now instead of blocking the request.
        # The limits scale with the job's rows (export_time_limit), instead of the task's default.
        limit = _job_time_limit(job)
        run_export_job.apply_async(
            args=[job.pk, job.attempt],
            queue=export_queue(job.kind),
            retry=False,
            soft_time_limit=limit,
            time_limit=limit + HARD_LIMIT_MARGIN,
        )
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
    try:
        return _retry(job)
    except IntegrityError:
        # An identical job is already queued or running: show that one.
        active = _active_job(
            kind=job.kind, unit=job.unit, period=job.period, weight_mode=job.weight_mode, instrument=job.instrument
        )
        return active or ExportJob.objects.get(pk=job.pk)


def _retry(job: ExportJob) -> ExportJob:
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
        locked.worker = ""
        locked.heartbeat_at = None
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


class _Heartbeat(threading.Thread):
    """Writes ``heartbeat_at`` every SKM_EXPORT_HEARTBEAT_SECONDS while a worker runs a job."""

    def __init__(self, job_id: int, attempt: int):
        super().__init__(name=f"export-heartbeat-{job_id}", daemon=True)
        self.job_id, self.attempt = job_id, attempt
        self.interval = max(1, int(settings.SKM_EXPORT_HEARTBEAT_SECONDS))
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                alive = ExportJob.objects.filter(
                    pk=self.job_id, attempt=self.attempt, status=ExportJob.Status.RUNNING
                ).update(heartbeat_at=timezone.now())
                if not alive:
                    return
        except Exception:  # a lost heartbeat only makes the job look dead; never crash the worker
            logger.exception("export job %s: heartbeat failed", self.job_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def _tmp_dir() -> Path:
    """Local scratch space of the worker building an export (never the file storage:
    the finished file is saved there with ``FieldFile.save`` and the scratch removed)."""
    configured = getattr(settings, "SKM_EXPORT_TMP_DIR", "")
    path = Path(configured) if configured else Path(settings.MEDIA_ROOT) / "exports" / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _tmp_file(job_id: int, attempt: int, suffix: str) -> str:
    # Named after the job, so the files of a killed run can be found and removed.
    fd, name = tempfile.mkstemp(prefix=f"job-{job_id}-{attempt}-", suffix=suffix, dir=_tmp_dir())
    os.close(fd)
    return name


def _tmp_files_delete(job_id: int) -> int:
    removed = 0
    for path in _tmp_dir().glob(f"job-{job_id}-*"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def export_job_run(*, job_id: int, attempt: int, worker: str = "") -> str:
    """Run one job attempt: queued -> running -> done | failed. Returns the final status.

    Claiming is a conditional UPDATE, so a redelivered or stale message (another
    attempt, or a job already running/finished) does nothing. ``worker`` (the
    Celery node name) is set when a real worker runs the job: it then writes a
    heartbeat, and the job is failed as soon as the heartbeat stops."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, attempt=attempt, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=worker[:200],
        percent=1,
        message=gettext_noop("Dimulai"),
    )
    if not claimed:
        job = ExportJob.objects.filter(pk=job_id).first()
        return job.status if job else "missing"
    job = ExportJob.objects.select_related("unit", "period", "requested_by").get(pk=job_id)
    progress = _progress_updater(job_id, attempt)
    suffix = "." + job.extension
    tmp_name = _tmp_file(job_id, attempt, suffix)
    tmp_attachment = _tmp_file(job_id, attempt, ".xlsx") if job.is_survey_report else None
    heartbeat = _Heartbeat(job_id, attempt) if worker else None
    if heartbeat:
        heartbeat.start()
    try:
        attached = export_write(
            kind=job.kind,
            unit=job.unit,
            period=job.period,
            weight_mode=parse_weight_mode(job.weight_mode),  # parsed at the edge: the stored job
            target=tmp_name,
            attachment_target=tmp_attachment,
            progress=progress,
            user=job.requested_by,
            instrument=job.instrument,
        )
        with open(tmp_name, "rb") as fh:
            job.result.save(job.filename, File(fh), save=False)
        if attached and tmp_attachment:
            with open(tmp_attachment, "rb") as fh:
                job.attachment.save(job.attachment_filename, File(fh), save=False)
        # The temp files go before the job shows as done: nobody sees a finished job with leftovers.
        _unlink_tmp(tmp_name, tmp_attachment)
        ExportJob.objects.filter(pk=job_id, attempt=attempt, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE,
            result=job.result.name,
            attachment=job.attachment.name if attached else "",
            percent=100,
            message=gettext_noop("Selesai"),
            finished_at=timezone.now(),
        )
        return ExportJob.Status.DONE
    except Exception as exc:
        logger.exception("export job %s failed", job_id)
        _delete_result(job)
        _unlink_tmp(tmp_name, tmp_attachment)
        ExportJob.objects.filter(pk=job_id, attempt=attempt).update(
            status=ExportJob.Status.FAILED,
            error=_("Ekspor gagal: %(reason)s") % {"reason": str(exc)[:500] or exc.__class__.__name__},
            message=gettext_noop("Gagal"),
            finished_at=timezone.now(),
        )
        return ExportJob.Status.FAILED
    finally:
        if heartbeat:
            heartbeat.stop()
        _unlink_tmp(tmp_name, tmp_attachment)


def _unlink_tmp(*names: str | None) -> None:
    for name in names:
        if name:
            Path(name).unlink(missing_ok=True)


def export_jobs_fail_lost(
    *, now: dt.datetime | None = None, worker: str | None = None, job_id: int | None = None
) -> int:
    """Fail running jobs whose worker is gone, at once, and remove their temp files.

    Gone means: no heartbeat for three heartbeat intervals, or (``worker``) the
    named worker has just (re)started, so nothing it was running survives. Only
    jobs claimed by a real worker (``worker`` set) have heartbeats. A failed job
    can be retried ("Coba lagi") straight away."""
    now = now or timezone.now()
    jobs = ExportJob.objects.filter(status=ExportJob.Status.RUNNING).exclude(worker="")
    if job_id is not None:
        jobs = jobs.filter(pk=job_id)
    if worker is not None:
        jobs = jobs.filter(worker=worker)
    else:
        stale = dt.timedelta(seconds=3 * max(1, int(settings.SKM_EXPORT_HEARTBEAT_SECONDS)))
        jobs = jobs.filter(heartbeat_at__lt=now - stale)
    failed = 0
    for pk, attempt in list(jobs.values_list("pk", "attempt")):
        failed += ExportJob.objects.filter(pk=pk, attempt=attempt, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.FAILED, error=WORKER_LOST, message=gettext_noop("Gagal"), finished_at=now
        )
        _tmp_files_delete(pk)
    if failed:
        logger.warning("export jobs: %s running job(s) lost their worker and were failed", failed)
    return failed


def export_job_refresh(*, job: ExportJob) -> ExportJob:
    """The job as it is now; a running job whose worker is gone is failed first."""
    if job.status == ExportJob.Status.RUNNING and job.worker and export_jobs_fail_lost(job_id=job.pk):
        job.refresh_from_db()
    return job


def worker_started(*, worker: str) -> int:
    """Called when a Celery worker (re)starts: the jobs it was running are dead, and
    the scratch files no running job owns on this machine are removed (a job failed
    meanwhile by another node, e.g. the web's heartbeat check, left them here)."""
    failed = export_jobs_fail_lost(worker=worker)
    _tmp_files_sweep(now=timezone.now())
    return failed


def _delete_result(job: ExportJob) -> None:
    if job.result:
        job.result.delete(save=False)
        job.result = ""
    if job.attachment:
        job.attachment.delete(save=False)
        job.attachment = ""


def export_jobs_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Mark jobs stuck past their time limit as failed and delete finished files
    older than SKM_EXPORT_RETENTION_HOURS. Run by celery beat and skm_export_cleanup."""
    now = now or timezone.now()
    limit = dt.timedelta(seconds=settings.SKM_EXPORT_TIME_LIMIT)
    # Running past its own limit: the worker died or hung. Queued past twice the
    # default limit: the message was lost (e.g. broker flushed).
    running = ExportJob.objects.filter(status=ExportJob.Status.RUNNING, started_at__lt=now - limit)
    overdue = [
        pk
        for pk, started, seconds in running.values_list("pk", "started_at", "time_limit")
        if started is not None and started < now - dt.timedelta(seconds=seconds or limit.total_seconds())
    ]
    stuck = ExportJob.objects.filter(
        Q(pk__in=overdue, status=ExportJob.Status.RUNNING)
        | Q(status=ExportJob.Status.QUEUED, queued_at__lt=now - 2 * limit)
    ).update(
        status=ExportJob.Status.FAILED,
        error=gettext_noop("Ekspor melewati batas waktu (pekerja berhenti atau macet). Silakan coba lagi."),
        message=gettext_noop("Gagal"),
        finished_at=now,
    )
    cutoff = now - dt.timedelta(hours=settings.SKM_EXPORT_RETENTION_HOURS)
    deleted = 0
    old = ExportJob.objects.filter(finished_at__lt=cutoff).exclude(result="", attachment="")
    for job in old.iterator():
        _delete_result(job)
        ExportJob.objects.filter(pk=job.pk).update(
            result="", attachment="", message=gettext_noop("Berkas sudah dihapus (melewati masa simpan)")
        )
        deleted += 1
    stuck += export_jobs_fail_lost(now=now)
    return {"stuck": stuck, "deleted": deleted, "tmp_removed": _tmp_files_sweep(now=now)}


def _tmp_files_sweep(*, now: dt.datetime) -> int:
    """Remove temp files that no running job owns (left by a killed worker)."""
    removed = 0
    running = set(ExportJob.objects.filter(status=ExportJob.Status.RUNNING).values_list("pk", "attempt"))
    for path in _tmp_dir().iterdir():
        parts = path.name.split("-")
        try:
            owner = (int(parts[1]), int(parts[2])) if parts[0] == "job" else None
        except (IndexError, ValueError):
            owner = None
        if owner in running:
            continue
        if owner is None and path.stat().st_mtime > now.timestamp() - 2 * settings.SKM_EXPORT_TIME_LIMIT:
            continue  # not ours by name and recent: leave it
        path.unlink(missing_ok=True)
        removed += 1
    return removed
