"""A unit's own copies of the SPKP/SPAK templates: staff create and edit them
before their first answer, supervisors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..access import unit_get_for_user
from ..answers import instrument_get, optional_instruments
from ..models import UnitInstrument
from ..services_instruments import (
    TEMPLATES,
    unit_instrument_create,
    unit_instrument_delete,
    unit_instrument_in_use,
    unit_instrument_update,
)


def _fraction_text(value) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


@login_required
@require_http_methods(["GET", "POST"])
def instrument_list(request, unit_code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Hanya staf unit yang dapat membuat instrumen."))
        try:
            row = unit_instrument_create(unit=unit, base=request.POST.get("templat", ""), user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("surveys:instrument_list", unit_code=unit.code)
        messages.success(
            request, _("Salinan %(code)s dibuat; ubah pernyataan dan bobotnya di bawah.") % {"code": row.code}
        )
        return redirect("surveys:instrument_edit", unit_code=unit.code, code=row.code)
    own = list(UnitInstrument.objects.filter(unit=unit).order_by("code"))
    return render(
        request,
        "surveys/instruments/list.html",
        {
            "unit": unit,
            "can_write": can_write,
            "templates": [instrument_get(code) for code in TEMPLATES],
            "own": [(row, instrument_get(row.code), unit_instrument_in_use(code=row.code)) for row in own],
        },
    )


def _own_copy(unit, code: str) -> UnitInstrument:
    row = UnitInstrument.objects.filter(unit=unit, code=code.upper()).first()
    if row is None:
        raise Http404(_("Instrumen tidak ditemukan."))
    return row


@login_required
@require_POST
def instrument_delete(request, unit_code: str, code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    if not can_write:
        raise PermissionDenied(_("Hanya staf unit yang dapat menghapus instrumen."))
    row = _own_copy(unit, code)
    try:
        unit_instrument_delete(instrument=row, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("surveys:instrument_edit", unit_code=unit.code, code=row.code)
    messages.success(request, _("Salinan %(code)s dihapus.") % {"code": row.code})
    return redirect("surveys:instrument_list", unit_code=unit.code)


@login_required
@require_http_methods(["GET", "POST"])
def instrument_edit(request, unit_code: str, code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    row = _own_copy(unit, code)
    in_use = unit_instrument_in_use(code=row.code)
    errors: list[str] = []
    status = 200
    template = instrument_get(row.base)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Hanya staf unit yang dapat mengubah instrumen."))
        texts = {item.code: request.POST.get(f"teks-{item.code}", "") for item in template.items}
        texts_en = {item.code: request.POST.get(f"teks-en-{item.code}", "") for item in template.items}
        weights = [request.POST.get(f"bobot-{item.code}", "") for item in template.items]
        try:
            unit_instrument_update(
                instrument=row,
                user=request.user,
                name=request.POST.get("nama", ""),
                texts=texts,
                weights=weights,
                name_en=request.POST.get("nama-en", ""),
                texts_en=texts_en,
            )
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(request, _("Instrumen %(code)s tersimpan.") % {"code": row.code})
            return redirect("surveys:instrument_edit", unit_code=unit.code, code=row.code)
        values = {
            "name": request.POST.get("nama", ""),
            "name_en": request.POST.get("nama-en", ""),
            "texts": texts,
            "texts_en": texts_en,
            "weights": dict(zip(texts, weights, strict=True)),
        }
    else:
        built = instrument_get(row.code)
        explicit = bool(row.weights)
        values = {
            "name": row.name,
            "name_en": row.name_en,
            "texts": {item.code: item.text.id for item in built.items},
            "texts_en": dict(row.texts_en),
            "weights": {
                item.code: _fraction_text(w) if explicit else ""
                for item, w in zip(built.items, built.item_weights, strict=True)
            },
        }
    rows = [
        (
            item,
            values["texts"].get(item.code, ""),
            values["texts_en"].get(item.code, ""),
            values["weights"].get(item.code, ""),
            template_item,
        )
        for item, template_item in zip(instrument_get(row.code).items, template.items, strict=True)
    ]
    return render(
        request,
        "surveys/instruments/edit.html",
        {
            "unit": unit,
            "row": row,
            "instrument": instrument_get(row.code),
            "template": template,
            "rows": rows,
            "name": values["name"],
            "name_en": values["name_en"],
            "can_edit": can_write and not in_use,
            "in_use": in_use,
            "errors": errors,
            "rounds_may_ask": [i.code for i in optional_instruments(unit_id=unit.pk)],
        },
        status=status,
    )
