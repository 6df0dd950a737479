"""Seed 000: KPU Kabupaten Tangerang, LHTL of Semester 2 Tahun 2024.

Copied from the build machine's shared/seeds/000_aa71906cf55f1bca.txt (text extracted from the
unit's report). Every element keeps the seed's text, spelling included
("peningkatkan", "Kapsitas", "Renacana"). "Line n" is the line of that file.

Tabel 1 (lines 29-38) prints "NRR/converted" and Mutu per unsur; it prints no
unit IKM, so the weight mode cannot be read from it (built under exact 1/9).

Answer distributions: the nine converted values are all multiples of 25/53
(88,21 = 187/53 x 25 ...). A search over n = 20..400 for totals T with
round(T/n) = the printed NRR and round(25 T/n) = the printed converted value
found n = 53 as the smallest sample (then 106, 159, ...). Each unsur's total
is made of answers 3 and 4 only: (n1, n2, n3, n4) = (0, 0, 4n - T, T - 3n).
"""

import datetime as dt

from .spec import E, GapKey, ItemSpec, PrioritySpec, Seed, ServiceSample, UnitSpec, bab1_paragraphs, cells

S = "seed 000"

# Totals: U1 187, U2 186, U3 180, U4 190, U5 182, U6 182, U7 186, U8 191, U9 179 (of 53).
# The seed prints U9 (Sarana) 8th and U8 (Pengaduan) 9th; values are matched by name.
COUNTS = {
    "U1": (0, 0, 25, 28),  # 3,53 / 88,21
    "U2": (0, 0, 26, 27),  # 3,51 / 87,74
    "U3": (0, 0, 32, 21),  # 3,40 / 84,91
    "U4": (0, 0, 22, 31),  # 3,58 / 89,62
    "U5": (0, 0, 30, 23),  # 3,43 / 85,85
    "U6": (0, 0, 30, 23),  # 3,43 / 85,85
    "U7": (0, 0, 26, 27),  # 3,51 / 87,74
    "U8": (0, 0, 21, 32),  # 3,60 / 90,09
    "U9": (0, 0, 33, 20),  # 3,38 / 84,43
}

# Tabel 1 as printed, in the seed's row order: (no, code, label, "NRR/converted", mutu).
# The extraction shows the Mutu letters as Cyrillic "В"/"А" and Greek "Α"; they are the Latin B and A.
TABLE1 = (
    ("1", "U1", "Persyaratan", "3,53/88,21", "B"),
    ("2", "U2", "Sistem, Mekanisme, dan Prosedur", "3,51/87,74", "B"),
    ("3", "U3", "Waktu Penyelesaian", "3,40/84,91", "B"),
    ("4", "U4", "Biaya/Tarif", "3,58/89,62", "A"),
    ("5", "U5", "Produk, Spesifikasi, dan Jenis Pelayanan", "3,43/85,85", "B"),
    ("6", "U6", "Kompetensi Pelaksana", "3,43/85,85", "B"),
    ("7", "U7", "Perilaku Pelaksana", "3,51/87,74", "B"),
    ("8", "U9", "Sarana dan Prasarana", "3,38/84,43", "B"),
    ("9", "U8", "Penanganan Pengaduan, Saran, dan Masukan", "3,60/90,09", "A"),
)
# What the product must compute for each unsur: (NRR, converted, mutu), from TABLE1.
EXPECTED = {
    code: (v.split("/")[0].replace(",", "."), v.split("/")[1].replace(",", "."), g) for _n, code, _l, v, g in TABLE1
}
EXPECTED_IKM = None  # the seed prints no unit IKM

UNIT = UnitSpec(
    code="kpu-kab-tangerang",
    name="KPU Kabupaten Tangerang",  # lines 21, 25 (body text)
    parents=("Komisi Pemilihan Umum",),
    cover_lines=("Komisi Pemilihan Umum", "Kabupaten Tangerang"),  # lines 5, 7
    city="Tangerang",
    # Lines 77-79: "Sekretaris Komisi Pemilihan Umum" / "abupaten Tangerang" (the extraction
    # lost the K of "Kabupaten").
    signatory_title="Sekretaris Komisi Pemilihan Umum Kabupaten Tangerang",
    signatory_name="Kuswanto",
    signatory_nip="198009242009021004",
)

