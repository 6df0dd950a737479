"""python manage.py skm_retention [--dry-run] [--months N] [--user USERNAME]

Erases saran and profile fields of responses whose period ended more than
SKM_RETENTION_MONTHS ago (UU 27/2022); the answers stay, so results do not
change. The same job runs daily from celery beat as "system"."""

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from surveys.services import personal_data_erase_expired


class Command(BaseCommand):
    help = "Hapus saran dan data profil responden yang melewati masa simpan (SKM_RETENTION_MONTHS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="hanya hitung, tidak menghapus")
        parser.add_argument("--months", type=int, help="masa simpan dalam bulan (bawaan: SKM_RETENTION_MONTHS)")
        parser.add_argument("--user", help="nama pengguna yang menjalankan (dicatat); bawaan: pengguna sistem operasi")

    def handle(self, *args, **opts):
        months = opts["months"]
        if months is not None and months < 1:
            raise CommandError(_("--months harus bilangan bulat 1 atau lebih."))
        actor = f"skm_retention ({getpass.getuser()})"
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(_("Pengguna '%(u)s' tidak ditemukan.") % {"u": opts["user"]})
            actor = user.username
        result = personal_data_erase_expired(actor=actor, months=months, dry_run=opts["dry_run"])
        if result.cutoff is None:
            self.stdout.write(_("Masa simpan tidak dibatasi (SKM_RETENTION_MONTHS=0): tidak ada yang dihapus."))
            return
        self.stdout.write(
            _("Masa simpan %(m)d bulan: periode yang berakhir sebelum %(d)s.")
            % {"m": result.months, "d": date_format(result.cutoff, "j F Y")}
        )
        for code, n in result.per_period.items():
            self.stdout.write(f"  {code}: {n}")
        if result.dry_run:
            self.stdout.write(
                _("Uji coba: %(n)d jawaban akan dihapus saran dan data profilnya; tidak ada yang diubah.")
                % {"n": result.total}
            )
        else:
            self.stdout.write(
                _("%(n)d jawaban dihapus saran dan data profilnya (dicatat atas nama %(a)s).")
                % {"n": result.total, "a": actor}
            )
