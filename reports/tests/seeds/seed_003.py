"""Seed 003: Dinas Kependudukan dan Pencatatan Sipil Kota Pekalongan, LHTL of Semester I Tahun 2025.

Copied from the build machine's shared/seeds/003_971ac2ce28170053.txt. "Line n" is the line of that file.

Tabel 1 (lines 32-41) prints each unsur's converted value (headed "IKM", a dot as the
decimal sign) and "Sangat Baik"; no NRR and no unit IKM, so the weight mode cannot
be read (exact 1/9 used).

Answer distributions: a search over n = 20..3000 for totals T with round(25 T/n) = the
printed value found n = 615 as the smallest sample that gives all nine (99.80 and 98.01
need a fine grain). Each total is made of answers 3 and 4 only: (0, 0, 4n - T, T - 3n).
"""

import datetime as dt

from .spec import E, GapKey, ItemSpec, PrioritySpec, Seed, ServiceSample, UnitSpec, bab1_paragraphs, cells

S = "seed 003"

# Totals of 615: U1 2259, U2 2271, U3 2239, U4 2455, U5 2261, U6 2285, U7 2245, U8 2411, U9 2252.
COUNTS = {
    "U1": (0, 0, 201, 414),  # 91.83
    "U2": (0, 0, 189, 426),  # 92.32
    "U3": (0, 0, 221, 394),  # 91.02
    "U4": (0, 0, 5, 610),  # 99.80
    "U5": (0, 0, 199, 416),  # 91.91
    "U6": (0, 0, 175, 440),  # 92.89
    "U7": (0, 0, 215, 400),  # 91.26
    "U8": (0, 0, 49, 566),  # 98.01
    "U9": (0, 0, 208, 407),  # 91.54
}

# Tabel 1 as printed: (no, code, label, converted, mutu label).
TABLE1 = (
    ("1", "U1", "Persyaratan", "91.83", "Sangat Baik"),
    ("2", "U2", "Sistem, Mekanisme, dan Prosedur", "92.32", "Sangat Baik"),
    ("3", "U3", "Waktu Penyelesaian", "91.02", "Sangat Baik"),
    ("4", "U4", "Biaya/Tarif", "99.80", "Sangat Baik"),
    ("5", "U5", "Produk, Spesifikasi, dan Jenis Pelayanan", "91.91", "Sangat Baik"),
    ("6", "U6", "Kompetensi Pelaksana", "92.89", "Sangat Baik"),
    ("7", "U7", "Perilaku Pelaksana", "91.26", "Sangat Baik"),
    ("8", "U8", "Penanganan Pengaduan, Saran, dan Masukan", "98.01", "Sangat Baik"),
    ("9", "U9", "Sarana dan Prasarana", "91.54", "Sangat Baik"),
)
EXPECTED = {code: (None, conv, "A") for _n, code, _l, conv, _g in TABLE1}  # (NRR, converted, mutu)
EXPECTED_LABELS = {code: label for _n, code, _l, _c, label in TABLE1}
EXPECTED_IKM = None

UNIT = UnitSpec(
    code="disdukcapil-pekalongan",
    name="Dinas Kependudukan dan Pencatatan Sipil",  # lines 22, 28, 74
    parents=("Kota Pekalongan",),
    cover_lines=("Dinas Kependudukan Dan Pencatatan Sipil", "Kota Pekalongan"),  # lines 11-12 ("Dan")
    city="Pekalongan",
    signatory_title="Plt. Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Pekalongan",  # lines 83-84
    signatory_name="ISKANDAR, SH, M.Hum.",
    signatory_rank="Pembina Tingkat I",
    signatory_nip="196905251990031005",
)


def _item(number: str, program: str, quarters, line: int, bab3_line: int, description: str) -> ItemSpec:
    return ItemSpec(
        program,
        responsible="Kepala Dinas",
        quarters=tuple((2025, q) for q in quarters),
        description=description,
        where=f"{S}, Tabel 2 item {number} (line {line}); BAB III row {number} (line {bab3_line})",
    )


