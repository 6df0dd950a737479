"""Writes of the unit's LHTL layout options (issue 23; ``reports.layout``).

Who may write is decided by the caller (``surveys.access``). Every change is
attributable: ``ReportLayout`` keeps a simple-history row with the user, and a
reset deletes the row (the history keeps the deletion and who did it).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm.rules.formatting import format_number
from skm.rules.unsur import UNSUR_CODES
from surveys.models import Unit

from .layout import ENUM_FIELDS, LAYOUT_FIELDS, LhtlLayout, layout_values
from .models import ReportLayout

logger = logging.getLogger(__name__)

# The limit and label of each text field.
TEXT_FIELDS = {
    "cover_title": (300, gettext_lazy("Judul sampul")),
    "short_name": (200, gettext_lazy("Nama singkat unit")),
    "cover_name": (300, gettext_lazy("Nama unit di sampul")),
    "bab1_title": (200, gettext_lazy("Judul BAB I")),
    "tabel2_caption": (300, gettext_lazy("Judul Tabel 2")),
    "tabel1_caption": (300, gettext_lazy("Judul Tabel 1")),
    "tabel1_unsur_header": (60, gettext_lazy("Judul kolom unsur")),
    "tabel1_value_header": (60, gettext_lazy("Judul kolom nilai")),
    "tabel1_mutu_header": (60, gettext_lazy("Judul kolom mutu")),
    "quarter_header": (60, gettext_lazy("Judul kolom triwulan")),
}
BOOL_FIELDS = ("matrix_mutu_row", "combined_cell", "cover_year", "bab3_unsur", "bab3_by_number")
UNSUR_LABEL_MAX = 120
QUARTER_LABEL_MAX = 20


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def report_layout_clean(*, layout: LhtlLayout) -> LhtlLayout:
    """The layout with its texts stripped (one line: runs of white space become one
    space) and its choices as enums; ValidationError (per field, in Indonesian)
    for an unknown choice or a text over its limit."""
    errors: dict[str, list[str]] = {}
    changes: dict[str, object] = {}
    for name, enum in ENUM_FIELDS.items():
        value = getattr(layout, name)
        try:
            changes[name] = enum(value)
        except ValueError:
            errors[name] = [
                _("Pilihan '%(value)s' tidak dikenal; pilih salah satu: %(choices)s.")
                % {"value": str(value)[:40], "choices": ", ".join(m.value for m in enum)}
            ]
    for name, (limit, label) in TEXT_FIELDS.items():
        value = " ".join(str(getattr(layout, name) or "").split())
        if len(value) > limit:
            errors[name] = [
                _("%(label)s %(n)s karakter; batasnya %(max)s karakter.")
                % {"label": label, "n": format_number(len(value), 0), "max": format_number(limit, 0)}
            ]
        changes[name] = value
    for name in BOOL_FIELDS:
        changes[name] = bool(getattr(layout, name))
    for clean in (_clean_labels, _clean_order, _clean_quarters):
        clean(layout, changes, errors)
    if errors:
        raise ValidationError(errors)
    return replace(layout, **changes)  # type: ignore[arg-type]


def _clean_labels(layout: LhtlLayout, changes: dict, errors: dict) -> None:
    labels = []
    for code, label in layout.unsur_labels:
        label = " ".join(str(label).split())
        if code not in UNSUR_CODES:
            errors["unsur_labels"] = [_("Unsur '%(code)s' tidak dikenal.") % {"code": str(code)[:10]}]
        elif len(label) > UNSUR_LABEL_MAX:
            errors[f"unsur_label_{code}"] = [
                _("Nama unsur %(code)s paling banyak %(max)s karakter.") % {"code": code, "max": UNSUR_LABEL_MAX}
            ]
        elif label:
            labels.append((code, label))
    changes["unsur_labels"] = tuple(sorted(labels, key=lambda pair: UNSUR_CODES.index(pair[0])))


def _clean_order(layout: LhtlLayout, changes: dict, errors: dict) -> None:
    order = tuple(str(code).strip().upper() for code in layout.tabel1_order)
    if order and sorted(order) != sorted(UNSUR_CODES):
        errors["tabel1_order"] = [
            _("Tuliskan kesembilan kode unsur, masing-masing sekali, mis. %(example)s.")
            % {"example": ", ".join(UNSUR_CODES)}
        ]
    changes["tabel1_order"] = () if order == UNSUR_CODES else order


def _clean_quarters(layout: LhtlLayout, changes: dict, errors: dict) -> None:
    quarters = tuple(" ".join(str(q).split()) for q in layout.quarter_labels)
    if quarters and (len(quarters) != 4 or not all(quarters) or max(map(len, quarters)) > QUARTER_LABEL_MAX):
        errors["quarter_labels"] = [
            _(
                "Tuliskan empat nama triwulan dipisah koma (masing-masing paling banyak %(max)s karakter), "
                "mis. TW 1, TW 2, TW 3, TW 4."
            )
            % {"max": QUARTER_LABEL_MAX}
        ]
    changes["quarter_labels"] = quarters


@transaction.atomic
def report_layout_save(*, unit: Unit, layout: LhtlLayout, user) -> ReportLayout:
    """Store the unit's LHTL layout; nothing is saved when a value is refused.
    Saving the stored values again writes nothing (no empty history row)."""
    clean = report_layout_clean(layout=layout)
    # The unit's row serialises the writers of its layout (the first save creates the row).
    Unit.objects.select_for_update().only("pk").get(pk=unit.pk)
    stored = ReportLayout.objects.filter(unit_id=unit.pk).first()
    if stored is not None and stored.as_layout() == clean:
        return stored
    row = stored or ReportLayout(unit=unit)
    values = layout_values(clean)
    for name in LAYOUT_FIELDS:
        setattr(row, name, values[name])
    row.updated_by = _actor(user)
    row.__dict__["_history_user"] = _actor(user)
    row.__dict__["_change_reason"] = "tata letak LHTL diubah"
    row.save()
    logger.info("report layout saved unit=%s user=%s", unit.code, getattr(user, "pk", None))
    return row


@transaction.atomic
def report_layout_reset(*, unit: Unit, user) -> None:
    """Back to the product's layout (``DEFAULT_LAYOUT``): the row is deleted, the
    history keeps who did it."""
    Unit.objects.select_for_update().only("pk").get(pk=unit.pk)
    stored = ReportLayout.objects.filter(unit_id=unit.pk).first()
    if stored is None:
        return
    stored.__dict__["_history_user"] = _actor(user)
    stored.__dict__["_change_reason"] = "tata letak LHTL kembali ke bawaan"
    stored.delete()
    logger.info("report layout reset unit=%s user=%s", unit.code, getattr(user, "pk", None))
