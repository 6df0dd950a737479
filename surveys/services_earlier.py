"""Writes of IKM values of periods before the system (``EarlierIkm``), entered
by the unit's staff from their own earlier reports. The trend shows them
labelled "dimasukkan manual"; a period with responses uses its computed value."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from skm.rules.ikm import WeightMode

from .models import EarlierIkm, Period, Unit


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def _parse_ikm(value) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({"ikm": _("Nilai IKM harus berupa angka, mis. 82,45.")}) from None
    if not number.is_finite() or not (Decimal(25) <= number <= Decimal(100)):
        raise ValidationError({"ikm": _("Nilai IKM harus antara 25 dan 100.")})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def earlier_ikm_save(
    *,
    unit: Unit,
    period: Period,
    ikm,
    weight_mode: WeightMode,
    respondents: int | None,
    source: str,
    user,
) -> EarlierIkm:
    value = _parse_ikm(ikm)
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("Sebutkan sumber nilai ini, mis. judul dan tahun laporan SKM.")})
    if respondents is not None and respondents < 1:
        raise ValidationError({"respondents": _("Jumlah responden minimal 1.")})
    entry = EarlierIkm.objects.select_for_update().filter(unit=unit, period=period).first() or EarlierIkm(
        unit=unit, period=period
    )
    entry.ikm = value
    entry.weight_mode = WeightMode(weight_mode).value
    entry.respondents = respondents
    entry.source = source[:300]
    entry.entered_by = _actor(user)
    entry.__dict__["_history_user"] = _actor(user)
    entry.save()
    return entry


@transaction.atomic
def earlier_ikm_delete(*, entry: EarlierIkm, user) -> None:
    entry.__dict__["_history_user"] = _actor(user)
    entry.delete()
