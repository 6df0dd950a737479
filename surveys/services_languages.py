"""Writes of the questionnaire's further languages and their texts (issue 20
point 6; ``surveys.languages``). Admins only; every change is attributable
through simple_history (the user on each historical row, a translation removed
included). Refusals are ``ValidationError``s with Indonesian messages, keyed by
the form field (``code``, ``name``) or by the text's key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .access import user_unit_access
from .languages import (
    CODE_MAX,
    NAME_MAX,
    TRANSLATION_MAX,
    clean_text,
    code_normalise,
    code_problem,
    source_digest,
)
from .models import QuestionnaireLanguage, QuestionnaireText
from .selectors_languages import sources_for_keys


def _require_admin(user) -> None:
    if not user_unit_access(user=user).is_admin:
        raise PermissionDenied(_("Hanya admin yang dapat mengelola bahasa kuesioner."))


def _attribute(obj, user) -> None:
    obj.__dict__["_history_user"] = user if getattr(user, "is_authenticated", False) else None


def language_code_clean(raw: object) -> str:
    """The code as stored (trimmed, lower case), or a ValidationError saying what is wrong."""
    code = code_normalise(raw)
    problem = code_problem(code)
    if problem == "empty":
        message = _("Isi kode bahasa, misalnya jv untuk Basa Jawa atau su untuk Basa Sunda.")
    elif problem == "too_long":
        message = _("Kode bahasa paling banyak %(n)d karakter, misalnya jv atau su.") % {"n": CODE_MAX}
    elif problem == "format":
        message = _(
            "Kode bahasa hanya boleh memuat huruf a-z: dua atau tiga huruf, boleh diikuti tanda hubung dan "
            "huruf atau angka (misalnya jv, su, ban, jv-ngoko)."
        )
    elif problem == "reserved":
        message = _("Bahasa Indonesia dan bahasa Inggris sudah tersedia; tambahkan bahasa lain, misalnya jv atau su.")
    else:
        return code
    raise ValidationError({"code": message}, code=f"language_code_{problem}")


def _name_clean(raw: object) -> str:
    name = clean_text(raw)
    if not name:
        raise ValidationError({"name": _("Isi nama bahasa seperti yang dibaca responden, misalnya Basa Jawa.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("Nama bahasa paling banyak %(n)d karakter.") % {"n": NAME_MAX}})
    return name


@transaction.atomic
def questionnaire_language_create(*, user, code: str, name: str, active: bool = True) -> QuestionnaireLanguage:
    """Add a further questionnaire language; it has no text yet (all Indonesian)."""
    _require_admin(user)
    errors = {}
    try:
        code = language_code_clean(code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        name = _name_clean(name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors and QuestionnaireLanguage.objects.filter(code=code).exists():
        errors["code"] = [_("Bahasa dengan kode %(code)s sudah ada.") % {"code": code}]
    if errors:
        raise ValidationError(errors)
    language = QuestionnaireLanguage(code=code, name=name, active=bool(active))
    language.full_clean()
    _attribute(language, user)
    try:
        with transaction.atomic():
            language.save()
    except IntegrityError:  # added at the same moment by another admin
        raise ValidationError({"code": _("Bahasa dengan kode %(code)s sudah ada.") % {"code": code}}) from None
    return language


@transaction.atomic
def questionnaire_language_update(
    *, language: QuestionnaireLanguage, user, name: str, active: bool
) -> QuestionnaireLanguage:
    """Rename a language or show/hide it on the questionnaire (its texts stay)."""
    _require_admin(user)
    language = QuestionnaireLanguage.objects.select_for_update().get(pk=language.pk)
    language.name = _name_clean(name)
    language.active = bool(active)
    _attribute(language, user)
    language.save()
    return language


@dataclass(frozen=True)
class TextsSaved:
    created: int = 0
    updated: int = 0
    removed: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


@transaction.atomic
def questionnaire_texts_save(
    *,
    language: QuestionnaireLanguage,
    user,
    texts: Mapping[str, str],
    seen_sources: Mapping[str, str] | None = None,
) -> TextsSaved:
    """Store translations: ``texts`` is {key: translation}; an empty translation
    removes the stored one (the questionnaire then reads the Indonesian again).

    Each translation records the Indonesian it was made from. With ``seen_sources``
    ({key: ``source_digest`` of the Indonesian the admin saw}), a text reworded
    meanwhile is refused for a second look. Nothing is saved when any text is
    refused: the errors come back as {key: [message]}."""
    _require_admin(user)
    sources = sources_for_keys(texts)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for key, raw in texts.items():
        source = sources.get(key)
        if source is None:
            errors[key] = [_("Teks ini tidak ada (lagi) di kuesioner; muat ulang halaman.")]
            continue
        if seen_sources is not None and key in seen_sources and seen_sources[key] != source_digest(source.text):
            errors[key] = [
                _("Teks bahasa Indonesia ini baru saja diubah. Periksa terjemahannya lalu simpan sekali lagi.")
            ]
            continue
        value = clean_text(raw)
        if len(value) > TRANSLATION_MAX:
            errors[key] = [_("Terjemahan paling banyak %(n)d karakter.") % {"n": TRANSLATION_MAX}]
            continue
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    stored = {
        t.key: t for t in QuestionnaireText.objects.select_for_update().filter(language=language, key__in=cleaned)
    }
    created = updated = removed = 0
    for key, value in cleaned.items():
        source = sources[key]
        row = stored.get(key)
        if not value:
            if row is not None:
                _attribute(row, user)
                row.delete()
                removed += 1
            continue
        if row is None:
            row = QuestionnaireText(language=language, key=key, question_id=source.question_id)
            created += 1
        elif row.text == value and row.source == source.text:
            continue
        else:
            updated += 1
        row.source = source.text
        row.text = value
        _attribute(row, user)
        row.save()
    return TextsSaved(created=created, updated=updated, removed=removed)
