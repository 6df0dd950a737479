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

from surveys.access import unit_get_for_user

from .layout import DEFAULT_LAYOUT, Bab3Layout, IntervalForm, ItemNumbering, LhtlLayout, MatrixScale
from .selectors import report_layout_get, report_layout_row_get
from .services_layout import LAYOUT_FIELDS, TEXT_FIELDS, report_layout_reset, report_layout_save

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

    # The page's groups, in the report's order.
    GROUPS = (
        (gettext_lazy("Sampul dan nama unit"), ("cover_title", "cover_year", "cover_name", "short_name")),
        (
            gettext_lazy("BAB I–II: judul, Tabel 1 dan interval"),
            ("bab1_title", "combined_cell", "matrix_scale", "matrix_mutu_row", "interval"),
        ),
        (
            gettext_lazy("BAB II–III: rencana dan hasil tindak lanjut"),
            ("tabel2_caption", "numbering", "bab3", "bab3_unsur", "bab3_by_number"),
        ),
    )

    @classmethod
    def from_layout(cls, layout: LhtlLayout) -> LayoutForm:
        initial = {}
        for name in LAYOUT_FIELDS:
            value = getattr(layout, name)
            initial[name] = getattr(value, "value", value)
        return cls(initial=initial)

    def layout(self) -> LhtlLayout:
        data = self.cleaned_data
        return LhtlLayout(
            matrix_scale=MatrixScale(data["matrix_scale"]),
            matrix_mutu_row=data["matrix_mutu_row"],
            bab3=Bab3Layout(data["bab3"]),
            numbering=ItemNumbering(data["numbering"]),
            combined_cell=data["combined_cell"],
            interval=IntervalForm(data["interval"]),
            cover_title=data["cover_title"],
            cover_year=data["cover_year"],
            short_name=data["short_name"],
            cover_name=data["cover_name"],
            bab1_title=data["bab1_title"],
            tabel2_caption=data["tabel2_caption"],
            bab3_unsur=data["bab3_unsur"],
            bab3_by_number=data["bab3_by_number"],
        )

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
