"""Seed 001: Kelurahan Jatinegara Kaum, LHTL of Semester II Tahun 2024.

Copied from the build machine's shared/seeds/001_2def2e42fb9cbaaf.txt. "Line n" is the line of that file.

Tabel 1 (lines 34-45) is a matrix of 7 jenis layanan x 9 unsur on the 1-4 scale,
each service's "IKM Layanan" on the 1-4 scale, a "Rata-rata IKM per Unsur" row, a
Mutu row and "Rata-rata IKM Layanan 98,72 (A atau Sangat Baik)". The columns are
U1 ... U9 by position; the extraction garbles their labels (see DOUBTFUL).

Weight mode: 98,72 matches exact 1/9 (25 x the mean NRR, about 3,9487). With 0,111
the same answers give about 98,62 and with 0,11 about 97,73.

Answer distributions: every service has the same sample, n = 110, so the pooled
per-unsur NRR equals the mean of the services' NRR and the pooled IKM equals the
mean of the services' IKMs: the seed's "Rata-rata" rows are then true under both
readings. The printed values' own mean gives 98,70, not 98,72, so the exact values
must lie slightly above the printed ones. A hill-climbing search (n = 50 ... 400,
stopping at the first n that works) chose per-cell totals T with round(T/n) = the
printed cell, round(row sum / 9n) = the printed IKM Layanan, round(column sum / 7n)
= the printed Rata-rata, and round(25 x grand sum / 63n) = 98,72; n = 110 was the
first found. Each total is made of answers 3 and 4 only: (0, 0, 4n - T, T - 3n).
"""

import datetime as dt

from .spec import E, GapKey, ItemSpec, PrioritySpec, Seed, ServiceSample, UnitSpec, bab1_paragraphs, cells

S = "seed 001"
N = 110
CODES = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")

# Answers of 3 per unsur (the rest of the 110 answered 4), per service, U1 ... U9.
THREES = {
    "Jumatnik": (8, 7, 8, 8, 8, 8, 8, 8, 8),
    "Keteritiban Umum": (8, 5, 5, 4, 4, 7, 4, 5, 6),
    "PKK": (4, 4, 4, 4, 4, 4, 4, 4, 4),
    "Posyandu": (5, 5, 6, 6, 6, 5, 6, 5, 5),
    "PPSU": (9, 7, 5, 3, 5, 5, 5, 7, 5),
    "RPTRA": (5, 5, 5, 3, 4, 4, 4, 4, 4),
    "RT/RW, LMK dan FKDM": (7, 7, 7, 7, 7, 7, 7, 7, 7),
}
SAMPLES = tuple(
    ServiceSample(name, {code: (0, 0, d, N - d) for code, d in zip(CODES, threes, strict=True)})
    for name, threes in THREES.items()
)

# Tabel 1 as printed (lines 36-42): service -> U1 ... U9 NRR, then IKM Layanan (1-4 scale).
MATRIX = {
    "Jumatnik": "3.93 3.94 3.93 3.93 3.93 3.93 3.93 3.93 3.93 3.93",
    "Keteritiban Umum": "3.93 3.95 3.95 3.96 3.96 3.94 3.96 3.95 3.95 3.95",
    "PKK": "3.96 3.96 3.96 3.96 3.96 3.96 3.96 3.96 3.96 3.96",
    "Posyandu": "3.95 3.95 3.95 3.95 3.95 3.95 3.95 3.95 3.95 3.95",
    "PPSU": "3.92 3.94 3.95 3.97 3.95 3.95 3.95 3.94 3.95 3.95",
    "RPTRA": "3.95 3.95 3.95 3.97 3.96 3.96 3.96 3.96 3.96 3.96",
    "RT/RW, LMK dan FKDM": "3.94 3.94 3.94 3.94 3.94 3.94 3.94 3.94 3.94 3.94",
}
MEAN_ROW = "3.94 3.95 3.95 3.95 3.95 3.95 3.95 3.95 3.95 3.95"  # line 43, "Rata-rata IKM per Unsur"
MUTU_ROW = "A A A A A A A A A A"  # line 44
EXPECTED_IKM = "98.72"  # line 45, "98,72 (A atau Sangat Baik)"