P11 = "Memberikan pembinaan terhadap pelaksana pelayanan agar memulai pelayanan sesuai dengan jam layanan."
P12 = (
    "Memberikan pembinaan kepada pelaksana pelayanan agar senantiasa menerapkan 5S (senyum, salam, sapa, sopan dan "
    "santun)"
)
P21 = (
    "Memberikan pembinaan dan arahan kepada tim penyelenggara pelayanan agar dapat menyelesaikan layanan lebih cepat "
    "dan tidak melewati batas waktu yang tertuang dalam SOP"
)
P22 = (
    "Memberikan pembinaan dan pendampingan terhadap pelaksana pelayanan dengan kinerja yang tidak sesuai harapan "
    "agar senantiasa menjaga kode etik pelayanan."
)
P31 = (
    "Melakukan pengadaan sarana dan prasarana penunjang pelayanan dengan tujuan untuk meningkatkan kenyamanan "
    "pengguna layanan"
)
PRIORITIES = (
    PrioritySpec(
        "U3",
        "Waktu Pelayanan",  # the unit's title for U3 Waktu Penyelesaian
        (_item("1.1", P11, (3, 4), 52, 66, P11), _item("1.2", P12, (3, 4), 53, 67, P12 + ".")),
        where=f"{S}, Tabel 2 row 1 (line 52)",
    ),
    PrioritySpec(
        "U7",
        "Perilaku Pelaksana",
        (_item("2.1", P21, (3, 4), 54, 68, P21 + "."), _item("2.2", P22, (3,), 55, 69, P22)),
        where=f"{S}, Tabel 2 row 2 (line 54)",
    ),
    PrioritySpec(
        "U9",
        "Sarana dan Prasarana",
        (_item("3.1", P31, (3,), 59, 70, P31 + "."),),
        where=f"{S}, Tabel 2 row 3 (line 59)",
    ),
)
# BAB III: no date column, no photo, no challenges. BAB IV's strategy table has one row that is
# not one of the RTL items (line 79):
STRATEGY = (
    "1.",
    "Melakukan evaluasi SP dengan mempertimbangkan masukan dari pengguna layanan dan pihak lain yang terkait guna "
    "menciptakan SP yang efektif dan efisien.",
    "Mengadakan Public Hearing Peninjauan Standar Pelayanan",  # "Public Hearing" in italics
    "TW III",
    "Plt. Kepala Dinas",
    "Pengguna layanan, PD terkait, ormas, akademisi, media massa.",
)

BAB1 = bab1_paragraphs("Dinas Kependudukan dan Pencatatan Sipil", improvement="pengembangan yang berkelanjutan")
HASIL = (
    "Hasil survei kepuasan masyarakat oleh Dinas Kependudukan dan Pencatatan Sipil periode Semester I Tahun 2025 "
    "menunjukkan angka yang sangat beragam pada berbagai unsur pelayanan seperti dapat terlihat pada tabel di bawah "
    "ini:"
)
PRIORITAS = (
    "Berkaca pada data di atas, dapat terlihat beberapa unsur yang memerlukan intervensi lanjutan. Oleh "
    "karena itu, perlu disusun sebuah rencana tindak lanjut perbaikan terhadap unsur-unsur dengan nilai "
    "lebih rendah dibanding dengan unsur-unsur pelayanan lainnya. Untuk memastikan rencana tindak lanjut "
    "dapat diimplementasikan dan ditindaklanjuti dengan baik, maka perlu disusun rencana tindak lanjut "
    "untuk memperbaiki unsur-unsur dengan nilai terendah, Rencana tindak lanjut juga diprioritaskan pada "
    "tindak lanjut atas saran dan masukan dari para responden atau pengguna layanan. Rencana tindak "
    "lanjut dapat terlihat pada tabel di bawah ini:"
)
REALISASI = (
    "Berdasarkan rencana tindak lanjut yang telah disusun, maka implementasi yang telah dilaksanakan adalah "
    "sebagai berikut:"
)
KESIMPULAN = (
    "Berdasarkan data-data dalam pelaksanaan tindak lanjut tersebut, sekiranya dapat ditarik beberapa "
    "kesimpulan bahwa Dinas Kependudukan dan Pencatatan Sipil telah menindaklanjuti rencana tindak lanjut "
    "sebanyak 100% (persentase dihitung dari realisasi tindak lanjut/jumlah rencana tindak lanjut X "
    "100%)."
)
STRATEGI_INTRO = (
    "Guna memastikan RTL tetap terimplementasi, maka perlu disusun berbagai strategi untuk mengatasi "
    "permasalahan yang ada. Strategi yang dikembangkan untuk mengatasi masalah tersebut, dan mendorong "
    "diimplementasikannya RTL antara lain:"
)
TABLE2_HEADER = ("No", "Prioritas Unsur", "Program/ Kegiatan", "Waktu", "Tahun", "Penanggung Jawab")
TABLE2_QUARTERS = ("TW 1", "TW 2", "TW 3", "TW 4")


def _table2_rows(p_index: int, p: PrioritySpec, line: int) -> tuple[E, ...]:
    out = cells(f"{S}, Tabel 2 row {p_index} (line {line})", str(p_index), p.title)
    for i, item in enumerate(p.items, start=1):
        ticks = ["√" for _y, _q in item.quarters]
        out += cells(
            f"{S}, Tabel 2 item {p_index}.{i} (line {line + i - 1})",
            f"{p_index}.{i}",
            item.program,
            *ticks,
            "2025",
            item.responsible,
        )
    return out


