from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from skm.rules import progress
from skm.rules.unsur import DEFAULT_UNSUR
from surveys.models import Period

from .models import Realisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanCreateForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Periode survei"),
        queryset=Period.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Pilih periode yang memiliki hasil survei.")},
    )
    lowest_n = forms.IntegerField(
        label=_("Jumlah unsur terendah yang diprioritaskan"),
        min_value=1,
        max_value=9,
        initial=3,
        help_text=_("Seperti laporan pada umumnya: 3 unsur dengan NRR terendah."),
    )
    survey_report_date = forms.DateField(
        label=_("Tanggal laporan SKM"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Dasar hitung lama waktu tindak lanjut (penilaian PEKPPP)."),
    )

    def __init__(self, *args, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods if periods is not None else Period.objects.none()


class PlanSettingsForm(forms.Form):
    survey_report_date = forms.DateField(label=_("Tanggal laporan SKM"), required=False, widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class UnsurAddForm(forms.Form):
    code = forms.ChoiceField(label=_("Unsur"))

    def __init__(self, *args, exclude_codes=(), instruments=(), **kwargs):
        super().__init__(*args, **kwargs)
        excluded = set(exclude_codes)
        choices: list = [(u.code, f"{u.code} {u.name}") for u in DEFAULT_UNSUR if u.code not in excluded]
        # The items of the round's other instruments (SPKP, SPAK), one group each.
        language = get_language() or "id"
        for instrument in instruments:
            items = [(i.code, f"{i.code} {i.name.get(language)}") for i in instrument.items if i.code not in excluded]
            if items:
                choices.append((f"{instrument.code} — {instrument.name.get(language)}", items))
        self.fields["code"].choices = choices


class SaranTopicForm(forms.Form):
    title = forms.CharField(
        label=_("Topik dari saran responden"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("mis. Informasi alur pelayanan")}),
    )


class PriorityTitleForm(forms.Form):
    title = forms.CharField(
        label=_("Judul prioritas"),
        max_length=200,
        error_messages={
            "required": _("Isi judul prioritas."),
            "max_length": _("Judul prioritas maksimal %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
    )


def schedule_years(base_year: int, existing=()) -> list[int]:
    years = set(range(base_year, base_year + 3))
    years |= {y for y, _q in progress.normalise_schedule(existing)}
    return sorted(years)


class ItemForm(forms.Form):
    program = forms.CharField(label=_("Program / kegiatan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    cause = forms.CharField(
        label=_("Faktor penyebab (opsional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    responsible = forms.CharField(label=_("Penanggung jawab (opsional)"), required=False, max_length=300)
    schedule = forms.MultipleChoiceField(
        label=_("Jadwal (triwulan, opsional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Pilihan triwulan %(value)s tidak valid.")},
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.fields["schedule"].choices = [
            (f"{y}-{q}", f"{progress.QUARTER_LABELS[q]} {y}") for y in self.years for q in progress.QUARTERS
        ]

    def clean_schedule(self):
        # No tick is a valid answer: the unit did not plan by quarter (seed 000).
        values = self.cleaned_data["schedule"]
        return [[int(v.split("-")[0]), int(v.split("-")[1])] for v in values]

    def schedule_grid(self):
        """Rows (year, [(value, checked), x4]) for the tick table."""
        selected = set(self["schedule"].value() or [])
        return [
            (y, [(f"{y}-{q}", f"{y}-{q}" in selected, progress.QUARTER_LABELS[q]) for q in progress.QUARTERS])
            for y in self.years
        ]

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "program": item.program,
            "cause": item.cause,
            "responsible": item.responsible,
            "schedule": [f"{y}-{q}" for y, q in item.schedule],
        }


class RealisationForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Apakah RTL telah ditindaklanjuti?"),
        choices=Realisation.Status.choices,
        widget=forms.RadioSelect,
    )
    realised_on = forms.DateField(
        label=_("Tanggal realisasi (opsional)"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Kosongkan bila unit tidak mencatat tanggalnya; lama waktu tindak lanjut lalu tidak dihitung."),
    )
    description = forms.CharField(
        label=_("Deskripsi tindak lanjut"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    challenges = forms.CharField(
        label=_("Tantangan / hambatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    reason = forms.CharField(
        label=_("Alasan belum terealisasi"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    strategy = forms.CharField(
        label=_("Strategi penyelesaian"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    target_time = forms.CharField(label=_("Target waktu penyelesaian"), required=False, max_length=100)
    strategy_responsible = forms.CharField(label=_("Penanggung jawab"), required=False, max_length=300)
    stakeholders = forms.CharField(
        label=_("Stakeholder terkait"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    # The rules (date optional but not in the future, description required when
    # Sudah) live once, in followup.services.realisation_save; the view shows its errors.


class PhotoForm(forms.Form):
    # A plain FileField: the content is checked by followup.images, not by extension.
    image = forms.FileField(
        label=_("Foto dokumentasi (JPEG/PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={"required": _("Pilih berkas foto."), "empty": _("Berkas foto kosong.")},
    )
    caption = forms.CharField(label=_("Keterangan foto"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_mb = settings.SKM_PHOTO_MAX_BYTES // (1024 * 1024)
        self.fields["image"].help_text = _("Maksimal %(mb)s MB; foto diperkecil dan metadata EXIF dihapus.") % {
            "mb": max_mb
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Alasan membuka kembali"), max_length=500)
