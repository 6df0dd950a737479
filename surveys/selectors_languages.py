"""Reads of the questionnaire's further languages (``surveys.languages``).

The questionnaire reads the active languages and one language's pack per unit
through small per-process caches (as ``questionnaire_context``), so a respondent's
second GET and the POST make no query for them; a save of a language, a text, an
extra question or a unit in this process drops them at once (other processes
within ``QUESTIONNAIRE_TTL`` seconds, and the pack's digest keys every cached
page and form class, so nothing stale outlives its entry)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import Http404

from .extra import ExtraDef
from .languages import (
    EXTRA_GROUP,
    LanguagePack,
    SourceText,
    builtin_source_map,
    builtin_sources,
    code_normalise,
    code_problem,
    extra_question_id,
    extra_sources,
    pack_build,
)
from .models import ExtraQuestion, QuestionnaireLanguage, QuestionnaireText, Unit
from .selectors import QUESTIONNAIRE_TTL, questionnaire_cache_clear

_active_cache: dict[str, tuple[float, tuple[tuple[str, str], ...]]] = {}
_pack_cache: dict[tuple, tuple[float, LanguagePack | None]] = {}
PACKS_MAX = 1000


def language_cache_clear(**_kwargs) -> None:
    _active_cache.clear()
    _pack_cache.clear()


for _model in (QuestionnaireLanguage, QuestionnaireText, ExtraQuestion, Unit):
    post_save.connect(language_cache_clear, sender=_model, dispatch_uid=f"skm_lcache_save_{_model.__name__}")
    post_delete.connect(language_cache_clear, sender=_model, dispatch_uid=f"skm_lcache_del_{_model.__name__}")
for _model in (QuestionnaireLanguage, QuestionnaireText):
    # The rendered questionnaire pages hang off the questionnaire context: drop them too.
    post_save.connect(questionnaire_cache_clear, sender=_model, dispatch_uid=f"skm_qcache_save_{_model.__name__}")
    post_delete.connect(questionnaire_cache_clear, sender=_model, dispatch_uid=f"skm_qcache_del_{_model.__name__}")


# --- the questionnaire --------------------------------------------------------------------


def questionnaire_languages_active() -> tuple[tuple[str, str], ...]:
    """(code, name) of every active further language, by name (kept per process)."""
    now = time.monotonic()
    hit = _active_cache.get("active")
    if hit is not None and now - hit[0] < QUESTIONNAIRE_TTL:
        return hit[1]
    value = tuple(
        QuestionnaireLanguage.objects.filter(active=True).order_by("name", "code").values_list("code", "name")
    )
    _active_cache["active"] = (now, value)
    return value


def questionnaire_language_pack(
    *, code: str | None, unit: Unit, extra: tuple[ExtraDef, ...] = ()
) -> LanguagePack | None:
    """The translations of the active language ``code`` for this unit's questionnaire
    (the instruments' texts and its active extra questions ``extra``), or None for no,
    an unknown or an inactive language (the questionnaire then reads as usual)."""
    code = code_normalise(code)
    if not code or code_problem(code) is not None:
        return None
    names = dict(questionnaire_languages_active())
    if code not in names:
        return None
    key = (code, unit.pk, tuple(extra))
    now = time.monotonic()
    hit = _pack_cache.get(key)
    if hit is not None and now - hit[0] < QUESTIONNAIRE_TTL:
        return hit[1]
    sources = {s.key: s.text for s in builtin_sources()}
    for definition in extra:
        sources.update((s.key, s.text) for s in extra_sources(definition.id, definition.text, definition.choices))
    rows = QuestionnaireText.objects.filter(language__code=code).filter(
        Q(question__isnull=True) | Q(question_id__in=[d.id for d in extra])
    )
    pack = pack_build(code=code, name=names[code], rows=rows.values_list("key", "source", "text"), sources=sources)
    if len(_pack_cache) > PACKS_MAX:
        _pack_cache.clear()
    _pack_cache[key] = (now, pack)
    return pack


# --- the admin pages --------------------------------------------------------------------


def questionnaire_language_list() -> QuerySet[QuestionnaireLanguage]:
    return QuestionnaireLanguage.objects.order_by("name", "code")


def questionnaire_language_get(*, code: str) -> QuestionnaireLanguage:
    language = QuestionnaireLanguage.objects.filter(code=code_normalise(code)).first()
    if language is None:
        raise Http404("Bahasa kuesioner tidak ditemukan.")
    return language


def extra_questions_to_translate() -> QuerySet[ExtraQuestion]:
    """Every unit's active extra question, by unit name then questionnaire order."""
    return (
        ExtraQuestion.objects.filter(active=True, unit__is_active=True)
        .select_related("unit")
        .order_by("unit__name", "unit_id", "order", "id")
    )


def sources_for_questions(questions: Iterable[ExtraQuestion]) -> list[SourceText]:
    return [s for q in questions for s in extra_sources(q.pk, q.text, q.choices or ())]


def sources_for_keys(keys: Iterable[str]) -> dict[str, SourceText]:
    """The current Indonesian source of each known key (built-in, or an active extra question's)."""
    keys = set(keys)
    builtin = builtin_source_map()
    out = {k: builtin[k] for k in keys if k in builtin}
    ids = {qid for k in keys if (qid := extra_question_id(k)) is not None}
    if ids:
        questions = ExtraQuestion.objects.filter(pk__in=ids, active=True)
        out.update((s.key, s) for s in sources_for_questions(questions) if s.key in keys)
    return out


@dataclass(frozen=True)
class TextRow:
    """One line of the translation page: the source, the translation in force
    ("" when none) and an outdated one (made for an earlier Indonesian wording)."""

    source: SourceText
    text: str = ""
    outdated: str = ""


def text_rows(*, language: QuestionnaireLanguage, sources: Iterable[SourceText]) -> list[TextRow]:
    sources = list(sources)
    stored = {
        key: (source, text)
        for key, source, text in QuestionnaireText.objects.filter(
            language=language, key__in=[s.key for s in sources]
        ).values_list("key", "source", "text")
    }
    rows = []
    for s in sources:
        found = stored.get(s.key)
        if found is None:
            rows.append(TextRow(s))
        elif found[0] == s.text:
            rows.append(TextRow(s, text=found[1]))
        else:
            rows.append(TextRow(s, outdated=found[1]))
    return rows


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0


@dataclass
class LanguageProgress:
    """Texts translated (in force) of one language: overall and per group."""

    total: Progress
    groups: dict[str, Progress] = field(default_factory=dict)


def _all_sources() -> list[SourceText]:
    return [*builtin_sources(), *sources_for_questions(extra_questions_to_translate())]


def language_progress(*, languages: Iterable[QuestionnaireLanguage]) -> dict[int, LanguageProgress]:
    """{language id: progress} in two queries whatever the number of languages."""
    languages = list(languages)
    sources = {s.key: s for s in _all_sources()}
    done: dict[int, dict[str, int]] = {lang.pk: {} for lang in languages}
    rows = QuestionnaireText.objects.filter(language__in=languages).values_list("language_id", "key", "source")
    for language_id, key, source in rows.iterator():
        s = sources.get(key)
        if s is not None and s.text == source:
            groups = done[language_id]
            groups[s.group] = groups.get(s.group, 0) + 1
    totals: dict[str, int] = {}
    for s in sources.values():
        totals[s.group] = totals.get(s.group, 0) + 1
    order = [*dict.fromkeys(s.group for s in builtin_sources()), EXTRA_GROUP]
    out = {}
    for lang in languages:
        groups = {g: Progress(done[lang.pk].get(g, 0), totals.get(g, 0)) for g in order}
        out[lang.pk] = LanguageProgress(
            total=Progress(sum(p.done for p in groups.values()), sum(p.total for p in groups.values())),
            groups=groups,
        )
    return out
