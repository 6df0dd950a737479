"""The unit's own profile page (/unit/<code>/profil/): letterhead, signatory,
logo, and the IKM of periods before the system. Staff of the unit and admins
write, supervisors read, others 403. Thin: work in the services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm.rules.ikm import WEIGHT_DESCRIPTIONS, WeightMode
from surveys.access import unit_get_for_user
from surveys.forms import PeriodCodeField
from surveys.models import EarlierIkm, Response
from surveys.services import period_get_or_create
from surveys.services_earlier import earlier_ikm_delete, earlier_ikm_save

from .services_profile import PROFILE_FIELDS, unit_profile_update


class ProfileForm(forms.Form):
    address = forms.CharField(label=gettext_lazy("Alamat"), max_length=300, required=False)
    city = forms.CharField(label=gettext_lazy("Kota (tempat tanda tangan)"), max_length=100, required=False)
    phone = forms.CharField(label=gettext_lazy("Telepon"), max_length=60, required=False)
    website = forms.CharField(label=gettext_lazy("Situs web"), max_length=200, required=False)
    signatory_name = forms.CharField(label=gettext_lazy("Nama penanda tangan"), max_length=150, required=False)
    signatory_title = forms.CharField(label=gettext_lazy("Jabatan"), max_length=200, required=False)
    signatory_rank = forms.CharField(label=gettext_lazy("Pangkat/golongan"), max_length=100, required=False)
    signatory_nip = forms.CharField(label=gettext_lazy("NIP"), max_length=30, required=False)
    logo = forms.FileField(
        label=gettext_lazy("Logo (PNG atau JPEG)"),
        required=False,
        help_text=gettext_lazy("Dicetak di sampul laporan menggantikan lambang SKM. SVG tidak diterima."),
    )
    remove_logo = forms.BooleanField(label=gettext_lazy("Hapus logo"), required=False)


class EarlierIkmForm(forms.Form):
    periode = PeriodCodeField()
    ikm = forms.CharField(label=gettext_lazy("Nilai IKM"), max_length=10)
    weight_mode = forms.ChoiceField(
        label=gettext_lazy("Bobot"), choices=[(m.value, WEIGHT_DESCRIPTIONS[m]) for m in WeightMode]
    )
    respondents = forms.IntegerField(label=gettext_lazy("Jumlah responden"), required=False, min_value=1)
    source = forms.CharField(label=gettext_lazy("Sumber"), max_length=300)


def _context(unit, can_write, *, form=None, ikm_form=None):
    entries = list(EarlierIkm.objects.filter(unit=unit).select_related("period", "entered_by"))
    with_responses = set(
        Response.objects.filter(unit=unit, period_id__in=[e.period_id for e in entries]).values_list(
            "period_id", flat=True
        )
    )
    return {
        "unit": unit,
        "can_write": can_write,
        "form": form or ProfileForm(initial={f: getattr(unit, f) for f in PROFILE_FIELDS}),
        "ikm_form": ikm_form or EarlierIkmForm(initial={"weight_mode": WeightMode.EXACT.value}),
        "entries": [(e, e.period_id in with_responses) for e in entries],
    }


@login_required
def unit_profile(request, code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=code)
    if request.method != "POST":
        return render(request, "reports/profile.html", _context(unit, can_write))
    if not can_write:
        raise PermissionDenied(_("Hanya staf unit atau admin yang dapat mengubah profil unit."))
    action = request.POST.get("aksi", "profil")
    if action == "ikm":
        return _save_ikm(request, unit)
    if action == "hapus-ikm":
        entry = EarlierIkm.objects.filter(unit=unit, pk=request.POST.get("id") or 0).first()
        if entry is None:
            raise Http404(_("Nilai IKM tidak ditemukan."))
        earlier_ikm_delete(entry=entry, user=request.user)
        messages.success(request, _("Nilai IKM %(p)s dihapus.") % {"p": entry.period.label})
        return redirect("unit_profile", code=unit.code)
    form = ProfileForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            unit_profile_update(
                unit=unit,
                user=request.user,
                logo=data["logo"],
                remove_logo=data["remove_logo"],
                **{f: data[f] for f in PROFILE_FIELDS},
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("logo", exc.messages)
        else:
            messages.success(request, _("Profil unit disimpan."))
            return redirect("unit_profile", code=unit.code)
    return render(request, "reports/profile.html", _context(unit, True, form=form), status=400)


def _save_ikm(request, unit):
    form = EarlierIkmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        period, _created = period_get_or_create(code=data["periode"])
        try:
            earlier_ikm_save(
                unit=unit,
                period=period,
                ikm=data["ikm"],
                weight_mode=WeightMode(data["weight_mode"]),
                respondents=data["respondents"],
                source=data["source"],
                user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Nilai IKM %(p)s disimpan.") % {"p": period.label})
            return redirect("unit_profile", code=unit.code)
    return render(request, "reports/profile.html", _context(unit, True, ikm_form=form), status=400)
