"""The report of one Zona Integritas survey (SPKP: IPKP, SPAK: IPAK) as a document
tree (``reports.document``), from ``reports.context_instrument.InstrumentReport``.

Short: cover, daftar isi and tabel, BAB I (basis, items, scale, formula), BAB II
(the index, per item, per group, per jenis layanan, answers per item, profile,
saran) and BAB III (a generated conclusion). Both renderers of the Laporan SKM
lay it out, so its PDF and DOCX say the same thing. Every figure is printed once
through ``format_number`` (``num``) from its exact value.
"""

from __future__ import annotations

from fractions import Fraction

from skm.rules.instrument import Instrument
from skm.rules.instruments_data import ZI_BANDS
from skm.rules.sentences import join_id

from .build import (
    DASH,
    Numbers,
    _chapter,
    _section,
    cover,
    header_row,
    num,
    para,
    pct,
    profile_table,
    saran_blocks,
    signature_block,
    table,
)
from .context_instrument import InstrumentReport, ItemRow
from .document import (
    Align,
    Block,
    Document,
    Heading,
    HeadingKind,
    ListBlock,
    Listing,
    ListingKind,
    ListItem,
    ParaStyle,
    PartKind,
    Row,
    Table,
    cell,
    runs,
)

L, C, R = Align.LEFT, Align.CENTER, Align.RIGHT
SARAN_ELSEWHERE = "ekspor “Data mentah jawaban” periode ini"


def fraction_text(value: Fraction) -> str:
    """A weight as typed in the formula: "1/5" (exact), "1" for a whole number."""
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def instrument_document(r: InstrumentReport) -> Document:
    """Cover, front matter, BAB I-III of one instrument's report."""
    unit, period, ins = r.unit, r.period, r.instrument
    doc = Document(
        title=f"Laporan {r.name} {unit.name} {period.label}",
        author=unit.name,
        subject=f"{r.name} ({ins.index_name}) {period.label}",
        lang="id",
        date=r.report_date,
        keywords=f"{ins.code}, {ins.index_name}, Zona Integritas",
    )
    n = Numbers()
    front = doc.part(PartKind.COVER)
    front.add(
        cover(
            title_lines=("Laporan", r.name, f"{r.index_title} ({ins.index_name})"),
            period_line=period.label,
            org_lines=r.heading,
            lh=r.letterhead,
            year_line=str(r.report_year),
            emblem=ins.index_name,
        )
    )
    fm = doc.part(PartKind.FRONT)
    fm.add(Heading(HeadingKind.FRONT, "", "DAFTAR ISI", "daftar-isi", 1), Listing(ListingKind.CONTENTS))
    fm.add(Heading(HeadingKind.FRONT, "", "DAFTAR TABEL", "daftar-tabel", 1), Listing(ListingKind.TABLES))
    _bab1(doc, r, n)
    _bab2(doc, r, n)
    _bab3(doc, r)
    return doc


# ------------------------------------------------------------------ BAB I


def _formula(ins: Instrument) -> str:
    k = ins.scale.points
    return f"{ins.index_name} = Σ (bobot × NRR) × 100 ÷ {k}"


