"""Seed 002: Sekretariat Daerah Kota Surakarta, LHTL of Triwulan IV Tahun 2023.

Copied from the build machine's shared/seeds/002_d18a7f5aac688b4e.txt. "Line n" is the line of that file
(the extraction marks headings with "#" and bold with "**"; those marks are not text).

Tabel 1 (lines 33-42) prints each unsur's NRR (headed "IKM", 2 decimals, a dot as the
decimal sign) and Mutu; no unit IKM, so the weight mode cannot be read (exact 1/9 used).

Answer distributions: a search over n = 20..3000 for totals T with round(T/n) = the
printed NRR, the Mutu letter of round(25 T/n) as printed (3.53 is B, so U7's exact
value is below 3,5322), and U5 strictly below U2 (both print 3.51; the seed ranks U5
second and U2 third, and the product breaks exact ties by code) found n = 134 first.
Each total is made of answers 3 and 4 only: (0, 0, 4n - T, T - 3n).
"""

import datetime as dt

from .spec import E, GapKey, ItemSpec, PrioritySpec, Seed, ServiceSample, UnitSpec, bab1_paragraphs, cells

S = "seed 002"

# Totals of 134: U1 477, U2 471, U3 463, U4 526, U5 470, U6 477, U7 473, U8 518, U9 472.
COUNTS = {
    "U1": (0, 0, 59, 75),  # 3.56 A
    "U2": (0, 0, 65, 69),  # 3.51 B (3,5149)
    "U3": (0, 0, 73, 61),  # 3.46 B
    "U4": (0, 0, 10, 124),  # 3.93 A
    "U5": (0, 0, 66, 68),  # 3.51 B (3,5075, below U2)
    "U6": (0, 0, 59, 75),  # 3.56 A
    "U7": (0, 0, 63, 71),  # 3.53 B (3,5299 -> 88,25)
    "U8": (0, 0, 18, 116),  # 3.87 A
    "U9": (0, 0, 64, 70),  # 3.52 B
}

# Tabel 1 as printed: (no, code, label, NRR, mutu).
TABLE1 = (
    ("1", "U1", "U1. Persyaratan", "3.56", "A"),
    ("2", "U2", "U2. Sistem, mekanisme dan prosedur", "3.51", "B"),
    ("3", "U3", "U3. Waktu penyelesaian", "3.46", "B"),
    ("4", "U4", "U4. Biaya / tarif", "3.93", "A"),
    ("5", "U5", "U5. Produk spesifikasi jenis pelayanan", "3.51", "B"),
    ("6", "U6", "U6. Kompetensi pelaksana", "3.56", "A"),
    ("7", "U7", "U7. Perilaku pelaksana", "3.53", "B"),
    ("8", "U8", "U8. Penanganan pengaduan, saran dan masukan", "3.87", "A"),
    ("9", "U9", "U9. Sarana dan prasarana", "3.52", "B"),
)
EXPECTED = {code: (nrr, None, g) for _n, code, _l, nrr, g in TABLE1}  # (NRR, converted, mutu)
EXPECTED_IKM = None

UNIT = UnitSpec(
    code="setda-surakarta",
    name="Sekretariat Daerah",  # lines 23, 29, 94
    parents=("Kota Surakarta",),
    cover_lines=("SEKRETARIAT DAERAH", "KOTA SURAKARTA", "2023"),  # lines 9-11
    city="Surakarta",
    signatory_title="Sekretaris Daerah",
    signatory_name="Budi Murtono, S.E., M.Si",
    signatory_nip="197110101998031010",
)