PRIORITIES = (
    PrioritySpec(
        "U9",
        "Unsur Sarana dan Prasarana",
        (
            ItemSpec(
                "Evaluasi peningkatkan sarana dan prasarana pelayanan publik",
                realisation_program="Evaluasi peningkatkan dan perbaikan sarana dan prasarana pelayanan publik",
                description="Meningkatkan Sarana dan Prasarana berupa perbaikan rumah pintar pemilu dan ruang tunggu "
                "bagi pemohon informasi.",
                photo_captions=("",),  # line 58: a photo (its printed sign reads "MASUR"), no caption
                where=f"{S}, Tabel 2 row 1 (line 46); BAB III row 1 (line 58)",
            ),
        ),
        where=f"{S}, Tabel 2 row 1 (line 46)",
    ),
    PrioritySpec(
        "U3",
        "Unsur Waktu Penyelesaian",
        (
            ItemSpec(
                "Evaluasi peningkatkan waktu penyelesaian pelayanan.",
                description="Meningkatkan kecapatan waktu pelayanan dengan saling berkoordinasi dengan berbagai "
                "bagian-bagian sesuai dengan jenis permohonannya.",
                where=f"{S}, Tabel 2 row 2 (line 47); BAB III row 2 (line 59)",
            ),
        ),
        where=f"{S}, Tabel 2 row 2 (line 47)",
    ),
    PrioritySpec(
        # The unit's own name of U5 (Produk Spesifikasi Jenis Pelayanan); U5 ties U6 at 85,85
        # and comes first by code, so it is the product's third lowest too.
        "U5",
        "Unsur Kesesuaian Layanan dengan Hasil",
        (
            ItemSpec(
                "Peningkatan Kapsitas Petugas Pelayanan",
                description="Peningkatan Kapasitas yang dilakukan KPU Kabupaten Tangerang dengan mengikuti kegiatan "
                "bimbingan teknis atau pelatihan yang diselenggarakan oleh KPU RI maupun KPU Provinsi",
                where=f"{S}, Tabel 2 row 3 (line 48); BAB III row 3 (line 61)",
            ),
            ItemSpec(
                "Evaluasi standar pelayanan",
                description="Melakukan Rapat reviu tentang standar pelayanan dan jenis layanan publik di KPU "
                "Kabupaten Tangerang",
                photo_captions=("",),  # line 62: a photo of the "K P U KABUPATEN TANGERANG" sign, no caption
                where=f"{S}, Tabel 2 row 3 second kegiatan (line 49); BAB III row 4 (line 62)",
            ),
        ),
        where=f"{S}, Tabel 2 row 3 (line 48)",
    ),
)
# Tabel 2 has five empty "Waktu" columns 1-5 and no Penanggung Jawab; BAB III has no date column.

BAB1 = bab1_paragraphs("KPU Kabupaten Tangerang")
HASIL = (
    "Hasil survei kepuasan masyarakat oleh KPU Kabupaten Tangerang Periode Semester 2 Tahun 2024 menunjukkan "
    "angka yang sangat beragam pada berbagai unsur pelayanan seperti dapat terlihat pada tabel di bawah ini:"
)
PRIORITAS = (
    "Berkaca pada data di atas, dapat terlihat beberapa unsur yang memerlukan intervensi lanjutan karena rendahnya "
    "angka IKM pada unsur tersebut. Oleh karena itu, perlu disusun sebuah rencana tindak lanjut perbaikan terhadap "
    "unsur-unsur dengan nilai rendah. Untuk memastikan rencana tindak lanjut dapat diimplementasikan dan "
    "ditindaklanjuti dengan baik, maka perlu disusun skala prioritas perbaikan unsur yang terdiri dari 3 unsur "
    "dengan nilai terendah. Kerangka rencana tindak lanjut dari ketiga unsur tersebut, dapat terlihat pada tabel "
    "di bawah ini:"
)
REALISASI = (
    "Berdasarkan rencana tindak lanjut yang telah disusun, maka implementasi yang telah dilaksanakan adalah "
    "sebagai berikut:"
)
KESIMPULAN_INTRO = (
    "Berdasarkan data-data dalam pelaksanaan tindak lanjut tersebut, sekiranya dapat ditarik beberapa kesimpulan yaitu:"
)
# Lines 70-73: a list; the extraction prints the first item without its number and the others as "- 2. ...".
KESIMPULAN = (
    "KPU Kabupaten Tangerang telah menindaklanjuti rencana tindak lanjut rencana tindak lanjut di periode semester "
    "II Tahun 2024. Dimana Renacana tindak lanjut yang dapat di realisasikan yaitu 4 dari 4 RTL. Dimana Semua RTL "
    "sudah terealisasi.",
    "Meningkatkan kapasitas pegawai KPU Kabupaten Tangerang dengan mengikuti bimbingan teknis yang di "
    "selenggarakan KPU Republik Indonesia dan KPU Provinsi Banten.",
    "Meningkatkan dan memperbaiki sarana dan prasarana yang berada di KPU Kabupaten Tangerang seperti perbaikan "
    "Rumah Pintar Pemilu dan tempat tunggu bagi pemohon informasi.",
    "Meningkatkan pelayanan dan mengevaluasi standar pelayanan supaya lebih cepat dan akurat informasi yang akan "
    "diberikan kepada publik.",
)

