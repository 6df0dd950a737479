from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.ikm import WEIGHT_DESCRIPTIONS, WeightMode
from surveys.models import Period

from .models import ExportJob


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis ekspor"), choices=ExportJob.Kind.choices)
    period = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.none(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Periode tidak ditemukan."), "required": _("Pilih periode.")},
    )
    weight_mode = forms.ChoiceField(
        label=_("Bobot IKM"),
        choices=[(m.value, WEIGHT_DESCRIPTIONS[m]) for m in WeightMode],
        initial=WeightMode.EXACT.value,
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        # Periods with responses of this unit first; any period can still be reported.
        self.fields["period"].queryset = Period.objects.order_by("-start_date")
