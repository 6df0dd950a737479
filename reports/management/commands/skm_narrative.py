"""Set one section of a round's report text from a file (``-`` reads stdin)."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.sections import SECTIONS, section_spec, unsur_key
from reports.services_narrative import section_save
from surveys.models import Period, SurveyRound, Unit


class Command(BaseCommand):
    help = "Mengisi satu bagian teks laporan putaran survei dari berkas teks (--file - membaca stdin)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode unit")
        parser.add_argument("--period", required=True, help="kode periode, mis. 2024-S2")
        parser.add_argument(
            "--section", required=True, help=f"kunci bagian, mis. kesimpulan atau {unsur_key('U9').value}"
        )
        parser.add_argument("--file", required=True, help="berkas teks UTF-8, atau - untuk stdin")
        parser.add_argument("--user", default=None, help="nama pengguna yang dicatat sebagai pengubah")

    def _text(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"Berkas '{name}' tidak ditemukan.")
        try:
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(f"Berkas '{name}' bukan teks UTF-8.") from None
        except OSError as exc:
            raise CommandError(f"Berkas '{name}' tidak dapat dibaca: {exc.strerror}.") from None

    def handle(self, *args, **options):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Unit dengan kode '{options['unit']}' tidak ditemukan.")
        period = Period.objects.filter(code=(options["period"] or "").strip().upper()).first()
        if period is None:
            raise CommandError(f"Periode '{options['period']}' tidak ditemukan.")
        key = (options["section"] or "").strip().lower()
        if section_spec(key) is None:
            known = ", ".join(s.key.value for s in SECTIONS)
            raise CommandError(f"Bagian '{options['section']}' tidak dikenal. Pilihan: {known}.")
        rnd = SurveyRound.objects.filter(unit=unit, period=period).first()
        if rnd is None:
            raise CommandError(f"{unit.name} belum memiliki putaran survei untuk periode {period.code}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Pengguna '{options['user']}' tidak ditemukan.")
        text = self._text(options["file"])
        try:
            section_save(round=rnd, key=key, text=text, user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Bagian {key} untuk {unit.code} {period.code} disimpan ({len(text.strip())} karakter).")
