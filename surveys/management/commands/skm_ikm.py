"""python manage.py skm_ikm --unit CODE --period CODE [--instrument CODE] [--layanan NAME] [--weight MODE] [--json]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from skm.rules.formatting import format_number
from skm.rules.ikm import ikm_payload
from skm.rules.instrument import InstrumentError, instrument_result_payload
from surveys.answers import SKM_CODE, instrument_get
from surveys.instruments import error_message
from surveys.models import Period, Service, Unit
from surveys.results import WeightModeError, unit_ikm_breakdown, weight_mode_resolve
from surveys.results_instruments import instrument_results_get
from surveys.selectors import ikm_for


class Command(BaseCommand):
    help = "Hitung IKM satu unit dan periode (per unsur, prioritas, rincian per jenis layanan)."
    # Read-only: the system checks (which import every URL and view) cost more than the computation.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode unit layanan")
        parser.add_argument("--period", required=True, help="kode periode, mis. 2024-S2")
        parser.add_argument("--layanan", help="nama jenis layanan (opsional)")
        parser.add_argument("--weight", help="exact | 0.111 | 0.11 (bawaan: SKM_WEIGHT_MODE)")
        parser.add_argument("--json", action="store_true", help="keluaran JSON")
        parser.add_argument(
            "--instrument",
            default=SKM_CODE,
            help="kode instrumen: SKM (bawaan), SPKP atau SPAK (lihat skm_instrument list)",
        )

    def handle(self, *args, **opts):
        try:
            mode = weight_mode_resolve(value=opts["weight"])
        except WeightModeError as exc:
            raise CommandError(str(exc)) from None
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(_("Unit dengan kode '%(code)s' tidak ditemukan.") % {"code": opts["unit"]})
        period = Period.objects.filter(code=(opts["period"] or "").strip().upper()).first()
        if period is None:
            raise CommandError(_("Periode '%(code)s' tidak ditemukan.") % {"code": opts["period"]})
        service = None
        if opts["layanan"]:
            service = Service.objects.filter(unit=unit, name__iexact=opts["layanan"].strip()).first()
            if service is None:
                raise CommandError(
                    _("Jenis layanan '%(name)s' tidak ditemukan pada unit %(unit)s.")
                    % {"name": opts["layanan"], "unit": unit.code}
                )

        try:
            instrument = instrument_get(opts["instrument"])
        except InstrumentError as exc:
            raise CommandError(error_message(exc)) from None
        if instrument.code != SKM_CODE:
            if opts["weight"]:
                raise CommandError(_("--weight hanya berlaku untuk instrumen SKM."))
            self._instrument(instrument, unit, period, service, as_json=opts["json"])
            return

        # One GROUP BY service_id gives the pooled unit result and the breakdown.
        pooled, rows = unit_ikm_breakdown(unit=unit, period=period, weight_mode=mode)
        result = pooled if service is None else ikm_for(unit=unit, period=period, service=service, weight_mode=mode)
        breakdown = [(row.name, row.result) for row in rows]
        payload = ikm_payload(
            result, unit=unit.code, period=period.code, layanan=service.name if service else None, breakdown=breakdown
        )
        if opts["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self._table(unit, period, service, result, breakdown)

    def _instrument(self, instrument, unit, period, service, *, as_json: bool):
        results = instrument_results_get(unit=unit, period=period, instrument=instrument.code, service=service)
        if as_json:
            payload = instrument_result_payload(
                results.pooled,
                unit=unit.code,
                period=period.code,
                layanan=service.name if service else None,
                breakdown=results.services,
            )
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        w = self.stdout.write
        r = results.pooled
        w(f"{unit.name} — {period.label} — {instrument.name.get()}" + (f" — {service.name}" if service else ""))
        w(_("Responden: %(n)d") % {"n": r.respondents})
        w("")
        w(f"{'Kode':<6}{'Butir':<40}{'Jumlah':>8}{'Terisi':>8}{'NRR':>10}")
        for item, definition in zip(r.items, instrument.items, strict=True):
            nrr = "–" if item.nrr is None else format_number(item.nrr, 4)
            w(f"{item.code:<6}{definition.name.get()[:39]:<40}{item.total:>8}{item.answered:>8}{nrr:>10}")
        w("")
        if r.index is None:
            w(_("%(index)s: belum dapat dihitung (ada butir tanpa jawaban).") % {"index": instrument.index_name})
        else:
            band = r.band
            w(f"{instrument.index_name}: {format_number(r.index)}  {band.grade} ({band.label.get()})" if band else "")

    def _table(self, unit, period, service, result, breakdown):
        w = self.stdout.write
        w(f"{unit.name} — {period.label}" + (f" — {service.name}" if service else ""))
        w(f"Responden: {result.respondents}; {result.weight_description}")
        w("")
        w(f"{'Kode':<5}{'Unsur':<42}{'Jumlah':>8}{'Terisi':>8}{'NRR':>10}{'Konversi':>10}  Mutu  Kinerja")
        for u in result.unsur:
            w(
                f"{u.code:<5}{u.name[:41]:<42}{u.total:>8}{u.answered:>8}{format_number(u.nrr, 4):>10}"
                f"{format_number(u.converted):>10}  {u.grade or '–':<5} {u.label or '–'}"
            )
        w("")
        if result.ikm is None:
            w("IKM: belum dapat dihitung (ada unsur tanpa jawaban).")
        else:
            w(f"IKM Unit Layanan: {format_number(result.ikm)}  Mutu {result.grade} ({result.label})")
        w("Prioritas perbaikan (NRR terendah dulu): " + ", ".join(result.priority))
        if breakdown:
            w("")
            w("IKM per jenis layanan:")
            for name, r in breakdown:
                w(f"  {name:<40}{r.respondents:>6} responden  {format_number(r.ikm):>7}  {r.grade or '–'}")
