"""Writes of the unit's LHTL layout options (issue 23; ``reports.layout``).

Who may write is decided by the caller (``surveys.access``). Every change is
attributable: ``ReportLayout`` keeps a simple-history row with the user, and a
reset deletes the row (the history keeps the deletion and who did it).
"""

from __future__ import annotations

import logging
from dataclasses import fields, replace
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm.rules.formatting import format_number
from surveys.models import Unit

from .layout import Bab3Layout, IntervalForm, ItemNumbering, LhtlLayout, MatrixScale
from .models import ReportLayout

logger = logging.getLogger(__name__)

# The enum of each choice field and the limit and label of each text field.
ENUM_FIELDS: dict[str, type[StrEnum]] = {
    "matrix_scale": MatrixScale,
    "bab3": Bab3Layout,
    "numbering": ItemNumbering,
    "interval": IntervalForm,
}
TEXT_FIELDS = {
    "cover_title": (300, gettext_lazy("Judul sampul")),
    "short_name": (200, gettext_lazy("Nama singkat unit")),
    "cover_name": (300, gettext_lazy("Nama unit di sampul")),
    "bab1_title": (200, gettext_lazy("Judul BAB I")),
    "tabel2_caption": (300, gettext_lazy("Judul Tabel 2")),
}
BOOL_FIELDS = ("matrix_mutu_row", "combined_cell", "cover_year", "bab3_unsur", "bab3_by_number")
LAYOUT_FIELDS = tuple(f.name for f in fields(LhtlLayout))


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
    if errors:
        raise ValidationError(errors)
    return replace(layout, **changes)  # type: ignore[arg-type]


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
    for name in LAYOUT_FIELDS:
        value = getattr(clean, name)
        setattr(row, name, value.value if isinstance(value, StrEnum) else value)
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
