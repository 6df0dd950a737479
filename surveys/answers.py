"""How a response's answers are stored, for any instrument (issue 20 point 4).

``Response.scores`` holds ``{"<instrument code>": [score or null, ...]}``: per
instrument the list of its items' answers, in the instrument's item order (a
blank is ``null``). Positions, not item codes, are stored, so a row of the SKM is
nine small numbers; the codes come from the instrument (``skm.rules.instrument``).
This module is the one place that packs and unpacks that list; no code outside it
and the instrument package knows how an answer is laid out.

Importable by ``surveys.models``: it reads the units' own instruments from the
database only inside functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from skm.rules.instrument import ErrorCode, Instrument, InstrumentError, Text
from skm.rules.instruments_data import BUILTIN, builtin
from skm.rules.unsur import UnsurDefinition

SKM_CODE = "SKM"


def skm_only() -> list[str]:
    """A round's default instruments: the SKM alone."""
    return [SKM_CODE]


def instrument_get(code: str = SKM_CODE) -> Instrument:
    """The instrument named ``code``: a built-in (SKM, SPKP, SPAK) or a unit's own
    copy of a template (``surveys.models.UnitInstrument``, read through
    ``_UNIT_COPIES``); InstrumentError UNKNOWN_INSTRUMENT for any other code."""
    try:
        return builtin(code)
    except InstrumentError:
        copy = _UNIT_COPIES.get(str(code).strip().upper())
        if copy is None:
            raise
        return copy


class _UnitCopies:
    """The units' own instruments by code, read from the database on demand and
    kept per process for a few seconds: a copy is only edited before its first
    answer, so a form shown a moment after an edit may show the earlier wording,
    never a figure computed with other weights."""

    TTL = 10.0

    def __init__(self) -> None:
        self._cache: dict[str, tuple[float, Instrument | None]] = {}

    def get(self, code: str) -> Instrument | None:
        import time

        now = time.monotonic()
        hit = self._cache.get(code)
        if hit is not None and now - hit[0] < self.TTL:
            return hit[1]
        from .models import UnitInstrument  # models imports this module

        row = UnitInstrument.objects.filter(code=code).first()
        instrument = (
            None
            if row is None
            else unit_copy_build(
                base=row.base,
                code=row.code,
                name=row.name,
                texts=row.texts,
                weights=row.weights,
                name_en=row.name_en,
                texts_en=row.texts_en,
            )
        )
        if len(self._cache) > 1000:
            self._cache.clear()
        self._cache[code] = (now, instrument)
        return instrument

    def forget(self, code: str) -> None:
        self._cache.pop(code, None)


_UNIT_COPIES = _UnitCopies()


def unit_copy_forget(code: str) -> None:
    """Drop a unit's copy from this process's cache (after an edit)."""
    _UNIT_COPIES.forget(str(code).strip().upper())


def _own_text(template: Text, own: str, own_en: str) -> Text:
    """A text of a unit's copy: its own Indonesian (or the template's), with its
    own English, or the template's English while the Indonesian is the template's."""
    if not own or own == template.id:
        return Text(template.id, own_en or template.en)
    return Text(own, own_en)


def unit_copy_build(
    *,
    base: str,
    code: str,
    name: str,
    texts: Mapping[str, str],
    weights: Iterable[str],
    name_en: str = "",
    texts_en: Mapping[str, str] | None = None,
) -> Instrument:
    """A unit's copy of a template as an instrument, validated by the rules: the
    statements in the unit's wording, and its weights (exact fractions) or equal
    ones. English: the unit's own (``name_en``, ``texts_en``) where given; else the
    template's where the Indonesian wording is the template's, and the Indonesian
    wording where the unit changed it. InstrumentError when invalid."""
    from fractions import Fraction

    texts_en = texts_en or {}
    template = builtin(base)
    items = []
    for item in template.items:
        own = (texts.get(item.code) or "").strip()
        text = _own_text(item.text, own, (texts_en.get(item.code) or "").strip())
        items.append(item if text == item.text else replace(item, text=text))
    fractions = tuple(Fraction(str(w)) for w in weights) or None
    return template.derive(
        code=code,
        name=_own_text(template.name, name.strip(), name_en.strip()),
        items=tuple(items),
        weights=fractions,
    )


def optional_instruments(*, unit_id: int | None = None) -> tuple[Instrument, ...]:
    """The instruments a round may ask besides the SKM: the Zona Integritas
    templates (SPKP, SPAK) and, given a unit, that unit's own copies of them."""
    builtins = tuple(i for i in BUILTIN if i.code != SKM_CODE)
    if unit_id is None:
        return builtins
    from .models import UnitInstrument  # models imports this module

    codes = UnitInstrument.objects.filter(unit_id=unit_id).order_by("code").values_list("code", flat=True)
    return builtins + tuple(instrument_get(code) for code in codes)


def item_codes(instrument: str = SKM_CODE) -> tuple[str, ...]:
    return tuple(item.code for item in instrument_get(instrument).items)