ELEMENTS = (
    E("LAPORAN TINDAK LANJUT", f"{S}, cover title line 1 (line 4)"),
    E("HASIL SURVEI KEPUASAN", f"{S}, cover title line 2 (line 5)"),
    E("MASYARAKAT (SKM)", f"{S}, cover title line 3 (line 6)"),
    E("SEMESTER I TAHUN 2025", f"{S}, cover title line 4 (line 7)"),
    *(E(t, f"{S}, cover unit line {i} (lines 11-12)") for i, t in enumerate(UNIT.cover_lines, start=1)),
    E("BAB I", f"{S}, heading (line 14)"),
    E("LATAR BELAKANG", f"{S}, heading (line 16)"),
    *(E(p, f"{S}, BAB I paragraph {i} (line {16 + 2 * i})") for i, p in enumerate(BAB1, start=1)),
    E("BAB II", f"{S}, heading (line 24)"),
    E("DESKRIPSI RENCANA TINDAK LANJUT", f"{S}, heading (line 26)"),
    E(HASIL, f"{S}, BAB II paragraph before Tabel 1 (line 28)"),
    E("Tabel 1. Ringkasan Hasil SKM Periode Semester I Tahun 2025", f"{S}, caption (line 30)"),
    *cells(f"{S}, Tabel 1 header (line 32)", "No", "Unsur", "IKM", "Mutu Layanan"),
    *(
        e
        for no, _c, label, v, g in TABLE1
        for e in cells(f"{S}, Tabel 1 row {no} (line {32 + int(no)})", no, label, v, g)
    ),
    E(PRIORITAS, f"{S}, BAB II paragraph before Tabel 2 (line 43)"),
    E(
        "Tabel 2. Rencana Tindak Lanjut Hasil Survey Kepuasan Masyarakat Semester I Tahun 2025",
        f"{S}, caption (lines 47-48)",
    ),
    *cells(f"{S}, Tabel 2 header (lines 50-51)", *TABLE2_HEADER, *TABLE2_QUARTERS),
    *_table2_rows(1, PRIORITIES[0], 52),
    *_table2_rows(2, PRIORITIES[1], 54),
    # The header is printed again on the next page (lines 57-58).
    *cells(f"{S}, Tabel 2 header repeated (lines 57-58)", *TABLE2_HEADER, *TABLE2_QUARTERS),
    *_table2_rows(3, PRIORITIES[2], 59),
    E("BAB III REALISASI RENCANA TINDAK LANJUT", f"{S}, heading (line 61)"),
    E(REALISASI, f"{S}, BAB III paragraph (line 63)"),
    *cells(
        f"{S}, Tabel 3 header (line 65)",
        "No",
        "Rencana Tindak Lanjut",
        "Apakah RTL Telah Ditindaklanjuti (Sudah/Belum)",
        "Deskripsi Tindak Lanjut (Mohon Dijabarkan)",
        "Dokumentasi Kegiatan",
        "Tantangan/ Hambatan",
    ),
    *(
        e
        for p_index, p in enumerate(PRIORITIES, start=1)
        for i, item in enumerate(p.items, start=1)
        for e in cells(
            f"{S}, Tabel 3 row {p_index}.{i} ({item.where.split('; ')[1]})",
            str(p_index) if i == 1 else "",
            f"{p_index}.{i}",
            "Sudah",
            item.description,
        )
    ),
    E("BAB IV KESIMPULAN", f"{S}, heading (line 72)"),
    E(KESIMPULAN, f"{S}, BAB IV paragraph 1 (line 74)"),
    E(STRATEGI_INTRO, f"{S}, BAB IV paragraph 2 (line 76)"),
    *cells(
        f"{S}, strategy table header (line 78)",
        "No",
        "RTL",
        "Strategi Penyelesaian",
        "Target Waktu Penyelesaian",
        "Penanggung Jawab",
        "Stakeholder Terkait",
    ),
    *cells(f"{S}, strategy table row (line 79)", *STRATEGY),
    E("Pekalongan, 22 Agustus 2025", f"{S}, signature place and date (line 81)"),
    E("Plt. Kepala Dinas Kependudukan dan Pencatatan", f"{S}, signature title line 1 (line 83)"),
    E("Sipil Kota Pekalongan", f"{S}, signature title line 2 (line 84)"),
    E("ISKANDAR, SH, M.Hum.", f"{S}, signatory (line 88)"),
    E("Pembina Tingkat I", f"{S}, signatory rank (line 89)"),
    E("NIP. 196905251990031005", f"{S}, signatory NIP (line 90)"),
)