# The header cells as extracted (lines 34-35), in printed order.
HEADER = (
    "Jenis Pelayanan",
    "Peroyeran (U4)",
    "Sistem, Mekanisme, Prosedur (U3)",
    "Waktu (U3)",
    "Nilai Unsur Pelayanan (Unsur U)",
    "Perilaku Petugas pelayanan (U7)",
    "Penanggaran sarang dan aduan (U8)",
    "Sarana pendukung pelayanan (U9)",
    "IKM Layanan",
    "Spesifikasi Jenis pelayanan (U4)",
    "Elaya (U4)",
    "Kompetensi Pelaksana (U6)",
)
DOUBTFUL = {
    "Peroyeran (U4)": "probably 'Persyaratan (U1)' misread",
    "Sistem, Mekanisme, Prosedur (U3)": "the U2 column labelled (U3)",
    "Nilai Unsur Pelayanan (Unsur U)": "a spanning header, code misread",
    "Penanggaran sarang dan aduan (U8)": "probably 'Penanganan saran dan aduan (U8)' misread",
    "Spesifikasi Jenis pelayanan (U4)": "the U5 name labelled (U4)",
    "Elaya (U4)": "probably 'Biaya (U4)' misread",
}

UNIT = UnitSpec(
    code="kel-jatinegara-kaum",
    name="Kelurahan Jatinegara Kaum",  # lines 24, 30, 80
    parents=("Kota Administrasi Jakarta Timur", "Kecamatan Pulo Gadung"),
    # Lines 9-12: the unit first, then its kecamatan and kota (bottom-up), in capitals.
    cover_lines=("KELURAHAN JATINEGARA KAUM", "KECAMATAN PULO GADUNG", "KOTA ADMINISTRASI JAKARTA TIMUR"),
    city="Jakarta Timur",
    # No signature block at all (the report ends at line 80).
)

APEL = "Kegiatan pembinaan melalui pelaksanaan apel"  # printed "1. Kegiatan ..." (item numbered 1 in its row)


def _apel(row: int, line: int) -> ItemSpec:
    return ItemSpec(
        APEL,
        responsible="Ekbang",
        quarters=((2024, 3),),
        realised_on=dt.date(2024, 9, 17),
        description="Melaksanakan pembinaan pada saat Apel PPSU",
        challenges="Tidak ada",
        where=f"{S}, Tabel 2 row {row} (line {58 + row}); BAB III row {row} (line {line})",
    )


PRIORITIES = (
    PrioritySpec("U1", "Persyaratan", (_apel(1, 70),), where=f"{S}, Tabel 2 row 1 (line 59)"),
    PrioritySpec("U2", "Sistem Mekanisme, Prosedur", (_apel(2, 73),), where=f"{S}, Tabel 2 row 2 (line 60)"),
    PrioritySpec("U8", "Penanganan Saran dan Aduan", (_apel(3, 74),), where=f"{S}, Tabel 2 row 3 (line 61)"),
)

BAB1 = bab1_paragraphs("Kelurahan Jatinegara Kaum")
HASIL = (
    "Hasil survei kepuasan masyarakat oleh Kelurahan Jatinegara Kaum Semester II Tahun 2024 menunjukkan angka "
    "yang sangat beragam pada berbagai unsur pelayanan seperti dapat terlihat pada tabel di bawah ini:"
)
PRIORITAS = (
    "Berkaca pada data di tersebut, dapat terlihat beberapa unsur yang memerlukan intervensi lanjutan karena "
    "rendahnya angka IKM pada unsur tersebut. Oleh karena itu, perlu disusun sebuah rencana tindak lanjut perbaikan "
    "terhadap unsur-unsur dengan nilai rendah. Untuk memastikan rencana tindak lanjut dapat diimplementasikan dan "
    "ditindaklanjuti dengan baik, maka perlu disusun skala prioritas perbaikan unsur yang terdiri dari 1 unsur "
    "dengan nilai terendah. Kerangka rencana tindak lanjut dari satu unsur tersebut, dapat terlihat pada tabel di "
    "bawah ini:"
)
REALISASI = (
    "Berdasarkan rencana tindak lanjut yang telah disusun, maka implementasi yang telah dilaksanakan adalah "
    "sebagai berikut:"
)
KESIMPULAN = (
    "Berdasarkan data-data dalam pelaksanaan tindak lanjut tersebut, sekiranya dapat ditarik beberapa kesimpulan "
    "bahwa Kelurahan Jatinegara Kaum telah menindaklanjuti rencana tindak lanjut sebanyak 100%."
)
BANDS = (  # lines 47-51, the interval table in its 2-decimal ascending form
    ("1", "1,00 - 2,59", "25,00 - 64,99", "D", "Tidak baik"),
    ("2", "2,60 - 3,06", "65,00 - 76,60", "C", "Kurang baik"),
    ("3", "3,07 - 3,53", "76,61 - 88,30", "B", "Baik"),
    ("4", "3,54 - 4,00", "88,31 - 100,00", "A", "Sangat baik"),
)
TABLE3_HEADER = (
    "No",
    "Program / Kegiatan (Rencana Tindak Lanjut)",
    "Apakah RTL Telah Ditindaklanjuti (Sudah/Belum)",
    "Tanggal, Bulan dan Tahun Realisasi",
    "Deskripsi Tindak Lanjut (Mohon Dijabarkan)",
    "Dokumentasi Kegiatan",
    "Tantangan/ Hambatan",
)


