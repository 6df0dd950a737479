import time

from django.core.management.base import BaseCommand, CommandError

from reports.models import ExportJob
from reports.services import report_pdf_write

from ._common import resolve

KINDS = {"followup": ExportJob.Kind.PDF_FOLLOWUP, "survey": ExportJob.Kind.PDF_SURVEY}


class Command(BaseCommand):
    help = "Membuat PDF Laporan Hasil Tindak Lanjut (followup) atau Laporan SKM (survey) secara langsung."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="followup | survey")
        parser.add_argument("--unit", required=True, help="kode unit")
        parser.add_argument("--period", required=True, help="kode periode, mis. 2024-S2")
        parser.add_argument("-o", "--output", required=True, help="berkas PDF tujuan")
        parser.add_argument("--weight", default=None, help="exact | 0.111 | 0.11 (bawaan: pengaturan situs)")

    def handle(self, *args, **options):
        unit, period, mode = resolve(options)
        start = time.perf_counter()
        try:
            report_pdf_write(
                kind=KINDS[options["kind"]], unit=unit, period=period, weight_mode=mode, target=options["output"]
            )
        except OSError as exc:
            raise CommandError(f"Gagal menulis berkas: {exc}") from None
        self.stdout.write(f"{options['output']} ditulis ({time.perf_counter() - start:.1f} dtk, bobot {mode.value}).")