SEED = Seed(
    number="003",
    source="003_971ac2ce28170053.txt",
    unit=UNIT,
    period="2025-S1",
    weight_mode="exact",
    samples=(ServiceSample(None, COUNTS),),
    lowest_n=3,
    priorities=PRIORITIES,
    report_date=dt.date(2025, 8, 22),
    report_place="Pekalongan",
    sections={
        "lhtl_latar_belakang": "\n\n".join(BAB1),
        "lhtl_hasil": HASIL,
        "lhtl_prioritas": PRIORITAS,
        "lhtl_realisasi": REALISASI,
        "lhtl_kesimpulan": KESIMPULAN + "\n\n" + STRATEGI_INTRO,
    },
    layout={
        "cover_title": "LAPORAN TINDAK LANJUT HASIL SURVEI KEPUASAN MASYARAKAT (SKM)",  # lines 4-6
        "cover_year": False,  # no year line under the unit (lines 11-12)
        "cover_name": "Dinas Kependudukan Dan Pencatatan Sipil / Kota Pekalongan",  # lines 11-12
        "numbering": "bertingkat",  # 1.1, 1.2, 2.1 (lines 52-59, 66-70)
        "bab3": "tabel",  # one Tabel 3 (lines 65-70)
        "bab3_by_number": True,  # No: the priority's number once; RTL: 1.1, 1.2 (lines 66-70)
        "bab1_title": "LATAR BELAKANG",  # "BAB I LATAR BELAKANG" (line 14)
        # Tabel 2's caption (line 48), after "Tabel 2.".
        "tabel2_caption": "Rencana Tindak Lanjut Hasil Survey Kepuasan Masyarakat Semester I Tahun 2025",
        # Tabel 1 (lines 30-41): its caption, the converted value only under "IKM", the unit's names.
        "tabel1_caption": "Ringkasan Hasil SKM Periode Semester I Tahun 2025",
        "tabel1_values": "konversi",
        "tabel1_unsur_header": "Unsur",
        "tabel1_value_header": "IKM",
        "tabel1_mutu_header": "Mutu Layanan",
        "unsur_labels": {code: label for _n, code, label, _v, _g in TABLE1},
        # Tabel 2 (lines 50-51): "Waktu" over "TW 1" ... "TW 4", each planned quarter ticked "√".
        "quarter_header": "Waktu",
        "quarter_labels": list(TABLE2_QUARTERS),
        "tick": "√",
    },
    elements=ELEMENTS,
    notes=(
        "Tabel 1 is consistent: all nine converted values reproduce with n = 615, all Sangat Baik (A).",
        "No NRR and no unit IKM printed; weight mode not determinable (exact 1/9 used).",
        "Priorities U3 (91.02), U7 (91.26), U9 (91.54) are the three lowest, as the product ranks them.",
        "Items 1.1/1.2 (start on time, 5S) sit under 'Waktu Pelayanan' and 2.1 (finish faster) under 'Perilaku "
        "Pelaksana': the unit's items look swapped between the two priorities; kept as printed.",
        "The strategy table's row is not one of the RTL items (product gap: kept as data, not built).",
    ),
)


def seed_elements(*, include_doubtful: bool = False) -> list[str]:
    """The ordered strings the rendered LHTL must contain."""
    return [e.text for e in SEED.elements if include_doubtful or not e.doubtful]


_CAPS = "the cover prints in capitals (PDF: text-transform uppercase; Word: all caps)"
_POINT = "Tabel 1 prints a decimal comma (91,83); the seed a decimal point (91.83)"
_TW = "Tabel 2's quarter header is fixed: 'Waktu (Triwulan)' I-IV"
_REPEAT = "the seed repeats Tabel 2's header on its next page; the product's table does not break there"
_TABLE3 = "Tabel 3's headers are fixed ('Sudah/ Belum', 'Deskripsi Tindak Lanjut'); empty columns are left out"
_STRATEGY = "the strategy table lists unrealised items only; the seed's row is not an RTL item"
KNOWN_GAPS: dict[GapKey, str] = {
    **{v: _POINT for _n, _c, _l, v, _g in TABLE1},
    **{(h, "Tabel 3 header"): _TABLE3 for h in ("Dokumentasi Kegiatan", "Tantangan/ Hambatan")},
    **{(h, "strategy table header"): _STRATEGY for h in ("No", "RTL", "Strategi Penyelesaian")},
    **{
        (h, "strategy table header"): _STRATEGY
        for h in ("Target Waktu Penyelesaian", "Penanggung Jawab", "Stakeholder Terkait")
    },
    **{(v, "strategy table row"): _STRATEGY for v in STRATEGY},
}
