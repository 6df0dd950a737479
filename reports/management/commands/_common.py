"""Shared argument handling of skm_report / skm_export."""

from django.core.management.base import CommandError

from surveys.models import Period, Unit
from surveys.results import WeightModeError, weight_mode_resolve


def resolve(options) -> tuple[Unit, Period, object]:
    unit = Unit.objects.filter(code=options["unit"]).first()
    if unit is None:
        raise CommandError(f"Unit dengan kode '{options['unit']}' tidak ditemukan.")
    period = Period.objects.filter(code=(options["period"] or "").strip().upper()).first()
    if period is None:
        raise CommandError(f"Periode '{options['period']}' tidak ditemukan.")
    try:
        mode = weight_mode_resolve(value=options.get("weight"))
    except WeightModeError as exc:
        raise CommandError(str(exc)) from None
    return unit, period, mode
