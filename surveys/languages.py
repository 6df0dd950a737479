"""Questionnaire texts in further languages (issue 20 point 6): the stable keys of
every text a respondent reads, the Indonesian source of each, and the pack of
one language's translations the questionnaire applies.

Bahasa Indonesia is the questionnaire's own language and English is shipped
with the instruments (``skm.rules.instrument.Text``); an admin adds any further
language (Basa Jawa, Basa Sunda, ...) and translates its texts
(``surveys.services_languages``). Each text is found by a key that does not
depend on its wording:

- ``instrument:<CODE>:name``                 the instrument's name (section heading);
- ``item:<CODE>:<ITEM>:name`` / ``:text``    an item's short name and its question;
- ``item:<CODE>:<ITEM>:label:<n>``           answer n of an item with its own labels (the SKM's unsur);
- ``scale:<CODE>:label:<n>``                 answer n of the instrument's shared scale (SPKP, SPAK);
- ``extra:<id>:text`` / ``:choice:<n>``      a unit's extra question and its n-th choice.

A translation keeps the Indonesian text it was made from (its ``source``): it is
shown only while that is still the Indonesian text; after the unit or a release
rewords it, the respondent reads the Indonesian again until the translation is
renewed. Anything missing falls back to Indonesian, text by text. Answers are
stored as in any language (scores, and an extra question's Indonesian choice),
so every language pools into the one result set.

No database access here: ``surveys.selectors_languages`` reads, and
``surveys.services_languages`` writes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from skm.rules.instrument import Instrument, Item
from skm.rules.instruments_data import BUILTIN
from skm.rules.unsur import UnsurDefinition

CODE_MAX = 12
NAME_MAX = 60
TRANSLATION_MAX = 500
# A primary language subtag (2-3 letters) and optional subtags: "jv", "su", "ban", "jv-ngoko".
CODE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
# The interface languages (Django's LANGUAGES) and "in", the old code of Indonesian.
RESERVED_CODES = frozenset({"id", "in", "en"})

EXTRA_GROUP = "tambahan"  # the extra questions' group on the translation page


def code_normalise(raw: object) -> str:
    return str(raw or "").strip().lower()


def code_problem(code: str) -> str | None:
    """Why ``code`` (normalised) cannot name a further language, or None:
    "empty", "too_long", "format" or "reserved"."""
    if not code:
        return "empty"
    if len(code) > CODE_MAX:
        return "too_long"
    if not CODE_RE.match(code):
        return "format"
    if code.split("-")[0] in RESERVED_CODES:
        return "reserved"
    return None


def clean_text(raw: object) -> str:
    """A translation as stored: whitespace runs become one space."""
    return " ".join(str(raw or "").split())


def source_digest(text: str) -> str:
    """A short fingerprint of an Indonesian text (the translation page sends it back,
    so a text reworded while an admin translates is not saved against the new one)."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# --- keys -----------------------------------------------------------------------------


def instrument_key(instrument: str) -> str:
    return f"instrument:{instrument}:name"


def item_key(instrument: str, item: str, part: str) -> str:
    return f"item:{instrument}:{item}:{part}"


def item_label_key(instrument: str, item: str, number: int) -> str:
    return f"item:{instrument}:{item}:label:{number}"


def scale_label_key(instrument: str, number: int) -> str:
    return f"scale:{instrument}:label:{number}"


def extra_text_key(question_id: int) -> str:
    return f"extra:{question_id}:text"


def extra_choice_key(question_id: int, number: int) -> str:
    return f"extra:{question_id}:choice:{number}"


def extra_question_id(key: str) -> int | None:
    """The question id of an ``extra:`` key, else None."""
    parts = key.split(":")
    if len(parts) >= 3 and parts[0] == "extra" and parts[1].isdigit():
        return int(parts[1])
    return None


# --- the Indonesian sources -------------------------------------------------------------


@dataclass(frozen=True)
class SourceText:
    """One text to translate: its key, where it sits and its Indonesian wording."""

    key: str
    group: str  # "SKM", "SPKP", "SPAK" or EXTRA_GROUP
    item: str  # "U1", "AK3", "T2"; "" for the instrument's name and its shared scale
    part: str  # "instrument", "name", "text", "label", "choice"
    number: int  # answer or choice number (1..k); 0 otherwise
    text: str
    question_id: int | None = None

    @property
    def is_short(self) -> bool:
        """An answer label, a choice or a name: a one-line input on the translation page."""
        return self.part in ("instrument", "name", "label", "choice")


def _uses_scale(instrument: Instrument) -> bool:
    return any(not item.labels for item in instrument.items)


