"""The unit's extra questions (issue 20 item 3): limits, the frozen definition
the questionnaire caches, and the one parser of an answer used by the web form,
paper entry and import. Answers are stored in ``Response.extra`` as
``{"<question id>": value}``: a label (single choice), a list of labels (several
choices), text, a number (int or float) or an ISO date string. They are never
part of an IKM or a tally."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ExtraQuestion

MAX_ACTIVE = 10  # active questions per unit: the questionnaire stays short
TEXT_MAX = 300  # the question itself
CHOICES_MIN, CHOICES_MAX, CHOICE_LEN = 2, 20, 100
ANSWER_TEXT_MAX = 500  # a short-text answer
NUMBER_LIMIT = Decimal("1000000000")  # |answer| <= 10^9: anything larger is a typing error
DATE_EARLIEST = dt.date(1900, 1, 1)
DATE_FUTURE_DAYS = 366  # a date answer may lie at most a year ahead (an appointment), never further
MULTIPLE_SEPARATOR = ";"  # paper entry and import: several choices in one cell

Kind = ExtraQuestion.Kind


@dataclass(frozen=True)
class ExtraDef:
    """An extra question as the questionnaire caches it (hashable: it is part of
    the form-class and page-cache keys, so a change shows at once)."""

    id: int
    code: str
    text: str
    text_en: str
    kind: str
    choices: tuple[str, ...]
    required: bool

    @classmethod
    def of(cls, question: ExtraQuestion) -> ExtraDef:
        return cls(
            id=question.pk,
            code=question.code,
            text=question.text,
            text_en=question.text_en,
            kind=question.kind,
            choices=tuple(question.choices or ()),
            required=question.required,
        )

    @property
    def key(self) -> str:
        return str(self.id)

    @property
    def field(self) -> str:
        return f"t{self.id}"

    @property
    def label(self) -> str:
        """The question in the reader's language (the Indonesian text when no English one is set)."""
        if self.text_en and (translation.get_language() or "").startswith("en"):
            return self.text_en
        return self.text


def definitions(questions) -> tuple[ExtraDef, ...]:
    return tuple(ExtraDef.of(q) for q in questions)


def _number(raw) -> int | float:
    if isinstance(raw, bool):
        raise ValidationError(_("Jawaban harus berupa angka."), code="extra_number")
    text = str(raw).strip().replace(" ", "")
    if "," in text:  # Indonesian decimal comma (1.234,5) or a plain comma (3,5)
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Jawaban harus berupa angka."), code="extra_number") from None
    if not value.is_finite() or abs(value) > NUMBER_LIMIT:
        raise ValidationError(
            _("Angka harus antara -1.000.000.000 dan 1.000.000.000."),
            code="extra_number_range",
        )
    if value == value.to_integral_value():
        return int(value)
    result = float(value)
    if not math.isfinite(result):  # pragma: no cover - guarded by the range above
        raise ValidationError(_("Jawaban harus berupa angka."), code="extra_number")
    return result


def _date(raw) -> str:
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    else:
        text = str(raw).strip()
        day = None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                day = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if day is None:
            raise ValidationError(
                _("Tanggal tidak valid. Gunakan format TTTT-BB-HH atau HH/BB/TTTT."), code="extra_date"
            )
    latest = timezone.localdate() + dt.timedelta(days=DATE_FUTURE_DAYS)
    if not (DATE_EARLIEST <= day <= latest):
        raise ValidationError(
            _("Tanggal harus antara 1 Januari 1900 dan satu tahun dari hari ini."), code="extra_date_range"
        )
    return day.isoformat()


def _blank(raw) -> bool:
    if raw is None:
        return True
    if isinstance(raw, list | tuple):
        return not any(str(v).strip() for v in raw)
    return not str(raw).strip()


def parse_answer(definition: ExtraDef, raw, *, enforce_required: bool = True):
    """The stored value of one answer, or None when blank; raises ValidationError
    with an Indonesian message. ``raw`` is what the web form, the paper entry or
    the import cell holds; several choices come as a list or joined with ';'."""
    if _blank(raw):
        if definition.required and enforce_required:
            raise ValidationError(_("Pertanyaan ini wajib dijawab."), code="extra_required")
        return None
    if definition.kind == Kind.SINGLE:
        value = str(raw).strip()
        if value not in definition.choices:
            raise ValidationError(_("Pilih salah satu jawaban yang tersedia."), code="extra_choice")
        return value
    if definition.kind == Kind.MULTIPLE:
        items = raw if isinstance(raw, list | tuple) else [raw]
        picked = {part.strip() for v in items for part in str(v).split(MULTIPLE_SEPARATOR) if part.strip()}
        if not picked <= set(definition.choices):
            raise ValidationError(_("Pilih hanya jawaban yang tersedia."), code="extra_choice")
        return [c for c in definition.choices if c in picked]  # the question's order, each once
    if definition.kind == Kind.NUMBER:
        return _number(raw)
    if definition.kind == Kind.DATE:
        return _date(raw)
    text = " ".join(str(raw).split())
    if len(text) > ANSWER_TEXT_MAX:
        raise ValidationError(
            _("Jawaban paling banyak %(n)d karakter.") % {"n": ANSWER_TEXT_MAX}, code="extra_text_length"
        )
    return text


def parse_answers(definitions_: tuple[ExtraDef, ...], raw: dict, *, enforce_required: bool = True):
    """{key: value} of the non-blank answers and {field: message} of the errors."""
    values, errors = {}, {}
    for definition in definitions_:
        try:
            value = parse_answer(definition, raw.get(definition.field), enforce_required=enforce_required)
        except ValidationError as exc:
            errors[definition.field] = " ".join(exc.messages)
            continue
        if value is not None:
            values[definition.key] = value
    return values, errors


def display_value(value) -> str:
    """An answer as one text (detail page, exports): several choices joined by '; '."""
    if value is None:
        return ""
    if isinstance(value, list):
        return f"{MULTIPLE_SEPARATOR} ".join(str(v) for v in value)
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


class ExtraAnswerField(forms.Field):
    """A form field for one extra question: its ``clean`` is ``parse_answer``."""

    def __init__(self, definition: ExtraDef, *, enforce_required: bool = True, **kwargs):
        self.definition = definition
        self.enforce_required = enforce_required
        kwargs.setdefault("label", definition.text)
        kwargs["required"] = False  # parse_answer says so, with its own message
        if definition.kind == Kind.SINGLE:
            kwargs.setdefault("widget", forms.RadioSelect(choices=[(c, c) for c in definition.choices]))
        elif definition.kind == Kind.MULTIPLE:
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple(choices=[(c, c) for c in definition.choices]))
        super().__init__(**kwargs)

    @property
    def choices(self):
        return [(c, c) for c in self.definition.choices]

    def clean(self, value):
        return parse_answer(self.definition, value, enforce_required=self.enforce_required)