def _table3_row(no: int, line: int) -> tuple[E, ...]:
    return cells(
        f"{S}, Tabel 3 row {no} (line {line})",
        str(no),
        f"1. {APEL}",
        "Sudah",
        "17 September 2024",
        "Melaksanakan pembinaan pada saat Apel PPSU",
        "Tidak ada",
    )


ELEMENTS = (
    E("Laporan Hasil Tindak Lanjut Pelaksanaan", f"{S}, cover title line 1 (line 3)"),
    E("Survei Kepuasan Masyarakat", f"{S}, cover title line 2 (line 4)"),
    E("Semester II Tahun 2024", f"{S}, cover title line 3 (line 5)"),
    *(E(t, f"{S}, cover unit line {i} (lines 9-12)") for i, t in enumerate(UNIT.cover_lines, start=1)),
    E("TAHUN 2024", f"{S}, cover year (line 14)"),
    E("BAB I", f"{S}, heading (line 16)"),
    E("PENDAHULUAN", f"{S}, heading (line 18)"),
    *(E(p, f"{S}, BAB I paragraph {i} (line {18 + 2 * i})") for i, p in enumerate(BAB1, start=1)),
    E("BAB II", f"{S}, heading (line 26)"),
    E("DIESKRIPSI RENCANA TINDAK LANJUT", f"{S}, heading (line 28, the unit's spelling)"),
    E(HASIL, f"{S}, BAB II paragraph before Tabel 1 (line 30)"),
    E("Tabel 1. Ringkasan Hasil SKM Semester II Tahun 2024", f"{S}, caption (line 32)"),
    *(E(t, f"{S}, Tabel 1 header (lines 34-35)", DOUBTFUL.get(t, "")) for t in HEADER),
    *(
        e
        for i, (name, row) in enumerate(MATRIX.items())
        for e in cells(f"{S}, Tabel 1 row {name} (line {36 + i})", name, *row.split())
    ),
    *cells(f"{S}, Tabel 1 row Rata-rata (line 43)", "Rata-rata IKM per Unsur", *MEAN_ROW.split()),
    *cells(f"{S}, Tabel 1 row Mutu (line 44)", "Mutu Layanan", *MUTU_ROW.split()),
    *cells(f"{S}, Tabel 1 last row (line 45)", "Rata-rata IKM Layanan", "98,72 (A atau Sangat Baik)"),
    *cells(
        f"{S}, interval table header (line 47)",
        "Nilai Persepsi",
        "Nilai Interval IKM",
        "Nilai Interval Konversi IKM",
        "Mutu Pelayanan",
        "Kinerja Unit Pelayanan",
    ),
    *(e for i, row in enumerate(BANDS) for e in cells(f"{S}, interval table row (line {48 + i})", *row)),
    E(PRIORITAS, f"{S}, BAB II paragraph before Tabel 2 (line 53)"),
    E("Tabel 2. Rencana Tindak Lanjut Pelaksanaan SKM", f"{S}, caption (line 55)"),
    *cells(
        f"{S}, Tabel 2 header (lines 57-58)",
        "No",
        "Prioritas Unsur",
        "Program / Kegiatan (Rencana Tindak Lanjut)",
        "2024",
        "TW II",
        "TW III",
        "TW IV",
        "Penanggung Jawab",
    ),
    *(
        e
        for i, p in enumerate(PRIORITIES, start=1)
        for e in cells(f"{S}, Tabel 2 row {i} (line {58 + i})", f"{i}.", p.title, f"1. {APEL}", "✓", "Ekbang")
    ),
    E("BAB III", f"{S}, heading (line 63)"),
    E("REALISASI RENCANA TINDAK LANJUT", f"{S}, heading (line 65)"),
    E(REALISASI, f"{S}, BAB III paragraph (line 67)"),
    *cells(f"{S}, Tabel 3 header (line 69)", *TABLE3_HEADER),
    *_table3_row(1, 70),
    # The table's header is printed again on the next page (line 72).
    *cells(f"{S}, Tabel 3 header repeated (line 72)", *TABLE3_HEADER),
    *_table3_row(2, 73),
    *_table3_row(3, 74),
    E("BAB IV", f"{S}, heading (line 76)"),
    E("KESIMPULAN", f"{S}, heading (line 78)"),
    E(KESIMPULAN, f"{S}, BAB IV paragraph (line 80)"),
)

