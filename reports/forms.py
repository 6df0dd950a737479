from django import forms
from django.utils.translation import gettext_lazy as _

from skm.rules.ikm import WEIGHT_DESCRIPTIONS, WeightMode, parse_weight_mode
from surveys.answers import optional_instruments
from surveys.models import Period

from .models import ExportJob

INSTRUMENT_SEPARATOR = ":"


def instrument_report_value(kind: str, code: str) -> str:
    """The report button's value of an instrument report: "pdf_instrument:SPAK"."""
    return f"{kind}{INSTRUMENT_SEPARATOR}{code}"


REPORT_BUTTONS = [
    (kind.value, kind.label)
    for kind in (
        ExportJob.Kind.PDF_SURVEY,
        ExportJob.Kind.DOCX_SURVEY,
        ExportJob.Kind.PDF_FOLLOWUP,
        ExportJob.Kind.DOCX_FOLLOWUP,
    )
] + [
    (instrument_report_value(kind, instrument.code), instrument_report_value(kind, instrument.code))
    for instrument in optional_instruments()
    for kind in ExportJob.INSTRUMENT_KINDS
]
# The "Jenis ekspor" list: an instrument report needs its instrument, which only its buttons carry.
LISTED_KINDS = [(value, label) for value, label in ExportJob.Kind.choices if value not in ExportJob.INSTRUMENT_KINDS]


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis ekspor"), choices=LISTED_KINDS, widget=forms.Select(attrs={"class": "form-select"})
    )
    period = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.none(),
        to_field_name="code",
        empty_label=_("Pilih periode"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Periode tidak ditemukan."), "required": _("Pilih periode.")},
    )
    weight_mode = forms.ChoiceField(
        label=_("Bobot IKM"),
        choices=[(m.value, WEIGHT_DESCRIPTIONS[m]) for m in WeightMode],
        initial=WeightMode.EXACT.value,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    # The report buttons ("Unduh PDF", "Unduh Word (DOCX)") submit the same form with
    # their kind as the button's value; it wins over the "Jenis ekspor" list. An
    # instrument report's button adds its instrument: "pdf_instrument:SPAK".
    report = forms.ChoiceField(
        choices=REPORT_BUTTONS,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Jenis laporan tidak dikenal.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.order_by("-start_date")

    def clean(self):
        cleaned = super().clean()
        cleaned["instrument"] = ""
        if cleaned.get("report"):
            kind, _sep, instrument = cleaned["report"].partition(INSTRUMENT_SEPARATOR)
            cleaned["kind"], cleaned["instrument"] = kind, instrument
        return cleaned

    def clean_weight_mode(self) -> WeightMode:
        return parse_weight_mode(self.cleaned_data["weight_mode"])
