"""python manage.py skm_import FILE --unit CODE --period CODE [--instrument CODE] [--create] [--force]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from surveys.importing import ImportFileError
from surveys.services import import_batch_create

CLI_HINTS = {
    ImportFileError.HINT_CREATE: gettext_noop(
        "gunakan --create untuk membuat unit, periode atau jenis layanan yang belum ada"
    ),
    ImportFileError.HINT_FORCE: gettext_noop("gunakan --force bila impor ulang berkas yang sama memang disengaja"),
    ImportFileError.HINT_OPEN_ROUND: gettext_noop(
        "buka putaran survei dahulu: python manage.py skm_round open --unit KODE --period KODE"
    ),
}


class Command(BaseCommand):
    help = "Impor jawaban responden dari CSV/XLSX (semua atau tidak sama sekali)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas CSV (UTF-8, koma atau titik koma) atau XLSX")
        parser.add_argument("--unit", required=True, help="kode unit")
        parser.add_argument("--period", required=True, help="kode periode, mis. 2024-S2")
        parser.add_argument("--create", action="store_true", help="buat unit, periode dan jenis layanan yang belum ada")
        parser.add_argument("--force", action="store_true", help="impor ulang berkas yang sama")
        parser.add_argument(
            "--instrument",
            default="SKM",
            help="instrumen yang dijawab berkas: SKM (bawaan, kolom U1..U9) atau mis. SPAK (kolom AK1..AK5)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("berkas '%(path)s' tidak ditemukan") % {"path": path})
        try:
            with path.open("rb") as fh:
                result = import_batch_create(
                    fh=fh,
                    filename=path.name,
                    unit_code=options["unit"].strip(),
                    period_code=options["period"].strip(),
                    create=options["create"],
                    force=options["force"],
                    instrument=options["instrument"],
                )
        except ImportFileError as exc:
            for message in exc.errors:
                self.stderr.write(message)
            for hint in sorted(exc.hints):
                self.stderr.write(_(CLI_HINTS[hint]))
            raise CommandError(
                _("impor dibatalkan: %(count)s kesalahan, tidak ada data yang disimpan") % {"count": len(exc.errors)}
            ) from None
        batch = result.batch
        if result.created_unit:
            self.stdout.write(_("unit baru dibuat: %(code)s") % {"code": batch.unit.code})
        if result.created_period:
            self.stdout.write(_("periode baru dibuat: %(code)s") % {"code": batch.period.code})
        for name in result.created_services:
            self.stdout.write(_("jenis layanan baru dibuat: %(name)s") % {"name": name})
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(_("peringatan: %(warning)s") % {"warning": warning}))
        self.stdout.write(
            self.style.SUCCESS(
                _("%(rows)s jawaban diimpor ke %(unit)s (%(code)s), periode %(period)s")
                % {"rows": batch.rows, "unit": batch.unit.name, "code": batch.unit.code, "period": batch.period.code}
            )
        )
