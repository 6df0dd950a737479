"""Staff screen for typing in paper questionnaires, keyboard only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..access import unit_get_writable
from ..extra import definitions
from ..forms import EDUCATION_KEYS, OCCUPATION_KEYS, PaperEntryForm, ReasonForm, choice_options
from ..models import Response
from ..selectors import (
    extra_question_list,
    period_list_for_entry,
    response_list_paper,
    round_for_collection,
    round_get,
    service_list,
    unit_wording,
)
from ..selectors_responses import paper_number_taken
from ..services import DuplicateNumber, response_create_paper, response_delete_paper
from ..services_rounds import RoundNotOpen

PAGE_SIZE = 25


def _wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "fetch" or "application/json" in request.headers.get("accept", "")


def _entry_url(unit, period) -> str:
    return f"{reverse('surveys:paper_entry', args=[unit.code])}?{urlencode({'periode': period.code})}"


def _saved_json(request, unit, period, response) -> JsonResponse:
    row = render_to_string(
        "surveys/collection/_entry_row.html",
        {"r": response, "unit": unit, "period": period, "round_open": True},
        request=request,
    )
    count = response_list_paper(unit=unit, period=period).count()
    return JsonResponse({"ok": True, "number": response.number, "row": row, "count": count})


def _refuse(request, unit, period, message: str):
    if _wants_json(request):
        return JsonResponse({"ok": False, "errors": {"__all__": [message]}}, status=409)
    messages.error(request, message)
    return redirect(_entry_url(unit, period))


def _create(request, form, unit, period):
    data = form.cleaned_data
    return response_create_paper(
        unit=unit,
        period=period,
        user=request.user,
        answers=form.answers(),
        service=form.service(),
        number=data["nomor"],
        gender=data["jenis_kelamin"],
        age=data["usia"],
        education=data["pendidikan"],
        occupation=data["pekerjaan"],
        disability=data["disabilitas"],
        suggestion=data["saran"],
        extra=form.extra_answers(),
        more=form.instrument_answers(),
        allow_duplicate_number=request.POST.get("konfirmasi_duplikat") == "1",
    )


def _post(request, form, unit, period):
    """Save one row: an HTTP response, or (status, duplicate) to show the form again."""
    rnd = round_get(unit=unit, period=period)
    if rnd is None or not rnd.is_open:
        message = _("Putaran survei periode %(p)s tidak sedang dibuka; jawaban tidak dapat ditambahkan.") % {
            "p": period.label
        }
        return _refuse(request, unit, period, message)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
        return 400, False
    try:
        response = _create(request, form, unit, period)
    except DuplicateNumber as exc:
        # Nothing saved: a number the round already has needs the staff's confirmation.
        message = " ".join(exc.messages)
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "duplicate": True, "errors": {"nomor": [{"message": message}]}}, status=409
            )
        form.add_error("nomor", message)
        return 409, True
    except (RoundNotOpen, ValidationError) as exc:
        return _refuse(request, unit, period, " ".join(exc.messages))
    if _wants_json(request):
        return _saved_json(request, unit, period, response)
    messages.success(request, _("Kuesioner nomor %(n)s tersimpan.") % {"n": response.number})
    return redirect(_entry_url(unit, period))


@login_required
def paper_entry(request, unit_code: str):
    unit = unit_get_writable(user=request.user, code=unit_code)
    period, rnd = round_for_collection(unit=unit, code=request.GET.get("periode"))
    if request.GET.get("periode") and period is None:
        raise Http404(_("Periode tidak ditemukan."))
    services = list(service_list(unit=unit))
    extra = definitions(extra_question_list(unit=unit, active_only=True))
    instruments = rnd.other_instruments if rnd is not None else ()
    kwargs = {"services": services, "allow_minors": unit.allow_minors, "extra": extra, "instruments": instruments}
    form = PaperEntryForm(**kwargs)
    status, duplicate = 200, False
    if request.method == "POST":
        if period is None:
            raise Http404(_("Periode tidak ditemukan."))
        form = PaperEntryForm(request.POST, **kwargs)
        outcome = _post(request, form, unit, period)
        if not isinstance(outcome, tuple):
            return outcome
        status, duplicate = outcome

    page = None
    if period is not None:
        page = Paginator(response_list_paper(unit=unit, period=period), PAGE_SIZE).get_page(request.GET.get("hal"))
    return render(
        request,
        "surveys/collection/entry.html",
        {
            "unit": unit,
            "period": period,
            "periods": period_list_for_entry(unit=unit),
            "round": rnd,
            "round_open": rnd is not None and rnd.is_open,
            "form": form,
            "services": services,
            "unsur": unit_wording(unit=unit),
            "extra": extra,
            "instruments": instruments,
            "page": page,
            "duplicate": duplicate,
            "education_options": choice_options(form.fields["pendidikan"].choices, EDUCATION_KEYS),
            "occupation_options": choice_options(form.fields["pekerjaan"].choices, OCCUPATION_KEYS),
        },
        status=status,
    )


@login_required
@require_GET
def paper_number_check(request, unit_code: str):
    """JSON for the entry screen: is this questionnaire number already used in the round?"""
    unit = unit_get_writable(user=request.user, code=unit_code)
    period, _rnd = round_for_collection(unit=unit, code=request.GET.get("periode"))
    raw = request.GET.get("nomor", "").strip()
    if period is None:
        raise Http404(_("Periode tidak ditemukan."))
    if not raw.isdigit():
        return JsonResponse({"duplicate": False, "message": ""})
    taken = paper_number_taken(unit=unit, period=period, number=int(raw))
    message = ""
    if taken:
        message = _("Nomor kuesioner %(n)s sudah dipakai pada periode ini. Simpan lagi untuk tetap memakainya.") % {
            "n": int(raw)
        }
    return JsonResponse({"duplicate": bool(taken), "message": message})


@login_required
@require_POST
def paper_delete(request, unit_code: str, pk: int):
    """Soft-delete a paper row from the entry screen; the reason is required."""
    unit = unit_get_writable(user=request.user, code=unit_code)
    response = (
        Response.objects.select_related("period").filter(pk=pk, unit=unit, channel=Response.Channel.PAPER).first()
    )
    if response is None:
        raise Http404(_("Jawaban tidak ditemukan."))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_entry_url(unit, response.period))
    try:
        response_delete_paper(response=response, user=request.user, reason=form.cleaned_data["alasan"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Kuesioner nomor %(n)s dihapus.") % {"n": response.number})
    return redirect(_entry_url(unit, response.period))
