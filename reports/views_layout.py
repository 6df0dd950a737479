"""The LHTL layout page of a unit (/laporan/unit/<code>/tata-letak/): the layout
options of the four seed reports (issue 23), remembered per unit. Staff of the
unit and admins write, supervisors read, others 403. Thin: work in
services_layout, reads in selectors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm.rules.unsur import DEFAULT_UNSUR, UNSUR_CODES
from surveys.access import unit_get_for_user

from .layout import (
    DEFAULT_LAYOUT,
    LAYOUT_FIELDS,
    Bab3Layout,
    IntervalForm,
    ItemNumbering,
    LhtlLayout,
    MatrixScale,
    Tabel1Values,
    TickMark,
    layout_from_values,
    layout_values,
)
from .selectors import report_layout_get, report_layout_row_get
from .services_layout import (
    QUARTER_LABEL_MAX,
    TEXT_FIELDS,
    UNSUR_LABEL_MAX,
    report_layout_reset,
    report_layout_save,
)

CHOICE_ERRORS = {
    "required": gettext_lazy("Pilih salah satu."),
    "invalid_choice": gettext_lazy("Pilihan '%(value)s' tidak dikenal; pilih salah satu yang tersedia."),
}
TEXT_ERRORS = {"max_length": gettext_lazy("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d).")}


def _choice(label, choices, help_text):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages=CHOICE_ERRORS,
    )


def _text(name, label, help_text):
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_FIELDS[name][0],
        help_text=help_text,
        error_messages=TEXT_ERRORS,
    )


class LayoutForm(forms.Form):
    """One field per ``LhtlLayout`` field; each choice says which seed report it reproduces."""

    matrix_scale = _choice(
        gettext_lazy("Nilai IKM per jenis layanan (Tabel 1a)"),
        [
            (MatrixScale.CONVERTED.value, gettext_lazy("Nilai konversi 0–100, mis. 98,27 (bawaan)")),
            (
                MatrixScale.NRR.value,
                gettext_lazy("Skala 1–4, mis. 3,93, seperti laporan Kelurahan Jatinegara Kaum"),
            ),
        ],
        gettext_lazy("Berlaku bila unit memiliki lebih dari satu jenis layanan."),
    )
    matrix_mutu_row = forms.BooleanField(
        label=gettext_lazy("Baris Mutu di bawah matriks per jenis layanan"),
        required=False,
        help_text=gettext_lazy("Seperti laporan Kelurahan Jatinegara Kaum."),
    )
    combined_cell = forms.BooleanField(
        label=gettext_lazy("NRR dan nilai konversi dalam satu sel di Tabel 1 (3,53/88,21)"),
        required=False,
        help_text=gettext_lazy("Seperti laporan KPU Kabupaten Tangerang."),
    )
    interval = _choice(
        gettext_lazy("Tabel interval kategori penilaian"),
        [
            (
                IntervalForm.STANDARD.value,
                gettext_lazy("Baku: empat desimal, mutu A lebih dulu, seperti tabel Permenpan RB 14/2017 (bawaan)"),
            ),
            (
                IntervalForm.SHORT.value,
                gettext_lazy("Ringkas: dua desimal, naik dari mutu D, seperti laporan Kelurahan Jatinegara Kaum"),
            ),
        ],
        "",
    )
    bab3 = _choice(
        gettext_lazy("Susunan BAB III (hasil tindak lanjut)"),
        [
            (
                Bab3Layout.TABLE.value,
                gettext_lazy("Satu tabel untuk semua kegiatan, foto sesudahnya, seperti laporan Kelurahan Pulutan"),
            ),
            (
                Bab3Layout.BLOCKS.value,
                gettext_lazy(
                    "Satu blok per kegiatan dengan fotonya di bawah, seperti laporan KPU Kabupaten Tangerang "
                    "dan Setda Kota Surakarta"
                ),
            ),
        ],
        "",
    )
    numbering = _choice(
        gettext_lazy("Penomoran kegiatan"),
        [
            (ItemNumbering.NESTED.value, gettext_lazy("Bertingkat per unsur: 1.1, 1.2, 2.1 (bawaan)")),
            (
                ItemNumbering.FLAT.value,
                gettext_lazy("Urut: 1, 2, 3, 4, seperti keempat contoh laporan hasil tindak lanjut"),
            ),
        ],
        "",
    )
    cover_title = _text(
        "cover_title",
        gettext_lazy("Judul sampul"),
        gettext_lazy(
            "Kosongkan untuk judul bawaan “Laporan Hasil Tindak Lanjut Pelaksanaan Survei Kepuasan Masyarakat”. "
            "Disdukcapil Kota Pekalongan menulis “LAPORAN TINDAK LANJUT HASIL SURVEI KEPUASAN MASYARAKAT (SKM)”."
        ),
    )
    cover_year = forms.BooleanField(
        label=gettext_lazy("Baris tahun di bawah nama unit pada sampul"),
        required=False,
        help_text=gettext_lazy("Hapus centang untuk sampul tanpa tahun, seperti laporan Disdukcapil Kota Pekalongan."),
    )
    short_name = _text(
        "short_name",
        gettext_lazy("Nama singkat unit (di isi laporan)"),
        gettext_lazy("Mis. “KPU Kabupaten Tangerang”. Kosongkan untuk memakai nama unit."),
    )
    cover_name = _text(
        "cover_name",
        gettext_lazy("Nama unit di sampul"),
        gettext_lazy(
            "Setiap “/” memulai baris baru, mis. “Komisi Pemilihan Umum / Kabupaten Tangerang” seperti laporan "
            "KPU Kabupaten Tangerang. Kosongkan untuk memakai nama unit."
        ),
    )

    bab1_title = _text(
        "bab1_title",
        gettext_lazy("Judul BAB I"),
        gettext_lazy(
            "Kosongkan untuk “PENDAHULUAN” dengan subbab “A. Latar Belakang”. Disdukcapil Kota Pekalongan menulis "
            "“LATAR BELAKANG” (tanpa subbab)."
        ),
    )
    tabel2_caption = _text(
        "tabel2_caption",
        gettext_lazy("Judul Tabel 2 (rencana tindak lanjut)"),
        gettext_lazy(
            "Kosongkan untuk “Rencana Tindak Lanjut Pelaksanaan SKM”. Disdukcapil Kota Pekalongan menulis "
            "“Rencana Tindak Lanjut Hasil Survey Kepuasan Masyarakat Semester I Tahun 2025”."
        ),
    )
    bab3_unsur = forms.BooleanField(
        label=gettext_lazy("Kolom “Unsur” di BAB III (prioritas setiap kegiatan)"),
        required=False,
        help_text=gettext_lazy("Seperti laporan Setda Kota Surakarta."),
    )
    bab3_by_number = forms.BooleanField(
        label=gettext_lazy("BAB III menurut nomor: nomor prioritas sekali, kolom RTL hanya nomor kegiatan (1.1)"),
        required=False,
        help_text=gettext_lazy("Seperti laporan Disdukcapil Kota Pekalongan."),
    )

    tabel1_caption = _text(
        "tabel1_caption",
        gettext_lazy("Judul Tabel 1 (ringkasan hasil)"),
        gettext_lazy(
            "Kosongkan untuk “Ringkasan Hasil SKM” dan periodenya. Setda Kota Surakarta menulis “Ringkasan Hasil "
            "SKM Periode 01 Oktober s.d 17 November 2023”."
        ),
    )
    tabel1_values = _choice(
        gettext_lazy("Kolom nilai Tabel 1"),
        [
            (Tabel1Values.BOTH.value, gettext_lazy("NRR dan nilai konversi (bawaan)")),
            (Tabel1Values.NRR.value, gettext_lazy("NRR saja (skala 1–4), seperti laporan Setda Kota Surakarta")),
            (
                Tabel1Values.CONVERTED.value,
                gettext_lazy("Nilai konversi saja (0–100), seperti laporan Disdukcapil Kota Pekalongan"),
            ),
        ],
        "",
    )
    tabel1_unsur_header = _text(
        "tabel1_unsur_header", gettext_lazy("Judul kolom unsur"), gettext_lazy("Kosongkan untuk “Unsur Pelayanan”.")
    )
    tabel1_value_header = _text(
        "tabel1_value_header",
        gettext_lazy("Judul kolom nilai"),
        gettext_lazy(
            "Untuk satu kolom nilai (NRR saja, nilai konversi saja, atau keduanya dalam satu sel), mis. “IKM”. "
            "Kosongkan untuk judul bawaannya."
        ),
    )
    tabel1_mutu_header = _text(
        "tabel1_mutu_header",
        gettext_lazy("Judul kolom mutu"),
        gettext_lazy("Kosongkan untuk “Mutu”, mis. “Mutu Layanan”."),
    )
    tabel1_order = forms.CharField(
        label=gettext_lazy("Urutan baris Tabel 1"),
        required=False,
        max_length=60,
        help_text=gettext_lazy(
            "Kode kesembilan unsur dipisah koma, mis. “U1, U2, U3, U4, U5, U6, U7, U9, U8” seperti laporan KPU "
            "Kabupaten Tangerang. Kosongkan untuk U1 sampai U9."
        ),
        error_messages=TEXT_ERRORS,
    )
    quarter_header = _text(
        "quarter_header",
        gettext_lazy("Judul kolom triwulan (Tabel 2)"),
        gettext_lazy("Kosongkan untuk “Waktu (Triwulan)”; Setda Kota Surakarta menulis “Waktu”."),
    )
    quarter_labels = forms.CharField(
        label=gettext_lazy("Nama keempat triwulan (Tabel 2)"),
        required=False,
        max_length=4 * QUARTER_LABEL_MAX + 6,
        help_text=gettext_lazy("Dipisah koma, mis. “TW 1, TW 2, TW 3, TW 4”. Kosongkan untuk I, II, III, IV."),
        error_messages=TEXT_ERRORS,
    )
    tick = _choice(
        gettext_lazy("Tanda triwulan yang direncanakan (Tabel 2)"),
        [
            (TickMark.CHECK.value, gettext_lazy("✓ (bawaan)")),
            (TickMark.ROOT.value, gettext_lazy("√, seperti laporan Disdukcapil Kota Pekalongan")),
            (TickMark.V.value, gettext_lazy("V, seperti laporan Setda Kota Surakarta")),
        ],
        "",
    )

    # The page's groups, in the report's order.
    GROUPS = (
        (gettext_lazy("Sampul dan nama unit"), ("cover_title", "cover_year", "cover_name", "short_name")),
        (
            gettext_lazy("BAB I–II: judul, Tabel 1 dan interval"),
            (
                "bab1_title",
                "tabel1_caption",
                "tabel1_values",
                "combined_cell",
                "tabel1_unsur_header",
                "tabel1_value_header",
                "tabel1_mutu_header",
                "tabel1_order",
                *(f"unsur_label_{code}" for code in UNSUR_CODES),
                "matrix_scale",
                "matrix_mutu_row",
                "interval",
            ),
        ),
        (
            gettext_lazy("BAB II–III: rencana dan hasil tindak lanjut"),
            (
                "tabel2_caption",
                "quarter_header",
                "quarter_labels",
                "tick",
                "numbering",
                "bab3",
                "bab3_unsur",
                "bab3_by_number",
            ),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The unit's own wording of each unsur in Tabel 1 (empty: "U5. <the regulation's name>").
        for unsur in DEFAULT_UNSUR:
            self.fields[f"unsur_label_{unsur.code}"] = forms.CharField(
                label=_("Nama unsur %(code)s di Tabel 1") % {"code": unsur.code},
                required=False,
                max_length=UNSUR_LABEL_MAX,
                help_text=_("Kosongkan untuk “%(code)s. %(name)s”.") % {"code": unsur.code, "name": unsur.name},
                error_messages=TEXT_ERRORS,
                widget=forms.TextInput(attrs={"placeholder": f"{unsur.code}. {unsur.name}"}),
            )

    @classmethod
    def from_layout(cls, layout: LhtlLayout) -> LayoutForm:
        initial = layout_values(layout)
        labels = initial.pop("unsur_labels")
        initial.update({f"unsur_label_{code}": label for code, label in labels.items()})  # type: ignore[attr-defined]
        initial["tabel1_order"] = ", ".join(layout.tabel1_order)
        initial["quarter_labels"] = ", ".join(layout.quarter_labels)
        return cls(initial=initial)

    def layout(self) -> LhtlLayout:
        data = dict(self.cleaned_data)
        data["unsur_labels"] = {code: data.pop(f"unsur_label_{code}") for code in UNSUR_CODES}
        data["tabel1_order"] = [c for c in data["tabel1_order"].replace(",", " ").split() if c]
        data["quarter_labels"] = (
            [q.strip() for q in data["quarter_labels"].split(",")] if data["quarter_labels"].strip() else []
        )
        return layout_from_values({name: data[name] for name in LAYOUT_FIELDS})

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]


def _page(request, unit, can_write, form, *, status=200):
    row = report_layout_row_get(unit=unit)
    return render(
        request,
        "reports/layout.html",
        {
            "unit": unit,
            "can_write": can_write,
            "form": form,
            "row": row,
            "is_default": row is None or row.as_layout() == DEFAULT_LAYOUT,
        },
        status=status,
    )


@login_required
def report_layout(request, unit_code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    if request.method != "POST":
        return _page(request, unit, can_write, LayoutForm.from_layout(report_layout_get(unit=unit)))
    if not can_write:
        raise PermissionDenied(_("Hanya staf unit atau admin yang dapat mengubah tata letak laporan."))
    if request.POST.get("aksi") == "bawaan":
        report_layout_reset(unit=unit, user=request.user)
        messages.success(request, _("Tata letak Laporan Hasil Tindak Lanjut kembali ke bawaan."))
        return redirect("reports:report_layout", unit_code=unit.code)
    form = LayoutForm(request.POST)
    if form.is_valid():
        try:
            report_layout_save(unit=unit, layout=form.layout(), user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Tata letak Laporan Hasil Tindak Lanjut disimpan."))
            return redirect("reports:report_layout", unit_code=unit.code)
    return _page(request, unit, can_write, form, status=400)