ELEMENTS = (
    E(
        "Laporan Hasil Tindak Lanjut Pelaksanaan Survei Kepuasan Masyarakat Periode Semester 2 Tahun 2024",
        f"{S}, cover title (line 1)",
    ),
    E("Komisi Pemilihan Umum", f"{S}, cover unit line 1 (line 5)"),
    E("Kabupaten Tangerang", f"{S}, cover unit line 2 (line 7)"),
    E("2025", f"{S}, cover year (line 9)"),
    E("BAB I", f"{S}, heading (line 11, extracted as 'BABI')"),
    E("PENDAHULUAN", f"{S}, heading (line 13)"),
    E("Latar Belakang", f"{S}, subheading (line 15)"),
    *(E(p, f"{S}, BAB I paragraph {i} (line {15 + 2 * i})") for i, p in enumerate(BAB1, start=1)),
    E("BAB II DESKRIPSI RENCANA TINDAK LANJUT", f"{S}, heading (line 23)"),
    E(HASIL, f"{S}, BAB II paragraph before Tabel 1 (line 25)"),
    E("Tabel 1. Ringkasan Hasil SKM Periode Semester 2 Tahun 2024", f"{S}, caption (line 27)"),
    *cells(f"{S}, Tabel 1 header (line 29)", "No", "Unsur IKM", "Mutu Layanan"),
    *(
        e
        for no, _c, label, v, g in TABLE1
        for e in cells(f"{S}, Tabel 1 row {no} (line {29 + int(no)})", no, label, v, g)
    ),
    E(PRIORITAS, f"{S}, BAB II paragraph before Tabel 2 (line 40)"),
    E("Tabel 2. Rencana Tindak Lanjut Pelaksanaan SKM", f"{S}, caption (line 42)"),
    *cells(f"{S}, Tabel 2 header (line 44)", "No", "Prioritas Unsur", "Program/ Kegiatan", "Waktu"),
    *cells(f"{S}, Tabel 2 header (line 45)", "1", "2", "3", "4", "5"),
    *cells(f"{S}, Tabel 2 row 1 (line 46)", "1", "Unsur Sarana dan Prasarana"),
    E("Evaluasi peningkatkan sarana dan prasarana pelayanan publik", f"{S}, Tabel 2 row 1 (line 46)"),
    *cells(f"{S}, Tabel 2 row 2 (line 47)", "2", "Unsur Waktu Penyelesaian"),
    E("Evaluasi peningkatkan waktu penyelesaian pelayanan.", f"{S}, Tabel 2 row 2 (line 47)"),
    *cells(f"{S}, Tabel 2 row 3 (line 48)", "3", "Unsur Kesesuaian Layanan dengan Hasil"),
    E("Peningkatan Kapsitas Petugas Pelayanan", f"{S}, Tabel 2 row 3 (line 48)"),
    E("Evaluasi standar pelayanan", f"{S}, Tabel 2 row 3, second kegiatan (line 49)"),
    E("BAB III", f"{S}, heading (line 51)"),
    E("REALISASI RENCANA TINDAK LANJUT", f"{S}, heading (line 53)"),
    E(REALISASI, f"{S}, BAB III paragraph (line 55)"),
    *cells(
        f"{S}, Tabel 3 header (line 57)",
        "No",
        "Rencana Tindak Lanjut",
        "Apakah RTL Telah Ditindaklanjuti (Sudah/Belum)",
        "Deskripsi Tindak Lanjut (Mohon Dijabarkan)",
        "Dokumentasi Kegiatan",
    ),
    *(
        e
        for no, item in enumerate((it for p in PRIORITIES for it in p.items), start=1)
        for e in cells(
            f"{S}, Tabel 3 row {no} (line {57 + no + (1 if no > 2 else 0)})",
            str(no),
            item.realisation_program or item.program,
            "Sudah",
            item.description,
        )
    ),
    E("BAB IV", f"{S}, heading (line 64)"),
    E("KESIMPULAN", f"{S}, heading (line 66)"),
    E(KESIMPULAN_INTRO, f"{S}, BAB IV paragraph (line 68)"),
    *(E(t, f"{S}, BAB IV list item {i} (line {69 + i})") for i, t in enumerate(KESIMPULAN, start=1)),
    E("Tangerang, 12 September 2025", f"{S}, signature place and date (line 75)"),
    E("Sekretaris Komisi Pemilihan Umum", f"{S}, signature title line 1 (line 77)"),
    E("abupaten Tangerang", f"{S}, signature title line 2 (line 79, 'Kabupaten' lost its K in the extraction)"),
    E("Kuswanto", f"{S}, signatory (line 81)"),
    E("NIP. 198009242009021004", f"{S}, signatory NIP (line 83)"),
)

