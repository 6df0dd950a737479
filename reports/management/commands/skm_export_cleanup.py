from django.core.management.base import BaseCommand

from reports.services import export_jobs_sweep


class Command(BaseCommand):
    help = "Menandai tugas ekspor yang macet sebagai gagal dan menghapus berkas ekspor lama (untuk cron)."

    def handle(self, *args, **options):
        result = export_jobs_sweep()
        self.stdout.write(f"Tugas macet ditandai gagal: {result['stuck']}; berkas lama dihapus: {result['deleted']}.")