def instrument_sources(instrument: Instrument) -> list[SourceText]:
    """The instrument's texts in reading order: its name, its shared scale's
    answers (when an item uses them), then per item its name, question and own answers."""
    code = instrument.code
    out = [SourceText(instrument_key(code), code, "", "instrument", 0, instrument.name.id)]
    if _uses_scale(instrument):
        out.extend(
            SourceText(scale_label_key(code, n), code, "", "label", n, label.id)
            for n, label in enumerate(instrument.scale.labels, start=1)
        )
    for item in instrument.items:
        out.append(SourceText(item_key(code, item.code, "name"), code, item.code, "name", 0, item.name.id))
        out.append(SourceText(item_key(code, item.code, "text"), code, item.code, "text", 0, item.text.id))
        out.extend(
            SourceText(item_label_key(code, item.code, n), code, item.code, "label", n, label.id)
            for n, label in enumerate(item.labels, start=1)
        )
    return out


@cache
def builtin_sources() -> tuple[SourceText, ...]:
    """Every built-in instrument's texts (SKM, SPKP, SPAK), in order."""
    return tuple(s for instrument in BUILTIN for s in instrument_sources(instrument))


@cache
def builtin_source_map() -> Mapping[str, SourceText]:
    return MappingProxyType({s.key: s for s in builtin_sources()})


def extra_sources(question_id: int, text: str, choices: Iterable[str]) -> list[SourceText]:
    """An extra question's texts: the question, then each choice."""
    out = [SourceText(extra_text_key(question_id), EXTRA_GROUP, "", "text", 0, text, question_id)]
    out.extend(
        SourceText(extra_choice_key(question_id, n), EXTRA_GROUP, "", "choice", n, choice, question_id)
        for n, choice in enumerate(choices or (), start=1)
    )
    return out


# --- one language's translations, as the questionnaire applies them -----------------------


@dataclass(frozen=True)
class LanguagePack:
    """The translations of one language in force for one questionnaire: only those
    whose source is still the Indonesian text. ``digest`` changes with any of them,
    so (code, digest) keys the cached form class and page."""

    code: str
    name: str
    digest: str
    texts: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def cache_key(self) -> tuple[str, str]:
        return (self.code, self.digest)

    def get(self, key: str, fallback: str) -> tuple[str, bool]:
        """(text, translated): the translation, or ``fallback`` (the Indonesian)."""
        found = self.texts.get(key)
        return (found, True) if found else (fallback, False)

    def instrument_name(self, instrument: Instrument) -> tuple[str, bool]:
        return self.get(instrument_key(instrument.code), instrument.name.id)

    def item_text(self, instrument: Instrument, item: Item) -> tuple[str, bool]:
        return self.get(item_key(instrument.code, item.code, "text"), item.text.id)

    def item_labels(self, instrument: Instrument, item: Item) -> list[tuple[str, bool]]:
        if item.labels:
            return [
                self.get(item_label_key(instrument.code, item.code, n), label.id)
                for n, label in enumerate(item.labels, start=1)
            ]
        return [
            self.get(scale_label_key(instrument.code, n), label.id)
            for n, label in enumerate(instrument.scale.labels, start=1)
        ]

    def unsur(self, skm: Instrument, definition: UnsurDefinition) -> tuple[UnsurDefinition, list[bool]]:
        """An SKM unsur in this language over the unit's Indonesian wording (the
        fallback), and which of [question, label 1..4] are translated."""
        item = skm.item(definition.code)
        name, _named = self.get(item_key(skm.code, item.code, "name"), definition.name)
        question, asked = self.get(item_key(skm.code, item.code, "text"), definition.question)
        labels = [
            self.get(item_label_key(skm.code, item.code, n), label) for n, label in enumerate(definition.labels, 1)
        ]
        translated = UnsurDefinition(definition.code, name, question, tuple(text for text, _ in labels))  # type: ignore[arg-type]
        return translated, [asked, *(done for _, done in labels)]

    def extra_text(self, question_id: int, fallback: str) -> tuple[str, bool]:
        return self.get(extra_text_key(question_id), fallback)

    def extra_choices(self, question_id: int, choices: Iterable[str]) -> list[tuple[str, str, bool]]:
        """[(stored value: the Indonesian choice, shown label, translated)]."""
        out = []
        for n, choice in enumerate(choices, start=1):
            label, done = self.get(extra_choice_key(question_id, n), choice)
            out.append((choice, label, done))
        return out


def pack_build(
    *, code: str, name: str, rows: Iterable[tuple[str, str, str]], sources: Mapping[str, str]
) -> LanguagePack:
    """The pack of (key, source, text) rows, keeping those whose source is the current
    Indonesian text in ``sources`` ({key: text}) and that have a translation."""
    texts = {key: text for key, source, text in rows if text and sources.get(key) == source}
    digest = hashlib.sha256(repr((name, sorted(texts.items()))).encode()).hexdigest()[:16]
    return LanguagePack(code=code, name=name, digest=digest, texts=MappingProxyType(texts))
