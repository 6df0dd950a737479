"""RTL pages. Views are thin: access via selectors, writes via services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skm.rules.formatting import format_number
from surveys.access import unit_get_for_user
from surveys.models import Period
from surveys.selectors import period_get
from surveys.unit_filters import unit_filter_from_request

from . import selectors, services
from .forms import (
    ItemForm,
    PhotoForm,
    PlanCreateForm,
    PlanSettingsForm,
    PriorityTitleForm,
    RealisationForm,
    ReopenForm,
    SaranTopicForm,
    UnsurAddForm,
    schedule_years,
)
from .models import PlanUnsur

SARAN_PER_PAGE = 10
OVERVIEW_PER_PAGE = 50


def _messages_from(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _flash_error(request, exc: ValidationError) -> None:
    for msg in _messages_from(exc):
        messages.error(request, msg)


def _writable_plan(request, plan_id: int):
    plan, can_write = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    if not can_write:
        raise PermissionDenied(_("Anda hanya dapat melihat RTL unit ini, tidak mengubahnya."))
    return plan


def _writable_item(request, item_id: int):
    item, can_write = selectors.item_get_for_user(user=request.user, item_id=item_id)
    if not can_write:
        raise PermissionDenied(_("Anda hanya dapat melihat RTL unit ini, tidak mengubahnya."))
    return item


def _apply_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- overview / unit ----------------------------------------------------------


@login_required
@require_GET
def overview(request):
    """Supervisor overview across every readable unit for one period."""
    periods = list(selectors.period_list_with_plans(user=request.user))
    code = request.GET.get("periode")
    if code:
        period = period_get(code=code)
    else:
        period = periods[0] if periods else None
    sort = request.GET.get("urut", "unit")
    if sort not in selectors.OVERVIEW_SORTS:
        sort = "unit"
    descending = request.GET.get("arah") == "turun"
    unit_filter = unit_filter_from_request(user=request.user, params=request.GET)
    page, totals = None, None
    if period:
        page, totals = selectors.plan_overview_page(
            user=request.user,
            period=period,
            sort=sort,
            descending=descending,
            scope_q=unit_filter.scope_q(),
            search_q=unit_filter.search_q(),
            page_number=request.GET.get("halaman"),
            per_page=OVERVIEW_PER_PAGE,
        )
    filter_params = unit_filter.as_params()
    return render(
        request,
        "followup/overview.html",
        {
            "period": period,
            "periods": periods,
            "page": page,
            "rows": page.object_list if page else [],
            "sort": sort,
            "descending": descending,
            "totals": totals,
            "filter": unit_filter,
            "errors": unit_filter.errors,
            "filter_query": urlencode(filter_params),
        },
    )


@login_required
def unit_plans(request, code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=code)
    periods = (
        Period.objects.filter(responses__unit=unit, responses__deleted_at__isnull=True)
        .distinct()
        .order_by("-start_date")
    )
    plans = list(selectors.plan_list_for_unit(unit=unit))
    existing = {p.period_id for p in plans}
    available = periods.exclude(id__in=existing)
    form = None
    if can_write:
        if request.method == "POST":
            form = PlanCreateForm(request.POST, periods=available)
            if form.is_valid():
                try:
                    plan = services.plan_create_from_ikm(
                        unit=unit,
                        period=form.cleaned_data["period"],
                        user=request.user,
                        lowest_n=form.cleaned_data["lowest_n"],
                        survey_report_date=form.cleaned_data["survey_report_date"],
                    )
                except ValidationError as exc:
                    _apply_form_errors(form, exc)
                else:
                    messages.success(
                        request, _("RTL dibuat dari %(n)s unsur dengan NRR terendah.") % {"n": plan.unsur_rows.count()}
                    )
                    return redirect("followup:plan", plan_id=plan.pk)
        else:
            form = PlanCreateForm(periods=available)
    elif request.method == "POST":
        raise PermissionDenied(_("Anda hanya dapat melihat RTL unit ini, tidak mengubahnya."))
    for p in plans:
        p.progress = selectors.PlanProgress(
            p.n_realised, p.n_total, p.n_overdue, p.last_realised_on, p.survey_report_date, p.n_realised_undated
        )
    return render(
        request,
        "followup/unit_plans.html",
        {"unit": unit, "can_write": can_write, "plans": plans, "form": form, "has_available": available.exists()},
    )


# --- plan ---------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request, plan_id: int):
    plan, can_write = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    rows = list(plan.unsur_rows.all())
    saran_page = Paginator(selectors.saran_for_period(unit=plan.unit, period=plan.period), SARAN_PER_PAGE).get_page(
        request.GET.get("saran")
    )
    editable = can_write and not plan.is_final
    basis = selectors.plan_priority_basis_now(plan=plan)
    lowest_ids = {r.pk for r in basis.lowest}
    for row in rows:
        row.basis_lowest = row.pk in lowest_ids
        row.rank = basis.ranks.get(row.code)
    return render(
        request,
        "followup/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "basis": basis,
            "can_write": can_write,
            "editable": editable,
            "progress": selectors.plan_progress(plan=plan),
            "overdue_ids": selectors.overdue_item_ids(plan=plan),
            "years": sorted({y for r in rows for i in r.items.all() for y, _q in i.schedule}),
            "saran_page": saran_page,
            "unsur_form": UnsurAddForm(
                exclude_codes=[r.code for r in rows if r.code], instruments=services.plan_instruments(plan=plan)
            )
            if editable
            else None,
            "topic_form": SaranTopicForm() if editable else None,
            "settings_form": PlanSettingsForm(
                initial={"survey_report_date": plan.survey_report_date, "notes": plan.notes}
            )
            if editable
            else None,
            "reopen_form": ReopenForm() if can_write and plan.is_final else None,
            "log": selectors.changelog_for_plan(plan=plan)[:8],
        },
    )


@login_required
@require_POST
def plan_settings(request, plan_id: int):
    plan = _writable_plan(request, plan_id)
    form = PlanSettingsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("followup:plan", plan_id=plan.pk)
    try:
        services.plan_update(plan=plan, user=request.user, **form.cleaned_data)
        messages.success(request, _("Data RTL disimpan."))
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect("followup:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_finalise(request, plan_id: int):
    plan = _writable_plan(request, plan_id)
    try:
        services.plan_finalise(plan=plan, user=request.user)
        messages.success(request, _("RTL difinalkan untuk pelaporan."))
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect("followup:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_reopen(request, plan_id: int):
    plan = _writable_plan(request, plan_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi alasan membuka kembali RTL."))
        return redirect("followup:plan", plan_id=plan.pk)
    try:
        services.plan_reopen(plan=plan, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("RTL dibuka kembali dan dapat diubah."))
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect("followup:plan", plan_id=plan.pk)


@login_required
@require_POST
def unsur_add(request, plan_id: int):
    plan = _writable_plan(request, plan_id)
    try:
        if "title" in request.POST:
            form = SaranTopicForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Isi judul topik dari saran (maksimal 200 karakter)."))
            services.plan_unsur_add(plan=plan, user=request.user, title=form.cleaned_data["title"])
        else:
            form = UnsurAddForm(
                request.POST,
                exclude_codes=[r.code for r in plan.unsur_rows.all() if r.code],
                instruments=services.plan_instruments(plan=plan),
            )
            if not form.is_valid():
                raise ValidationError(_("Pilih unsur yang belum ada di RTL."))
            services.plan_unsur_add(plan=plan, user=request.user, code=form.cleaned_data["code"])
        messages.success(request, _("Prioritas ditambahkan."))
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect("followup:plan", plan_id=plan.pk)


def _writable_row(request, row_id: int) -> PlanUnsur:
    row = get_object_or_404(PlanUnsur.objects.select_related("plan"), pk=row_id)
    _writable_plan(request, row.plan_id)
    return row


@login_required
@require_POST
def unsur_remove(request, row_id: int):
    row = _writable_row(request, row_id)
    try:
        services.plan_unsur_remove(row=row, user=request.user)
        messages.success(request, _("Prioritas dihapus."))
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect("followup:plan", plan_id=row.plan_id)


@login_required
@require_POST
def unsur_title(request, row_id: int):
    """Rename a priority in the unit's own words; the unsur code and NRR stay."""
    row = _writable_row(request, row_id)
    form = PriorityTitleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.plan_unsur_rename(row=row, user=request.user, title=form.cleaned_data["title"])
        messages.success(request, _("Judul prioritas disimpan."))
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect(f"{reverse('followup:plan', args=[row.plan_id])}#prioritas-{row.pk}")


