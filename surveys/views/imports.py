"""Upload of CSV/XLSX respondent files by unit staff.

The upload is stored and imported by the Celery worker (an import job, like the
report exports); the job page shows its progress, then the row and column
errors or the result. An oversized upload is refused before its body is read.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from skm.errors import bad_request
from skm.middleware import RejectNullBytesMiddleware

from .. import translatable
from ..access import unit_get_writable
from ..forms import ImportUploadForm, import_too_big_message
from ..models import ImportJob
from ..selectors import extra_question_list, import_batch_list, import_job_get, import_job_list, round_current_open
from ..services import IMPORT_QUEUE_UNAVAILABLE, import_job_create

# Room for the multipart boundaries and the small form fields around the file.
MULTIPART_SLACK = 64 * 1024


class UploadLimitHandler(FileUploadHandler):
    """First upload handler of the import form: stops reading the body as soon
    as the file passes SKM_IMPORT_MAX_BYTES (also when no Content-Length was sent)."""

    def __init__(self, request=None, limit: int = 0):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.import_too_big = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _too_big(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > settings.SKM_IMPORT_MAX_BYTES + MULTIPART_SLACK


@csrf_exempt
@login_required
def import_upload(request, unit_code: str):
    unit = unit_get_writable(user=request.user, code=unit_code)
    if request.method == "POST":
        if _too_big(request):
            # Refused from the header alone: the body is never read.
            return _page(request, unit, ImportUploadForm(unit=unit), errors=[import_too_big_message()], status=413)
        request.upload_handlers.insert(0, UploadLimitHandler(request, settings.SKM_IMPORT_MAX_BYTES))
    return _import_upload(request, unit)


import_upload.reads_body_itself = True  # see skm.middleware.RejectNullBytesMiddleware


@csrf_protect
def _import_upload(request, unit):
    if request.method != "POST":
        current = round_current_open(unit=unit)
        form = ImportUploadForm(unit=unit, initial={"periode": current.period_id if current else None})
        return _page(request, unit, form)
    form = ImportUploadForm(request.POST, request.FILES, unit=unit)
    if getattr(request, "import_too_big", False):
        return _page(request, unit, ImportUploadForm(unit=unit), errors=[import_too_big_message()], status=413)
    if RejectNullBytesMiddleware.post_has_nul(request):
        return bad_request(request)
    if not form.is_valid():
        return _page(request, unit, form, status=400)
    job = import_job_create(
        user=request.user,
        unit=unit,
        period=form.cleaned_data["periode"],
        upload=form.cleaned_data["berkas"],
        create_services=form.cleaned_data["buat_layanan"],
        force=form.cleaned_data["impor_ulang"],
        instrument=form.cleaned_data["instrumen"],
    )
    if job.status == ImportJob.Status.FAILED and IMPORT_QUEUE_UNAVAILABLE in job.errors:
        messages.error(request, _(IMPORT_QUEUE_UNAVAILABLE))
    return redirect("surveys:import_job", unit_code=unit.code, pk=job.pk)


def _page(request, unit, form, *, errors=(), status=200):
    page = Paginator(import_batch_list(unit=unit), 20).get_page(request.GET.get("hal"))
    jobs = import_job_list(unit=unit)[:5]
    return render(
        request,
        "surveys/collection/import.html",
        {
            "unit": unit,
            "form": form,
            "errors": list(errors),
            "page": page,
            "jobs": jobs,
            "max_mb": settings.SKM_IMPORT_MAX_BYTES // (1024 * 1024),
            "extra_questions": list(extra_question_list(unit=unit, active_only=True)),
        },
        status=status,
    )


def _shown(texts: list[str], data: list) -> list[str]:
    """Stored messages in the reader's language: re-rendered from their msgids
    and parameters when the job kept them, else the stored text (a plain msgid
    is still translated)."""
    if len(data) != len(texts):
        return [_(text) for text in texts]
    return [translatable.render(item, fallback=text) for item, text in zip(data, texts, strict=True)]


def job_payload(job: ImportJob) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "percent": job.percent,
        # Stored as Indonesian msgids (see surveys.services); shown in the reader's language.
        "message": _(job.message) if job.message else "",
        "finished": job.is_finished,
        "rows": job.batch.rows if job.batch_id and job.batch else None,
        "errors": _shown(job.errors, job.error_data),
        "warnings": _shown(job.warnings, job.warning_data),
        "page_url": reverse("surveys:import_job", args=[job.unit.code, job.pk]),
    }


@login_required
@require_GET
def import_job(request, unit_code: str, pk: int):
    unit = unit_get_writable(user=request.user, code=unit_code)
    job = import_job_get(unit=unit, job_id=pk)
    return render(
        request, "surveys/collection/import_job.html", {"unit": unit, "job": job, "payload": job_payload(job)}
    )


@login_required
@require_GET
def import_job_status(request, unit_code: str, pk: int):
    unit = unit_get_writable(user=request.user, code=unit_code)
    return JsonResponse(job_payload(import_job_get(unit=unit, job_id=pk)))
