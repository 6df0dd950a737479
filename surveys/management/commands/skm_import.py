"""python manage.py skm_import FILE --unit CODE --period CODE [--create] [--force]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.importing import ImportFileError
from surveys.services import import_batch_create

CLI_HINTS = {
    ImportFileError.HINT_CREATE: "gunakan --create untuk membuat unit, periode atau jenis layanan yang belum ada",
    ImportFileError.HINT_FORCE: "gunakan --force bila impor ulang berkas yang sama memang disengaja",
}


class Command(BaseCommand):
    help = "Impor jawaban responden dari CSV/XLSX (semua atau tidak sama sekali)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas CSV (UTF-8, koma atau titik koma) atau XLSX")
        parser.add_argument("--unit", required=True, help="kode unit")
        parser.add_argument("--period", required=True, help="kode periode, mis. 2024-S2")
        parser.add_argument("--create", action="store_true", help="buat unit, periode dan jenis layanan yang belum ada")
        parser.add_argument("--force", action="store_true", help="impor ulang berkas yang sama")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"berkas '{path}' tidak ditemukan")
        try:
            with path.open("rb") as fh:
                result = import_batch_create(
                    fh=fh,
                    filename=path.name,
                    unit_code=options["unit"].strip(),
                    period_code=options["period"].strip(),
                    create=options["create"],
                    force=options["force"],
                )
        except ImportFileError as exc:
            for message in exc.errors:
                self.stderr.write(message)
            for hint in sorted(exc.hints):
                self.stderr.write(CLI_HINTS[hint])
            raise CommandError(f"impor dibatalkan: {len(exc.errors)} kesalahan, tidak ada data yang disimpan") from None
        batch = result.batch
        if result.created_unit:
            self.stdout.write(f"unit baru dibuat: {batch.unit.code}")
        if result.created_period:
            self.stdout.write(f"periode baru dibuat: {batch.period.code}")
        for name in result.created_services:
            self.stdout.write(f"jenis layanan baru dibuat: {name}")
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"peringatan: {warning}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{batch.rows} jawaban diimpor ke {batch.unit.name} ({batch.unit.code}), periode {batch.period.code}"
            )
        )
