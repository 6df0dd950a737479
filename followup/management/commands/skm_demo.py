"""python manage.py skm_demo — demo units, surveys, users and a follow-up plan (idempotent).

It lives in ``followup`` because it loads both layers: surveys never imports followup."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from followup.demo import load_demo as followup_load_demo
from surveys.demo import DEFAULT_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Isi data demo: pohon unit Salatiga, survei Pulutan 2024, periode terbuka, pengguna per peran."

    def handle(self, *args, **options):
        result = load_demo()
        followup_load_demo(unit=result.unit, period=result.period, user=result.staff)
        site = getattr(settings, "SKM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
        w = self.stdout.write
        w(self.style.SUCCESS("Data demo siap."))
        w(f"  Unit demo      : {result.unit.name} ({result.unit.code}); survei {result.period.label}")
        w(f"  Periode terbuka: {result.current.label} ({result.current.code})")
        w("")
        w("Akun (hanya untuk pengembangan):")
        source = "SKM_DEMO_PASSWORD" if result.password != DEFAULT_PASSWORD else "bawaan; ubah dengan SKM_DEMO_PASSWORD"
        for user, role in (
            (result.admin, "admin"),
            (result.staff, "staf Kelurahan Pulutan"),
            (result.supervisor, "supervisor Kecamatan Sidorejo"),
        ):
            w(f"  {user.username:<11} / {result.password:<16} {role}")
        w(f"  (kata sandi: {source}; akun yang sudah ada tidak diubah)")
        w("")
        w("Alamat:")
        w(f"  Masuk            : {site}{reverse('login')}")
        w(f"  Beranda staf     : {site}{reverse('surveys:dashboard')}")
        w(f"  Kuesioner publik : {site}{reverse('surveys:questionnaire', args=[result.unit.code])}")
        w(f"  Mode kios        : {site}{reverse('surveys:questionnaire', args=[result.unit.code])}?kiosk=1")
        w(f"  Admin            : {site}{reverse('admin:index')}")
