"""The questionnaire's staff preview (stores nothing) and test mode (stores
test answers apart from every result, in ``PracticeResponse``).

Both render the respondents' own template and form (the unit's wording, jenis
layanan and privacy notice) with a banner, and work while no round is open."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..access import unit_get_for_user, unit_get_writable
from ..forms import token_issue, token_read
from ..models import Response
from ..selectors import questionnaire_context, round_current_open
from ..selectors_practice import practice_summary_for_unit
from ..services import DuplicateSubmission
from ..services_practice import practice_response_clear, practice_response_create
from .questionnaire import _form_again, _render_form, _Setup

MODE_PREVIEW = "pratinjau"
MODE_TEST = "uji"


def _mode_url(unit, mode: str, service=None) -> str:
    name = "surveys:questionnaire_test" if mode == MODE_TEST else "surveys:questionnaire_preview"
    url = reverse(name, args=[unit.code])
    return f"{url}?layanan={service.pk}" if service is not None else url


def _setup(request, unit_code: str) -> _Setup:
    """As the public questionnaire's setup, without any round check: the
    unit's current open round's period when there is one, else none."""
    context = questionnaire_context(code=unit_code)
    unit = context.unit
    services = list(context.services)
    fixed_service = None
    if request.GET.get("layanan", "").isdigit():
        fixed_service = next((s for s in services if s.pk == int(request.GET["layanan"])), None)
        if fixed_service is None:
            raise Http404(_("Jenis layanan tidak ditemukan."))
    current = round_current_open(unit=unit)
    choices = services if (fixed_service is None and len(services) > 1) else None
    return _Setup(
        unit=unit,
        period=current.period if current else None,
        round=current,
        kiosk=False,
        fixed_service=fixed_service,
        period_code=None,
        services=services,
        choices=choices,
        default_service=fixed_service or (services[0] if len(services) == 1 else None),
        unsur=list(context.unsur),
        pages={},  # staff pages are always rendered in full, never from the respondents' page cache
        extra=context.extra,
    )


def _staff_context(request, setup: _Setup, *, mode: str, can_write: bool) -> dict:
    unit, service = setup.unit, setup.fixed_service
    return {
        "preview_mode": mode,
        "can_write": can_write,
        "practice": practice_summary_for_unit(unit=unit),
        "preview_url": _mode_url(unit, MODE_PREVIEW, service),
        "test_url": _mode_url(unit, MODE_TEST, service),
    }


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_preview(request, unit_code: str):
    """Staff, supervisors and admins see the questionnaire as respondents do;
    a submission is validated and shown back, and nothing is written."""
    return _questionnaire(request, unit_code, mode=MODE_PREVIEW)


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_test(request, unit_code: str):
    """Unit staff and admins fill the questionnaire in test mode: the answer is
    kept as a test answer, out of every result. Supervisors only look."""
    return _questionnaire(request, unit_code, mode=MODE_TEST)


def _questionnaire(request, unit_code: str, *, mode: str):
    if mode == MODE_TEST and request.method == "POST":
        unit_get_writable(user=request.user, code=unit_code)
        can_write = True
    else:
        _unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    setup = _setup(request, unit_code)
    token_error = ""
    if request.method == "POST":
        form = setup.form_class(request.POST, **setup.form_kwargs)
        if form.is_valid():
            try:
                token = token_read(form.cleaned_data["token"], unit_id=setup.unit.pk)
            except signing.SignatureExpired:
                token_error = _(
                    "Formulir ini sudah terlalu lama terbuka. Jawaban Anda masih ada di bawah; "
                    "silakan tekan Kirim sekali lagi."
                )
            except (signing.BadSignature, ValueError):
                token_error = _("Formulir tidak sah atau rusak. Silakan periksa jawaban lalu tekan Kirim sekali lagi.")
            else:
                return _submitted(request, setup, form, token, mode=mode)
        form = _form_again(request, setup)
        status = 400
    else:
        form = setup.form_class(initial={"token": token_issue(unit_id=setup.unit.pk)}, **setup.form_kwargs)
        status = 200
    extra = _staff_context(request, setup, mode=mode, can_write=can_write)
    return _render_form(request, setup, form, status=status, token_error=token_error, extra=extra)


def _submitted(request, setup: _Setup, form, token, *, mode: str):
    """The answers as they would be stored; in test mode, stored as a test answer."""
    data = form.cleaned_data
    service = setup.default_service
    if setup.choices:
        service = next(s for s in setup.services if s.pk == data["layanan"])
    duplicate = False
    if mode == MODE_TEST:
        try:
            practice_response_create(
                unit=setup.unit,
                period=setup.period,
                service=service,
                client_token=token,
                answers=form.answers(),
                user=request.user,
                gender=data["jenis_kelamin"],
                age=data["usia"],
                education=data["pendidikan"],
                occupation=data["pekerjaan"],
                disability=data["disabilitas"],
                guardian_consent=form.guardian_consent(),
                suggestion=data["saran"],
            )
        except DuplicateSubmission:
            duplicate = True
    answers = form.answers()
    rows = [(d.question, answers[d.code], d.labels[answers[d.code] - 1]) for d in setup.unsur]
    profile = [
        (_("Jenis kelamin"), dict(Response.Gender.choices).get(data["jenis_kelamin"], "")),
        (_("Usia (tahun)"), data["usia"] if data["usia"] is not None else ""),
        (_("Pendidikan terakhir"), dict(Response.Education.choices).get(data["pendidikan"], "")),
        (_("Pekerjaan utama"), dict(Response.Occupation.choices).get(data["pekerjaan"], "")),
        (_("Disabilitas"), dict(Response.Disability.choices).get(data["disabilitas"], "")),
    ]
    context = {
        "unit": setup.unit,
        "period": setup.period,
        "service": service,
        "rows": rows,
        "profile": profile,
        "suggestion": data["saran"],
        "duplicate": duplicate,
        **_staff_context(request, setup, mode=mode, can_write=mode == MODE_TEST),
    }
    response = render(request, "surveys/collection/preview_result.html", context)
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def practice_clear(request, unit_code: str):
    """Delete every test answer of the unit (staff, admin), after a confirmation page."""
    unit = unit_get_writable(user=request.user, code=unit_code)
    if request.method == "POST":
        deleted = practice_response_clear(unit=unit, user=request.user)
        messages.success(request, _("%(n)d jawaban uji dihapus.") % {"n": deleted})
        return redirect("surveys:questionnaire_test", unit.code)
    return render(
        request,
        "surveys/collection/practice_clear.html",
        {"unit": unit, "practice": practice_summary_for_unit(unit=unit)},
    )
