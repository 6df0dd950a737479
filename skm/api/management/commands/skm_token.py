"""Create, revoke and list API tokens from the shell.

    manage.py skm_token create --user alice --scope read-unit [--scope write-responses] [--days 90] [--name "Aplikasi"]
    manage.py skm_token revoke <prefix>
    manage.py skm_token list [--user alice]

``create`` prints the token alone on its last line (for scripts: ``| tail -n1``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from skm.api.models import ApiToken, Scope
from skm.api.services import DEFAULT_DAYS, api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Membuat, mencabut dan menampilkan token API."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Membuat token baru (dicetak sekali, di baris terakhir).")
        create.add_argument("--user", required=True, help="Nama pengguna pemilik token.")
        create.add_argument("--scope", action="append", required=True, choices=Scope.values, help="Boleh berulang.")
        create.add_argument("--days", type=int, default=DEFAULT_DAYS, help="Masa berlaku (hari).")
        create.add_argument("--name", default="", help="Nama aplikasi (bawaan: skm_token).")
        revoke = sub.add_parser("revoke", help="Mencabut token berdasarkan awalannya.")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="Menampilkan token beserta pemakaian terakhirnya.")
        listing.add_argument("--user", default="")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "create":
            return self._create(options)
        if action == "revoke":
            return self._revoke(options["prefix"])
        return self._list(options["user"])

    def _create(self, options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna tidak ditemukan: {options['user']}")
        try:
            token, secret = api_token_create(
                user=user, name=options["name"] or "skm_token", scopes=options["scope"], days=options["days"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Token {token.prefix} untuk {user.username}, cakupan {', '.join(token.scopes)}, "
            f"berlaku sampai {token.expires_at:%Y-%m-%d %H:%M %Z}. Simpan sekarang: token tidak dapat ditampilkan lagi."
        )
        self.stdout.write(secret)

    def _revoke(self, prefix: str):
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"Token tidak ditemukan: {prefix}")
        api_token_revoke(token=token)
        self.stdout.write(f"Token {token.prefix} dicabut.")

    def _list(self, username: str):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for t in tokens:
            state = "dicabut" if t.revoked_at else ("aktif" if t.is_active else "kedaluwarsa")
            last = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "-"
            self.stdout.write(
                f"{t.prefix}\t{t.user.username}\t{t.name}\t{','.join(t.scopes)}\t"
                f"{t.expires_at:%Y-%m-%d}\t{last}\t{state}"
            )
