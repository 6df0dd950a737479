"""The sections of the unit's own report text: keys, titles and where they print.

A section is plain text (``skm.rules.textblocks``) that a unit writes per
survey round. Every key is listed here once; the authoring page, the PDF
templates, the DOCX writer and ``skm_narrative`` all name sections by these
keys, so the mapping ``SurveyReport.narrative`` / ``FollowupReport.narrative``
(key -> tuple of TextBlock) has exactly these keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from skm.rules.textblocks import MAX_SECTION_CHARS
from skm.rules.unsur import UNSUR_CODES

__all__ = ["MAX_SECTION_CHARS", "SECTIONS", "SectionKey", "SectionSpec", "section_spec", "unsur_key"]


class SectionKey(models.TextChoices):
    KATA_PENGANTAR = "kata_pengantar", _("Kata Pengantar")
    LATAR_BELAKANG = "latar_belakang", _("Latar Belakang")
    DASAR_HUKUM = "dasar_hukum", _("Dasar Pelaksanaan")
    MAKSUD_TUJUAN = "maksud_tujuan", _("Maksud dan Tujuan")
    PELAKSANAAN = "pelaksanaan", _("Pelaksanaan Survei")
    METODOLOGI = "metodologi", _("Metodologi Pengumpulan Data")
    LOKASI = "lokasi", _("Lokasi Pengumpulan Data")
    JADWAL = "jadwal", _("Waktu Pelaksanaan")
    JUMLAH_RESPONDEN = "jumlah_responden", _("Penentuan Jumlah Responden")
    U1 = "u1", _("Penyebab nilai U1 (Persyaratan)")
    U2 = "u2", _("Penyebab nilai U2 (Sistem, Mekanisme, dan Prosedur)")
    U3 = "u3", _("Penyebab nilai U3 (Waktu Penyelesaian)")
    U4 = "u4", _("Penyebab nilai U4 (Biaya/Tarif)")
    U5 = "u5", _("Penyebab nilai U5 (Produk Spesifikasi Jenis Pelayanan)")
    U6 = "u6", _("Penyebab nilai U6 (Kompetensi Pelaksana)")
    U7 = "u7", _("Penyebab nilai U7 (Perilaku Pelaksana)")
    U8 = "u8", _("Penyebab nilai U8 (Penanganan Pengaduan, Saran dan Masukan)")
    U9 = "u9", _("Penyebab nilai U9 (Sarana dan Prasarana)")
    SARAN_RINGKASAN = "saran_ringkasan", _("Ringkasan Saran Responden")
    RTL_NARASI = "rtl_narasi", _("Narasi Rencana Tindak Lanjut")
    TREN_PENGANTAR = "tren_pengantar", _("Pengantar Tren Nilai SKM")
    KESIMPULAN = "kesimpulan", _("Kesimpulan")
    REKOMENDASI = "rekomendasi", _("Rekomendasi")
    PENUTUP = "penutup", _("Penutup")
    LHTL_LATAR_BELAKANG = "lhtl_latar_belakang", _("Latar Belakang (Laporan Hasil Tindak Lanjut)")
    LHTL_HASIL = "lhtl_hasil", _("Pengantar Hasil SKM (Laporan Hasil Tindak Lanjut)")
    LHTL_PRIORITAS = "lhtl_prioritas", _("Penetapan Prioritas (Laporan Hasil Tindak Lanjut)")
    LHTL_REALISASI = "lhtl_realisasi", _("Pengantar Realisasi (Laporan Hasil Tindak Lanjut)")
    LHTL_KESIMPULAN = "lhtl_kesimpulan", _("Kesimpulan (Laporan Hasil Tindak Lanjut)")


SURVEY = "survey"
FOLLOWUP = "followup"


@dataclass(frozen=True)
class SectionSpec:
    key: SectionKey
    report: str  # SURVEY (Laporan SKM) or FOLLOWUP (Laporan Hasil Tindak Lanjut)
    place: str  # where it prints, as the authoring page says it

    @property
    def title(self):
        return self.key.label


def unsur_key(code: str) -> SectionKey:
    """U1 -> SectionKey.U1."""
    return SectionKey(code.lower())


_BAB4 = _("BAB IV 4.1, setelah kalimat angka unsur")
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(SectionKey.KATA_PENGANTAR, SURVEY, _("Kata Pengantar")),
    SectionSpec(SectionKey.LATAR_BELAKANG, SURVEY, _("BAB I 1.1")),
    SectionSpec(SectionKey.DASAR_HUKUM, SURVEY, _("BAB I 1.2")),
    SectionSpec(SectionKey.MAKSUD_TUJUAN, SURVEY, _("BAB I 1.3")),
    SectionSpec(SectionKey.PELAKSANAAN, SURVEY, _("BAB II 2.1")),
    SectionSpec(SectionKey.METODOLOGI, SURVEY, _("BAB II 2.2")),
    SectionSpec(SectionKey.LOKASI, SURVEY, _("BAB II 2.3")),
    SectionSpec(SectionKey.JADWAL, SURVEY, _("BAB II 2.4, di atas Tabel II.1")),
    SectionSpec(SectionKey.JUMLAH_RESPONDEN, SURVEY, _("BAB II 2.5")),
    *(SectionSpec(unsur_key(code), SURVEY, _BAB4) for code in UNSUR_CODES),
    SectionSpec(SectionKey.SARAN_RINGKASAN, SURVEY, _("BAB IV 4.2, sebelum tabel RTL")),
    SectionSpec(SectionKey.RTL_NARASI, SURVEY, _("BAB IV 4.2")),
    SectionSpec(SectionKey.TREN_PENGANTAR, SURVEY, _("BAB IV 4.3, sebelum grafik tren")),
    SectionSpec(SectionKey.KESIMPULAN, SURVEY, _("BAB V")),
    SectionSpec(SectionKey.REKOMENDASI, SURVEY, _("BAB V, setelah kesimpulan")),
    SectionSpec(SectionKey.PENUTUP, SURVEY, _("BAB V, sebelum tanda tangan")),
    SectionSpec(SectionKey.LHTL_LATAR_BELAKANG, FOLLOWUP, _("Laporan Hasil Tindak Lanjut, BAB I")),
    SectionSpec(SectionKey.LHTL_HASIL, FOLLOWUP, _("Laporan Hasil Tindak Lanjut, BAB II, sebelum Tabel 1")),
    SectionSpec(SectionKey.LHTL_PRIORITAS, FOLLOWUP, _("Laporan Hasil Tindak Lanjut, BAB II, sebelum Tabel 2")),
    SectionSpec(SectionKey.LHTL_REALISASI, FOLLOWUP, _("Laporan Hasil Tindak Lanjut, BAB III, sebelum Tabel 3")),
    SectionSpec(SectionKey.LHTL_KESIMPULAN, FOLLOWUP, _("Laporan Hasil Tindak Lanjut, BAB IV")),
)

_BY_KEY = {spec.key.value: spec for spec in SECTIONS}


def section_spec(key: str) -> SectionSpec | None:
    return _BY_KEY.get(key)