def item_field(code: str) -> str:
    """The form field (and report section key) of an item: its code in lower case."""
    return code.lower()


def scores_pack(
    *, answers: Mapping[str, int | None] | Iterable[int | None], instrument: str = SKM_CODE
) -> list[int | None]:
    """The stored list of one instrument's answers: from {item code: score or None}
    (a missing code is a blank) or from the scores in item order. A code the
    instrument lacks, or a score outside its scale, is refused (InstrumentError)."""
    definition = instrument_get(instrument)
    codes = [item.code for item in definition.items]
    if isinstance(answers, Mapping):
        unknown = [c for c in answers if c not in codes]
        if unknown:
            raise InstrumentError(ErrorCode.UNKNOWN_ITEM, item=unknown[0], instrument=instrument)
        values = [answers.get(code) for code in codes]
    else:
        values = list(answers)
        if len(values) != len(codes):
            raise InstrumentError(ErrorCode.UNKNOWN_ITEM, item=f"#{len(values)}", instrument=instrument)
    points = definition.scale.points
    for code, value in zip(codes, values, strict=True):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= points):
            raise InstrumentError(ErrorCode.ANSWER_OUT_OF_SCALE, item=code, value=value, points=points)
    return values


def scores_unpack(*, scores: Mapping[str, Any] | None, instrument: str = SKM_CODE) -> dict[str, int | None]:
    """{item code: score or None} of one instrument from a row's ``scores``
    (every item present; an instrument the row did not answer gives all blanks)."""
    codes = item_codes(instrument)
    values = (scores or {}).get(instrument) or ()
    return {code: (values[i] if i < len(values) else None) for i, code in enumerate(codes)}


def scores_with(
    *, scores: Mapping[str, Any] | None, answers: Mapping[str, int | None], instrument: str = SKM_CODE
) -> dict[str, list[int | None]]:
    """A copy of ``scores`` with one instrument's answers replaced."""
    out = {code: list(values) for code, values in (scores or {}).items()}
    out[instrument] = scores_pack(answers=answers, instrument=instrument)
    return out


def answer_lookups(instrument: str = SKM_CODE) -> dict[str, str]:
    """{ORM lookup: item code} of one instrument's answers, in item order: the
    lookups read a single answer out of ``scores`` in ``values()`` and
    ``values_list()`` (the raw exports), e.g. ``scores__SKM__0`` for U1."""
    return {f"scores__{instrument}__{i}": code for i, code in enumerate(item_codes(instrument))}


def answer_lookup(code: str, instrument: str = SKM_CODE) -> str:
    """The ORM lookup of one item's answer (see ``answer_lookups``)."""
    return f"scores__{instrument}__{item_codes(instrument).index(code)}"


def instruments_clean(codes: Iterable[str]) -> list[str]:
    """A round's instrument codes checked and ordered: known codes, each once,
    the SKM first and always there (the unit's obligation under Permenpan RB 14/2017)."""
    out = [SKM_CODE]
    for raw in codes:
        code = instrument_get(str(raw)).code  # UNKNOWN_INSTRUMENT for a code no instrument has
        if code not in out:
            out.append(code)
    return out


def scores_changes(*, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """(item code, old, new) for every answer that differs between two ``scores``
    (the audit trail shows a correction item by item), instruments in code order."""
    out = []
    for instrument in sorted(set(before or {}) | set(after or {})):
        old = scores_unpack(scores=before, instrument=instrument)
        new = scores_unpack(scores=after, instrument=instrument)
        out.extend((code, old[code], new[code]) for code in old if old[code] != new[code])
    return out


def unsur_in_language(unsur: Iterable[UnsurDefinition], language: str) -> list[UnsurDefinition]:
    """The nine unsur as a respondent reads them in ``language``: the unit's own
    wording in Indonesian; in another language the SKM instrument's translation
    (a unit words its questions in Indonesian only)."""
    unsur = list(unsur)
    if (language or "id").split("-")[0] == "id":
        return unsur
    skm = instrument_get(SKM_CODE)
    out = []
    for definition in unsur:
        item = skm.item(definition.code)
        labels = tuple(label.get(language) for label in skm.labels_for(item))
        out.append(UnsurDefinition(definition.code, item.name.get(language), item.text.get(language), labels))  # type: ignore[arg-type]
    return out


_JSON_SCORE: dict[int | None, str] = {None: "null", **{p: str(p) for p in range(1, 11)}}


def scores_json(scores: Mapping[str, Iterable[int | None]]) -> str:
    """``scores`` as JSON text, written directly (the import's COPY writes one per
    row; the same text json.dumps gives, several times faster for these small
    dicts of codes and small integers)."""
    parts = []
    for code, values in scores.items():
        numbers = ", ".join([_JSON_SCORE[v] if v in _JSON_SCORE else str(int(v)) for v in values])
        parts.append(f'"{code}": [{numbers}]')
    return "{" + ", ".join(parts) + "}"