def _bab1(doc: Document, r: InstrumentReport, n: Numbers) -> None:
    ins, unit, period = r.instrument, r.unit, r.period
    k = ins.scale.points
    idx = ins.index_name
    bab = _chapter(doc, 1, "PENDAHULUAN")
    _section(bab, "1.1.", "Latar Belakang dan Dasar", "s1-1")
    bab.add(
        para(
            f"{unit.name} melaksanakan {r.name} ({ins.code}) pada {period.label} untuk mengukur persepsi pengguna "
            f"layanan melalui {num(len(ins.items), 0)} butir pernyataan. Hasilnya dinyatakan sebagai {r.index_title} "
            f"({idx}) dengan nilai tertinggi 100."
        ),
        para("Dasar pelaksanaan: ", ins.basis.get("id") or DASH, "."),
    )
    _section(bab, "1.2.", "Butir Pernyataan dan Skala Penilaian", "s1-2")
    bab.add(para(f"Butir pernyataan {r.name} adalah sebagai berikut:"))
    with_groups = any(row.group for row in r.items)
    widths: list[tuple[float | None, Align]] = [(6.0, C), (8.0, C), (None, L)] + ([(24.0, L)] if with_groups else [])
    heads = ("No", "Kode", "Pernyataan") + (("Kelompok",) if with_groups else ())
    bab.add(
        table(
            n.table("I"),
            f"Butir Pernyataan {r.name}",
            widths,
            header_row(*heads),
            [
                Row(
                    (
                        cell(str(row.no)),
                        cell(row.item.code),
                        cell((f"{row.name}. ", "b"), row.item.text.get("id")),
                        *((cell(row.group or DASH),) if with_groups else ()),
                    )
                )
                for row in r.items
            ],
        )
    )
    bab.add(
        para(
            f"Setiap butir dijawab dengan skala 1 sampai {k}: nilai 1 adalah penilaian paling buruk dan nilai {k} "
            "paling baik. Arti setiap nilai:"
        )
    )
    bab.add(
        table(
            n.table("I"),
            "Skala Penilaian",
            [(14, C), (None, L)],
            header_row("Nilai", "Keterangan"),
            [
                Row((cell(str(p)), cell(label.get("id"))))
                for p, label in zip(ins.scale.scores, ins.scale.labels, strict=True)
            ],
            keep=True,
        )
    )
    _section(bab, "1.3.", "Metode Perhitungan", "s1-3")
    if ins.weights is None:
        weights = f"dengan bobot yang sama untuk setiap butir, yaitu {fraction_text(ins.item_weights[0])}"
    else:
        weights = "dengan bobot tiap butir seperti pada tabel nilai per butir (jumlah seluruh bobot 1)"
    bab.add(
        ListBlock(
            (
                ListItem(
                    runs(
                        ("Nilai rata-rata (NRR) tiap butir", "b"),
                        " = jumlah nilai jawaban ÷ jumlah jawaban yang diberikan pada butir itu. Jawaban kosong "
                        "tidak dihitung dan tidak diberi nilai 0.",
                    )
                ),
                ListItem(runs((_formula(ins), "b"), f", {weights}; Σ adalah jumlah atas seluruh butir.")),
                ListItem(
                    runs(
                        "Perhitungan memakai nilai tepat (pecahan); hanya hasil akhirnya yang dibulatkan sekali ke "
                        f"dua desimal. {idx} baru dapat dihitung bila setiap butir memiliki sedikitnya satu jawaban."
                    )
                ),
                ListItem(
                    runs(
                        "Persentase pada tabel sebaran jawaban dihitung dari jumlah responden yang menjawab butir "
                        "itu; persentase pada tabel profil dari seluruh responden."
                    )
                ),
            )
        )
    )
    bands = (
        "Batas kategorinya mengikuti batas kategori IKM pada peraturan tersebut, sebagai nilai bawaan aplikasi."
        if ins.bands == ZI_BANDS
        else "Batas kategorinya ditetapkan pada instrumen ini."
    )
    bab.add(
        para(
            f"Tidak ada peraturan yang menetapkan rumus maupun kategori nilai {idx}. Rumus di atas adalah rumus "
            "Indeks Kepuasan Masyarakat pada Permenpan RB Nomor 14 Tahun 2017 (skala 1 sampai 4, bobot sama, "
            f"dikali 25) yang diperluas ke skala 1 sampai {k} (dikali 100 ÷ {k}). {bands}"
        )
    )
    bab.add(
        table(
            n.table("I"),
            f"Kategori Nilai {idx}",
            [(14, C), (None, C), (36, L)],
            header_row("Mutu", f"Rentang {idx}", "Kategori"),
            [
                Row((cell(b.grade, bold=True), cell(f"{num(b.low)} – {num(b.high)}"), cell(b.label.get("id"))))
                for b in sorted(ins.bands, key=lambda b: b.low, reverse=True)
            ],
            keep=True,
        )
    )


# ------------------------------------------------------------------ BAB II


def _index_sentence(r: InstrumentReport) -> list:
    """ "IPAK … adalah 84,44 dengan mutu B (Baik)", or why there is no index yet."""
    ins, result = r.instrument, r.result
    idx = ins.index_name
    if result.index is not None and result.band is not None:
        return [
            f"{idx} {r.unit.name} pada {r.period.label} adalah ",
            (num(result.index), "b"),
            " dengan mutu ",
            (f"{result.grade} ({result.band.label.get('id')})", "b"),
            f", dihitung dari {num(result.respondents, 0)} responden.",
        ]
    if not result.respondents:
        return [f"Belum ada responden yang menjawab {r.name} pada {r.period.label}; {idx} belum dapat dihitung."]
    codes = join_id(row.item.code for row in r.unanswered)
    return [
        f"{r.name} pada {r.period.label} dijawab oleh {num(result.respondents, 0)} responden, tetapi {idx} belum "
        f"dapat dihitung karena butir {codes} belum memiliki jawaban."
    ]


