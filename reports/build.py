"""Both reports as document trees (``reports.document``), built once from the
typed view-models of ``reports.context``.

This is the one place that decides what the Laporan SKM and the Laporan Hasil
Tindak Lanjut say: headings and their numbers, every sentence around the
figures, table and figure numbers, column widths. ``reports.render_html``
(PDF) and ``reports.render_docx`` (Word) render the same tree.

Every printed figure goes through ``skm.rules.formatting.format_number`` (one
rounding of the exact value); every generated paragraph the unit may replace
comes from ``reports.narrative`` through ``report.narrative``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from django.utils import formats, translation

from skm.rules.formatting import band_table, format_number
from skm.rules.ikm import band_for
from skm.rules.textblocks import BlockKind, TextBlock

from .context import FollowupReport, ItemEntry, Letterhead, Priority, Signature, SurveyReport
from .document import (
    Align,
    Block,
    Cell,
    Column,
    Cover,
    DocPart,
    Document,
    Figure,
    Group,
    Heading,
    HeadingKind,
    Image,
    ListBlock,
    Listing,
    ListingKind,
    ListItem,
    Paragraph,
    ParaStyle,
    PartKind,
    Row,
    SignatureBlock,
    Table,
    cell,
    runs,
)
from .layout import DEFAULT_QUARTERS, Bab3Layout, IntervalForm, ItemNumbering, MatrixScale, Tabel1Values, TickMark

DASH = "–"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
L, C, R = Align.LEFT, Align.CENTER, Align.RIGHT


def num(value, places: int = 2) -> str:
    return format_number(value, places)


def pct(value) -> str:
    """A percentage as every table of the reports prints it: "64,00%"."""
    return f"{format_number(value)}%"


def date_id(value: dt.date | None, fmt: str = "j F Y") -> str:
    if value is None:
        return DASH
    with translation.override("id"):
        return formats.date_format(value, fmt)


# ------------------------------------------------------------------ helpers


class Numbers:
    """Table and figure numbers: "Tabel III.2" per chapter, or "Tabel 2." in the LHTL."""

    def __init__(self) -> None:
        self._tables: dict[str, int] = {}
        self._figures: dict[str, int] = {}

    def table(self, chapter: str = "") -> str:
        n = self._tables[chapter] = self._tables.get(chapter, 0) + 1
        return f"Tabel {chapter}.{n}" if chapter else f"Tabel {n}."

    def figure(self, chapter: str = "") -> str:
        n = self._figures[chapter] = self._figures.get(chapter, 0) + 1
        return f"Gambar {chapter}.{n}" if chapter else f"Gambar {n}."


def text_blocks(blocks: Iterable[TextBlock], *, style: ParaStyle = ParaStyle.BODY) -> list[Block]:
    """The unit's own (or the generated) text of a section: paragraphs and lists,
    lists keeping their typed numbers and nesting."""
    out: list[Block] = []
    for block in blocks:
        if block.kind is BlockKind.PARAGRAPH:
            out.append(Paragraph(runs(block.text), style))
        else:
            out.append(_list_of(block))
    return out


def _list_of(block: TextBlock) -> ListBlock:
    nested = getattr(block, "nested", ()) or ((),) * len(block.items)
    return ListBlock(
        tuple(
            ListItem(runs(item), tuple(_list_of(child) for child in children))
            for item, children in zip(block.items, nested, strict=False)
        ),
        ordered=block.kind is BlockKind.NUMBERED,
        start=getattr(block, "start", 1),
    )


def para(*parts, style: ParaStyle = ParaStyle.BODY) -> Paragraph:
    return Paragraph(runs(*parts), style)


def items(*entries: Sequence, ordered: bool = True) -> ListBlock:
    return ListBlock(tuple(ListItem(runs(*e) if isinstance(e, tuple | list) else runs(e)) for e in entries), ordered)


def header_row(*labels: str) -> Row:
    return Row(tuple(cell(label) for label in labels))


def table(
    label: str,
    title: str,
    widths: Sequence[tuple[float | None, Align]],
    header: Sequence[Row] | Row,
    body: Iterable[Row],
    **kwargs,
) -> Table:
    return Table(
        label=label,
        title=title,
        columns=tuple(Column(w, a) for w, a in widths),
        header=(header,) if isinstance(header, Row) else tuple(header),
        body=tuple(body),
        **kwargs,
    )


def signature_block(s: Signature | None) -> SignatureBlock | None:
    """Place and date, jabatan, name, pangkat, NIP as the unit set them; no block when
    the unit has set no signatory (seed 001 has none). No comma is added."""
    if s is None or not (s.title or s.name):
        return None
    place_date = f"{s.city}, {date_id(s.date)}" if s.city else date_id(s.date)
    return SignatureBlock(place_date, s.title, s.name, s.rank, f"NIP. {s.nip}" if s.nip else "")


def cover(
    *,
    title_lines: Sequence[str],
    period_line: str,
    org_lines: Sequence[str],
    lh: Letterhead,
    year_line: str,
    as_typed: bool = False,
    emblem: str = "SKM",
) -> Cover:
    contact = " · ".join(x for x in (f"Telepon {lh.phone}" if lh.phone else "", lh.website) if x)
    logo = Image(lh.logo_url, 3.2, "Logo") if lh.logo_url else None
    return Cover(
        tuple(title_lines), period_line, tuple(org_lines), lh.address, contact, year_line, logo, as_typed, emblem
    )


def band_rows(bands) -> list[Row]:
    return [
        Row(
            (
                cell(str(b.number), align=C),
                cell(b.nrr_range),
                cell(b.converted_range),
                cell(b.grade, bold=True),
                cell(b.label),
            )
        )
        for b in bands
    ]


def interval_table(
    label: str, bands, *, word: str, title: str = "Interval Kategori Penilaian", short: bool = False
) -> Table:
    """The interval table; ``short``: two decimals, ascending from D, as seed 001 prints it
    (with its headers and its sentence-case kinerja)."""
    if short:
        rows = [
            Row((cell(str(b.number), align=C), cell(b.nrr_range), cell(b.converted_range), cell(b.grade, bold=True),
                 cell(b.label.capitalize())))
            for b in band_table(short=True)
        ]  # fmt: skip
        heads = ("Nilai Persepsi", "Nilai Interval IKM", "Nilai Interval Konversi IKM")
    else:
        rows = band_rows(bands)
        heads = ("Nilai Persepsi", "Nilai Interval (NI)", "Nilai Interval Konversi (NIK)")
    return table(
        label,
        title,
        [(14, C), (20, C), (24, C), (14, C), (None, L)],
        header_row(*heads, f"Mutu {word}", f"Kinerja Unit {word}"),
        rows,
        keep=True,
    )


def services_table(
    label: str,
    title: str,
    *,
    summary,
    services,
    result,
    services_mean,
    mean_label,
    scale: MatrixScale = MatrixScale.CONVERTED,
    mutu_row: bool = False,
) -> Table:
    """IKM per jenis layanan with the unit's pooled row and the labelled mean of the services.
    ``scale``: each service's IKM converted (98,27) or on the 1-4 scale (3,93, seed 001);
    ``mutu_row``: the mutu of each unsur and of the unit under the matrix (seed 001)."""
    codes = [r.code for r in summary]
    n = len(codes)
    widths = [(None, L), (6, R), *[(6, R)] * n, (8, R), (6, C)]

    def ikm(r) -> str:
        if scale is MatrixScale.NRR:
            return num(r.ikm_exact / 25) if r.ikm_exact is not None else DASH
        return num(r.ikm)

    body = [
        Row(
            (
                cell(s.name),
                cell(num(s.result.respondents, 0)),
                *(cell(num(u.nrr)) for u in s.result.unsur),
                cell(ikm(s.result)),
                cell(s.result.grade or DASH),
            )
        )
        for s in services
    ]
    body.append(
        Row(
            (
                # On the 1-4 scale, seed 001's words for the pooled row.
                cell("Rata-rata IKM per Unsur" if scale is MatrixScale.NRR else "IKM unit (seluruh responden)"),
                cell(num(result.respondents, 0)),
                *(cell(num(u.nrr)) for u in result.unsur),
                cell(ikm(result)),
                cell(result.grade or DASH),
            ),
            total=True,
        )
    )
    if mutu_row:
        body.append(
            Row(
                (
                    cell("Mutu Layanan", colspan=2),
                    *(cell(u.grade or DASH, align=C) for u in result.unsur),
                    cell(result.grade or DASH, align=C),
                    cell(""),
                ),
                total=True,
            )
        )
    if services_mean is not None and scale is MatrixScale.NRR:
        # Seed 001: "Rata-rata IKM Layanan  98,72 (A atau Sangat Baik)": the mean of the services' IKM.
        band = band_for(services_mean)
        body.append(
            Row(
                (
                    cell("Rata-rata IKM Layanan", colspan=n + 2),
                    cell(f"{num(services_mean)} ({band.grade} atau {band.label})", colspan=2),
                )
            )
        )
    elif services_mean is not None:
        body.append(Row((cell(str(mean_label), colspan=n + 2), cell(num(services_mean)), cell(""))))
    heading = "IKM Layanan" if scale is MatrixScale.NRR else "IKM"  # seed 001 heads the 1-4 column so
    return table(
        label, title, widths, header_row("Jenis Layanan", "Resp.", *codes, heading, "Mutu"), body, compact=True
    )


# ============================================================ Laporan SKM


def survey_document(r: SurveyReport) -> Document:
    """The Laporan SKM: cover, front matter, BAB I-V, lampiran (and the previous
    period's Laporan Hasil Tindak Lanjut, appended)."""
    unit, period = r.unit, r.period
    doc = Document(
        title=f"Laporan Survei Kepuasan Masyarakat {unit.name} {period.label}",
        author=unit.name,
        subject=f"Survei Kepuasan Masyarakat {period.label}",
        lang="id",
        date=r.dates.report_date,
    )
    n = Numbers()
    front = doc.part(PartKind.COVER)
    front.add(
        cover(
            title_lines=("Laporan", "Survei Kepuasan Masyarakat", unit.name),
            period_line=period.label,
            org_lines=r.heading,
            lh=r.letterhead,
            year_line=str(r.report_year),
        )
    )
    fm = doc.part(PartKind.FRONT)
    fm.add(Heading(HeadingKind.FRONT, "", "KATA PENGANTAR", "pengantar", 1))
    fm.add(*text_blocks(r.narrative.get("kata_pengantar", ())), signature_block(r.signature))
    fm.add(Heading(HeadingKind.FRONT, "", "DAFTAR ISI", "daftar-isi", 1), Listing(ListingKind.CONTENTS))
    fm.add(Heading(HeadingKind.FRONT, "", "DAFTAR TABEL", "daftar-tabel", 1), Listing(ListingKind.TABLES))
    fm.add(Heading(HeadingKind.FRONT, "", "DAFTAR GAMBAR", "daftar-gambar", 1), Listing(ListingKind.FIGURES))

    _survey_bab1(doc, r)
    _survey_bab2(doc, r, n)
    _survey_bab3(doc, r, n)
    _survey_bab4(doc, r, n)
    _survey_bab5(doc, r)
    _survey_appendix(doc, r, n)
    return doc


def _chapter(doc: Document, number: int, title: str) -> DocPart:
    roman = ROMAN[number - 1]
    part = doc.part(PartKind.CHAPTER, prefix=roman, running=f"BAB {roman} {title}")
    part.add(Heading(HeadingKind.CHAPTER, f"BAB {roman}", title, f"bab{number}", 1))
    return part


def _section(part: DocPart, label: str, title: str, anchor: str) -> None:
    part.add(Heading(HeadingKind.SECTION, label, title, anchor, 2))


def _survey_bab1(doc: Document, r: SurveyReport) -> None:
    bab = _chapter(doc, 1, "PENDAHULUAN")
    _section(bab, "1.1.", "Latar Belakang", "s1-1")
    bab.add(*text_blocks(r.narrative.get("latar_belakang", ())))
    _section(bab, "1.2.", "Dasar Pelaksanaan Survei Kepuasan Masyarakat", "s1-2")
    bab.add(*text_blocks(r.narrative.get("dasar_hukum", ())))
    _section(bab, "1.3.", "Maksud dan Tujuan", "s1-3")
    bab.add(*text_blocks(r.narrative.get("maksud_tujuan", ())))


def _survey_bab2(doc: Document, r: SurveyReport, n: Numbers) -> None:
    bab = _chapter(doc, 2, "PENGUMPULAN DATA SURVEI KEPUASAN MASYARAKAT")
    _section(bab, "2.1.", "Pelaksanaan Survei Kepuasan Masyarakat", "s2-1")
    bab.add(*text_blocks(r.narrative.get("pelaksanaan", ())))
    _section(bab, "2.2.", "Metodologi Pengumpulan Data", "s2-2")
    bab.add(*text_blocks(r.narrative.get("metodologi", ())))
    _section(bab, "2.3.", "Lokasi Pengumpulan Data", "s2-3")
    bab.add(*text_blocks(r.narrative.get("lokasi", ())))
    _section(bab, "2.4.", "Waktu Pelaksanaan Survei Kepuasan Masyarakat", "s2-4")
    bab.add(*text_blocks(r.narrative.get("jadwal", ())))
    bab.add(
        table(
            n.table("II"),
            f"Jadwal Pelaksanaan Survei Kepuasan Masyarakat {r.period.label}",
            [(8, C), (None, L), (34, L), (14, R)],
            header_row("No", "Kegiatan", "Waktu Pelaksanaan", "Jumlah Hari Kerja"),
            [
                Row(
                    (
                        cell(str(row.no)),
                        cell(row.activity),
                        cell(row.when),
                        cell(num(row.days, 0) if getattr(row, "days", None) is not None else DASH),
                    )
                )
                for row in r.schedule
            ],
            keep=True,
        )
    )
    _section(bab, "2.5.", "Penentuan Jumlah Responden", "s2-5")
    bab.add(*text_blocks(r.narrative.get("jumlah_responden", ())))
    if r.samples:
        bab.add(
            table(
                n.table("II"),
                "Kecukupan Jumlah Responden (Krejcie & Morgan)",
                [(None, L), (14, R), (16, R), (14, R), (20, L)],
                header_row("Jenis Layanan", "Populasi", "Sampel Minimal", "Responden", "Keterangan"),
                [
                    Row(
                        (
                            cell(s.service),
                            cell(num(s.population, 0)),
                            cell(num(s.required, 0)),
                            cell(num(s.respondents, 0)),
                            cell(str(s.flag)),
                        )
                    )
                    for s in r.samples
                ],
                keep=True,
            )
        )


def _survey_bab3(doc: Document, r: SurveyReport, n: Numbers) -> None:
    result = r.result
    bab = _chapter(doc, 3, "HASIL PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT")
    _section(bab, "3.1.", "Jumlah dan Profil Responden", "s3-1")
    bab.add(
        para(
            f"Survei Kepuasan Masyarakat pada {r.unit.name} {r.period.label} memperoleh "
            f"{num(result.respondents, 0)} responden dengan profil sebagai berikut:"
        )
    )
    for t in r.profile:
        bab.add(profile_table(n.table("III"), t))
    _section(bab, "3.2.", "Penilaian per Unsur Layanan", "s3-1b")
    bab.add(para("Hasil persepsi responden pada setiap unsur layanan adalah sebagai berikut:"))
    for d in r.distributions:
        answered = "Menjawab" + (f" (tidak menjawab: {num(d.blank, 0)})" if d.blank else "")
        bab.add(
            table(
                n.table("III"),
                f"Penilaian Unsur {d.name} ({d.code})",
                [(None, L), (12, C), (18, R), (18, R)],
                header_row("Jawaban", "Nilai", "Jumlah", "Persentase"),
                [
                    *(
                        Row((cell(str(row.label)), cell(str(i)), cell(num(row.count, 0)), cell(pct(row.percent))))
                        for i, row in enumerate(d.rows, start=1)
                    ),
                    Row(
                        (
                            cell(answered, colspan=2),
                            cell(num(d.answered, 0)),
                            cell(pct(100) if d.answered else DASH),
                        ),
                        total=True,
                    ),
                ],
                keep=True,
            )
        )
    _section(bab, "3.3.", "Indeks Kepuasan Masyarakat", "s3-2")
    bab.add(
        para(
            "Setiap unsur dinilai dengan skala 1 sampai 4 dan memiliki penimbang yang sama. Nilai rata-rata (NRR) "
            "tiap unsur adalah jumlah nilai dibagi jumlah responden yang menjawab unsur tersebut; jawaban kosong "
            f"tidak dihitung. IKM = Σ (NRR × bobot) × 25, dengan {r.weight_description}. Nilai konversi tiap unsur "
            "adalah NRR × 25, dibulatkan dua desimal sebelum ditentukan mutunya."
        )
    )
    bab.add(interval_table(n.table("III"), r.bands, word="Layanan"))
    bab.add(summary_table(n.table("III"), r))
    if r.chart_unsur is not None:
        bab.add(
            Figure(
                n.figure("III"),
                "Grafik Nilai per Unsur Layanan",
                Image(r.chart_unsur.url, 16, "Grafik nilai per unsur layanan"),
                chart=True,
            )
        )
    if r.services:
        bab.add(
            services_table(
                n.table("III"),
                "IKM per Jenis Layanan",
                summary=r.summary,
                services=r.services,
                result=result,
                services_mean=r.res.services_mean,
                mean_label=r.mean_label,
            )
        )


def profile_table(label: str, t) -> Table:
    """One dimension of the respondents' profile (``surveys.results.ProfileTable``): counts and percentages."""
    return table(
        label,
        f"{t.title} Responden",
        [(None, L), (20, R), (20, R)],
        header_row(t.title, "Jumlah", "Persentase"),
        [
            *(Row((cell(str(row.label)), cell(num(row.count, 0)), cell(pct(row.percent)))) for row in t.rows),
            Row((cell("Jumlah"), cell(num(t.total, 0)), cell(pct(100))), total=True),
        ],
        keep=True,
    )


def summary_table(label: str, r: SurveyReport) -> Table:
    result = r.result
    return table(
        label,
        "Hasil Perhitungan Indeks Kepuasan Masyarakat per Unsur Layanan",
        [(5, C), (None, L), (9, R), (10, R), (8, R), (11, R), (10, R), (7, C), (12, L)],
        header_row(
            "No",
            "Unsur Layanan",
            "Jumlah Nilai",
            "Menjawab",
            "NRR",
            "NRR Tertimbang",
            "Nilai Konversi",
            "Mutu",
            "Kinerja",
        ),
        [
            *(
                Row(
                    (
                        cell(str(s.no)),
                        cell(f"{s.code}. {s.name}"),
                        cell(num(s.total, 0)),
                        cell(num(s.answered, 0)),
                        cell(num(s.nrr)),
                        cell(num(s.weighted, 3)),
                        cell(num(s.converted)),
                        cell(s.grade or DASH, bold=True),
                        cell(s.label or DASH),
                    )
                )
                for s in r.summary
            ),
            Row(
                (
                    cell(""),
                    cell("IKM Unit Layanan", colspan=5),
                    cell(num(result.ikm)),
                    cell(result.grade or DASH),
                    cell(result.label or DASH),
                ),
                total=True,
            ),
        ],
        compact=True,
    )


def _names_nrr(unsur) -> list:
    parts: list = []
    for i, u in enumerate(unsur):
        if i:
            parts.append(" dan " if i == len(unsur) - 1 else ", ")
        parts += [f"{u.name} (NRR ", (num(u.nrr), "b"), f", {u.label})"]
    return parts


def _survey_bab4(doc: Document, r: SurveyReport, n: Numbers) -> None:
    result = r.result
    bab = _chapter(doc, 4, "ANALISIS HASIL SURVEI KEPUASAN MASYARAKAT")
    _section(bab, "4.1.", "Analisis Permasalahan Unsur Layanan", "s4-1")
    if r.lowest:
        bab.add(
            ListBlock(
                (
                    ListItem(runs("Unsur dengan nilai terendah: ", *_names_nrr(r.lowest), ".")),
                    ListItem(runs("Unsur dengan nilai tertinggi: ", *_names_nrr(r.highest), ".")),
                )
            )
        )
    bab.add(para("Deskripsi persepsi responden terhadap tiap unsur layanan:", style=ParaStyle.PLAIN))
    entries = []
    for a in r.analysis:
        u = a.unsur
        if u.answered:
            text = runs(
                (f"{u.name}.", "b"),
                f" Dari {num(u.answered, 0)} responden yang menjawab, {a.parts}; nilai rata-rata ",
                (num(u.nrr), "b"),
                f" (nilai konversi {num(u.converted)}) dengan mutu {u.grade} dan kinerja ",
                (str(u.label), "b"),
                ".",
            )
        else:
            text = runs((f"{u.name}.", "b"), " Tidak ada responden yang menjawab unsur ini.")
        children = tuple(text_blocks(r.narrative.get(u.code.lower(), ()), style=ParaStyle.PLAIN))
        entries.append(ListItem(text, children))
    bab.add(ListBlock(tuple(entries)))
    if result.ikm is not None:
        bab.add(
            para(
                "Secara keseluruhan diperoleh nilai rata-rata seluruh unsur ",
                (num(result.mean_nrr), "b"),
                " dengan nilai IKM Unit Layanan ",
                (num(result.ikm), "b"),
                f", {r.weight_description}, sehingga mutu layanan berada pada tingkat ",
                (str(result.grade), "b"),
                f" dan kinerja {r.unit.name} adalah ",
                (str(result.label), "b"),
                ".",
            )
        )
    _section(bab, "4.2.", "Rencana Tindak Lanjut", "s4-2")
    bab.add(*text_blocks(r.narrative.get("saran_ringkasan", ())))
    bab.add(*text_blocks(r.narrative.get("rtl_narasi", ())))
    if r.plan is not None:
        bab.add(plan_table(n.table("IV"), "Rencana Tindak Lanjut Perbaikan Pelayanan", r.priorities))
    _section(bab, "4.3.", "Tren Nilai Survei Kepuasan Masyarakat", "s4-3")
    bab.add(*text_blocks(r.narrative.get("tren_pengantar", ())))
    if r.chart_trend is not None:
        bab.add(
            Figure(
                n.figure("IV"),
                "Grafik Tren Indeks Kepuasan Masyarakat",
                Image(r.chart_trend.url, 16, "Grafik tren indeks kepuasan masyarakat"),
                chart=True,
            )
        )
    bab.add(
        table(
            n.table("IV"),
            "Tren Indeks Kepuasan Masyarakat",
            [(None, L), (18, R), (14, R), (10, C)],
            header_row("Periode", "Responden", "IKM", "Mutu"),
            [
                Row(
                    (
                        cell(p.period_label + (" (dimasukkan manual)" if p.entered else "")),
                        cell(num(p.respondents, 0)),
                        cell(num(p.ikm)),
                        cell(p.grade or DASH),
                    )
                )
                for p in r.trend
            ],
            keep=True,
        )
    )
    if r.trend_has_entered:
        sources = "".join(f"; {p.period_label}: {p.source}" for p in r.trend if p.entered and p.source)
        bab.add(
            para(
                "Nilai bertanda “dimasukkan manual” berasal dari laporan SKM unit sebelum sistem ini digunakan"
                f"{sources}.",
                style=ParaStyle.NOTE,
            )
        )
    bab.add(para(r.trend_sentence or "Belum ada periode sebelumnya sebagai pembanding."))


def _survey_bab5(doc: Document, r: SurveyReport) -> None:
    bab = _chapter(doc, 5, "KESIMPULAN")
    bab.add(*text_blocks(r.narrative.get("kesimpulan", ())))
    bab.add(*text_blocks(r.narrative.get("rekomendasi", ())))
    bab.add(*text_blocks(r.narrative.get("penutup", ())))
    bab.add(signature_block(r.signature))


def _survey_appendix(doc: Document, r: SurveyReport, n: Numbers) -> None:
    unit, period, result = r.unit, r.period, r.result
    app = doc.part(PartKind.APPENDIX, prefix="L", running="LAMPIRAN")
    app.add(Heading(HeadingKind.APPENDIX, "", "LAMPIRAN", "lampiran", 1, page_break=True))
    app.add(
        Heading(
            HeadingKind.APPENDIX,
            "",
            f"Kuesioner Survei Kepuasan Masyarakat {period.label} pada Unit Layanan {unit.name}",
            "l-kuesioner",
            2,
        )
    )
    app.add(_questionnaire(r))

    app.add(Heading(HeadingKind.APPENDIX, "", "Data per Responden dan per Unsur Layanan", "l-data", 2, page_break=True))
    if r.appendix_in_attachment:
        app.add(
            para(
                f"Data per responden ({num(result.respondents, 0)} responden) tidak dicetak di sini karena melebihi "
                f"{num(r.appendix_max, 0)} responden. Seluruh data per responden ada pada lembar ",
                ("“Data responden”", "b"),
                " berkas lampiran XLSX laporan ini (diunduh di samping dokumen pada halaman tugas ekspor), yang sama "
                "dengan ekspor ",
                ("Lembar kerja SKM (XLSX)", "b"),
                f" untuk {period.label}.",
                style=ParaStyle.ITALIC,
            )
        )
    elif r.appendix is not None and r.appendix.rows:
        app.add(_respondent_table(r))
    app.add(_appendix_totals(r))
    app.add(_keterangan(r))
    app.add(_nrr_recap(r))
    app.add(interval_table("", r.bands, word="Layanan", title="Nilai Interval dan Mutu Layanan"))
    if r.profile:
        app.add(_profile_recap(r))

    app.add(Heading(HeadingKind.APPENDIX, "", "Saran dan Masukan Responden", "l-saran", 2, page_break=True))
    app.add(*saran_blocks(r.saran))

    if r.extra:
        app.add(Heading(HeadingKind.APPENDIX, "", "Pertanyaan Tambahan", "l-tambahan", 2, page_break=True))
        app.add(*_extra_questions(r))

    if r.prev_followup is not None:
        label = f"Laporan Hasil Tindak Lanjut Survei Kepuasan Masyarakat {r.previous_period.label}"
        app.add(Heading(HeadingKind.APPENDIX, "", label, "l-rtl", 2, page_break=True))
        followup_blocks(app, r.prev_followup, level=3, embedded=True)


def _questionnaire(r: SurveyReport) -> Group:
    box = "☐"
    blocks: list[Block] = [
        para("Nomor Responden: ............ (diisi petugas)", style=ParaStyle.PLAIN),
        para(("Profil Responden", "b"), style=ParaStyle.PLAIN),
        para(f"Jenis Kelamin: {box} L {box} P    Usia: ...... tahun", style=ParaStyle.PLAIN),
        para(
            f"Pendidikan: {box} SD {box} SMP {box} SMA {box} Diploma {box} Strata {box} Lainnya", style=ParaStyle.PLAIN
        ),
        para(
            f"Pekerjaan: {box} Pelajar/Mahasiswa {box} Karyawan {box} PNS/TNI/POLRI {box} Wiraswasta {box} Buruh "
            f"{box} Lainnya",
            style=ParaStyle.PLAIN,
        ),
        para(("PENDAPAT RESPONDEN TENTANG PELAYANAN", "b"), " (lingkari huruf sesuai jawaban)", style=ParaStyle.PLAIN),
    ]
    for i, w in enumerate(r.wording, start=1):
        blocks.append(para(f"{i}. {w.question}", style=ParaStyle.PLAIN))
        options = "    ".join(f"{letter}. {label}" for letter, label in zip("abcd", w.labels, strict=False))
        blocks.append(para(options, style=ParaStyle.NOTE))
    blocks.append(para("Saran: " + "." * 90, style=ParaStyle.PLAIN))
    return Group(tuple(blocks))


def _respondent_table(r: SurveyReport) -> Table:
    appendix = r.appendix
    headers = [c.header for c in appendix.columns]
    codes = [s.code for s in r.summary]
    lead = len(headers) - len(codes)
    total_chars = sum(c.span for c in appendix.columns) or 1
    widths = [
        (round(100 * c.span / total_chars, 2), R if i == 0 else (C if i >= lead else L))
        for i, c in enumerate(appendix.columns)
    ]
    return table(
        "",
        "",
        widths,
        header_row(*headers),
        [Row(tuple(cell(v) for v in values)) for values in appendix.cells],
        compact=True,
        preformatted=appendix,
    )


def _appendix_totals(r: SurveyReport) -> Table:
    """Σ Nilai, NRR, NRR tertimbang, IKM, mutu and kinerja once, after the last respondent (seed 004)."""
    result = r.result
    n = len(r.summary)
    return table(
        "",
        "",
        [(22, L), *[(None, R)] * n],
        header_row("", *[s.code for s in r.summary]),
        [
            Row((cell("Σ Nilai"), *(cell(num(s.total, 0)) for s in r.summary)), total=True),
            Row((cell("NRR"), *(cell(num(s.nrr)) for s in r.summary)), total=True),
            Row((cell("NRR tertimbang"), *(cell(num(s.weighted, 3)) for s in r.summary)), total=True),
            Row((cell("IKM Unit Layanan"), cell(num(result.ikm), colspan=n)), total=True),
            Row((cell("Mutu Layanan"), cell(result.grade or DASH, colspan=n)), total=True),
            Row((cell("Kinerja Unit Layanan"), cell((result.label or DASH).upper(), colspan=n)), total=True),
        ],
        compact=True,
        keep=True,
    )


def _keterangan(r: SurveyReport) -> Group:
    return Group(
        (
            para(("Keterangan:", "b"), style=ParaStyle.PLAIN),
            para("U1–U9 = unsur-unsur layanan", style=ParaStyle.NOTE),
            para("NRR = Nilai Rata-Rata (jumlah nilai ÷ jumlah responden yang menjawab)", style=ParaStyle.NOTE),
            para(f"NRR tertimbang = NRR × {r.weight_decimal}", style=ParaStyle.NOTE),
            para("IKM = Indeks Kepuasan Masyarakat = Σ NRR tertimbang × 25", style=ParaStyle.NOTE),
        ),
        boxed=False,
    )


def _nrr_recap(r: SurveyReport) -> Table:
    result = r.result
    body = [Row((cell(s.code), cell(s.name), cell(num(s.nrr)))) for s in r.summary]
    body.append(Row((cell(""), cell("Nilai rata-rata seluruh unsur"), cell(num(result.mean_nrr))), total=True))
    return table(
        "",
        "Nilai Rata-Rata per Unsur Layanan",
        [(10, C), (None, L), (16, R)],
        header_row("Kode", "Unsur Layanan", "NRR"),
        body,
        keep=True,
    )


def _profile_recap(r: SurveyReport) -> Table:
    body: list[Row] = []
    for i, t in enumerate(r.profile, start=1):
        body.append(Row((cell(str(i)), cell(t.title, bold=True), cell(""), cell(""))))
        body += [
            Row((cell(""), cell(str(row.label)), cell(num(row.count, 0)), cell(pct(row.percent)))) for row in t.rows
        ]
    return table(
        "",
        "Rekapitulasi Profil Responden",
        [(8, C), (None, L), (14, R), (16, R)],
        header_row("No", "Profil Responden", "Jumlah", "Persentase"),
        body,
    )


SARAN_IN_ATTACHMENT = "lembar “Saran” berkas lampiran XLSX laporan ini"


def saran_blocks(saran, *, rest_in: str = SARAN_IN_ATTACHMENT) -> list[Block]:
    """The saran as written (``selectors.SaranAppendix``); past its limit, identical ones merged
    with their count and the rest said to be in ``rest_in``."""
    if saran.grouped:
        omitted = ""
        if saran.omitted_groups:
            omitted = (
                f" Dicetak {num(len(saran.rows), 0)} saran teratas; {num(saran.omitted_groups, 0)} saran berbeda "
                f"lainnya (dari {num(saran.omitted_saran, 0)} responden) ada pada {rest_in}."
            )
        return [
            para(
                f"{num(saran.total, 0)} responden menulis saran ({num(saran.distinct, 0)} saran berbeda). Saran yang "
                "sama persis digabung dan ditulis sekali dengan jumlah responden yang menulisnya, mulai dari yang "
                f"paling sering.{omitted}",
                style=ParaStyle.ITALIC,
            ),
            table(
                "",
                "",
                [(8, R), (None, L), (16, R)],
                header_row("No", "Saran", "Jumlah responden"),
                [
                    Row((cell(str(i)), cell(text), cell(num(count, 0))))
                    for i, (text, count) in enumerate(saran.rows, start=1)
                ],
                compact=True,
            ),
        ]
    if saran.rows:
        return [items(*(text for text, _n in saran.rows))]
    return [para("Tidak ada saran tertulis dari responden.", style=ParaStyle.ITALIC)]


KIND_NAMES = {
    "single": "pilihan tunggal",
    "multiple": "pilihan ganda",
    "text": "teks singkat",
    "number": "angka",
    "date": "tanggal",
}


def _extra_questions(r: SurveyReport) -> list[Block]:
    """One results table per extra question of the unit (never part of the IKM):
    choice counts and percentages, number statistics, date range, text answers."""
    out: list[Block] = [
        para(
            "Pertanyaan tambahan diajukan oleh unit setelah sembilan unsur pelayanan. Jawabannya tidak dihitung "
            "dalam Indeks Kepuasan Masyarakat. Persentase dihitung dari responden yang menjawab pertanyaan itu.",
            style=ParaStyle.ITALIC,
        )
    ]
    for q in r.extra:
        title = f"{q.code}. {q.text}"
        answered = f"Dijawab oleh {num(q.answered, 0)} dari {num(q.respondents, 0)} responden ({KIND_NAMES[q.kind]})."
        if q.kind in ("single", "multiple"):
            if q.kind == "multiple":
                answered += " Responden boleh memilih lebih dari satu jawaban."
            out.append(
                table(
                    "",
                    title,
                    [(8, R), (None, L), (16, R), (18, R)],
                    header_row("No", "Jawaban", "Jumlah", "Persentase"),
                    [
                        Row((cell(str(i)), cell(label), cell(num(count, 0)), cell(pct(percent))))
                        for i, (label, count, percent) in enumerate(q.choices, start=1)
                    ],
                    compact=True,
                )
            )
            out.append(para(answered, style=ParaStyle.ITALIC))
        elif q.kind == "number":
            places = 0 if all(v is None or v.denominator == 1 for v in (q.minimum, q.maximum)) else 2
            out.append(
                table(
                    "",
                    title,
                    [(None, L), (24, R)],
                    header_row("Ukuran", "Nilai"),
                    [
                        Row((cell("Jumlah jawaban"), cell(num(q.answered, 0)))),
                        Row((cell("Rata-rata"), cell(num(q.mean) if q.mean is not None else DASH))),
                        Row((cell("Terkecil"), cell(num(q.minimum, places) if q.minimum is not None else DASH))),
                        Row((cell("Terbesar"), cell(num(q.maximum, places) if q.maximum is not None else DASH))),
                    ],
                    compact=True,
                )
            )
        elif q.kind == "date":
            out.append(
                table(
                    "",
                    title,
                    [(None, L), (30, R)],
                    header_row("Ukuran", "Nilai"),
                    [
                        Row((cell("Jumlah jawaban"), cell(num(q.answered, 0)))),
                        Row((cell("Paling awal"), cell(date_id(q.earliest)))),
                        Row((cell("Paling akhir"), cell(date_id(q.latest)))),
                    ],
                    compact=True,
                )
            )
        else:
            out.append(
                table(
                    "",
                    title,
                    [(8, R), (None, L)],
                    header_row("No", "Jawaban"),
                    [Row((cell(str(i)), cell(text))) for i, text in enumerate(q.texts, start=1)]
                    or [Row((cell(DASH), cell("Tidak ada jawaban.")))],
                    compact=True,
                )
            )
            omitted = (
                f" Dicetak {num(len(q.texts), 0)} jawaban pertama; {num(q.texts_omitted, 0)} lainnya ada pada "
                "data mentah."
                if q.texts_omitted
                else ""
            )
            out.append(para(answered + omitted, style=ParaStyle.ITALIC))
    return out


# ================================================ Laporan Hasil Tindak Lanjut


def followup_document(f: FollowupReport) -> Document:
    layout = f.layout
    name = layout.short_name or f.unit.name
    doc = Document(
        title=f"Laporan Hasil Tindak Lanjut SKM {name} {f.period.label}",
        author=f.unit.name,
        subject=f"Laporan Hasil Tindak Lanjut Survei Kepuasan Masyarakat {f.period.label}",
        lang="id",
        date=f.dates.report_date,
    )
    cover_part = doc.part(PartKind.COVER)
    cover_part.add(_followup_cover(f))
    body = doc.part(PartKind.CHAPTER, running="LAPORAN HASIL TINDAK LANJUT")
    followup_blocks(body, f, level=1, embedded=False)
    return doc


DEFAULT_LHTL_TITLE = "Laporan Hasil Tindak Lanjut Pelaksanaan Survei Kepuasan Masyarakat"


def _followup_cover(f: FollowupReport) -> Cover:
    layout = f.layout
    org = [line.strip() for line in layout.cover_name.split("/") if line.strip()] if layout.cover_name else f.heading
    return cover(
        title_lines=(layout.cover_title or DEFAULT_LHTL_TITLE,),
        # A title that names its period itself (seeds 000, 002) gets no second period line.
        period_line="" if _names_a_period(layout.cover_title) else f.period.label,
        org_lines=org,
        lh=f.letterhead,
        year_line=str(f.report_year) if layout.cover_year else "",
        as_typed=bool(layout.cover_title or layout.cover_name),
    )


def _names_a_period(title: str) -> bool:
    """ "… Periode Semester 2 Tahun 2024" names its period; "… (SKM)" does not."""
    return bool(re.search(r"\b(semester|triwulan|tahun)\s+[ivx\d]", title, flags=re.IGNORECASE))


class ItemNumbers:
    """How the LHTL numbers its RTL items: "1.1" under their priority, or 1, 2, 3 (seeds 000-003)."""

    def __init__(self, f: FollowupReport) -> None:
        flat = f.layout.numbering is ItemNumbering.FLAT
        self._numbers = {id(e.item): (str(i) if flat else e.item.number) for i, e in enumerate(f.items, start=1)}

    def __call__(self, item) -> str:
        return self._numbers.get(id(item), item.number)


def followup_blocks(part: DocPart, f: FollowupReport, *, level: int, embedded: bool) -> None:
    """BAB I-IV of the LHTL into ``part`` (its own document, or appended to the Laporan SKM
    with its headings one level under the appendix entry)."""
    n = Numbers()
    numbers = ItemNumbers(f)
    if embedded:
        part.add(_followup_cover(f))
    prefix = "lhtl-" if embedded else ""

    def chapter(number: int, title: str) -> None:
        part.add(
            Heading(
                HeadingKind.CHAPTER, f"BAB {ROMAN[number - 1]}", title, f"{prefix}bab{number}", level, page_break=True
            )
        )

    if f.layout.bab1_title:  # seed 003: "BAB I LATAR BELAKANG", no section heading under it
        chapter(1, f.layout.bab1_title)
    else:
        chapter(1, "PENDAHULUAN")
        part.add(Heading(HeadingKind.SECTION, "A.", "Latar Belakang", f"{prefix}s1a", level + 1, in_toc=not embedded))
    part.add(*text_blocks(f.narrative.get("lhtl_latar_belakang", ())))

    chapter(2, "DESKRIPSI RENCANA TINDAK LANJUT")
    part.add(*text_blocks(f.narrative.get("lhtl_hasil", ())))
    part.add(followup_summary_table(n.table(), f))
    part.add(
        para(
            f"IKM dihitung dengan {f.weight_description}; NRR = jumlah nilai ÷ jumlah responden yang menjawab "
            "unsur tersebut.",
            style=ParaStyle.NOTE,
        )
    )
    if f.services:
        part.add(
            services_table(
                "",
                f"IKM per Jenis Layanan {f.period.label}",
                summary=f.summary,
                services=f.services,
                result=f.result,
                services_mean=f.services_mean,
                mean_label=f.mean_label,
                scale=f.layout.matrix_scale,
                mutu_row=f.layout.matrix_mutu_row,
            )
        )
    part.add(
        interval_table(
            "", f.bands, word="Pelayanan", title="Interval Penilaian", short=f.layout.interval is IntervalForm.SHORT
        )
    )
    if f.plan is not None:
        part.add(*text_blocks(f.narrative.get("lhtl_prioritas", ())))
        title = f.layout.tabel2_caption or "Rencana Tindak Lanjut Pelaksanaan SKM"
        part.add(
            plan_table(
                n.table(),
                title,
                f.priorities,
                numbers=numbers,
                quarter_header=f.layout.quarter_header,
                quarters=f.layout.quarter_labels,
                tick=f.layout.tick,
            )
        )
    else:
        part.add(
            para(
                (
                    f"{f.layout.short_name or f.unit.name} belum menyusun Rencana Tindak Lanjut untuk periode {f.period.label}.",
                    "i",
                )
            )
        )

    chapter(3, "REALISASI RENCANA TINDAK LANJUT")
    if f.items:
        part.add(*text_blocks(f.narrative.get("lhtl_realisasi", ())))
        if f.layout.bab3 is Bab3Layout.BLOCKS:
            part.add(*realisation_blocks(n.table(), f, numbers))
        else:
            part.add(realisation_table(n.table(), f, f.items, numbers))
            if f.photos:
                part.add(
                    Heading(HeadingKind.SECTION, "", "Dokumentasi Kegiatan", f"{prefix}foto", level + 1, in_toc=False)
                )
                part.add(*(_photo(ph) for ph in f.photos))
    else:
        part.add(para(("Belum ada rencana tindak lanjut yang dapat direalisasikan.", "i")))

    chapter(4, "KESIMPULAN")
    part.add(*text_blocks(f.narrative.get("lhtl_kesimpulan", ())))
    if f.strategies:
        part.add(strategy_table(n.table(), f, numbers))
    part.add(signature_block(f.signature))


def _photo(ph) -> Figure:
    return Figure(f"Gambar {ph.number}.", ph.caption, Image(ph.url, 13, ph.caption))


def followup_summary_table(label: str, f: FollowupReport) -> Table:
    """Tabel 1: NRR, converted value, mutu and kinerja per unsur, laid out as the unit
    chose (``LhtlLayout``): both values, or one ("3,53/88,21" in one cell as seed 000,
    the NRR only as seed 002, the converted value only as seed 003), the unit's column
    titles, its wording of each unsur and its row order, numbered in that order."""
    layout, result = f.layout, f.result
    one = layout.tabel1_values is not Tabel1Values.BOTH or layout.combined_cell
    unsur_head = layout.tabel1_unsur_header or "Unsur Pelayanan"
    mutu_head = layout.tabel1_mutu_header or "Mutu"
    if not one:
        widths = [(7, C), (None, L), (12, R), (15, R), (9, C), (16, L)]
        header = header_row("No", unsur_head, "NRR", "Nilai Konversi", mutu_head, "Kinerja")
    else:
        default_head = {Tabel1Values.NRR: "NRR", Tabel1Values.CONVERTED: "Nilai Konversi"}.get(
            layout.tabel1_values, "NRR / Nilai Konversi"
        )
        widths = [
            (7, C),
            (None, L),
            (22 if layout.combined_cell else 15, C),
            (9 if mutu_head == "Mutu" else 14, C),
            (16, L),
        ]
        header = header_row("No", unsur_head, layout.tabel1_value_header or default_head, mutu_head, "Kinerja")

    def values(nrr, converted) -> tuple[Cell, ...]:
        if layout.tabel1_values is Tabel1Values.NRR:
            return (cell(num(nrr)),)
        if layout.tabel1_values is Tabel1Values.CONVERTED:
            return (cell(num(converted)),)
        if layout.combined_cell:
            return (cell(f"{num(nrr)}/{num(converted)}" if nrr is not None else DASH),)  # seed 000: "3,53/88,21"
        return (cell(num(nrr)), cell(num(converted)))

    summary = sorted(f.summary, key=lambda s: layout.row_rank(s.code))
    rows = [
        Row(
            (
                cell(str(no)),
                cell(layout.unsur_label(s.code, s.name)),
                *values(s.nrr, s.converted),
                cell(s.grade or DASH, bold=True),
                cell(s.label or DASH),
            )
        )
        for no, s in enumerate(summary, 1)
    ]
    # The unit's IKM is on the 0-100 scale whatever the columns; its row says so.
    ikm = (cell(num(result.ikm)),) if one else (cell(""), cell(num(result.ikm)))
    rows.append(
        Row(
            (cell(""), cell("IKM Unit Layanan"), *ikm, cell(result.grade or DASH), cell(result.label or DASH)),
            total=True,
        )
    )
    caption = layout.tabel1_caption or f"Ringkasan Hasil SKM {f.period.label}"
    return table(label, caption, widths, header, rows, keep=True, caption_inline=True)


def plan_table(
    label: str,
    title: str,
    priorities: Sequence[Priority],
    *,
    numbers=None,
    quarter_header: str = "",
    quarters: Sequence[str] = (),
    tick: TickMark = TickMark.CHECK,
) -> Table:
    """Tabel 2 (LHTL) and Tabel IV.1 (Laporan SKM): priorities, kegiatan, the TW I-IV
    tick grid per year, penanggung jawab. One layout in both reports. The quarter grid
    and the penanggung jawab are left out when no item has any (seed 000 has none)."""
    number = numbers or (lambda item: item.number)
    entries = [e for p in priorities for e in p.items]
    with_ticks = any(any(any(t) for _y, t in e.schedule) for e in entries)
    with_pj = any(e.item.responsible.strip() for e in entries)
    rows: list[Row] = []
    for p in priorities:
        lead_cells = (
            str(p.row.order),
            p.row.title,
            num(p.row.nrr) if p.row.code else DASH,
        )
        if not p.items:
            span = 1 + (5 if with_ticks else 0) + (1 if with_pj else 0)
            rows.append(Row((*(cell(v) for v in lead_cells), cell(("Belum ada program/kegiatan.", "i"), colspan=span))))
            continue
        first_of_priority = True
        for e in p.items:
            schedule = (e.schedule if with_ticks else None) or [(None, (False,) * 4)]
            for year_index, (year, ticks) in enumerate(schedule):
                lead = first_of_priority and year_index == 0
                first_of_item = year_index == 0
                cells = [cell(v if lead else "", continued=not lead) for v in lead_cells]
                cells.append(
                    cell(f"{number(e.item)} {e.item.program}" if first_of_item else "", continued=not first_of_item)
                )
                if with_ticks:
                    cells += [cell(tick.value if t else "", tick=True) for t in ticks]
                    cells.append(cell(str(year) if year else DASH))
                if with_pj:
                    cells.append(cell(e.item.responsible if first_of_item else "", continued=not first_of_item))
                rows.append(Row(tuple(cells)))
            first_of_priority = False
    spans = 2 if with_ticks else 1
    top = [
        cell("No", rowspan=spans),
        cell("Prioritas Unsur", rowspan=spans),
        cell("NRR", rowspan=spans),
        cell("Program/ Kegiatan", rowspan=spans),
    ]
    widths: list[tuple[float | None, Align]] = [(6, C), (17, L), (8, R), (None, L)]
    if with_ticks:
        top += [cell(quarter_header or "Waktu (Triwulan)", colspan=4), cell("Tahun", rowspan=2)]
        quarter_width = 5 if max(map(len, quarters or DEFAULT_QUARTERS)) <= 3 else 7
        widths += [(quarter_width, C)] * 4 + [(8, C)]
    if with_pj:
        top.append(cell("Penanggung Jawab", rowspan=spans))
        widths.append((16, L))
    header = [Row(tuple(top))]
    if with_ticks:
        header.append(Row(tuple(cell(q) for q in (quarters or DEFAULT_QUARTERS))))
    return table(label, title, widths, header, rows, caption_inline=not label.startswith("Tabel IV"))


def _done_text(e: ItemEntry) -> str:
    return "Sudah" if e.done else "Belum"


def realisation_table(
    label: str, f: FollowupReport, entries: Sequence[ItemEntry], numbers, *, photos_in_row=False
) -> Table:
    """Tabel 3. A column no item fills (the realisation date, the documentation, the
    challenges) is left out rather than printed full of dashes (seeds 000 and 003).
    The unit's layout may add the priority ("Unsur", seed 002) or show the RTL by its
    number under its priority's number (seed 003)."""
    layout = f.layout
    first_of_priority = {id(p.items[0].item) for p in f.priorities if p.items}
    order = {id(e.item): e.row.order for e in f.items}
    if layout.bab3_by_number:
        lead = [
            ("No", 6, C, lambda e: str(order[id(e.item)]) if id(e.item) in first_of_priority else ""),
            ("Rencana Tindak Lanjut", 14, C, lambda e: numbers(e.item)),
        ]
    else:
        lead = [
            ("No", 6, C, lambda e: numbers(e.item)),
            ("Rencana Tindak Lanjut", 20, L, lambda e: e.item.program),
        ]
    if layout.bab3_unsur:
        lead.insert(1, ("Unsur", 14, L, lambda e: e.row.title))
    columns: list[tuple[str, float | None, Align, object]] = [
        *lead,
        # The wording of KemenPANRB's LHTL template, as every seed prints it.
        # 17 %: "(Sudah/Belum)" stays on one line.
        ("Apakah RTL Telah Ditindaklanjuti (Sudah/Belum)", 17, C, _done_text),
        (
            "Tanggal, Bulan dan Tahun Realisasi",
            13,
            C,
            lambda e: date_id(e.real.realised_on) if e.done and e.real.realised_on else "",
        ),
        ("Deskripsi Tindak Lanjut (Mohon Dijabarkan)", None, L, lambda e: e.real.description if e.real else ""),
        ("Dokumentasi Kegiatan", 12, C, lambda e: ", ".join(f"Gambar {ph.number}" for ph in e.photos)),
        ("Tantangan/ Hambatan", 16, L, lambda e: e.real.challenges if e.real else ""),
    ]
    optional = {"Tanggal, Bulan dan Tahun Realisasi", "Dokumentasi Kegiatan", "Tantangan/ Hambatan"}
    kept = [
        c for c in columns if c[0] not in optional or any(str(c[3](e)).strip() for e in f.items)
    ]  # judged on every item, so the per-item blocks all have the same columns

    def shown(header: str, value: str) -> str:
        # A priority's number printed once under "No" (by number) is a merged cell, not a dash.
        return value if (value or (header == "No" and layout.bab3_by_number)) else DASH

    rows = [Row(tuple(cell(shown(h, str(get(e)).strip())) for h, _w, _a, get in kept)) for e in entries]
    return table(
        label,
        "Realisasi Rencana Tindak Lanjut" if label else "",
        [(w, a) for _h, w, a, _g in kept],
        header_row(*(h for h, _w, _a, _g in kept)),
        rows,
        caption_inline=True,
    )


def realisation_blocks(label: str, f: FollowupReport, numbers) -> list[Block]:
    """BAB III as one block per item: its row of Tabel 3, then its photos under it (seeds 000, 002)."""
    blocks: list[Block] = []
    for i, e in enumerate(f.items):
        blocks.append(realisation_table(label if i == 0 else "", f, [e], numbers))
        blocks += [_photo(ph) for ph in e.photos]
    return blocks


def strategy_table(label: str, f: FollowupReport, numbers) -> Table:
    return table(
        label,
        "Strategi Penyelesaian Rencana Tindak Lanjut",
        [(6, C), (None, L), (None, L), (14, L), (16, L), (17, L)],
        header_row(
            "No",
            "Rencana Tindak Lanjut",
            "Strategi Penyelesaian",
            "Target Waktu Penyelesaian",
            "Penanggung Jawab",
            "Stakeholder Terkait",
        ),
        [
            Row(
                (
                    cell(numbers(e.item)),
                    cell(e.item.program),
                    cell(e.real.strategy or DASH),
                    cell(e.real.target_time or DASH),
                    cell(e.real.strategy_responsible or e.item.responsible or DASH),
                    cell(e.real.stakeholders or DASH),
                )
            )
            for e in f.strategies
        ],
        caption_inline=True,
    )
