"""The report authoring page of one round: the unit's own text, section by
section, with a preview laid out by the PDF's renderer (reports.render_html); report date
and place; publication with the text frozen. Thin: work in services_narrative."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from skm.rules.rounds import RoundStatus
from skm.rules.textblocks import parse_blocks
from surveys.access import unit_get_for_round_steps, unit_get_for_user
from surveys.selectors import period_get, round_get
from surveys.services_rounds import (
    SCHEDULE_ACTIVITY_MAX_LENGTH,
    SCHEDULE_MAX_ROWS,
    round_set_report_details,
    round_set_schedule,
)

from .models import ExportJob
from .narrative import SURVEY, generated_texts, narrative_facts_build, report_dates, saved_sections
from .render_html import blocks_html
from .sections import MAX_SECTION_CHARS, SECTIONS, section_spec
from .services_narrative import round_publish_with_report, section_reset, section_save


class SectionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Teks bagian"),
        required=False,
        max_length=MAX_SECTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 14, "class": "form-control"}),
        help_text=gettext_lazy(
            'Teks biasa. Baris kosong memisahkan paragraf; baris diawali "- " menjadi daftar berbutir '
            'dan "1. " daftar bernomor.'
        ),
    )


class ReportDetailsForm(forms.Form):
    report_date = forms.DateField(
        label=gettext_lazy("Tanggal laporan"),
        required=False,
        # An <input type="date"> shows and sends ISO dates only; any other format shows as empty.
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Kosongkan untuk memakai tanggal penutupan putaran."),
    )
    report_place = forms.CharField(
        label=gettext_lazy("Tempat laporan"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=gettext_lazy("Kosongkan untuk memakai kota unit."),
    )


def _iso_date_input():
    return forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")


class CollectionWindowForm(forms.Form):
    collection_start = forms.DateField(
        label=gettext_lazy("Awal pengumpulan data"), required=False, widget=_iso_date_input()
    )
    collection_end = forms.DateField(
        label=gettext_lazy("Akhir pengumpulan data"), required=False, widget=_iso_date_input()
    )


class ScheduleRowForm(forms.Form):
    activity = forms.CharField(
        label=gettext_lazy("Kegiatan"),
        max_length=SCHEDULE_ACTIVITY_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        error_messages={"required": gettext_lazy("Isi nama kegiatan.")},
    )
    start = forms.DateField(
        label=gettext_lazy("Mulai"),
        widget=_iso_date_input(),
        error_messages={"required": gettext_lazy("Isi tanggal mulai.")},
    )
    end = forms.DateField(
        label=gettext_lazy("Selesai"),
        widget=_iso_date_input(),
        error_messages={"required": gettext_lazy("Isi tanggal selesai.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


ScheduleFormSet = forms.formset_factory(
    ScheduleRowForm, extra=2, can_delete=True, max_num=SCHEDULE_MAX_ROWS, validate_max=True, absolute_max=50
)
SCHEDULE_PREFIX = "baris"


def _round_for(request, unit_code: str, period_code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    period = period_get(code=period_code)
    rnd = round_get(unit=unit, period=period)
    if rnd is None:
        raise Http404(_("Putaran survei tidak ditemukan."))
    rnd.unit, rnd.period = unit, period
    return unit, period, rnd, can_write


def _facts(unit, period, rnd):
    from followup.selectors import plan_get_for_report
    from surveys.results import unit_results_get, weight_mode_resolve

    res = unit_results_get(unit=unit, period=period, weight_mode=weight_mode_resolve())
    plan = plan_get_for_report(unit=unit, period=period)
    return narrative_facts_build(
        unit=unit, period=period, result=res.result, distributions=res.distributions, plan=plan, rnd=rnd
    )


def _section_rows(rnd, generated):
    saved = saved_sections(rnd)
    rows = []
    for spec in SECTIONS:
        own = saved.get(spec.key.value)
        rows.append(
            {
                "spec": spec,
                "saved": own,
                "custom": bool(own and own.is_custom),
                "reviewed": own is not None,
                "empty": not (own and own.is_custom) and not generated.get(spec.key.value, "").strip(),
            }
        )
    return rows


@login_required
def narrative_overview(request, unit_code: str, period_code: str):
    unit, period, rnd, can_write = _round_for(request, unit_code, period_code)
    facts = _facts(unit, period, rnd)
    rows = _section_rows(rnd, generated_texts(facts))
    reviewed = sum(r["reviewed"] for r in rows)
    _u, _w, can_publish = unit_get_for_round_steps(user=request.user, code=unit.code)
    return render(
        request,
        "reports/narrative/overview.html",
        {
            "unit": unit,
            "period": period,
            "round": rnd,
            "can_write": can_write and rnd.state is not RoundStatus.PUBLISHED,
            "can_publish": can_publish and rnd.state is RoundStatus.CLOSED,
            "is_published": rnd.state is RoundStatus.PUBLISHED,
            "rows": rows,
            "reviewed": reviewed,
            "total": len(rows),
            "percent": round(100 * reviewed / len(rows)) if rows else 0,
            "dates": facts.dates,
            "schedule": facts.dates.schedule(),
            "details_form": ReportDetailsForm(
                initial={"report_date": rnd.report_date, "report_place": rnd.report_place}
            ),
            "kinds": [
                (kind, kind.label)
                for kind in (
                    ExportJob.Kind.PDF_SURVEY,
                    ExportJob.Kind.DOCX_SURVEY,
                    ExportJob.Kind.PDF_FOLLOWUP,
                    ExportJob.Kind.DOCX_FOLLOWUP,
                )
            ],
            "weight_mode": settings.SKM_WEIGHT_MODE.value,
        },
    )


@login_required
def narrative_section(request, unit_code: str, period_code: str, key: str):
    unit, period, rnd, can_write = _round_for(request, unit_code, period_code)
    spec = section_spec(key)
    if spec is None:
        raise Http404(_("Bagian laporan tidak ditemukan."))
    facts = _facts(unit, period, rnd)
    generated = generated_texts(facts).get(key, "")
    own = saved_sections(rnd).get(key)
    current = own.text if own is not None and own.is_custom else generated
    status = 200
    preview = None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Hanya staf unit yang dapat menulis teks laporan."))
        action = request.POST.get("aksi", "simpan")
        form = SectionForm(request.POST)
        try:
            if action == "baku" and request.POST.get("konfirmasi") != "ya":
                # Discarding the unit's wording is asked once more, on a page of its own
                # (works without JavaScript); nothing changes until it is confirmed.
                return render(
                    request,
                    "reports/narrative/reset_confirm.html",
                    {"unit": unit, "period": period, "spec": spec, "saved": own, "generated": generated},
                )
            if action == "baku":
                section_reset(round=rnd, key=key, user=request.user)
                messages.success(request, _('Bagian "%(title)s" kembali ke teks baku.') % {"title": spec.title})
                return redirect("reports:narrative_overview", unit_code=unit.code, period_code=period.code)
            if not form.is_valid():
                raise ValidationError(form.errors["text"])
            if action == "pratinjau":
                preview = parse_blocks(form.cleaned_data["text"])
            else:
                section_save(round=rnd, key=key, text=form.cleaned_data["text"], user=request.user, generated=generated)
                messages.success(request, _('Bagian "%(title)s" disimpan.') % {"title": spec.title})
                return redirect("reports:narrative_overview", unit_code=unit.code, period_code=period.code)
        except ValidationError as exc:
            if action == "baku":
                messages.error(request, " ".join(exc.messages))
                return redirect("reports:narrative_overview", unit_code=unit.code, period_code=period.code)
            if not form.errors.get("text"):
                form.add_error("text", exc.messages)
            status = 400
    else:
        form = SectionForm(initial={"text": current})
        preview = parse_blocks(current)
    return render(
        request,
        "reports/narrative/section.html",
        {
            "unit": unit,
            "period": period,
            "round": rnd,
            "spec": spec,
            "form": form,
            "saved": own,
            # The preview is laid out by the PDF's own renderer (every text escaped there).
            "preview": mark_safe(blocks_html(preview)) if preview else "",
            "is_unsur": spec.report == SURVEY and key.startswith("u") and len(key) == 2,
            "can_write": can_write and rnd.state is not RoundStatus.PUBLISHED,
            "is_published": rnd.state is RoundStatus.PUBLISHED,
        },
        status=status,
    )


@login_required
@require_POST
def narrative_details(request, unit_code: str, period_code: str):
    unit, period, rnd, can_write = _round_for(request, unit_code, period_code)
    if not can_write:
        raise PermissionDenied(_("Hanya staf unit yang dapat mengubah tanggal dan tempat laporan."))
    form = ReportDetailsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        try:
            round_set_report_details(
                round=rnd,
                user=request.user,
                report_date=form.cleaned_data["report_date"],
                report_place=form.cleaned_data["report_place"],
            )
            messages.success(request, _("Tanggal dan tempat laporan disimpan."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("reports:narrative_overview", unit_code=unit.code, period_code=period.code)


def _schedule_rows_posted(formset) -> list[dict]:
    return [
        {"activity": f.cleaned_data["activity"], "start": f.cleaned_data["start"], "end": f.cleaned_data["end"]}
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@login_required
def narrative_schedule(request, unit_code: str, period_code: str):
    """Tabel II.1 (Jadwal Pelaksanaan) and the round's own collection window: prefilled from the round's
    dates, edited per row by the unit's staff, reset to the prefill."""
    unit, period, rnd, can_write = _round_for(request, unit_code, period_code)
    can_write = can_write and rnd.state is not RoundStatus.PUBLISHED
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Hanya staf unit yang dapat mengubah jadwal pelaksanaan."))
        action = request.POST.get("aksi", "simpan")
        window = CollectionWindowForm(request.POST)
        formset = ScheduleFormSet(request.POST, prefix=SCHEDULE_PREFIX)
        try:
            if action == "baku":
                round_set_schedule(
                    round=rnd,
                    rows=[],
                    collection_start=rnd.collection_start,
                    collection_end=rnd.collection_end,
                    user=request.user,
                )
                messages.success(request, _("Jadwal pelaksanaan kembali ke isian otomatis."))
                return redirect("reports:narrative_schedule", unit_code=unit.code, period_code=period.code)
            window_ok, rows_ok = window.is_valid(), formset.is_valid()
            if not (window_ok and rows_ok):
                raise ValidationError(_("Periksa isian yang ditandai."))
            round_set_schedule(
                round=rnd,
                rows=_schedule_rows_posted(formset),
                collection_start=window.cleaned_data["collection_start"],
                collection_end=window.cleaned_data["collection_end"],
                user=request.user,
            )
            messages.success(request, _("Jadwal pelaksanaan disimpan."))
            return redirect("reports:narrative_schedule", unit_code=unit.code, period_code=period.code)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, field_errors in exc.message_dict.items():
                    window.add_error(field if field in window.fields else None, field_errors)
            else:
                errors = exc.messages
            if action == "baku":
                for message in errors or exc.messages:
                    messages.error(request, message)
                return redirect("reports:narrative_schedule", unit_code=unit.code, period_code=period.code)
            status = 400
    dates = report_dates(unit=unit, period=period, rnd=rnd)
    rows = dates.schedule()
    if request.method != "POST":
        window = CollectionWindowForm(
            initial={"collection_start": rnd.collection_start, "collection_end": rnd.collection_end}
        )
        formset = ScheduleFormSet(
            prefix=SCHEDULE_PREFIX,
            initial=[{"activity": r.activity, "start": r.start, "end": r.end} for r in rows],
        )
    return render(
        request,
        "reports/narrative/schedule.html",
        {
            "unit": unit,
            "period": period,
            "round": rnd,
            "rows": rows,
            "dates": dates,
            "own": bool(dates.own_schedule),
            "window": window,
            "formset": formset,
            "errors": errors,
            "can_write": can_write,
            "is_published": rnd.state is RoundStatus.PUBLISHED,
            "max_rows": SCHEDULE_MAX_ROWS,
        },
        status=status,
    )


@login_required
@require_POST
def round_publish_view(request, unit_code: str, period_code: str):
    """The round page's "Publikasikan hasil": publish with the report text frozen."""
    unit, _can_write, can_publish = unit_get_for_round_steps(user=request.user, code=unit_code)
    period = period_get(code=period_code)
    rnd = round_get(unit=unit, period=period)
    if rnd is None:
        raise Http404(_("Putaran survei tidak ditemukan."))
    if not can_publish:
        raise PermissionDenied(_("Hanya supervisor unit ini atau admin yang dapat mempublikasikan hasil."))
    note = (request.POST.get("catatan") or "").strip()
    try:
        publication = round_publish_with_report(round=rnd, user=request.user, note=note)
        messages.success(
            request,
            _("Hasil %(p)s dipublikasikan sebagai versi %(v)s.") % {"p": period.label, "v": publication.version},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:round_manage", unit_code=unit.code)
