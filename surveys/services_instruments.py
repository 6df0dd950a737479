"""Writes of a unit's own copies of the Zona Integritas templates (``UnitInstrument``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from skm.rules.instrument import InstrumentError

from .answers import unit_copy_build, unit_copy_forget
from .instruments import error_message
from .models import ItemTally, SurveyRound, Unit, UnitInstrument
from .services import _attribute

TEMPLATES = ("SPKP", "SPAK")  # the SKM of the regulation is never copied
NAME_MAX = 200
TEXT_MAX = 500


def unit_instrument_in_use(*, code: str) -> bool:
    """Whether any answer was ever given to the instrument (its tallies exist)."""
    return ItemTally.objects.filter(instrument=code).exists()


@transaction.atomic
def unit_instrument_create(*, unit: Unit, base: str, user) -> UnitInstrument:
    """A new copy of the SPKP or SPAK template for the unit, under a code of its
    own ("SPAK-12", then "SPAK-12-2" ...), with the template's wording and weights."""
    base = (base or "").strip().upper()
    if base not in TEMPLATES:
        raise ValidationError(_("Templat harus SPKP atau SPAK."), code="bad_template")
    Unit.objects.select_for_update().filter(pk=unit.pk).first()  # one copy number at a time per unit
    stem = f"{base}-{unit.pk}"
    taken = set(UnitInstrument.objects.filter(code__startswith=stem).values_list("code", flat=True))
    code, n = stem, 1
    while code in taken:
        n += 1
        code = f"{stem}-{n}"
    if len(code) > 16:
        raise ValidationError(_("Kode instrumen terlalu panjang; hubungi admin."), code="code_too_long")
    template = unit_copy_build(base=base, code=code, name="", texts={}, weights=[])
    row = UnitInstrument(unit=unit, base=base, code=code, name=template.name.id, updated_by=user)
    _attribute(row, user=user)
    row.save()
    return row


def _weight(raw: str, position: int) -> Fraction:
    """ "1/4", "0,25" or "0.25" as an exact fraction."""
    text = (raw or "").strip().replace(" ", "")
    try:
        if re.fullmatch(r"\d+/\d+", text):
            value = Fraction(text)
        else:
            value = Fraction(Decimal(text.replace(",", ".")))
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise ValidationError(
            _("Bobot butir ke-%(n)s tidak valid: '%(value)s'. Tulis pecahan (1/5) atau desimal (0,2).")
            % {"n": position, "value": text[:20]},
            code="bad_weight",
        ) from None
    return value


@transaction.atomic
def unit_instrument_update(
    *,
    instrument: UnitInstrument,
    user,
    name: str,
    texts: Mapping[str, str],
    weights: Sequence[str],
    name_en: str = "",
    texts_en: Mapping[str, str] | None = None,
) -> UnitInstrument:
    """Change a copy's name, statements and weights, all or nothing; refused once
    it has answers (published figures must keep the weights they were computed with).
    ``name_en`` and ``texts_en`` (optional) are the English of the name and statements;
    only English that differs from the template's is stored (``unit_copy_build``)."""
    row = UnitInstrument.objects.select_for_update().get(pk=instrument.pk)
    if unit_instrument_in_use(code=row.code):
        raise ValidationError(
            _(
                "Instrumen %(code)s sudah dijawab responden sehingga tidak dapat diubah lagi; "
                "buat salinan baru untuk putaran berikutnya."
            )
            % {"code": row.code},
            code="in_use",
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Nama instrumen wajib diisi."), code="name_required")
    if len(name) > NAME_MAX:
        raise ValidationError(_("Nama instrumen paling banyak %(n)s karakter.") % {"n": NAME_MAX}, code="name_long")
    cleaned_texts = {}
    for code, text in texts.items():
        text = (text or "").strip()
        if not text:
            raise ValidationError(_("Pernyataan %(code)s wajib diisi.") % {"code": code}, code="text_required")
        if len(text) > TEXT_MAX:
            raise ValidationError(
                _("Pernyataan %(code)s paling banyak %(n)s karakter.") % {"code": code, "n": TEXT_MAX},
                code="text_long",
            )
        cleaned_texts[code] = text
    name_en = (name_en or "").strip()
    if len(name_en) > NAME_MAX:
        raise ValidationError(
            _("Nama instrumen dalam bahasa Inggris paling banyak %(n)s karakter.") % {"n": NAME_MAX}, code="name_long"
        )
    cleaned_en = {}
    for code, text in (texts_en or {}).items():
        text = (text or "").strip()
        if len(text) > TEXT_MAX:
            raise ValidationError(
                _("Pernyataan %(code)s dalam bahasa Inggris paling banyak %(n)s karakter.")
                % {"code": code, "n": TEXT_MAX},
                code="text_long",
            )
        if text:
            cleaned_en[code] = text
    raw = list(weights)
    fractions = [] if all(not (w or "").strip() for w in raw) else [_weight(w, i) for i, w in enumerate(raw, start=1)]
    stored = [str(f) for f in fractions]
    try:
        built = unit_copy_build(
            base=row.base,
            code=row.code,
            name=name,
            texts=cleaned_texts,
            weights=stored,
            name_en=name_en,
            texts_en=cleaned_en,
        )
    except InstrumentError as exc:
        raise ValidationError(error_message(exc), code=exc.code.value) from None
    # Only what differs from the template is stored.
    template = unit_copy_build(base=row.base, code=row.code, name="", texts={}, weights=[])
    pairs = list(zip(built.items, template.items, strict=True))
    row.name = name
    row.texts = {item.code: item.text.id for item, base_item in pairs if item.text.id != base_item.text.id}
    row.name_en = built.name.en if built.name.en != template.name.en else ""
    row.texts_en = {
        item.code: item.text.en for item, base_item in pairs if item.text.en and item.text.en != base_item.text.en
    }
    row.weights = stored
    row.updated_by = user
    _attribute(row, user=user)
    row.save()
    unit_copy_forget(row.code)
    return row


@transaction.atomic
def unit_instrument_delete(*, instrument: UnitInstrument, user) -> None:
    """Delete a copy nobody answered and no round of its unit asks (a mistaken or
    unused copy); the audit history keeps who deleted it. Refused otherwise."""
    # The unit's rounds first, in one order: a round choosing its instruments holds
    # its row (round_set_instruments), so it either finishes before this check or
    # reads the copy's list after the delete and no longer finds it.
    rounds = list(
        SurveyRound.objects.select_for_update()
        .filter(unit_id=instrument.unit_id)
        .select_related("period")
        .order_by("pk")
    )
    row = UnitInstrument.objects.select_for_update().filter(pk=instrument.pk).first()
    if row is None:
        return  # deleted meanwhile: nothing left to do
    if unit_instrument_in_use(code=row.code):
        raise ValidationError(
            _(
                "Instrumen %(code)s sudah dijawab responden; jawabannya tetap tercatat, jadi instrumen tidak dapat dihapus."
            )
            % {"code": row.code},
            code="in_use",
        )
    asking = [rnd.period.label for rnd in rounds if row.code in rnd.instrument_codes]
    if asking:
        raise ValidationError(
            _("Instrumen %(code)s masih dipilih pada putaran %(periods)s; hapus dari putaran itu terlebih dahulu.")
            % {"code": row.code, "periods": ", ".join(asking)},
            code="asked",
        )
    _attribute(row, user=user)
    row.delete()
    unit_copy_forget(row.code)