def _bab2(doc: Document, r: InstrumentReport, n: Numbers) -> None:
    ins, result = r.instrument, r.result
    idx, k = ins.index_name, ins.scale.points
    bab = _chapter(doc, 2, "HASIL SURVEI")
    _section(bab, "2.1.", f"{r.index_title}", "s2-1")
    bab.add(para(*_index_sentence(r)))
    bab.add(item_table(n.table("II"), r))

    if r.groups:
        _section(bab, "2.2.", "Nilai per Kelompok Butir", "s2-2")
        bab.add(
            para(
                "Butir-butir pernyataan dikelompokkan menurut aspek yang dinilai. Nilai kelompok adalah rata-rata "
                "sederhana NRR butir dalam kelompok itu (jumlah NRR ÷ jumlah butir, tanpa bobot); nilai konversinya "
                f"adalah rata-rata itu × 100 ÷ {k}. Pengelompokan ini dibuat aplikasi untuk memudahkan pembacaan, "
                f"tidak berasal dari peraturan, dan tidak dipakai dalam perhitungan {idx}."
            )
        )
        bab.add(
            table(
                n.table("II"),
                "Nilai per Kelompok Butir",
                [(6, C), (None, L), (22, L), (14, R), (14, R)],
                header_row("No", "Kelompok", "Butir", "Rata-rata NRR", "Nilai Konversi"),
                [
                    Row(
                        (
                            cell(str(i)),
                            cell(g.name),
                            cell(", ".join(g.codes)),
                            cell(num(g.mean_nrr)),
                            cell(num(g.converted)),
                        )
                    )
                    for i, g in enumerate(r.groups, start=1)
                ],
                keep=True,
            )
        )

    number = 3 if r.groups else 2
    _section(bab, f"2.{number}.", f"{idx} per Jenis Layanan", "s2-3")
    bab.add(*_services(r, n))

    number += 1
    _section(bab, f"2.{number}.", "Sebaran Jawaban per Butir", "s2-4")
    for d in r.distributions:
        answered = "Menjawab" + (f" (tidak menjawab: {num(d.blank, 0)})" if d.blank else "")
        bab.add(
            table(
                n.table("II"),
                f"Sebaran Jawaban Butir {d.code} {d.name}",
                [(None, L), (12, C), (18, R), (18, R)],
                header_row("Jawaban", "Nilai", "Jumlah", "Persentase"),
                [
                    *(
                        Row((cell(row.label), cell(str(row.point)), cell(num(row.count, 0)), cell(_pct(row.percent))))
                        for row in d.rows
                    ),
                    Row(
                        (cell(answered, colspan=2), cell(num(d.answered, 0)), cell(pct(100) if d.answered else DASH)),
                        total=True,
                    ),
                ],
                keep=True,
            )
        )

    number += 1
    _section(bab, f"2.{number}.", "Profil Responden", "s2-5")
    if r.profile:
        for t in r.profile:
            bab.add(profile_table(n.table("II"), t))
        bab.add(
            para(
                f"Profil ini mencakup {num(result.respondents, 0)} responden yang menjawab {r.name}.",
                style=ParaStyle.NOTE,
            )
        )
    else:
        bab.add(para("Belum ada responden.", style=ParaStyle.ITALIC))

    number += 1
    _section(bab, f"2.{number}.", "Saran dan Masukan Responden", "s2-6")
    bab.add(
        para(
            f"Saran yang ditulis responden yang menjawab {r.name}, sebagaimana ditulis:",
            style=ParaStyle.PLAIN,
        )
    )
    bab.add(*saran_blocks(r.saran, rest_in=SARAN_ELSEWHERE))


def _pct(value: Fraction | None) -> str:
    return DASH if value is None else pct(value)