SEED = Seed(
    number="000",
    source="000_aa71906cf55f1bca.txt",
    unit=UNIT,
    period="2024-S2",
    weight_mode="exact",
    samples=(ServiceSample(None, COUNTS),),
    lowest_n=3,
    priorities=PRIORITIES,
    report_date=dt.date(2025, 9, 12),
    report_place="Tangerang",
    sections={
        "lhtl_latar_belakang": "\n\n".join(BAB1),
        "lhtl_hasil": HASIL,
        "lhtl_prioritas": PRIORITAS,
        "lhtl_realisasi": REALISASI,
        "lhtl_kesimpulan": KESIMPULAN_INTRO + "\n\n" + "\n".join(f"{i}. {t}" for i, t in enumerate(KESIMPULAN, 1)),
    },
    layout={
        # Line 1: the period is part of the title, as the unit wrote it ("Semester 2").
        "cover_title": "Laporan Hasil Tindak Lanjut Pelaksanaan Survei Kepuasan Masyarakat Periode Semester 2 "
        "Tahun 2024",
        "cover_name": "Komisi Pemilihan Umum / Kabupaten Tangerang",  # lines 5, 7
        "short_name": "KPU Kabupaten Tangerang",  # lines 21, 25
        "combined_cell": True,  # Tabel 1: "3,53/88,21" in one cell (lines 30-38)
        "numbering": "urut",  # Tabel 3 numbers the RTL 1-4 (lines 58-62)
        "bab3": "blok",  # each RTL with its photo (lines 58, 62)
        # Tabel 1 (lines 27-38): its caption, "No | Unsur IKM | | Mutu Layanan", the unit's names of
        # the unsur, and U9 (Sarana) printed before U8 (Pengaduan).
        "tabel1_caption": "Ringkasan Hasil SKM Periode Semester 2 Tahun 2024",
        "tabel1_unsur_header": "Unsur",
        "tabel1_value_header": "IKM",
        "tabel1_mutu_header": "Mutu Layanan",
        "unsur_labels": {code: label for _n, code, label, _v, _g in TABLE1},
        "tabel1_order": [code for _n, code, _l, _v, _g in TABLE1],
    },
    elements=ELEMENTS,
    notes=(
        "Tabel 1 is consistent: all nine NRR / converted pairs and Mutu letters reproduce with n = 53.",
        "No unit IKM printed; weight mode not determinable (exact 1/9 used).",
        "Cover year 2025 is the report's year, the period is Semester 2 Tahun 2024.",
        "BAB III's first RTL text ('... peningkatkan dan perbaikan sarana ...') differs from Tabel 2's.",
        "Unsur Kesesuaian Layanan dengan Hasil is the unit's title for U5 (tie with U6 at 85,85, U5 first by code).",
    ),
)


def seed_elements(*, include_doubtful: bool = False) -> list[str]:
    """The ordered strings the rendered LHTL must contain."""
    return [e.text for e in SEED.elements if include_doubtful or not e.doubtful]


_CAPS = "the cover prints in capitals (PDF: text-transform uppercase; Word: all caps)"
_TABLE3 = "Tabel 3's headers are fixed ('Sudah/ Belum', 'Deskripsi Tindak Lanjut', 'Dokumentasi')"
_GRID = "Tabel 2 leaves out the quarter grid when no item has ticks; the seed prints five empty 'Waktu' columns"
KNOWN_GAPS: dict[GapKey, str] = {
    ("Waktu", "Tabel 2 header (line 44)"): _GRID,
    **{(str(i), "Tabel 2 header (line 45)"): _GRID for i in range(1, 6)},
    "Evaluasi peningkatkan dan perbaikan sarana dan prasarana pelayanan publik": "BAB III prints Tabel 2's "
    "program text; an item has no realisation text of its own",
}
