"""Report and export-job pages. Thin: access through surveys selectors,
work in reports.services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skm.rules.ikm import parse_weight_mode
from surveys.access import unit_get_for_user
from surveys.models import Period
from surveys.selectors import period_get, period_latest_with_responses, round_get

from . import selectors, services
from .context_instrument import InstrumentNotAsked, asked_instrument
from .forms import ExportRequestForm, instrument_report_value
from .models import ExportJob

PAGE_SIZE = 20


def _job_payload(job: ExportJob) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "percent": job.percent,
        # Stored as Indonesian msgids (see reports.services); shown in the reader's language.
        "message": _(job.message) if job.message else "",
        "error": _(job.error) if job.error else "",
        "finished": job.is_finished,
        "download_url": reverse("reports:job_download", args=[job.pk])
        if job.status == ExportJob.Status.DONE and job.result
        else None,
        "attachment_url": reverse("reports:job_download_attachment", args=[job.pk])
        if job.status == ExportJob.Status.DONE and job.attachment
        else None,
        "duration": round(job.duration.total_seconds(), 1) if job.duration else None,
    }


@login_required
def unit_reports(request, code):
    """Request form for one unit plus its recent jobs."""
    unit, can_write = unit_get_for_user(user=request.user, code=code)
    latest = period_latest_with_responses(unit=unit)
    kind = request.GET.get("jenis")
    form = ExportRequestForm(
        initial={
            "period": request.GET.get("periode") or (latest.code if latest else None),
            "weight_mode": settings.SKM_WEIGHT_MODE,
            "kind": kind if kind in ExportJob.Kind.values else None,
        }
    )
    jobs = Paginator(selectors.export_job_list_for_user(user=request.user, unit=unit), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    period = Period.objects.filter(code=form.initial["period"]).first() if form.initial["period"] else None
    context = {
        "unit": unit,
        "form": form,
        "jobs": jobs,
        "can_write": can_write,
        "period": period,
        "instrument_reports": _instrument_reports(unit, period),
    }
    return render(request, "reports/unit_reports.html", context)


def _instrument_reports(unit, period) -> list[dict]:
    """The report buttons of the Zona Integritas surveys (SPKP, SPAK) that the round of
    the period shown asks; none when it asks only the SKM."""
    rnd = round_get(unit=unit, period=period) if period is not None else None
    language = get_language() or "id"
    return [
        {
            "code": instrument.code,
            "name": instrument.name.get(language),
            "index_name": instrument.index_name,
            "pdf": instrument_report_value(ExportJob.Kind.PDF_INSTRUMENT, instrument.code),
            "docx": instrument_report_value(ExportJob.Kind.DOCX_INSTRUMENT, instrument.code),
        }
        for instrument in (rnd.other_instruments if rnd is not None else ())
    ]


@login_required
@require_POST
def export_request(request, code):
    unit, _can_write = unit_get_for_user(user=request.user, code=code)
    form = ExportRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reports:unit_reports", code=unit.code)
    period, instrument = form.cleaned_data["period"], form.cleaned_data["instrument"]
    if form.cleaned_data["kind"] in ExportJob.INSTRUMENT_KINDS:
        try:
            instrument = asked_instrument(unit=unit, period=period, code=instrument).code
        except InstrumentNotAsked:
            raise Http404(
                _(
                    "Putaran survei %(unit)s periode %(period)s tidak menanyakan instrumen %(code)s, jadi laporannya tidak ada."
                )
                % {"unit": unit.name, "period": period.label, "code": instrument}
            ) from None
    job = services.export_job_create(
        user=request.user,
        unit=unit,
        period=period,
        kind=form.cleaned_data["kind"],
        weight_mode=form.cleaned_data["weight_mode"],
        instrument=instrument,
    )
    if job.status == ExportJob.Status.FAILED and job.error == services.QUEUE_UNAVAILABLE:
        messages.error(request, job.error)
    elif getattr(job, "reused", False):
        messages.info(request, _("Ekspor yang sama sedang dibuat; Anda diarahkan ke tugas tersebut."))
    return redirect("reports:job_detail", pk=job.pk)


@login_required
@require_GET
def job_list(request):
    jobs = Paginator(selectors.export_job_list_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    return render(request, "reports/job_list.html", {"jobs": jobs})


@login_required
@require_GET
def job_detail(request, pk):
    job = services.export_job_refresh(job=selectors.export_job_get_for_user(user=request.user, job_id=pk))
    return render(request, "reports/job_detail.html", {"job": job, "payload": _job_payload(job)})


@login_required
@require_GET
def job_status(request, pk):
    job = services.export_job_refresh(job=selectors.export_job_get_for_user(user=request.user, job_id=pk))
    return JsonResponse(_job_payload(job))


@login_required
@require_GET
def job_download(request, pk):
    job = selectors.export_job_get_for_user(user=request.user, job_id=pk)
    if job.status != ExportJob.Status.DONE or not job.result:
        raise Http404(_("Berkas ekspor belum tersedia atau sudah dihapus."))
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas ekspor sudah dihapus.")) from None
    return FileResponse(handle, as_attachment=True, filename=job.filename, content_type=job.content_type)


@login_required
@require_GET
def job_download_attachment(request, pk):
    """The XLSX attached to a large Laporan SKM (per-respondent data and every saran)."""
    job = selectors.export_job_get_for_user(user=request.user, job_id=pk)
    if job.status != ExportJob.Status.DONE or not job.attachment:
        raise Http404(_("Lampiran belum tersedia atau sudah dihapus."))
    try:
        handle = job.attachment.open("rb")
    except FileNotFoundError:
        raise Http404(_("Lampiran sudah dihapus.")) from None
    return FileResponse(handle, as_attachment=True, filename=job.attachment_filename)


@login_required
@require_POST
def job_retry(request, pk):
    job = services.export_job_refresh(job=selectors.export_job_get_for_user(user=request.user, job_id=pk))
    if job.status != ExportJob.Status.FAILED:
        messages.info(request, _("Tugas ini tidak dalam status gagal."))
        return redirect("reports:job_detail", pk=job.pk)
    retried = services.export_job_retry(job=job)
    if retried.pk != job.pk:
        messages.info(request, _("Ekspor yang sama sedang dibuat; Anda diarahkan ke tugas tersebut."))
        return redirect("reports:job_detail", pk=retried.pk)
    job = retried
    if job.status == ExportJob.Status.FAILED and job.error == services.QUEUE_UNAVAILABLE:
        messages.error(request, job.error)
    else:
        messages.success(request, _("Tugas ekspor diantrekan kembali."))
    return redirect("reports:job_detail", pk=job.pk)


@login_required
@require_POST
def comparison_export(request):
    """Queue the XLSX of the full comparison of a subtree (every unit the user
    may read under ``induk``) and show the job's progress page. Supervisors of
    the subtree and admins get every unit; staff only their own unit."""
    code = (request.POST.get("induk") or "").strip()
    if not code:
        raise Http404("Unit induk tidak ditemukan.")
    unit, _can_write = unit_get_for_user(user=request.user, code=code)
    period = period_get(code=(request.POST.get("periode") or "").strip() or "-")
    try:
        mode = parse_weight_mode(request.POST.get("bobot") or "exact")
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:results_compare")
    job = services.export_job_create(
        user=request.user, unit=unit, period=period, kind=ExportJob.Kind.COMPARISON_XLSX, weight_mode=mode
    )
    if job.status == ExportJob.Status.FAILED and job.error == services.QUEUE_UNAVAILABLE:
        messages.error(request, job.error)
    elif getattr(job, "reused", False):
        messages.info(request, _("Ekspor yang sama sedang dibuat; Anda diarahkan ke tugas tersebut."))
    return redirect("reports:job_detail", pk=job.pk)