def item_table(label: str, r: InstrumentReport) -> Table:
    """Per item: answers, sum, NRR, weight and weight x NRR; under them the sum and the index."""
    ins, result = r.instrument, r.result
    idx, k = ins.index_name, ins.scale.points
    body = [
        Row(
            (
                cell(str(row.no)),
                cell(row.item.code),
                cell(row.name),
                cell(num(row.result.answered, 0)),
                cell(num(row.result.total, 0)),
                cell(num(row.result.nrr)),
                cell(fraction_text(row.result.weight)),
                cell(num(row.weighted, 3)),
            )
        )
        for row in r.items
    ]
    body.append(Row((cell("Jumlah bobot × NRR", colspan=7), cell(num(r.weighted_sum, 3))), total=True))
    body.append(Row((cell(f"{idx} = jumlah × 100 ÷ {k}", colspan=7), cell(num(result.index))), total=True))
    band = result.band
    grade = f"{band.grade} ({band.label.get('id')})" if band is not None else DASH
    body.append(Row((cell(f"Mutu {idx}", colspan=6), cell(grade, colspan=2, align=C)), total=True))
    return table(
        label,
        f"Nilai per Butir dan {idx}",
        [(6, C), (8, C), (None, L), (11, R), (10, R), (9, R), (8, C), (12, R)],
        header_row("No", "Kode", "Butir", "Menjawab", "Jumlah Nilai", "NRR", "Bobot", "Bobot × NRR"),
        body,
        keep=True,
    )


def _services(r: InstrumentReport, n: Numbers) -> list[Block]:
    idx = r.instrument.index_name
    result = r.result
    if not r.services:
        return [para("Tidak ada responden yang memilih jenis layanan.", style=ParaStyle.ITALIC)]
    rows = [
        Row((cell(name), cell(num(s.respondents, 0)), cell(num(s.index)), cell(s.grade or DASH)))
        for name, s in r.services
    ]
    rows.append(
        Row(
            (
                cell("Seluruh responden"),
                cell(num(result.respondents, 0)),
                cell(num(result.index)),
                cell(result.grade or DASH),
            ),
            total=True,
        )
    )
    # Notes after the table, never between the heading and it: a page must not end on a
    # heading and its one-line introduction.
    out: list[Block] = [
        table(
            n.table("II"),
            f"{idx} per Jenis Layanan",
            [(None, L), (16, R), (14, R), (10, C)],
            header_row("Jenis Layanan", "Responden", idx, "Mutu"),
            rows,
            keep=True,
        ),
    ]
    notes = [f"{idx} setiap jenis layanan dihitung dari respondennya sendiri dengan rumus yang sama."]
    if any(s.index is None for _name, s in r.services):
        notes.append(
            f"Tanda {DASH}: {idx} jenis layanan itu belum dapat dihitung karena ada butir yang belum dijawab oleh "
            "respondennya."
        )
    if r.without_service:
        notes.append(
            f"{num(r.without_service, 0)} responden tidak memilih jenis layanan; mereka dihitung pada baris "
            "seluruh responden saja."
        )
    out += [para(note, style=ParaStyle.NOTE) for note in notes]
    return out


# ------------------------------------------------------------------ BAB III


def _item_names(rows: tuple[ItemRow, ...]) -> str:
    return join_id(f"{row.item.code} {row.name} (NRR {num(row.result.nrr)})" for row in rows)


def _bab3(doc: Document, r: InstrumentReport) -> None:
    bab = _chapter(doc, 3, "KESIMPULAN")
    parts = _index_sentence(r)
    if r.lowest and r.highest and r.lowest[0].result.nrr != r.highest[0].result.nrr:
        word = "butir" if len(r.lowest) == 1 else "butir-butir"
        parts.append(f" NRR terendah ada pada {word} {_item_names(r.lowest)}")
        word = "butir" if len(r.highest) == 1 else "butir-butir"
        parts.append(f", dan NRR tertinggi pada {word} {_item_names(r.highest)}.")
    elif len(r.lowest) > 1:
        parts.append(f" Semua butir yang dijawab memiliki NRR yang sama, yaitu {num(r.lowest[0].result.nrr)}.")
    bab.add(para(*parts))
    if r.lowest and r.lowest[0].result.nrr != r.highest[0].result.nrr:
        bab.add(
            para(
                "Butir dengan NRR terendah dapat menjadi perhatian pertama dalam pembangunan Zona Integritas "
                f"{r.unit.name} pada periode berikutnya."
            )
        )
    bab.add(signature_block(r.signature))
