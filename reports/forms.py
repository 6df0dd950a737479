from django import forms
from django.utils.translation import gettext_lazy as _

from skm.rules.ikm import WEIGHT_DESCRIPTIONS, WeightMode, parse_weight_mode
from surveys.models import Period

from .models import ExportJob

REPORT_BUTTONS = [
    (kind.value, kind.label)
    for kind in (
        ExportJob.Kind.PDF_SURVEY,
        ExportJob.Kind.DOCX_SURVEY,
        ExportJob.Kind.PDF_FOLLOWUP,
        ExportJob.Kind.DOCX_FOLLOWUP,
    )
]


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis ekspor"), choices=ExportJob.Kind.choices, widget=forms.Select(attrs={"class": "form-select"})
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
    # their kind as the button's value; it wins over the "Jenis ekspor" list.
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
        if cleaned.get("report"):
            cleaned["kind"] = cleaned["report"]
        return cleaned

    def clean_weight_mode(self) -> WeightMode:
        return parse_weight_mode(self.cleaned_data["weight_mode"])
