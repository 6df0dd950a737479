"""python manage.py skm_instrument list [--json] | show CODE [--json] [--lang id|en]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from skm.rules.formatting import format_number
from skm.rules.instrument import Instrument, InstrumentError, instrument_payload
from skm.rules.instruments_data import BUILTIN, builtin
from surveys.instruments import error_message


class Command(BaseCommand):
    help = "Daftar instrumen survei bawaan (SKM, SPKP, SPAK) dan rinciannya."
    requires_system_checks = []  # reads built-in data only

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="daftar instrumen")
        listing.add_argument("--json", action="store_true", help="keluaran JSON")
        show = sub.add_parser("show", help="rincian satu instrumen")
        show.add_argument("code", help="kode instrumen, mis. SKM, SPKP, SPAK")
        show.add_argument("--json", action="store_true", help="keluaran JSON")
        show.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa teks butir (bawaan: id)")

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            return self._list(as_json=opts["json"])
        try:
            instrument = builtin(opts["code"])
        except InstrumentError as exc:
            raise CommandError(error_message(exc)) from None
        if opts["json"]:
            payload = instrument_payload(instrument, language=opts["lang"])
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self._show(instrument, opts["lang"])

    def _list(self, *, as_json):
        if as_json:
            rows = [
                {
                    "code": i.code,
                    "name": i.name.id,
                    "index": i.index_name,
                    "scale_max": i.scale.points,
                    "items": len(i.items),
                    "locked": i.locked,
                }
                for i in BUILTIN
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        w = self.stdout.write
        w(f"{_('Kode'):<6}{_('Nama'):<38}{_('Indeks'):<8}{_('Skala'):<7}{_('Butir'):>5}  {_('Status')}")
        for i in BUILTIN:
            status = _("terkunci") if i.locked else _("templat, dapat diubah")
            w(f"{i.code:<6}{i.name.id:<38}{i.index_name:<8}{f'1–{i.scale.points}':<7}{len(i.items):>5}  {status}")

    def _show(self, instrument: Instrument, lang: str):
        w = self.stdout.write
        w(f"{instrument.code} — {instrument.name.get(lang)} ({instrument.index_name})")
        if instrument.basis.id:
            w(_("Dasar: %(basis)s") % {"basis": instrument.basis.get(lang)})
        w(_("Skala 1–%(k)s, dari terburuk ke terbaik:") % {"k": instrument.scale.points})
        for score, label in zip(instrument.scale.scores, instrument.scale.labels, strict=True):
            w(f"  {score} {label.get(lang)}")
        w("")
        w(f"{_('Kode'):<6}{_('Bobot'):>7}  {_('Butir')}")
        for item, weight in zip(instrument.items, instrument.item_weights, strict=True):
            group = f" [{item.group.get(lang)}]" if item.group else ""
            w(f"{item.code:<6}{f'{weight.numerator}/{weight.denominator}':>7}  {item.name.get(lang)}{group}")
            w(f"{'':<15}{item.text.get(lang)}")
        if instrument.weight_modes:
            w(_("Mode bobot lain: %(modes)s") % {"modes": ", ".join(m.code for m in instrument.weight_modes)})
        w("")
        w(_("Rentang mutu (indeks 0–100):"))
        for band in sorted(instrument.bands, key=lambda b: b.low, reverse=True):
            w(f"  {band.grade}  {format_number(band.low)} – {format_number(band.high)}  {band.label.get(lang)}")
