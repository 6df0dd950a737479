"""python manage.py skm_rebuild [--unit CODE] [--period CODE]

Recomputes the answer tallies (ItemTally), the profile tallies (ProfileTally)
and the league table (Standing) from the raw responses: after a bulk load that
bypassed the services, or to repair. The write paths keep them exact (the
tallies in the same transaction as every write, the league table at the next
refresh), so on a healthy database this changes nothing."""

import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from skm.rules.formatting import format_number
from surveys.models import Period, Unit
from surveys.services_tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Hitung ulang tally jawaban, profil responden dan peringkat unit dari data mentah."

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="kode unit (bawaan: semua unit)")
        parser.add_argument("--period", help="kode periode, mis. 2024-S2 (bawaan: semua periode)")

    def handle(self, *args, **opts):
        unit = period = None
        if opts["unit"]:
            unit = Unit.objects.filter(code=opts["unit"].strip()).first()
            if unit is None:
                raise CommandError(_("Unit '%(code)s' tidak ditemukan.") % {"code": opts["unit"]})
        if opts["period"]:
            period = Period.objects.filter(code=opts["period"].strip().upper()).first()
            if period is None:
                raise CommandError(_("Periode '%(code)s' tidak ditemukan.") % {"code": opts["period"]})
        start = time.monotonic()
        items, profiles, standings = tallies_rebuild(
            unit_id=unit.pk if unit else None, period_id=period.pk if period else None
        )
        self.stdout.write(
            _(
                "Tally dihitung ulang dalam %(s)s detik: %(items)s baris jawaban, %(profiles)s baris profil, "
                "%(standings)s baris peringkat."
            )
            % {
                "s": format_number(Decimal(str(time.monotonic() - start)), 1),
                "items": format_number(items, 0),
                "profiles": format_number(profiles, 0),
                "standings": format_number(standings, 0),
            }
        )