PRIORITIES = (
    PrioritySpec(
        "U3",
        "U3. Waktu penyelesaian",
        (
            ItemSpec(
                "Publikasi standar pelayanan Sekretariat Daerah terutama pada poin waktu penyelesaian",
                responsible="Kepala Bagian Protokol Komunikasi dan Pimpinan",
                quarters=((2023, 4),),
                realisation_program="Publikasi standar peayanan Sekretariat Daerah terutama pada poin waktu "
                "penyelesaian",
                # Printed under "Deskripsi Tindak Lanjut"; it reads like a challenge, kept where the seed has it.
                description="agenda pimpinan daerah yang tidak dapat diprediksi",
                photo_captions=("publikasi standar pelayanan Setda pada poin waktu penyelesaian",),
                where=f"{S}, Tabel 2 row 1 (line 50); BAB III block 1 (lines 60-66)",
            ),
        ),
        where=f"{S}, Tabel 2 row 1 (line 50)",
    ),
    PrioritySpec(
        "U5",
        "U5. Produk spesifikasi jenis pelayanan",
        (
            ItemSpec(
                "Publikasi terkait produk layanan di Sekretariat Daerah melalui kanal yang dimiliki",
                responsible="Kepala Bagian Protokol Komunikasi dan Pimpinan",
                quarters=((2023, 4),),
                description="masyarakat jarang melihat website Pemerintah",
                photo_captions=("publikasi terkait produk layanan di Sekretariat Daerah melalui kanal yang dimiliki",),
                where=f"{S}, Tabel 2 row 2 (line 51); BAB III block 2 (lines 68-74)",
            ),
        ),
        where=f"{S}, Tabel 2 row 2 (line 51)",
    ),
    PrioritySpec(
        "U2",
        "U2. Sistem, mekanisme dan prosedur",
        (
            ItemSpec(
                "internalisasi sop masing masing bagian",
                responsible="masing-masing Kepala Bagian",
                quarters=((2023, 4),),
                description="internalisasi sop masing-masing bagian",
                photo_captions=(
                    "internalisasi sop masing-masing bagian",
                    "internalisasi sop masing-masing bagian",
                ),
                where=f"{S}, Tabel 2 row 3 (line 52); BAB III block 3 (lines 76-86)",
            ),
        ),
        where=f"{S}, Tabel 2 row 3 (line 52)",
    ),
)
# BAB III prints no Sudah/Belum column and leaves "Waktu Pelaksanaan" and "Tantangan/Hambatan"
# blank; the conclusion (lines 94-96) says all three were followed up and none is left ("nihil").

