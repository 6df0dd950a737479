"""python manage.py skm_demo — demo units, surveys, users and a follow-up plan (idempotent).

It lives in ``followup`` because it loads both layers: surveys never imports followup."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from followup.demo import load_demo as followup_load_demo
from surveys.demo import DEFAULT_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Isi data demo: pohon unit Salatiga, survei Pulutan 2024, periode terbuka, pengguna per peran."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="kata sandi pengguna demo (bawaan: SKM_DEMO_PASSWORD, lalu kata sandi demo yang terbit di README)",
        )

    def handle(self, *args, **options):
        source = "--password" if options.get("password") else "SKM_DEMO_PASSWORD"
        password = options.get("password") or os.environ.get("SKM_DEMO_PASSWORD") or None
        if password is not None:
            demo_password_validate(password=password, source=source)
        if not settings.DEBUG and (password is None or password == DEFAULT_PASSWORD):
            # The default password is published: never on a server (DEBUG off).
            raise CommandError(
                "DEBUG mati (server produksi): pengguna demo tidak dibuat dengan kata sandi bawaan yang "
                "sudah diketahui umum. Berikan kata sandi lain dengan --password atau SKM_DEMO_PASSWORD."
            )
        result = load_demo(password=password)
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


DEMO_USERNAMES = ("admin", "staf", "supervisor")


def demo_password_validate(*, password: str, source: str) -> None:
    """Django's AUTH_PASSWORD_VALIDATORS on a given demo password (one of the demo
    users is a superuser), checked against each demo user name; CommandError
    (exit status 1) with the validators' reasons, before anything is written."""
    User = get_user_model()
    reasons: list[str] = []
    for username in DEMO_USERNAMES:
        try:
            validate_password(password, user=User(username=username))
        except ValidationError as exc:
            reasons.extend(message for message in exc.messages if message not in reasons)
    if reasons:
        raise CommandError(
            _("Kata sandi demo ditolak (%(source)s): %(reasons)s Pilih kata sandi yang lebih kuat.")
            % {"source": source, "reasons": " ".join(reasons)}
        )
