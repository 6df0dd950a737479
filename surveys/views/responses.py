"""Staff pages for the responses of a round (unit x period): list, detail,
correction, soft delete and restore, import undo, saran, raw data and the
round's audit trail. Staff write their units while the period is open;
supervisors read; everyone else gets 403."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skm.rules.unsur import UNSUR_CODES

from ..exports_raw import export_csv_chunks, export_filename, export_row_count, export_xlsx_write, raw_spec, saran_spec
from ..extra import definitions, display_value
from ..forms import OptionalReasonForm, ReasonForm, ResponseEditForm
from ..models import Response
from ..selectors import extra_question_list, service_list, unit_wording
from ..selectors_responses import (
    ResponseFilters,
    Round,
    import_batch_get_for_round,
    import_batch_list_for_round,
    response_get_for_round,
    response_list_for_round,
    round_get_for_user,
    round_history_entries,
    round_history_index,
    saran_list_for_round,
)
from ..services import (
    DuplicateNumber,
    import_batch_restore,
    import_batch_undo,
    response_delete,
    response_restore,
    response_update,
)

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 50


def _round(request, unit_code: str, period_code: str, *, write: bool = False) -> Round:
    rnd = round_get_for_user(user=request.user, unit_code=unit_code, period_code=period_code)
    if write and not rnd.can_write:
        raise PermissionDenied(_("Anda hanya dapat melihat unit ini, tidak mengubahnya."))
    return rnd


def _url(name: str, rnd: Round, *args) -> str:
    return reverse(f"surveys:{name}", args=[rnd.unit.code, rnd.period.code, *args])


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def raw_xlsx_sync_limit() -> int:
    return settings.SKM_RAW_EXPORT_SYNC_MAX


@login_required
@require_GET
def response_list(request, unit_code: str, period_code: str):
    rnd = _round(request, unit_code, period_code)
    filters = ResponseFilters.from_query(request.GET)
    qs = response_list_for_round(unit=rnd.unit, period=rnd.period, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("hal"))
    query = request.GET.copy()
    query.pop("hal", None)
    total = Response.objects.filter(unit=rnd.unit, period=rnd.period).count()
    return render(
        request,
        "surveys/responses/list.html",
        {
            "round": rnd,
            "unit": rnd.unit,
            "period": rnd.period,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "services": service_list(unit=rnd.unit, active_only=False),
            "channels": Response.Channel.choices,
            "unsur_codes": UNSUR_CODES,
            "total": total,
            "raw_xlsx_async": total > raw_xlsx_sync_limit(),
        },
    )


@login_required
@require_GET
def response_detail(request, unit_code: str, period_code: str, pk: int):
    rnd = _round(request, unit_code, period_code)
    response = response_get_for_round(unit=rnd.unit, period=rnd.period, pk=pk)
    wording = unit_wording(unit=rnd.unit)
    stored_answers = response.answers()
    answers = [(w, stored_answers[w.code]) for w in wording]
    # The answers to the round's other instruments (SPKP, SPAK), item by item.
    instrument_answers = [
        (instrument, [(item, response.answers(instrument.code)[item.code]) for item in instrument.items])
        for instrument in rnd.other_instruments
        if instrument.code in (response.scores or {})
    ]
    stored = response.extra or {}
    extra_answers = [
        (q, display_value(stored.get(q.key))) for q in extra_question_list(unit=rnd.unit) if q.active or q.key in stored
    ]
    history = response.history.select_related("history_user").order_by("-history_date", "-history_id")[:50]
    return render(
        request,
        "surveys/responses/detail.html",
        {
            "round": rnd,
            "unit": rnd.unit,
            "period": rnd.period,
            "r": response,
            "answers": answers,
            "instrument_answers": instrument_answers,
            "extra_answers": extra_answers,
            "history": history,
            "reason_form": ReasonForm(),
            "restore_form": OptionalReasonForm(),
        },
    )


@login_required
def response_edit(request, unit_code: str, period_code: str, pk: int):
    rnd = _round(request, unit_code, period_code, write=True)
    response = response_get_for_round(unit=rnd.unit, period=rnd.period, pk=pk)
    detail = _url("round_response_detail", rnd, response.pk)
    if not response.is_editable_channel or response.is_deleted or not rnd.is_open:
        messages.error(request, _("Jawaban ini tidak dapat diubah."))
        return redirect(detail)
    services = list(service_list(unit=rnd.unit, active_only=False))
    wording = unit_wording(unit=rnd.unit)
    stored = response.extra or {}
    extra = definitions(q for q in extra_question_list(unit=rnd.unit) if q.active or q.key in stored)
    form_kwargs = {
        "services": services,
        "period": rnd.period,
        "unsur": wording,
        "extra": extra,
        "stored_extra": stored,
    }
    duplicate = False
    status = 200
    if request.method == "POST":
        form = ResponseEditForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                response_update(
                    response=response,
                    user=request.user,
                    reason=form.cleaned_data["alasan"],
                    allow_duplicate_number=form.cleaned_data["konfirmasi_duplikat"],
                    **form.changes(),
                )
            except DuplicateNumber as exc:
                form.add_error("nomor", _errors(exc))
                duplicate = True
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("Perubahan jawaban tersimpan."))
                return redirect(detail)
        status = 400
    else:
        form = ResponseEditForm(initial=ResponseEditForm.initial_for(response), **form_kwargs)
    return render(
        request,
        "surveys/responses/edit.html",
        {
            "round": rnd,
            "unit": rnd.unit,
            "period": rnd.period,
            "r": response,
            "form": form,
            "duplicate": duplicate,
            "answer_fields": [form[w.field] for w in wording],
        },
        status=status,
    )


@login_required
@require_POST
def response_delete_view(request, unit_code: str, period_code: str, pk: int):
    rnd = _round(request, unit_code, period_code, write=True)
    response = response_get_for_round(unit=rnd.unit, period=rnd.period, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            response_delete(response=response, user=request.user, reason=form.cleaned_data["alasan"])
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Jawaban dihapus dan tidak lagi dihitung dalam hasil."))
    return redirect(request.POST.get("next") or _url("round_response_detail", rnd, response.pk))


@login_required
@require_POST
def response_restore_view(request, unit_code: str, period_code: str, pk: int):
    rnd = _round(request, unit_code, period_code, write=True)
    response = response_get_for_round(unit=rnd.unit, period=rnd.period, pk=pk)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["alasan"] if form.is_valid() else ""
    try:
        response_restore(response=response, user=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Jawaban dipulihkan dan kembali dihitung dalam hasil."))
    return redirect(_url("round_response_detail", rnd, response.pk))


# --- import batches -------------------------------------------------------------


@login_required
@require_GET
def import_list(request, unit_code: str, period_code: str):
    rnd = _round(request, unit_code, period_code)
    page = Paginator(import_batch_list_for_round(unit=rnd.unit, period=rnd.period), PAGE_SIZE).get_page(
        request.GET.get("hal")
    )
    return render(
        request,
        "surveys/responses/imports.html",
        {"round": rnd, "unit": rnd.unit, "period": rnd.period, "page": page},
    )


@login_required
@require_POST
def import_undo(request, unit_code: str, period_code: str, pk: int):
    rnd = _round(request, unit_code, period_code, write=True)
    batch = import_batch_get_for_round(unit=rnd.unit, period=rnd.period, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            removed = import_batch_undo(batch=batch, user=request.user, reason=form.cleaned_data["alasan"])
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request,
                _("Impor '%(f)s' dibatalkan: %(n)d jawaban tidak lagi dihitung.") % {"f": batch.filename, "n": removed},
            )
    return redirect(_url("round_imports", rnd))


@login_required
@require_POST
def import_restore(request, unit_code: str, period_code: str, pk: int):
    rnd = _round(request, unit_code, period_code, write=True)
    batch = import_batch_get_for_round(unit=rnd.unit, period=rnd.period, pk=pk)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["alasan"] if form.is_valid() else ""
    try:
        restored = import_batch_restore(batch=batch, user=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("Impor '%(f)s' dipulihkan: %(n)d jawaban kembali dihitung.") % {"f": batch.filename, "n": restored},
        )
    return redirect(_url("round_imports", rnd))


# --- saran and downloads ---------------------------------------------------------


@login_required
@require_GET
def saran_list(request, unit_code: str, period_code: str):
    rnd = _round(request, unit_code, period_code)
    search = request.GET.get("q", "").strip()[:200]
    page = Paginator(saran_list_for_round(unit=rnd.unit, period=rnd.period, search=search), PAGE_SIZE).get_page(
        request.GET.get("hal")
    )
    return render(
        request,
        "surveys/responses/saran.html",
        {
            "round": rnd,
            "unit": rnd.unit,
            "period": rnd.period,
            "page": page,
            "search": search,
            "query": urlencode({"q": search}) if search else "",
        },
    )


def _download(request, rnd: Round, *, spec, kind: str, fmt: str, search: str = "", title: str = ""):
    filename = export_filename(unit=rnd.unit, period=rnd.period, kind=kind, ext=fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            export_csv_chunks(unit=rnd.unit, period=rnd.period, spec=spec, search=search),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    # openpyxl's write-only workbook streams rows to a temporary file; the file is then sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by FileResponse
    export_xlsx_write(unit=rnd.unit, period=rnd.period, spec=spec, target=handle, search=search, title=title)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename)


@login_required
@require_GET
def saran_download(request, unit_code: str, period_code: str, fmt: str):
    rnd = _round(request, unit_code, period_code)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    search = request.GET.get("q", "").strip()[:200]
    return _download(request, rnd, spec=saran_spec(), kind="saran", fmt=fmt, search=search, title="Saran")


@login_required
@require_GET
def raw_download(request, unit_code: str, period_code: str, fmt: str):
    """Every response of the round with every field. CSV streams at any size;
    an XLSX of a large round is made by an export job (reports app) instead."""
    rnd = _round(request, unit_code, period_code)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if (
        fmt == "xlsx"
        and export_row_count(unit=rnd.unit, period=rnd.period, spec=raw_spec(unit=rnd.unit)) > raw_xlsx_sync_limit()
    ):
        messages.info(
            request,
            _("Data periode ini besar: pilih 'Data mentah jawaban (XLSX)' untuk membuatnya sebagai tugas ekspor."),
        )
        query = urlencode({"jenis": "raw_xlsx", "periode": rnd.period.code})
        return redirect(reverse("reports:unit_reports", args=[rnd.unit.code]) + "?" + query)
    return _download(request, rnd, spec=raw_spec(unit=rnd.unit), kind="data-mentah", fmt=fmt, title="Data mentah")


# --- audit trail ------------------------------------------------------------------


@login_required
@require_GET
def round_history(request, unit_code: str, period_code: str):
    rnd = _round(request, unit_code, period_code)
    page = Paginator(round_history_index(unit=rnd.unit, period=rnd.period), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("hal")
    )
    entries = round_history_entries(rows=list(page.object_list))
    return render(
        request,
        "surveys/responses/history.html",
        {"round": rnd, "unit": rnd.unit, "period": rnd.period, "page": page, "entries": entries},
    )