BAB1 = bab1_paragraphs("Sekretariat Daerah")
HASIL = (
    "Hasil survei kepuasan masyarakat oleh Sekretariat Daerah periode 01 Oktober s.d 17 November 2023 menunjukkan "
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
KESIMPULAN = (
    "Sekretariat Daerah telah menindaklanjuti rencana tindak lanjut hasil SKM pada unsur U3. Waktu penyelesaian, "
    "U5. Produk spesifikasi jenis pelayanan, U2. Sistem, mekanisme dan prosedur",
    "Masih terdapat rencana tindak lanjut yang belum ditindaklanjuti yaitu pada unsur karena beberapa alasan, yaitu:",
    "nihil",  # line 96, a sub-item ". nihil"
    "Guna memastikan RTL tetap terimplementasi, maka perlu disusun berbagai strategi untuk mengatasi permasalahan "
    "yang ada. Strategi yang dikembangkan untuk mengatasi masalah tersebut, dan mendorong diimplementasikannya RTL "
    "antara lain:",
)
TABLE3_HEADER = (
    "No",
    "Unsur",
    "Rencana Tindak Lanjut",
    "Deskripsi Tindak Lanjut",
    "Waktu Pelaksanaan",
    "Tantangan/Hambatan",
)


def _block(no: int, p: PrioritySpec, first_line: int, figures: tuple[int, ...]) -> tuple[E, ...]:
    item = p.items[0]
    out = cells(f"{S}, BAB III block {no} header (line {first_line})", *TABLE3_HEADER)
    out += cells(
        f"{S}, BAB III block {no} row (line {first_line + 1})",
        str(no),
        p.title,
        item.realisation_program or item.program,
        item.description,
    )
    out += (E("Dokumentasi Kegiatan", f"{S}, BAB III block {no} (line {first_line + 2})"),)
    for fig, caption in zip(figures, item.photo_captions, strict=True):
        out += (E(f"Gambar {fig}. {caption}", f"{S}, BAB III block {no}, photo caption"),)
    return out


ELEMENTS = (
    E("Laporan Hasil Tindak Lanjut Pelaksanaan", f"{S}, cover title line 1 (line 3)"),
    E("Survei Kepuasan Masyarakat", f"{S}, cover title line 2 (line 4)"),
    E("Periode Triwulan IV Tahun 2023", f"{S}, cover title line 3 (line 5)"),
    *(E(t, f"{S}, cover line {i} (lines 9-11)") for i, t in enumerate(UNIT.cover_lines, start=1)),
    E("BAB I", f"{S}, heading (line 13)"),
    E("PENDAHULUAN", f"{S}, heading (line 15)"),
    E("A. Latar Belakang", f"{S}, subheading (line 17)"),
    *(E(p, f"{S}, BAB I paragraph {i} (line {17 + 2 * i})") for i, p in enumerate(BAB1, start=1)),
    E("BAB II", f"{S}, heading (line 25)"),
    E("DESKRIPSI RENCANA TINDAK LANJUT", f"{S}, heading (line 27)"),
    E(HASIL, f"{S}, BAB II paragraph before Tabel 1 (line 29)"),
    E("Tabel 1. Ringkasan Hasil SKM Periode 01 Oktober s.d 17 November 2023", f"{S}, caption (line 31)"),
    *cells(f"{S}, Tabel 1 header (line 33)", "No", "Unsur", "IKM", "Mutu Layanan"),
    *(
        e
        for no, _c, label, v, g in TABLE1
        for e in cells(f"{S}, Tabel 1 row {no} (line {33 + int(no)})", no, label, v, g)
    ),
    E(PRIORITAS, f"{S}, BAB II paragraph before Tabel 2 (line 44)"),
    E("Tabel 2. Rencana Tindak Lanjut Pelaksanaan SKM", f"{S}, caption (line 46)"),
    *cells(
        f"{S}, Tabel 2 header (lines 48-49)",
        "No",
        "Prioritas Unsur",
        "Program/ Kegiatan",
        "Waktu",
        "Penanggung Jawab",
        "TW 1",
        "TW 2",
        "TW 3",
        "TW 4",
    ),
    *(
        e
        for i, p in enumerate(PRIORITIES, start=1)
        for e in cells(
            f"{S}, Tabel 2 row {i} (line {49 + i})", str(i), p.title, p.items[0].program, "V", p.items[0].responsible
        )
    ),
    E("BAB III", f"{S}, heading (line 54)"),
    E("REALISASI RENCANA TINDAK LANJUT", f"{S}, heading (line 55)"),
    E(REALISASI, f"{S}, BAB III paragraph (line 58)"),
    *_block(1, PRIORITIES[0], 60, (1,)),
    *_block(2, PRIORITIES[1], 68, (2,)),
    *_block(3, PRIORITIES[2], 76, (3, 4)),
    E("BAB IV", f"{S}, heading (line 88)"),
    E("KESIMPULAN", f"{S}, heading (line 90)"),
    E(KESIMPULAN_INTRO, f"{S}, BAB IV paragraph (line 92)"),
    *(E(t, f"{S}, BAB IV list (lines 94-97)") for t in KESIMPULAN),
    *cells(
        f"{S}, strategy table header (line 99)",
        "No",
        "RTL",
        "Strategi Penyelesaian",
        "Target Waktu Penyelesaian",
        "Penanggung Jawab",
    ),
    E("nihil", f"{S}, strategy table's only row (line 100)"),
    E("Surakarta, 18 Desember 2023", f"{S}, signature place and date (line 102)"),
    E("Sekretaris Daerah", f"{S}, signature title (line 104)"),
    E("Budi Murtono, S.E., M.Si", f"{S}, signatory (line 106)"),
    E("NIP. 197110101998031010", f"{S}, signatory NIP (line 107)"),
)

SEED = Seed(
    number="002",
    source="002_d18a7f5aac688b4e.txt",
    unit=UNIT,
    period="2023-TW4",
    weight_mode="exact",
    samples=(ServiceSample(None, COUNTS),),
    lowest_n=3,
    priorities=PRIORITIES,
    report_date=dt.date(2023, 12, 18),
    report_place="Surakarta",
    sections={
        "lhtl_latar_belakang": "\n\n".join(BAB1),
        "lhtl_hasil": HASIL,
        "lhtl_prioritas": PRIORITAS,
        "lhtl_realisasi": REALISASI,
        # Lines 94-97: a numbered list, "nihil" a sub-item of item 2.
        "lhtl_kesimpulan": f"{KESIMPULAN_INTRO}\n\n1. {KESIMPULAN[0]}\n2. {KESIMPULAN[1]}\n   - {KESIMPULAN[2]}\n"
        f"3. {KESIMPULAN[3]}",
    },
    layout={
        # Lines 3-5: the period is part of the title, as the unit wrote it ("Periode ...").
        "cover_title": "Laporan Hasil Tindak Lanjut Pelaksanaan Survei Kepuasan Masyarakat Periode Triwulan IV "
        "Tahun 2023",
        "cover_name": "SEKRETARIAT DAERAH / KOTA SURAKARTA",  # lines 9-10, then the year (line 11)
        "numbering": "urut",  # BAB III numbers the RTL 1-3 (lines 61, 69, 77)
        "bab3": "blok",  # one table per RTL with its photos under it (lines 60-86)
        "bab3_unsur": True,  # an "Unsur" column with the priority (lines 60-77)
        # Tabel 1 (lines 31-42): the round's window in the caption, the NRR only under "IKM", the
        # unit's names of the unsur ("U1. Persyaratan").
        "tabel1_caption": "Ringkasan Hasil SKM Periode 01 Oktober s.d 17 November 2023",
        "tabel1_values": "nrr",
        "tabel1_unsur_header": "Unsur",
        "tabel1_value_header": "IKM",
        "tabel1_mutu_header": "Mutu Layanan",
        "unsur_labels": {code: label for _n, code, label, _v, _g in TABLE1},
        # Tabel 2 (lines 48-52): "Waktu" over "TW 1" ... "TW 4", each planned quarter ticked "V".
        "quarter_header": "Waktu",
        "quarter_labels": ["TW 1", "TW 2", "TW 3", "TW 4"],
        "tick": "V",
    },
    elements=ELEMENTS,
    notes=(
        "Tabel 1 is consistent: all nine NRR and Mutu letters reproduce with n = 134 (U7 3.53 is B, below 3,5324).",
        "U2 and U5 both print 3.51 but the seed ranks U5 before U2: reproduced by U5's exact NRR being lower.",
        "No unit IKM printed; weight mode not determinable (exact 1/9 used).",
        "Collection period '01 Oktober s.d 17 November 2023' inside Triwulan IV 2023 (period 2023-TW4).",
        "BAB III's first RTL text spells 'peayanan' where Tabel 2 has 'pelayanan'.",
        "BAB III's Deskripsi of item 1 and 2 reads like a challenge; kept as description, where the seed prints it.",
        "Conclusion item 2 names no unsur ('pada unsur karena') and its only reason is 'nihil'.",
    ),
)


def seed_elements(*, include_doubtful: bool = False) -> list[str]:
    """The ordered strings the rendered LHTL must contain."""
    return [e.text for e in SEED.elements if include_doubtful or not e.doubtful]


_CAPS = "the cover prints in capitals (PDF: text-transform uppercase; Word: all caps)"
_POINT = "Tabel 1 prints a decimal comma (3,56); the seed a decimal point (3.56)"
_NAMES = "Tabel 1 prints the product's unsur names ('U2. Sistem, Mekanisme, dan Prosedur'), not the unit's"
_TW = "Tabel 2's quarter header is fixed: 'Waktu (Triwulan)' I-IV"
_EMPTY = "a column no item fills is left out; the seed prints 'Waktu Pelaksanaan' and 'Tantangan/Hambatan' empty"
_STRATEGY = "no strategy table when every item is realised; the seed prints one whose only row is 'nihil'"
KNOWN_GAPS: dict[GapKey, str] = {
    **{v: _POINT for _n, _c, _l, v, _g in TABLE1},
    "Waktu Pelaksanaan": _EMPTY,
    "Tantangan/Hambatan": _EMPTY,
    "Publikasi standar peayanan Sekretariat Daerah terutama pada poin waktu penyelesaian": "BAB III prints Tabel 2's program text; an item has no realisation "
    "text of its own",
    "Dokumentasi Kegiatan": "BAB III prints the photos' numbers in a 'Dokumentasi' column, no 'Dokumentasi "
    "Kegiatan' row",
    **{(h, "strategy table"): _STRATEGY for h in ("No", "RTL", "Strategi Penyelesaian", "Target Waktu Penyelesaian")},
    ("Penanggung Jawab", "strategy table"): _STRATEGY,
    ("nihil", "strategy table"): _STRATEGY,
}
