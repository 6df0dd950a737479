"""Writes of a unit's extra questions (``ExtraQuestion``), attributable through
simple_history. A question whose answers exist keeps its kind and choices: the
stored answers are choice labels, and the report counts them against the
question's choices, so changing either would silently misreport old answers.
To ask differently the unit adds a new question and deactivates the old one,
whose answers stay readable in the response detail, the exports and the report."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .extra import CHOICE_LEN, CHOICES_MAX, CHOICES_MIN, MAX_ACTIVE, TEXT_MAX
from .models import ExtraQuestion, Response, Unit

Kind = ExtraQuestion.Kind


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def _clean_choices(kind: str, choices) -> list[str]:
    if kind not in (Kind.SINGLE, Kind.MULTIPLE):
        return []
    items = [" ".join(str(c).split()) for c in (choices or [])]
    items = [c for c in items if c]
    if not (CHOICES_MIN <= len(items) <= CHOICES_MAX):
        raise ValidationError(
            {
                "choices": _("Isi %(a)d sampai %(b)d pilihan jawaban, satu per baris.")
                % {"a": CHOICES_MIN, "b": CHOICES_MAX}
            }
        )
    if any(len(c) > CHOICE_LEN for c in items):
        raise ValidationError({"choices": _("Setiap pilihan paling banyak %(n)d karakter.") % {"n": CHOICE_LEN}})
    if any(";" in c for c in items):
        raise ValidationError({"choices": _("Pilihan jawaban tidak boleh memuat tanda titik koma (;).")})
    if len({c.casefold() for c in items}) != len(items):
        raise ValidationError({"choices": _("Pilihan jawaban tidak boleh kembar.")})
    return items


def _clean_text(text: str, field: str, *, required: bool) -> str:
    text = " ".join((text or "").split())
    if required and not text:
        raise ValidationError({field: _("Tulis pertanyaannya.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("Pertanyaan paling banyak %(n)d karakter.") % {"n": TEXT_MAX}})
    return text


def _check_active_limit(unit: Unit, exclude_pk: int | None = None) -> None:
    active = ExtraQuestion.objects.filter(unit=unit, active=True)
    if exclude_pk is not None:
        active = active.exclude(pk=exclude_pk)
    if active.count() >= MAX_ACTIVE:
        raise ValidationError(
            _("Paling banyak %(n)d pertanyaan tambahan aktif per unit. Nonaktifkan salah satu lebih dulu.")
            % {"n": MAX_ACTIVE}
        )


def extra_question_has_answers(question: ExtraQuestion) -> bool:
    # Soft-deleted rows count too: a restore brings their answers back.
    return Response.all_objects.filter(unit_id=question.unit_id, extra__has_key=question.key).exists()


def _save(question: ExtraQuestion, user) -> ExtraQuestion:
    question.full_clean()
    question.__dict__["_history_user"] = _actor(user)
    question.save()
    return question


@transaction.atomic
def extra_question_create(
    *,
    unit: Unit,
    user,
    text: str,
    kind: str,
    choices=None,
    required: bool = False,
    text_en: str = "",
) -> ExtraQuestion:
    Unit.objects.select_for_update().filter(pk=unit.pk).first()  # serialise codes and the limit
    _check_active_limit(unit)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Jenis jawaban tidak dikenal.")})
    existing = ExtraQuestion.objects.filter(unit=unit)
    numbers = [int(c[1:]) for c in existing.values_list("code", flat=True) if c[1:].isdigit()]
    order = (existing.aggregate(m=Max("order"))["m"] or 0) + 1
    question = ExtraQuestion(
        unit=unit,
        code=f"T{max(numbers, default=0) + 1}",
        order=order,
        text=_clean_text(text, "text", required=True),
        text_en=_clean_text(text_en, "text_en", required=False),
        kind=kind,
        choices=_clean_choices(kind, choices),
        required=bool(required),
        active=True,
    )
    return _save(question, user)


@transaction.atomic
def extra_question_update(
    *,
    question: ExtraQuestion,
    user,
    text: str,
    kind: str,
    choices=None,
    required: bool = False,
    text_en: str = "",
    order: int | None = None,
) -> ExtraQuestion:
    """Change a question. The wording, English text, order and whether it is
    required may always change; kind and choices only while no answer exists."""
    question = ExtraQuestion.objects.select_for_update().get(pk=question.pk)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Jenis jawaban tidak dikenal.")})
    new_choices = _clean_choices(kind, choices)
    if (kind != question.kind or new_choices != list(question.choices or [])) and extra_question_has_answers(question):
        raise ValidationError(
            _(
                "Jenis jawaban dan pilihan tidak dapat diubah karena pertanyaan ini sudah dijawab. "
                "Buat pertanyaan baru dan nonaktifkan yang lama; jawaban lama tetap tersimpan."
            ),
            code="extra_answered",
        )
    question.text = _clean_text(text, "text", required=True)
    question.text_en = _clean_text(text_en, "text_en", required=False)
    question.kind = kind
    question.choices = new_choices
    question.required = bool(required)
    if order is not None:
        question.order = max(0, min(int(order), 999))
    return _save(question, user)


@transaction.atomic
def extra_question_set_active(*, question: ExtraQuestion, user, active: bool) -> ExtraQuestion:
    """Show or hide a question on the questionnaire; answers already given stay."""
    question = ExtraQuestion.objects.select_for_update().get(pk=question.pk)
    if active and not question.active:
        Unit.objects.select_for_update().filter(pk=question.unit_id).first()
        _check_active_limit(question.unit, exclude_pk=question.pk)
    question.active = active
    return _save(question, user)
