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
from django.views.decorators.http import require_POST

from ..access import unit_get_writable
from ..forms import PaperEntryForm
from ..models import Response
from ..selectors import period_for_collection, period_list_for_entry, response_list_paper, service_list, unit_wording
from ..services import PeriodClosed, response_create_paper, response_delete_paper

PAGE_SIZE = 25


def _wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "fetch" or "application/json" in request.headers.get("accept", "")


def _entry_url(unit, period) -> str:
    return f"{reverse('surveys:paper_entry', args=[unit.code])}?{urlencode({'periode': period.code})}"


@login_required
def paper_entry(request, unit_code: str):
    unit = unit_get_writable(user=request.user, code=unit_code)
    period = period_for_collection(code=request.GET.get("periode"))
    if request.GET.get("periode") and period is None:
        raise Http404(_("Periode tidak ditemukan."))
    services = list(service_list(unit=unit))
    form = PaperEntryForm(services=services, allow_minors=unit.allow_minors)
    status = 200
    if request.method == "POST":
        if period is None:
            raise Http404(_("Periode tidak ditemukan."))
        form = PaperEntryForm(request.POST, services=services, allow_minors=unit.allow_minors)
        if not period.is_open:
            message = _("Periode %(p)s sudah ditutup; jawaban tidak dapat ditambahkan.") % {"p": period.label}
            if _wants_json(request):
                return JsonResponse({"ok": False, "errors": {"__all__": [message]}}, status=409)
            messages.error(request, message)
            return redirect(_entry_url(unit, period))
        if form.is_valid():
            data = form.cleaned_data
            try:
                response = response_create_paper(
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
                )
            except (PeriodClosed, ValidationError) as exc:
                message = " ".join(exc.messages)
                if _wants_json(request):
                    return JsonResponse({"ok": False, "errors": {"__all__": [message]}}, status=409)
                messages.error(request, message)
                return redirect(_entry_url(unit, period))
            if _wants_json(request):
                row = render_to_string(
                    "surveys/collection/_entry_row.html",
                    {"r": response, "unit": unit, "can_delete": True},
                    request=request,
                )
                return JsonResponse(
                    {
                        "ok": True,
                        "number": response.number,
                        "row": row,
                        "count": response_list_paper(unit=unit, period=period).count(),
                    }
                )
            messages.success(request, _("Kuesioner nomor %(n)s tersimpan.") % {"n": response.number})
            return redirect(_entry_url(unit, period))
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
        status = 400

    page = None
    if period is not None:
        page = Paginator(response_list_paper(unit=unit, period=period), PAGE_SIZE).get_page(request.GET.get("hal"))
    return render(
        request,
        "surveys/collection/entry.html",
        {
            "unit": unit,
            "period": period,
            "periods": period_list_for_entry(),
            "form": form,
            "services": services,
            "unsur": unit_wording(unit=unit),
            "page": page,
            "education_choices": Response.Education.choices,
            "occupation_choices": Response.Occupation.choices,
        },
        status=status,
    )


@login_required
@require_POST
def paper_delete(request, unit_code: str, pk: int):
    unit = unit_get_writable(user=request.user, code=unit_code)
    response = (
        Response.objects.select_related("period").filter(pk=pk, unit=unit, channel=Response.Channel.PAPER).first()
    )
    if response is None:
        raise Http404(_("Jawaban tidak ditemukan."))
    try:
        response_delete_paper(response=response)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Kuesioner nomor %(n)s dihapus.") % {"n": response.number})
    return redirect(_entry_url(unit, response.period))