SEED = Seed(
    number="001",
    source="001_2def2e42fb9cbaaf.txt",
    unit=UNIT,
    period="2024-S2",
    weight_mode="exact",
    samples=SAMPLES,
    lowest_n=1,  # line 53: "terdiri dari 1 unsur dengan nilai terendah" (then U2 and U8 were added)
    priorities=PRIORITIES,
    report_date=None,
    report_place="",
    sections={
        "lhtl_latar_belakang": "\n\n".join(BAB1),
        "lhtl_hasil": HASIL,
        "lhtl_prioritas": PRIORITAS,
        "lhtl_realisasi": REALISASI,
        "lhtl_kesimpulan": KESIMPULAN,
    },
    layout={
        "matrix_scale": "nrr",  # IKM Layanan on the 1-4 scale (lines 36-42)
        "matrix_mutu_row": True,  # line 44
        "interval": "ringkas",  # lines 47-51
        "numbering": "urut",  # Tabel 3 numbers the RTL 1-3 (lines 70-74)
        # Lines 9-12: the unit, then its kecamatan and kota (bottom-up).
        "cover_name": "KELURAHAN JATINEGARA KAUM / KECAMATAN PULO GADUNG / KOTA ADMINISTRASI JAKARTA TIMUR",
    },
    elements=ELEMENTS,
    notes=(
        "All 63 cells, the 7 IKM Layanan, the 10 Rata-rata figures, the Mutu row and 98,72 reproduce with "
        "n = 110 per service under exact 1/9 weights.",
        "The printed figures' own mean gives 98,70; 98,72 needs exact values a little above the printed ones "
        "(consistent, not a hand error).",
        "Header labels are garbled by the extraction (see DOUBTFUL); columns taken as U1 ... U9 by position.",
        "Line 53 says '1 unsur dengan nilai terendah' but Tabel 2 lists three priorities (U1, U2, U8): U1 is the "
        "lowest (3,94), U2 and U8 were added; the product's lowest-1 plan plus two added rows reproduces that.",
        "No signature block.",
    ),
)


def seed_elements(*, include_doubtful: bool = False) -> list[str]:
    """The ordered strings the rendered LHTL must contain."""
    return [e.text for e in SEED.elements if include_doubtful or not e.doubtful]


_CAPS = "the cover prints in capitals (PDF: text-transform uppercase; Word: all caps)"
_POINT = "the matrix prints a decimal comma (3,93); the seed a decimal point (3.93)"
_HEADER = "the matrix's header prints the unsur codes only (U1 ... U9)"
_INTERVAL = "the short interval table prints en dashes ('1,00 – 2,59'); the seed hyphens ('1,00 - 2,59')"
_TABLE2 = "Tabel 2's header is fixed: 'Program / Kegiatan', 'Waktu (Triwulan)' I-IV, then 'Tahun'"
_TABLE3 = "Tabel 3's headers are fixed ('Rencana Tindak Lanjut', 'Sudah/ Belum', 'Tanggal Realisasi', ...)"
KNOWN_GAPS: dict[GapKey, str] = {
    "Semester II Tahun 2024": _CAPS,
    "TAHUN 2024": "the year line is the report date's year as a bare number (today's year without a report date)",
    "DIESKRIPSI RENCANA TINDAK LANJUT": "chapter titles are fixed ('DESKRIPSI RENCANA TINDAK LANJUT')",
    "Waktu (U3)": _HEADER,
    "Perilaku Petugas pelayanan (U7)": _HEADER,
    "Sarana pendukung pelayanan (U9)": _HEADER,
    "Kompetensi Pelaksana (U6)": _HEADER,
    **{v: _POINT for row in (*MATRIX.values(), MEAN_ROW) for v in row.split()},
    ("Program / Kegiatan (Rencana Tindak Lanjut)", "Tabel 2"): _TABLE2,
    ("2024", "Tabel 2 header"): _TABLE2,
    "TW II": _TABLE2,
    "TW III": _TABLE2,
    "TW IV": _TABLE2,
    **{(f"{i}.", f"Tabel 2 row {i}"): "Tabel 2 prints the priority's number without a dot" for i in (1, 2, 3)},
    f"1. {APEL}": "items are numbered across the plan (1, 2, 3) or as 1.1; the seed numbers each within its "
    "priority ('1.')",
    **{(h, "Tabel 3 header (line 69)"): _TABLE3 for h in (TABLE3_HEADER[1], TABLE3_HEADER[5])},
    **{
        (h, "Tabel 3 header repeated"): "the seed repeats Tabel 3's header on its next page; the product's "
        "table does not break there"
        for h in TABLE3_HEADER
    },
}
