import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.context_instrument import InstrumentNotAsked, asked_instrument
from reports.models import ExportJob
from reports.services import export_write
from surveys.answers import SKM_CODE

from ._common import resolve, written

# The format follows the output file's suffix.
KINDS = {
    ("followup", ".pdf"): ExportJob.Kind.PDF_FOLLOWUP,
    ("followup", ".docx"): ExportJob.Kind.DOCX_FOLLOWUP,
    ("survey", ".pdf"): ExportJob.Kind.PDF_SURVEY,
    ("survey", ".docx"): ExportJob.Kind.DOCX_SURVEY,
}
# The report of a Zona Integritas survey (survey --instrument SPKP|SPAK).
INSTRUMENT_KINDS = {".pdf": ExportJob.Kind.PDF_INSTRUMENT, ".docx": ExportJob.Kind.DOCX_INSTRUMENT}


class Command(BaseCommand):
    help = (
        "Membuat Laporan Hasil Tindak Lanjut (followup) atau Laporan SKM (survey) secara langsung, "
        "sebagai PDF atau Word (DOCX) menurut akhiran berkas -o. Dengan --instrument SPKP|SPAK, "
        "survey membuat laporan survei persepsi Zona Integritas yang ditanyakan putaran unit itu."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["followup", "survey"], help="followup | survey")
        parser.add_argument("--unit", required=True, help="kode unit")
        parser.add_argument("--period", required=True, help="kode periode, mis. 2024-S2")
        parser.add_argument("-o", "--output", required=True, help="berkas tujuan: FILE.pdf atau FILE.docx")
        parser.add_argument("--weight", default=None, help="exact | 0.111 | 0.11 (bawaan: pengaturan situs)")
        parser.add_argument(
            "--instrument", default="", help="SPKP | SPAK: laporan survei persepsi itu (hanya dengan survey)"
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        kind = KINDS.get((options["kind"], output.suffix.lower()))
        if kind is None:
            # Checked before anything is read or written: a wrong suffix writes nothing.
            raise CommandError(
                f"Format berkas '{output.name}' tidak dikenal: berkas -o harus berakhiran .pdf (PDF) atau .docx (Word)."
            )
        code = (options["instrument"] or "").strip().upper()
        if code == SKM_CODE:
            code = ""  # the SKM's report is the Laporan SKM
        if code and options["kind"] != "survey":
            raise CommandError(
                "--instrument hanya untuk laporan survei (survey): laporan tindak lanjut dibuat untuk SKM."
            )
        if code:
            kind = INSTRUMENT_KINDS[output.suffix.lower()]
        unit, period, mode = resolve(options)
        if code:
            try:
                code = asked_instrument(unit=unit, period=period, code=code).code
            except InstrumentNotAsked:
                raise CommandError(
                    f"Putaran survei {unit.name} periode {period.label} tidak menanyakan instrumen {code}, "
                    "jadi laporannya tidak ada."
                ) from None
        start = time.perf_counter()
        # A large Laporan SKM: the per-respondent data and all saran go to FILE-lampiran.xlsx beside the report.
        attachment = output.with_name(f"{output.stem}-lampiran.xlsx")
        try:
            attached = export_write(
                kind=kind,
                unit=unit,
                period=period,
                weight_mode=mode,
                target=str(output),
                attachment_target=str(attachment),
                instrument=code,
            )
        except OSError as exc:
            raise CommandError(f"Gagal menulis berkas: {exc}") from None
        self.stdout.write(written(options["output"], started=start, mode=mode))
        if attached:
            self.stdout.write(f"{attachment} ditulis (lampiran: data per responden dan seluruh saran).")
