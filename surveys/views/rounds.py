"""Survey rounds of one unit: staff open and close them, a supervisor publishes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skm.rules.periods import PeriodTiming, period_timing

from ..access import unit_get_for_round_steps
from ..answers import SKM_CODE, optional_instruments
from ..forms import PeriodCodeField
from ..selectors import period_get, round_get
from ..selectors_rounds import round_rows_for_unit
from ..services import period_get_or_create
from ..services_rounds import round_close, round_open


class RoundOpenForm(forms.Form):
    periode = PeriodCodeField(
        help_text=gettext_lazy("Contoh: 2025-S2, 2025-TW3 atau 2025. Periode lampau boleh dibuka untuk entri kertas."),
    )
    instrumen = forms.MultipleChoiceField(
        label=gettext_lazy("Instrumen tambahan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "SKM selalu ditanyakan. Tambahkan survei persepsi Zona Integritas bila unit membangun WBK/WBBM: "
            "responden menjawabnya setelah sembilan unsur SKM."
        ),
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "id"
        self.fields["instrumen"].choices = [
            (i.code, f"{i.code} — {i.name.get(language)} ({i.index_name})")
            for i in optional_instruments(unit_id=getattr(unit, "pk", None))
        ]

    def instruments(self) -> list[str]:
        return [SKM_CODE, *self.cleaned_data.get("instrumen", [])]


def _warn_if_not_started(request, period) -> None:
    """An open round of a period that has not started takes paper entry and
    imports, but its public link refuses answers until the first day."""
    timing = period_timing(start=period.start_date, end=period.end_date, today=timezone.localdate())
    if timing is PeriodTiming.UPCOMING:
        messages.warning(
            request,
            _(
                "Periode %(p)s belum dimulai: tautan publik dan kode QR baru menerima jawaban mulai "
                "%(start)s. Sampai tanggal itu responden melihat pemberitahuan bahwa survei belum dimulai; "
                "entri kertas dan impor sudah dapat dipakai."
            )
            % {"p": period.label, "start": formats.date_format(period.start_date, "j F Y")},
        )


def _page(request, unit, can_write, can_publish, *, open_form=None, status=200):
    return render(
        request,
        "surveys/rounds/manage.html",
        {
            "unit": unit,
            "can_write": can_write,
            "can_publish": can_publish,
            "rows": round_rows_for_unit(unit=unit, today=timezone.localdate()),
            "open_form": open_form or RoundOpenForm(unit=unit),
        },
        status=status,
    )


@login_required
def round_manage(request, unit_code: str):
    unit, can_write, can_publish = unit_get_for_round_steps(user=request.user, code=unit_code)
    if request.method != "POST":
        return _page(request, unit, can_write, can_publish)
    if not can_write:
        raise PermissionDenied(_("Hanya staf unit yang dapat membuka putaran survei."))
    form = RoundOpenForm(request.POST, unit=unit)
    if not form.is_valid():
        return _page(request, unit, can_write, can_publish, open_form=form, status=400)
    period, _created = period_get_or_create(code=form.cleaned_data["periode"])
    try:
        rnd = round_open(unit=unit, period=period, user=request.user, instruments=form.instruments())
    except ValidationError as exc:
        form.add_error("periode", " ".join(exc.messages))
        return _page(request, unit, can_write, can_publish, open_form=form, status=409)
    if rnd.other_instruments:
        message = _("Putaran %(round)s dibuka dengan instrumen %(codes)s.") % {
            "round": rnd.period.label,
            "codes": ", ".join(rnd.instrument_codes),
        }
    else:
        message = _("Putaran %(round)s dibuka.") % {"round": rnd.period.label}
    messages.success(request, message)
    _warn_if_not_started(request, period)
    return redirect("surveys:round_manage", unit_code=unit.code)


@login_required
@require_POST
def round_step(request, unit_code: str, period_code: str, action: str):
    """Open or close (staff). Publishing is ``reports:round_publish``, which
    freezes the report text with the numbers."""
    unit, can_write, _can_publish = unit_get_for_round_steps(user=request.user, code=unit_code)
    period = period_get(code=period_code)
    rnd = round_get(unit=unit, period=period)
    if rnd is None or action not in ("buka", "tutup"):
        raise Http404(_("Putaran survei tidak ditemukan."))
    if not can_write:
        raise PermissionDenied(_("Hanya staf unit yang dapat membuka atau menutup putaran survei."))
    try:
        if action == "buka":
            round_open(unit=unit, period=period, user=request.user)
            messages.success(request, _("Putaran %(p)s dibuka.") % {"p": period.label})
            _warn_if_not_started(request, period)
        else:
            round_close(round=rnd, user=request.user)
            messages.success(request, _("Putaran %(p)s ditutup.") % {"p": period.label})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:round_manage", unit_code=unit.code)
