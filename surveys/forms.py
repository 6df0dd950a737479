"""Forms of the collection side: questionnaire, paper entry, import upload."""

from __future__ import annotations

import contextvars
import copy
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MinValueValidator
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from skm.rules.instrument import Instrument
from skm.rules.periods import parse_period_code
from skm.rules.privacy import ADULT_AGE, MAX_AGE, MIN_AGE_WITH_CONSENT, needs_guardian_consent
from skm.rules.unsur import UnsurDefinition, parse_answer

from .answers import SKM_CODE, instrument_get, item_codes, item_field, optional_instruments, unsur_in_language
from .extra import ExtraAnswerField, ExtraDef, display_value
from .importing import EDUCATION, GENDERS, OCCUPATION
from .languages import LanguagePack
from .models import ExtraQuestion, Period, Response, Service, SurveyRound

TOKEN_SALT = "skm.questionnaire.token"
TOKEN_MAX_AGE = 24 * 3600  # a form left open on a counter tablet for a day still works


def token_issue(*, unit_id: int) -> str:
    """A signed one-time token; its UUID becomes Response.client_token."""
    return signing.dumps({"t": uuid.uuid4().hex, "u": unit_id}, salt=TOKEN_SALT, compress=False)


def token_read(value: str, *, unit_id: int) -> uuid.UUID:
    """Raise signing.BadSignature (or SignatureExpired) if forged, old, or for another unit."""
    data = signing.loads(value or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    if not isinstance(data, dict) or data.get("u") != unit_id:
        raise signing.BadSignature("token for another unit")
    return uuid.UUID(hex=str(data.get("t")))


class QuestionnaireForm(forms.Form):
    """The respondent form. On the web all nine answers are required (paper
    forms may carry blanks, which entry and import keep as NULL)."""

    token = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Formulir tidak lengkap. Silakan periksa jawaban lalu tekan Kirim sekali lagi.")},
    )
    # Honeypot: hidden from people by CSS and aria-hidden, filled by naive bots.
    website = forms.CharField(required=False, label=_("Jangan diisi"))
    # UU 27/2022: every profile question is optional.
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin"), required=False, choices=Response.Gender.choices, widget=forms.RadioSelect
    )
    usia = forms.IntegerField(
        label=_("Usia (tahun)"),
        required=False,
        min_value=MIN_AGE_WITH_CONSENT,
        max_value=MAX_AGE,
        error_messages={
            "invalid": _("Usia harus berupa angka."),
            "min_value": _("Usia minimal %(limit_value)s tahun."),
            "max_value": _("Usia maksimal %(limit_value)s tahun."),
        },
    )
    persetujuan_wali = forms.BooleanField(
        label=_(
            "Saya berusia di bawah 17 tahun dan orang tua/wali saya mengetahui serta menyetujui saya mengisi survei ini."
        ),
        required=False,
    )
    pendidikan = forms.ChoiceField(
        label=_("Pendidikan terakhir"), required=False, choices=[("", _("— pilih —")), *Response.Education.choices]
    )
    pekerjaan = forms.ChoiceField(
        label=_("Pekerjaan utama"), required=False, choices=[("", _("— pilih —")), *Response.Occupation.choices]
    )
    disabilitas = forms.ChoiceField(
        label=_("Apakah Anda penyandang disabilitas?"),
        required=False,
        choices=Response.Disability.choices,
        widget=forms.RadioSelect,
    )
    saran = forms.CharField(
        label=_("Saran dan masukan (tidak wajib)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Saran paling banyak %(limit_value)d karakter.")},
    )

    def __init__(
        self,
        *args,
        unsur: list[UnsurDefinition],
        services: list[Service] | None = None,
        allow_minors: bool = False,
        extra: tuple[ExtraDef, ...] = (),
        instruments: tuple[Instrument, ...] = (),
        language: LanguagePack | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # The questionnaire language (surveys.languages): a further language the respondent
        # picked, text by text over the Indonesian; else the interface language's texts.
        self.language = language
        if language is not None:
            self.unsur = [self._marked_unsur(definition) for definition in unsur]
        else:
            # In English (or any language but Indonesian) the SKM's own translation of the unsur.
            self.unsur = unsur_in_language(unsur, translation.get_language() or "id")
        unsur = self.unsur
        self.allow_minors = allow_minors
        self.extra = tuple(extra)
        self.instruments = tuple(instruments)
        if getattr(self, "prepared", False):
            return  # questionnaire_form_class built the fields once
        if not allow_minors:
            del self.fields["persetujuan_wali"]
            # Adults only: the age floor itself carries the rule's message.
            usia = self.fields["usia"]
            usia.min_value = ADULT_AGE
            usia.validators = [v for v in usia.validators if not isinstance(v, MinValueValidator)]
            usia.validators.append(MinValueValidator(ADULT_AGE))
            usia.error_messages["min_value"] = _("Survei ini untuk responden berusia %(n)d tahun ke atas.") % {
                "n": ADULT_AGE
            }
        if services:
            self.fields["layanan"] = forms.TypedChoiceField(
                label=_("Jenis layanan yang Anda terima"),
                choices=[(s.pk, s.name) for s in services],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih jenis layanan yang Anda terima.")},
            )
            self.order_fields(["token", "website", "layanan"])
        for index, definition in enumerate(unsur, start=1):
            self.fields[definition.field] = forms.TypedChoiceField(
                label=definition.question,
                choices=[(score, label) for score, label in enumerate(definition.labels, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pertanyaan nomor %(n)d belum dijawab.") % {"n": index}},
            )
        # The round's other instruments (SPKP, SPAK): their items in turn after the SKM's,
        # in the active language, every item required as the SKM's are.
        language = translation.get_language() or "id"
        number = len(unsur)
        for instrument in self.instruments:
            for item in instrument.items:
                number += 1
                if self.language is not None:
                    text = self._marked(*self.language.item_text(instrument, item))
                    labels = [self._marked(*label) for label in self.language.item_labels(instrument, item)]
                else:
                    text = item.text.get(language)
                    labels = [label.get(language) for label in instrument.labels_for(item)]
                self.fields[item_field(item.code)] = forms.TypedChoiceField(
                    label=text,
                    choices=list(enumerate(labels, start=1)),
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Pertanyaan nomor %(n)d belum dijawab.") % {"n": number}},
                )
        # The unit's extra questions: after the instruments' items, before saran (never part of an index).
        # A choice's value stays its Indonesian text whatever the language: the answers pool.
        for definition in self.extra:
            self.fields[definition.field] = self._extra_field(definition)

    # --- the questionnaire language ---------------------------------------------------------

    def _marked(self, text: str, translated: bool) -> str:
        """A questionnaire text in a further language, marked with its language for
        screen readers and hyphenation: the translation's, or Indonesian for a
        fallback on a page in another interface language."""
        code = self.language.code if translated else "id"
        if code == (translation.get_language() or "id"):
            return text
        return format_html('<span lang="{}">{}</span>', code, text)

    def _marked_unsur(self, definition: UnsurDefinition) -> UnsurDefinition:
        translated, done = self.language.unsur(instrument_get(SKM_CODE), definition)
        question = self._marked(translated.question, done[0])
        labels = tuple(self._marked(label, flag) for label, flag in zip(translated.labels, done[1:], strict=True))
        return UnsurDefinition(translated.code, translated.name, question, labels)  # type: ignore[arg-type]

    def _extra_field(self, definition: ExtraDef) -> ExtraAnswerField:
        if self.language is None:
            return ExtraAnswerField(definition, label=definition.label)
        label = self._marked(*self.language.extra_text(definition.id, definition.text))
        kwargs = {}
        if definition.kind in (ExtraQuestion.Kind.SINGLE, ExtraQuestion.Kind.MULTIPLE):
            choices = [
                (value, self._marked(shown, done))
                for value, shown, done in self.language.extra_choices(definition.id, definition.choices)
            ]
            single = definition.kind == ExtraQuestion.Kind.SINGLE
            kwargs["widget"] = (forms.RadioSelect if single else forms.CheckboxSelectMultiple)(choices=choices)
        return ExtraAnswerField(definition, label=label, **kwargs)

    def instrument_sections(self):
        """[(instrument, name, [(number, field), ...])] in the active language, numbered after the SKM's."""
        language = translation.get_language() or "id"
        number = len(self.unsur)
        sections = []
        for instrument in self.instruments:
            rows = []
            for item in instrument.items:
                number += 1
                rows.append((number, self[item_field(item.code)]))
            if self.language is not None:
                name = self._marked(*self.language.instrument_name(instrument))
            else:
                name = instrument.name.get(language)
            sections.append((instrument, name, rows))
        return sections

    def instrument_answers(self) -> dict[str, dict[str, int | None]]:
        """{instrument code: {item code: score}} of the round's other instruments."""
        return {
            i.code: {item.code: self.cleaned_data.get(item_field(item.code)) for item in i.items}
            for i in self.instruments
        }

    def unsur_fields(self):
        return [(definition, self[definition.field]) for definition in self.unsur]

    def extra_fields(self):
        return [(definition, self[definition.field]) for definition in self.extra]

    def extra_choice_rows(self):
        """[(definition, field, [(value, label), ...])]: a choice question's stored values
        (its Indonesian choices) with the labels the respondent reads."""
        rows = []
        for definition, field in self.extra_fields():
            choices = getattr(field.field.widget, "choices", None) or [(c, c) for c in definition.choices]
            rows.append((definition, field, list(choices)))
        return rows

    def extra_answers(self) -> dict:
        """{question id: value} of the answered extra questions (Response.extra)."""
        out = {}
        for definition in self.extra:
            value = self.cleaned_data.get(definition.field)
            if value is not None:
                out[definition.key] = value
        return out

    def service_field(self):
        """The required jenis layanan question (only when the unit offers a choice), shown first."""
        return self["layanan"] if "layanan" in self.fields else None

    def profile_fields(self):
        """The optional respondent-data questions (the note above them says so)."""
        names = ["jenis_kelamin", "usia", "persetujuan_wali", "pendidikan", "pekerjaan", "disabilitas"]
        return [self[name] for name in names if name in self.fields]

    def clean(self):
        data = super().clean()
        age_error = age_rule_error(
            data.get("usia"), allow_minors=self.allow_minors, consent=bool(data.get("persetujuan_wali"))
        )
        if age_error:
            self.add_error("persetujuan_wali" if self.allow_minors else "usia", age_error)
        return data

    def answers(self) -> dict[str, int]:
        return {d.code: self.cleaned_data[d.field] for d in self.unsur}

    def response_values(self) -> dict:
        """The validated answers and profile as ``response_create_web`` takes them
        (the web questionnaire and the API store them the same way)."""
        data = self.cleaned_data
        return {
            "answers": self.answers(),
            "more": self.instrument_answers(),
            "gender": data["jenis_kelamin"],
            "age": data["usia"],
            "education": data["pendidikan"],
            "occupation": data["pekerjaan"],
            "disability": data["disabilitas"],
            "guardian_consent": self.guardian_consent(),
            "suggestion": data["saran"],
            "extra": self.extra_answers(),
        }

    def guardian_consent(self) -> bool:
        return bool(self.cleaned_data.get("persetujuan_wali")) and needs_guardian_consent(self.cleaned_data.get("usia"))


_FORM_CLASSES: dict[tuple, type[PreparedQuestionnaireForm]] = {}
_SHARE_FIELDS: contextvars.ContextVar[bool] = contextvars.ContextVar("skm_share_fields", default=False)


class _PreparedFields(dict):
    """The fields of a prepared questionnaire class. Django deep-copies a form's
    fields for every instance (~1 ms for this form); a form that is only validated,
    never rendered, may share them (``validating``): cleaning does not change a field."""

    def __deepcopy__(self, memo):
        if _SHARE_FIELDS.get():
            return dict(self)
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


class PreparedQuestionnaireForm(QuestionnaireForm):
    prepared = True

    @classmethod
    def validating(cls, data, **kwargs) -> QuestionnaireForm:
        """A bound form for validation only: it shares the class's field objects, so
        it must never be rendered (the view renders a fresh form on any error)."""
        token = _SHARE_FIELDS.set(True)
        try:
            return cls(data, **kwargs)
        finally:
            _SHARE_FIELDS.reset(token)


def questionnaire_form_class(
    *,
    unsur: list[UnsurDefinition],
    services: list[Service] | None,
    allow_minors: bool,
    extra: tuple[ExtraDef, ...] = (),
    instruments: tuple[Instrument, ...] = (),
    language: LanguagePack | None = None,
) -> type[PreparedQuestionnaireForm]:
    """A QuestionnaireForm subclass whose fields (jenis layanan choices, the
    nine unsur in the unit's wording, the age rule) are built once per wording,
    services, interface language and questionnaire language (with its texts'
    digest), instead of on every request. Instances take the same keyword
    arguments as QuestionnaireForm."""
    key = (
        tuple(unsur),
        tuple((s.pk, s.name) for s in services or ()),
        allow_minors,
        tuple(extra),
        tuple(i.code for i in instruments),
        translation.get_language(),
        language.cache_key if language is not None else None,
    )
    cls = _FORM_CLASSES.get(key)
    if cls is None:
        prototype = QuestionnaireForm(
            unsur=list(unsur),
            services=services,
            allow_minors=allow_minors,
            extra=tuple(extra),
            instruments=tuple(instruments),
            language=language,
        )
        cls = type("WordedQuestionnaireForm", (PreparedQuestionnaireForm,), {})
        cls.base_fields = _PreparedFields(prototype.fields)
        if len(_FORM_CLASSES) > 500:
            _FORM_CLASSES.clear()
        _FORM_CLASSES[key] = cls
    return cls


def age_rule_error(age: int | None, *, allow_minors: bool, consent: bool | None = None) -> str | None:
    """The Indonesian message when ``age`` breaks the unit's age rule, else None.

    ``consent=None`` (paper entry, import): the unit keeps the signed paper consent."""
    if not needs_guardian_consent(age):
        return None
    if not allow_minors:
        return _("Survei ini untuk responden berusia %(n)d tahun ke atas.") % {"n": ADULT_AGE}
    if consent is False:
        return _("Responden di bawah %(n)d tahun memerlukan persetujuan orang tua/wali: centang kotak persetujuan.") % {
            "n": ADULT_AGE
        }
    return None


class ScoreField(forms.Field):
    """A paper answer on an instrument's 1..k scale, typed as its number; blank means unanswered."""

    def __init__(self, *, points: int, **kwargs):
        kwargs.setdefault("required", False)
        self.points = points
        super().__init__(**kwargs)

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if text in ("", None):
            return None
        if isinstance(text, str) and text.isdigit() and 1 <= int(text) <= self.points:
            return int(text)
        raise forms.ValidationError(
            _("Nilai '%(v)s' tidak valid (1-%(k)d)."), params={"v": str(text)[:10], "k": self.points}
        )


class AnswerField(forms.Field):
    """A paper answer typed as 1-4 or a-d; blank means unanswered."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        try:
            return parse_answer(text)
        except ValueError:
            raise forms.ValidationError(
                _("Nilai '%(v)s' tidak valid (1-4 atau a-d)."), params={"v": str(text)[:10]}
            ) from None


class PaperEntryForm(forms.Form):
    """One paper questionnaire row on the staff entry grid."""

    nomor = forms.IntegerField(label=_("No."), required=False, min_value=1, max_value=10_000_000)
    layanan = forms.TypedChoiceField(label=_("Layanan"), required=False, coerce=int, empty_value=None)
    jenis_kelamin = forms.CharField(label=_("JK"), required=False, max_length=10)
    usia = forms.IntegerField(
        label=_("Usia"),
        required=False,
        min_value=MIN_AGE_WITH_CONSENT,
        max_value=MAX_AGE,
        error_messages={
            "min_value": _("Usia minimal %(limit_value)s."),
            "max_value": _("Usia maksimal %(limit_value)s."),
            "invalid": _("Usia harus angka."),
        },
    )
    pendidikan = forms.ChoiceField(
        label=_("Pendidikan"), required=False, choices=[("", "–"), *Response.Education.choices]
    )
    pekerjaan = forms.ChoiceField(
        label=_("Pekerjaan"), required=False, choices=[("", "–"), *Response.Occupation.choices]
    )
    disabilitas = forms.ChoiceField(
        label=_("Disabilitas"), required=False, choices=[("", "–"), *Response.Disability.choices]
    )
    saran = forms.CharField(label=_("Saran"), required=False, max_length=2000)

    def __init__(
        self,
        *args,
        services: list[Service] | None = None,
        allow_minors: bool = False,
        extra: tuple[ExtraDef, ...] = (),
        instruments: tuple[Instrument, ...] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.allow_minors = allow_minors
        self.services = services or []
        self.extra = tuple(extra)
        self.instruments = tuple(instruments)
        self.fields["layanan"].choices = [("", "–"), *((s.pk, s.name) for s in self.services)]
        for code in item_codes():
            self.fields[item_field(code)] = AnswerField(label=code)
        for instrument in self.instruments:
            for item in instrument.items:
                self.fields[item_field(item.code)] = ScoreField(points=instrument.scale.points, label=item.code)
        # Paper forms may carry blanks: a required extra question left empty stays unanswered.
        for definition in self.extra:
            self.fields[definition.field] = ExtraAnswerField(
                definition, enforce_required=False, label=f"{definition.code} {definition.text}"
            )

    def clean_jenis_kelamin(self):
        raw = (self.cleaned_data.get("jenis_kelamin") or "").strip().lower()
        if not raw:
            return ""
        if raw not in GENDERS:
            raise forms.ValidationError(_("Jenis kelamin harus L atau P."))
        return GENDERS[raw]

    def clean_usia(self):
        age = self.cleaned_data.get("usia")
        error = age_rule_error(age, allow_minors=self.allow_minors)
        if error:
            raise forms.ValidationError(error)
        return age

    def clean(self):
        data = super().clean()
        fields = [item_field(code) for code in item_codes()]
        if not any(f in self.errors for f in fields) and all(data.get(f) is None for f in fields):
            raise forms.ValidationError(_("Isi minimal satu jawaban U1-U9."))
        return data

    def service(self) -> Service | None:
        pk = self.cleaned_data.get("layanan")
        return next((s for s in self.services if s.pk == pk), None)

    def answers(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(item_field(code)) for code in item_codes()}

    def extra_answers(self) -> dict:
        return {d.key: self.cleaned_data[d.field] for d in self.extra if self.cleaned_data.get(d.field) is not None}

    def instrument_answers(self) -> dict[str, dict[str, int | None]]:
        """{instrument code: {item code: score or None}}: a paper form may leave items blank."""
        return {
            i.code: {item.code: self.cleaned_data.get(item_field(item.code)) for item in i.items}
            for i in self.instruments
        }


class ImportUploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        error_messages={"required": _("Pilih berkas yang akan diimpor."), "empty": _("Berkas kosong.")},
    )
    periode = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "Periode tidak tersedia: putaran survei unit ini untuk periode itu tidak sedang dibuka."
            )
        },
    )
    buat_layanan = forms.BooleanField(
        label=_("Buat jenis layanan baru bila nama di kolom 'layanan' belum terdaftar"), required=False
    )
    impor_ulang = forms.BooleanField(
        label=_("Impor ulang meskipun berkas yang sama sudah pernah diimpor"), required=False
    )
    instrumen = forms.ChoiceField(
        label=_("Instrumen yang dijawab berkas"),
        required=False,
        help_text=_("SKM: kolom U1 sampai U9. SPKP: kolom KP1 sampai KP8. SPAK: kolom AK1 sampai AK5."),
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        language = translation.get_language() or "id"
        own = optional_instruments(unit_id=getattr(unit, "pk", None))
        self.fields["instrumen"].choices = [
            (i.code, f"{i.code} — {i.name.get(language)}") for i in (instrument_get(), *own)
        ]
        # Only periods whose round this unit has open: a closed round imports nothing.
        if unit is not None:
            self.fields["periode"].queryset = Period.objects.filter(
                rounds__unit=unit, rounds__status=SurveyRound.Status.OPEN
            ).order_by("-start_date")

    def clean_instrumen(self):
        return self.cleaned_data.get("instrumen") or SKM_CODE

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        if upload.size > settings.SKM_IMPORT_MAX_BYTES:
            raise forms.ValidationError(import_too_big_message())
        return upload


def import_too_big_message() -> str:
    return _("Berkas terlalu besar (maksimal %(mb)s MB). Bagi menjadi beberapa berkas.") % {
        "mb": settings.SKM_IMPORT_MAX_BYTES // (1024 * 1024)
    }


def _alias_keys(table: dict[str, str]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for alias, code in table.items():
        keys.setdefault(code, []).append(alias.lower())
    return keys


EDUCATION_KEYS = _alias_keys(EDUCATION)
OCCUPATION_KEYS = _alias_keys(OCCUPATION)


def choice_options(choices, keys: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(value, label, words typed to pick it) for the entry screen's selects:
    the code, the label and the usual spellings (S1 -> Strata, SWASTA -> Karyawan)."""
    options = []
    for value, label in choices:
        words = {str(value).lower(), str(label).lower(), *keys.get(value, [])} if value else set()
        options.append((value, str(label), "|".join(sorted(words))))
    return options


class PeriodCodeField(forms.CharField):
    """A period code typed by staff (" 2025-s2 " -> "2025-S2"), checked against
    the grammar of ``skm.rules.periods`` with the Indonesian message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Kode periode"))
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def clean(self, value):
        raw = (super().clean(value) or "").strip().upper()
        if not raw and not self.required:
            return raw
        try:
            return parse_period_code(raw).code
        except ValueError:
            raise forms.ValidationError(
                _("Kode periode '%(value)s' tidak valid. Gunakan YYYY, YYYY-S1/S2 atau YYYY-TW1..TW4."),
                params={"value": raw[:20]},
            ) from None


class ReasonForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Alasan wajib diisi."),
            "max_length": _("Alasan paling banyak %(limit_value)d karakter."),
        },
    )


class OptionalReasonForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alasan"].required = False
        self.fields["alasan"].label = _("Alasan (tidak wajib)")


ANSWER_CHOICES = [("", "–"), ("1", "1 (a)"), ("2", "2 (b)"), ("3", "3 (c)"), ("4", "4 (d)")]


class ResponseEditForm(forms.Form):
    """Correction of a paper or imported row by unit staff."""

    nomor = forms.IntegerField(label=_("Nomor kuesioner"), required=False, min_value=1, max_value=10_000_000)
    layanan = forms.TypedChoiceField(label=_("Jenis layanan"), required=False, coerce=int, empty_value=None)
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin"), required=False, choices=[("", "–"), *Response.Gender.choices]
    )
    usia = forms.IntegerField(
        label=_("Usia"),
        required=False,
        min_value=MIN_AGE_WITH_CONSENT,
        max_value=MAX_AGE,
        error_messages={
            "invalid": _("Usia harus berupa angka."),
            "min_value": _("Usia minimal %(limit_value)s tahun."),
            "max_value": _("Usia maksimal %(limit_value)s tahun."),
        },
    )
    pendidikan = forms.ChoiceField(
        label=_("Pendidikan"), required=False, choices=[("", "–"), *Response.Education.choices]
    )
    pekerjaan = forms.ChoiceField(
        label=_("Pekerjaan"), required=False, choices=[("", "–"), *Response.Occupation.choices]
    )
    disabilitas = forms.ChoiceField(
        label=_("Disabilitas"), required=False, choices=[("", "–"), *Response.Disability.choices]
    )
    tanggal = forms.DateField(
        label=_("Tanggal layanan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    saran = forms.CharField(label=_("Saran"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    alasan = forms.CharField(label=_("Alasan perubahan (tidak wajib)"), required=False, max_length=500)
    konfirmasi_duplikat = forms.BooleanField(
        label=_("Tetap simpan walaupun nomor kuesioner sudah dipakai"), required=False
    )

    def __init__(
        self,
        *args,
        services: list[Service],
        period: Period,
        unsur: list[UnsurDefinition],
        extra: tuple[ExtraDef, ...] = (),
        stored_extra: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.services = services
        self.period = period
        self.unsur = unsur
        self.extra = tuple(extra)
        self.stored_extra = dict(stored_extra or {})
        # The unit's extra questions, blank allowed (a paper form may leave any open).
        for definition in self.extra:
            if definition.kind == "single":
                widget: forms.Widget = forms.Select(choices=[("", "–"), *((c, c) for c in definition.choices)])
            elif definition.kind == "date":
                widget = forms.DateInput(attrs={"type": "date"})
            else:
                widget = forms.TextInput()
            self.fields[definition.field] = ExtraAnswerField(
                definition, enforce_required=False, label=f"{definition.code} {definition.text}", widget=widget
            )
        self.fields["layanan"].choices = [("", "–"), *((s.pk, s.name) for s in services)]
        for definition in unsur:
            self.fields[definition.field] = forms.TypedChoiceField(
                label=f"{definition.code} {definition.name}",
                required=False,
                choices=ANSWER_CHOICES,
                coerce=int,
                empty_value=None,
            )
        for name, f in self.fields.items():
            if name != "konfirmasi_duplikat":
                css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
                f.widget.attrs.setdefault("class", css)

    @classmethod
    def initial_for(cls, response: Response) -> dict:
        data = {
            "nomor": response.number,
            "layanan": response.service_id,
            "jenis_kelamin": response.gender,
            "usia": response.age,
            "pendidikan": response.education,
            "pekerjaan": response.occupation,
            "disabilitas": response.disability,
            "tanggal": response.service_date,
            "saran": response.suggestion,
        }
        data.update({item_field(code): value for code, value in response.answers().items()})
        for key, value in (response.extra or {}).items():
            data[f"t{key}"] = display_value(value) if isinstance(value, list) else value
        return data

    def extra_fields(self):
        return [self[d.field] for d in self.extra]

    def clean_tanggal(self):
        day = self.cleaned_data.get("tanggal")
        if day and not (self.period.start_date <= day <= self.period.end_date):
            raise forms.ValidationError(_("Tanggal layanan harus di dalam periode %(p)s.") % {"p": self.period.label})
        return day

    def clean(self):
        data = super().clean()
        if all(data.get(d.field) is None for d in self.unsur) and not any(d.field in self.errors for d in self.unsur):
            raise forms.ValidationError(_("Isi minimal satu jawaban U1-U9."))
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        service = next((s for s in self.services if s.pk == data.get("layanan")), None)
        changes = {
            "number": data.get("nomor"),
            "service": service,
            "gender": data.get("jenis_kelamin") or "",
            "age": data.get("usia"),
            "education": data.get("pendidikan") or "",
            "occupation": data.get("pekerjaan") or "",
            "disability": data.get("disabilitas") or "",
            "service_date": data.get("tanggal"),
            "suggestion": data.get("saran") or "",
        }
        changes["answers"] = {d.code: data.get(d.field) for d in self.unsur}
        if self.extra:
            extra = dict(self.stored_extra)  # answers to questions not on the form stay
            for d in self.extra:
                value = data.get(d.field)
                if value is None:
                    extra.pop(d.key, None)
                else:
                    extra[d.key] = value
            changes["extra"] = extra
        return changes
