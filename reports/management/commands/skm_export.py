import time

from django.core.management.base import BaseCommand, CommandError

from reports.services import worksheet_xlsx_write

from ._common import resolve, written


class Command(BaseCommand):
    help = "Menulis lembar kerja SKM (XLSX) satu unit dan periode secara langsung."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode unit")
        parser.add_argument("--period", required=True, help="kode periode, mis. 2024-S2")
        parser.add_argument("-o", "--output", required=True, help="berkas XLSX tujuan")
        parser.add_argument("--weight", default=None, help="exact | 0.111 | 0.11 (bawaan: pengaturan situs)")

    def handle(self, *args, **options):
        unit, period, mode = resolve(options)
        start = time.perf_counter()
        try:
            worksheet_xlsx_write(unit=unit, period=period, weight_mode=mode, target=options["output"])
        except (OSError, RuntimeError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(written(options["output"], started=start, mode=mode))