@login_required
@require_POST
def unsur_move(request, row_id: int, direction: str):
    row = _writable_row(request, row_id)
    try:
        services.plan_unsur_move(row=row, user=request.user, direction=-1 if direction == "naik" else 1)
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect("followup:plan", plan_id=row.plan_id)


# --- items ---------------------------------------------------------------


@login_required
def item_create(request, row_id: int):
    row = _writable_row(request, row_id)
    plan = row.plan
    years = schedule_years(plan.period.start_date.year)
    form = ItemForm(request.POST or None, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(plan_unsur=row, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_form_errors(form, exc)
        else:
            messages.success(request, _("Program/kegiatan %(n)s ditambahkan.") % {"n": item.number})
            return redirect(f"{reverse('followup:plan', args=[plan.pk])}#prioritas-{row.pk}")
    return render(request, "followup/item_form.html", {"form": form, "row": row, "plan": plan, "item": None})


@login_required
def item_edit(request, item_id: int):
    item = _writable_item(request, item_id)
    plan = item.plan_unsur.plan
    years = schedule_years(plan.period.start_date.year, item.schedule)
    if request.method == "POST":
        form = ItemForm(request.POST, years=years)
        if form.is_valid():
            try:
                services.item_update(item=item, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_form_errors(form, exc)
            else:
                messages.success(request, _("Program/kegiatan disimpan."))
                return redirect("followup:item", item_id=item.pk)
    else:
        form = ItemForm(initial=ItemForm.initial_for(item), years=years)
    return render(
        request, "followup/item_form.html", {"form": form, "row": item.plan_unsur, "plan": plan, "item": item}
    )


@login_required
@require_POST
def item_delete(request, item_id: int):
    item = _writable_item(request, item_id)
    plan_id = item.plan_unsur.plan_id
    try:
        services.item_delete(item=item, user=request.user)
        messages.success(request, _("Program/kegiatan dihapus."))
    except ValidationError as exc:
        _flash_error(request, exc)
        return redirect("followup:item", item_id=item.pk)
    return redirect("followup:plan", plan_id=plan_id)


def _realisation_initial(item) -> dict:
    r = getattr(item, "realisation", None)
    if r is None:
        return {"status": "belum"}
    return {f: getattr(r, f) for f in services.REALISATION_FIELDS}


def _item_page(request, item, can_write, *, realisation_form=None, photo_form=None, status=200):
    plan = item.plan_unsur.plan
    editable = can_write and not plan.is_final
    return render(
        request,
        "followup/item_detail.html",
        {
            "item": item,
            "plan": plan,
            "realisation": getattr(item, "realisation", None),
            "can_write": can_write,
            "editable": editable,
            "overdue": item.pk in selectors.overdue_item_ids(plan=plan),
            "realisation_form": realisation_form
            or (RealisationForm(initial=_realisation_initial(item)) if editable else None),
            "photo_form": photo_form or (PhotoForm() if editable else None),
            "log": selectors.changelog_for_item(item=item),
            "progress": selectors.plan_progress(plan=plan),
        },
        status=status,
    )


@login_required
@require_GET
def item_detail(request, item_id: int):
    item, can_write = selectors.item_get_for_user(user=request.user, item_id=item_id)
    return _item_page(request, item, can_write)


@login_required
@require_POST
def realisation_save(request, item_id: int):
    item = _writable_item(request, item_id)
    form = RealisationForm(request.POST)
    if form.is_valid():
        try:
            services.realisation_save(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_form_errors(form, exc)
        else:
            progress = selectors.plan_progress(plan=item.plan_unsur.plan)
            messages.success(
                request,
                _("Realisasi disimpan. RTL terealisasi %(p)s %% (%(r)s dari %(t)s).")
                % {"p": format_number(progress.percent), "r": progress.realised, "t": progress.total},
            )
            return redirect("followup:item", item_id=item.pk)
    return _item_page(request, item, True, realisation_form=form, status=400)


@login_required
@require_POST
def photo_upload(request, item_id: int):
    item = _writable_item(request, item_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                item=item, user=request.user, upload=form.cleaned_data["image"], caption=form.cleaned_data["caption"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                _apply_form_errors(form, exc)
            else:
                form.add_error("image", exc.messages)
        else:
            messages.success(request, _("Foto dokumentasi diunggah."))
            return redirect(f"{reverse('followup:item', args=[item.pk])}#dokumentasi")
    item, _can = selectors.item_get_for_user(user=request.user, item_id=item.pk)
    return _item_page(request, item, True, photo_form=form, status=400)


@login_required
@require_GET
def photo_view(request, photo_id: int):
    photo = selectors.photo_get_for_user(user=request.user, photo_id=photo_id)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Berkas foto tidak ditemukan.")) from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="dokumentasi-{photo.pk}.jpg"'
    return response


@login_required
@require_POST
def photo_delete(request, photo_id: int):
    photo = selectors.photo_get_for_user(user=request.user, photo_id=photo_id)
    item = _writable_item(request, photo.item_id)
    try:
        services.photo_delete(photo=photo, user=request.user)
        messages.success(request, _("Foto dihapus."))
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect(f"{reverse('followup:item', args=[item.pk])}#dokumentasi")
