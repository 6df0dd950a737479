"""Shared argument handling and messages of skm_report / skm_export."""

import time

from django.core.management.base import CommandError

from skm.rules.formatting import format_number
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


def written(target, *, started: float, mode) -> str:
    """ "laporan.pdf ditulis (0,8 dtk, bobot 0.111)." (the weight as it is typed on the command line)."""
    return f"{target} ditulis ({format_number(time.perf_counter() - started, 1)} dtk, bobot {mode.value})."
