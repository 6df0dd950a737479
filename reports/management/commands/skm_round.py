"""python manage.py skm_round open|close|publish --unit CODE --period CODE [--instrument CODE ...] [--note TEXT]

Steps of a unit's survey round, for scripting and checks. The command acts as
the system (no person): the round's history says so. ``publish`` prints the
frozen IKM of the new version.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.services import round_publish_with_report
from skm.rules.formatting import format_number
from skm.rules.periods import parse_period_code
from surveys.models import SurveyRound, Unit
from surveys.results import weight_mode_resolve
from surveys.services import period_get_or_create
from surveys.services_rounds import round_close, round_open, round_set_instruments


class Command(BaseCommand):
    help = "Buka, tutup atau publikasikan putaran survei satu unit dan periode."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["open", "close", "publish"], help="open | close | publish")
        parser.add_argument("--unit", required=True, help="kode unit layanan")
        parser.add_argument("--period", required=True, help="kode periode, mis. 2024-S2")
        parser.add_argument("--note", default="", help="catatan koreksi (wajib saat publikasi ulang)")
        parser.add_argument(
            "--instrument",
            action="append",
            default=None,
            help="open: instrumen yang ditanyakan, boleh berulang (--instrument SPAK --instrument SPKP); "
            "SKM selalu ikut. Pada putaran yang sudah dibuka hanya instrumennya yang diubah.",
        )
        parser.add_argument("--json", action="store_true", help="open/close: keluaran JSON (status dan instrumen)")

    def handle(self, *args, **opts):
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(_("Unit dengan kode '%(code)s' tidak ditemukan.") % {"code": opts["unit"]})
        try:
            code = parse_period_code(opts["period"]).code
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            if opts["instrument"] and opts["action"] != "open":
                raise CommandError(_("--instrument hanya berlaku untuk open."))
            if opts["action"] == "open":
                period, _created = period_get_or_create(code=code)
                rnd = self._open(unit, period, opts["instrument"])
                if opts["json"]:
                    self._json(rnd, unit, code)
                    return
                if rnd.other_instruments:
                    self.stdout.write(
                        _("Putaran %(unit)s %(period)s dibuka dengan instrumen %(codes)s.")
                        % {"unit": unit.code, "period": code, "codes": ", ".join(rnd.instrument_codes)}
                    )
                else:
                    self.stdout.write(_("Putaran %(unit)s %(period)s dibuka.") % {"unit": unit.code, "period": code})
                return
            rnd = SurveyRound.objects.filter(unit=unit, period__code=code).select_related("period").first()
            if rnd is None:
                raise CommandError(
                    _("Unit %(unit)s belum memiliki putaran survei periode %(period)s.")
                    % {"unit": unit.code, "period": code}
                )
            if opts["action"] == "close":
                rnd = round_close(round=rnd, user=None)
                if opts["json"]:
                    self._json(rnd, unit, code)
                    return
                self.stdout.write(_("Putaran %(unit)s %(period)s ditutup.") % {"unit": unit.code, "period": code})
                return
            # The report text is frozen with the numbers, as on the round page.
            pub = round_publish_with_report(round=rnd, user=None, weight_mode=weight_mode_resolve(), note=opts["note"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            _("Dipublikasikan %(unit)s %(period)s versi %(v)s: IKM %(ikm)s (%(grade)s), %(n)s responden.")
            % {
                "unit": unit.code,
                "period": code,
                "v": pub.version,
                "ikm": format_number(pub.ikm) if pub.ikm is not None else "–",
                "grade": pub.grade or "–",
                "n": format_number(pub.respondents, 0),
            }
        )

    def _open(self, unit, period, instruments):
        current = SurveyRound.objects.filter(unit=unit, period=period).first()
        if current is not None and current.is_open and instruments:
            # Already open: only the instruments change.
            return round_set_instruments(round=current, user=None, instruments=instruments)
        return round_open(unit=unit, period=period, user=None, instruments=instruments)

    def _json(self, rnd, unit, code):
        payload = {"unit": unit.code, "period": code, "status": rnd.status, "instruments": list(rnd.instrument_codes)}
        self.stdout.write(json.dumps(payload, ensure_ascii=False))
