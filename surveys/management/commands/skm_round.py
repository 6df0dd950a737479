"""python manage.py skm_round open|close|show --unit CODE --period CODE [--instrument CODE ...]"""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from skm.rules.periods import parse_period_code
from surveys.models import Period, SurveyRound, Unit
from surveys.services import period_get_or_create
from surveys.services_rounds import RoundStepRefused, round_close, round_open, round_set_instruments


class Command(BaseCommand):
    help = "Buka, tutup atau tampilkan putaran survei satu unit dan periode beserta instrumennya."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["open", "close", "show"], help="open | close | show")
        parser.add_argument("--unit", required=True, help="kode unit layanan")
        parser.add_argument("--period", required=True, help="kode periode, mis. 2024-S2 (dibuat bila belum ada)")
        parser.add_argument(
            "--instrument",
            action="append",
            default=None,
            help="kode instrumen yang ditanyakan (boleh berulang: --instrument SKM --instrument SPAK); SKM selalu ikut",
        )
        parser.add_argument("--user", default=None, help="nama pengguna yang dicatat sebagai pelaku")
        parser.add_argument("--json", action="store_true", help="keluaran JSON")

    def handle(self, *args, **opts):
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(_("Unit dengan kode '%(code)s' tidak ditemukan.") % {"code": opts["unit"]})
        try:
            code = parse_period_code(opts["period"]).code
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(_("Pengguna '%(name)s' tidak ditemukan.") % {"name": opts["user"]})
        try:
            rnd = self._act(opts["action"], unit, code, user, opts["instrument"])
        except (ValidationError, RoundStepRefused) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        period = Period.objects.get(pk=rnd.period_id)
        payload = {
            "unit": unit.code,
            "period": period.code,
            "status": rnd.status,
            "instruments": list(rnd.instrument_codes),
        }
        if opts["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(
            _("Putaran %(unit)s %(period)s: %(status)s; instrumen %(instruments)s.")
            % {
                "unit": unit.code,
                "period": period.code,
                "status": rnd.get_status_display(),
                "instruments": ", ".join(rnd.instrument_codes),
            }
        )

    def _act(self, action: str, unit: Unit, code: str, user, instruments: list[str] | None) -> SurveyRound:
        if action == "open":
            period, _created = period_get_or_create(code=code)
            current = SurveyRound.objects.filter(unit=unit, period=period).first()
            if current is None or not current.is_open:
                return round_open(unit=unit, period=period, user=user, instruments=instruments)
            # Already open: only the instruments change (when given).
            if instruments:
                return round_set_instruments(round=current, user=user, instruments=instruments)
            return current
        if instruments:
            raise CommandError(_("--instrument hanya berlaku untuk open."))
        rnd = SurveyRound.objects.filter(unit=unit, period__code=code).first()
        if rnd is None:
            raise CommandError(
                _("Unit %(unit)s belum memiliki putaran survei periode %(period)s.")
                % {"unit": unit.code, "period": code}
            )
        if action == "close":
            rnd = round_close(round=rnd, user=user)
        return rnd
