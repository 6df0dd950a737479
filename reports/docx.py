"""The two reports as Word documents (DOCX), with python-docx.

The same content as the PDFs, read only from the typed view-models of
``reports.context`` (``SurveyReport``, ``FollowupReport``): one function per
chapter, in the order of the PDF templates (``templates/reports/
survey_report.html`` and ``_followup_body.html``), so a section added to a
template is added here at the same place.

Every text from people (unit names, respondents' saran, RTL programmes, the
unit's own narrative sections) goes in as plain runs: python-docx escapes it
for XML and Word never interprets it ("<b>" and "=SUM(1)" stay literal).
Characters that XML 1.0 cannot hold (control characters pasted from other
programs) are dropped, so they cannot make the export fail.

Import this module only where a DOCX is written (``reports.services``
imports it inside the function): python-docx is not needed to serve pages.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.utils import dateformat
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from skm.rules.formatting import format_number
from skm.rules.textblocks import BlockKind, TextBlock

from .pdf import ASSET_ORIGIN, resolve_asset

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from .context import FollowupReport, Signature, SurveyReport

logger = logging.getLogger(__name__)


BODY_FONT = "Times New Roman"  # metric twin of the PDF's Liberation Serif
HEADING_FONT = "Arial"  # and of Liberation Sans
PRIMARY = RGBColor(0x0B, 0x53, 0x94)
TEXT_WIDTH_CM = 16.5  # A4 (21 cm) less the PDF's margins (2,5 cm left, 2 cm right)
DASH = "–"

# XML 1.0 cannot hold these (python-docx would raise): dropped from people's text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Part = str | tuple[str, str]  # plain text, or (text, "b" | "i" | "bi")


def plain(value: Any) -> str:
    """``value`` as text that XML can hold; None is empty."""
    return "" if value is None else _NOT_XML.sub("", str(value))


def num(value: Any, places: int = 2) -> str:
    return format_number(value, places)


def date_id(value, fmt: str = "j F Y") -> str:
    """Indonesian date (the caller runs under ``translation.override("id")``)."""
    return dateformat.format(value, fmt) if value else DASH


def _or_dash(value: Any) -> str:
    return plain(value) if value not in (None, "") else DASH


# ------------------------------------------------------------------ document


class Builder:
    """A python-docx document with the report's styles and a record of its headings
    (for the table of contents' placeholder text)."""

    def __init__(self, *, title: str, author: str):
        self.doc: DocxDocument = Document()
        self.headings: list[tuple[int, str]] = []
        self._toc_anchor: Paragraph | None = None
        _page_setup(self.doc)
        _styles(self.doc)
        props = self.doc.core_properties
        props.title, props.author, props.language = plain(title)[:250], plain(author)[:250], "id-ID"
        props.comments = ""

    # -- text
    def heading(self, text: str, level: int, *, page_break: bool = False, subtitle: str = "") -> Paragraph:
        p = add_para(self.doc, f"Heading {level}")
        p.add_run(plain(text))
        if subtitle:
            p.add_run().add_break()
            p.add_run(plain(subtitle))
        if page_break:
            p.paragraph_format.page_break_before = True
        self.headings.append((level, f"{plain(text)} {plain(subtitle)}".strip()))
        return p

    def para(self, *parts: Part, style: str = "Isi", align=None, keep_with_next: bool = False) -> Paragraph:
        p = add_para(self.doc, style)
        add_parts(p, parts)
        if align is not None:
            p.alignment = align
        if keep_with_next:
            p.paragraph_format.keep_with_next = True
        return p

    def note(self, text: str) -> Paragraph:
        return self.para((text, "i"))

    def items(self, items: Iterable[Sequence[Part]], *, numbered: bool = True, level: int = 0) -> list[Paragraph]:
        """A bulleted or numbered list; a numbered list starts again at 1."""
        style = _list_style(numbered, level)
        num_id = new_list_number(self.doc, style) if numbered else None
        paragraphs = []
        for parts in items:
            p = add_para(self.doc, style)
            add_parts(p, parts)
            if num_id is not None:
                _set_num(p, num_id)
            paragraphs.append(p)
        return paragraphs

    def blocks(self, blocks: Sequence[TextBlock], *, level: int = 0) -> None:
        add_blocks(self.doc, blocks, level=level)

    def caption(self, label: str, sub: str = "") -> Paragraph:
        p = add_para(self.doc, "Caption")
        p.add_run(plain(label))
        if sub:
            p.add_run().add_break()
            p.add_run(plain(sub))
        p.paragraph_format.keep_with_next = True
        return p

    # -- tables, pictures
    def table(
        self,
        header: Sequence[str] | Sequence[Sequence[str]],
        rows: Iterable[Sequence[Any]],
        *,
        widths: Sequence[float] | None = None,
        align: str = "",
        totals: Iterable[Sequence[Any]] = (),
        small: bool = False,
    ) -> Table:
        return add_table(self.doc, header, rows, widths=widths, align=align, totals=totals, small=small)

    def picture(self, data: bytes, *, width_cm: float, caption: str = "") -> bool:
        """A centred picture with its caption; False (and the caption alone) if the
        image cannot be read: a picture must never cost the unit its report."""
        p = add_para(self.doc, "Gambar")
        try:
            p.add_run().add_picture(io.BytesIO(data), width=Cm(width_cm))
            ok = True
        except Exception:
            logger.exception("docx: picture could not be added")
            ok = False
        if caption:
            p.paragraph_format.keep_with_next = True
            cap = add_para(self.doc, "Caption")
            cap.add_run(plain(caption))
        return ok

    # -- front matter
    def toc_here(self) -> None:
        self._toc_anchor = add_para(self.doc, "Isi Tabel")

    def signature(self, s: Signature) -> None:
        add_signature(self.doc, s)

    def save(self, target) -> None:
        if self._toc_anchor is not None:
            _fill_toc(self._toc_anchor, self.headings)
        self.doc.save(target)


_STYLE_IDS: dict[str, str] = {}


def style_id(doc: DocxDocument, name: str) -> str:
    """The style's id, looked up once: python-docx's lookup by name scans every style
    on each call, which cost most of the writing time of a report's tables."""
    sid = _STYLE_IDS.get(name)
    if sid is None:
        sid = _STYLE_IDS[name] = doc.styles[name].style_id
    return sid


def add_para(doc: DocxDocument, style: str) -> Paragraph:
    """``doc.add_paragraph(style=style)`` without python-docx's slow style lookup."""
    p = doc.add_paragraph()
    p._p.style = style_id(doc, style)
    return p


def add_parts(paragraph: Paragraph, parts: Iterable[Part]) -> None:
    """Plain runs: a part is text, or (text, "b"/"i"/"bi") for bold and italic."""
    for part in parts:
        text, fmt = (part, "") if isinstance(part, str) else part
        run = paragraph.add_run(plain(text))
        if "b" in fmt:
            run.bold = True
        if "i" in fmt:
            run.italic = True


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    # The cover has no page number (the PDF's @page cover); the count starts there as in the PDF.
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_field(footer, "PAGE", "1")
    for run in footer.runs:
        run.font.size = Pt(9)


def _add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, TOC ...) with the text shown until Word updates it."""

    def char(kind: str):
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)
        return run

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _fill_toc(anchor: Paragraph, headings: list[tuple[int, str]]) -> None:
    """A TOC field whose shown text lists the headings (page numbers appear when Word
    updates the field; ``updateFields`` asks it to on opening)."""
    entries = [(level, text.replace("\n", " ")) for level, text in headings if level <= 2]
    _add_field(anchor, 'TOC \\o "1-2" \\h \\z \\u', "")
    # Move the shown text out of the one paragraph: every entry on its own line.
    shown = [r for r in anchor.runs if not r._r.findall(qn("w:fldChar")) and not r._r.findall(qn("w:instrText"))]
    for run in shown:
        for i, (level, text) in enumerate(entries):
            if i:
                run.add_break()
            run.add_text(("    " if level > 1 else "") + text)
    settings = anchor.part.document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # The schema's order: updateFields comes before compat, rsids, themeFontLang ...
    later = next((el for el in settings if el.tag in _AFTER_UPDATE_FIELDS), None)
    if later is not None:
        later.addprevious(update)
    else:
        settings.append(update)


_AFTER_UPDATE_FIELDS = {
    qn(f"w:{name}")
    for name in (
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    )
} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}


def _styles(doc: DocxDocument) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(12)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")
    rpr.append(lang)
    for level, size in ((1, 14), (2, 12), (3, 12), (4, 12)):
        style = styles[f"Heading {level}"]
        style.font.name, style.font.size, style.font.bold = HEADING_FONT, Pt(size), True
        style.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if level > 1 else 0)
        style.paragraph_format.space_after = Pt(6 if level > 1 else 12)
        if level in (1, 3):  # BAB headings (3: a BAB of the embedded follow-up report)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = styles.add_style("Isi", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.paragraph_format.first_line_indent = Cm(1.25)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, size in (("Isi Tabel", 9.5), ("Tabel Kecil", 7.5)):
        cell = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        cell.font.size = Pt(size)
        cell.paragraph_format.space_after = Pt(0)
        cell.paragraph_format.line_spacing = 1.0
    picture = styles.add_style("Gambar", WD_STYLE_TYPE.PARAGRAPH)
    picture.base_style = normal
    picture.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = styles["Caption"]
    caption.font.name, caption.font.size, caption.font.bold, caption.font.italic = HEADING_FONT, Pt(10), True, False
    caption.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_before = Pt(6)
    for name in ("List Bullet", "List Number", "List Bullet 2", "List Number 2", "List Continue"):
        styles[name].font.size = Pt(12)


# --------------------------------------------------------------------- lists


def _list_style(numbered: bool, level: int) -> str:
    base = "List Number" if numbered else "List Bullet"
    return base if level == 0 else f"{base} 2"


def new_list_number(doc: DocxDocument, style_name: str) -> int:
    """A new numbering instance of the style's list, starting at 1: every numbered
    list of the report counts from 1 instead of continuing the previous one."""
    style = doc.styles[style_name]
    numbering = doc.part.numbering_part.element
    num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        return 0
    abstract = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
    num = numbering.add_num(abstract)
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    num.add_lvlOverride(ilvl=ilvl).add_startOverride(1)
    return num.numId


def _set_num(paragraph: Paragraph, num_id: int) -> None:
    if not num_id:
        return
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = num_id


def add_blocks(doc: DocxDocument, blocks: Sequence[TextBlock], *, level: int = 0) -> list[Paragraph]:
    """The unit's own text (``skm.rules.textblocks``): paragraphs, bulleted and
    numbered lists, as plain runs. ``level`` 1 indents it under a list item."""
    added: list[Paragraph] = []
    for block in blocks:
        if block.kind is BlockKind.PARAGRAPH:
            p = add_para(doc, "Isi" if level == 0 else "List Continue")
            add_parts(p, [block.text])
            added.append(p)
            continue
        numbered = block.kind is BlockKind.NUMBERED
        style = _list_style(numbered, level)
        num_id = new_list_number(doc, style) if numbered else 0
        for item in block.items:
            p = add_para(doc, style)
            add_parts(p, [item])
            _set_num(p, num_id)
            added.append(p)
    return added


def narrative(report, key: str) -> tuple[TextBlock, ...]:
    """The unit's own text of a section (``report.narrative``), empty if none."""
    sections = getattr(report, "narrative", None) or {}
    for candidate in (key, key.lower(), key.upper()):
        blocks = sections.get(candidate)
        if blocks:
            return tuple(blocks)
    return ()


def section(b: Builder, report, key: str, default: Callable[[], None] | None = None, *, level: int = 0) -> bool:
    """The unit's text of section ``key`` if it wrote one, else the generated ``default``."""
    blocks = narrative(report, key)
    if blocks:
        b.blocks(blocks, level=level)
        return True
    if default is not None:
        default()
    return False


# -------------------------------------------------------------------- tables


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _fill_row(row, values: Sequence[Any], *, align: str, style: str, bold: bool = False) -> None:
    """One table row; ``style`` is a paragraph style id."""
    for i, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
        p = cell.paragraphs[0]
        p._p.style = style
        text, fmt = (value, "") if not isinstance(value, tuple) else value
        run = p.add_run(plain(text))
        run.bold = bold or "b" in fmt or None
        run.italic = "i" in fmt or None
        a = align[i] if i < len(align) else "l"
        if a == "c":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif a == "r":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def add_table(
    doc: DocxDocument,
    header: Sequence[str] | Sequence[Sequence[str]],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[float] | None = None,
    align: str = "",
    totals: Iterable[Sequence[Any]] = (),
    small: bool = False,
) -> Table:
    """A bordered table: header row(s) repeated on every page, body rows, bold
    total rows. ``align`` has one letter per column: l(eft), c(entre), r(ight).
    A cell value is text or (text, "b"/"i")."""
    header_rows = [header] if header and isinstance(header[0], str) else list(header)
    cols = len(header_rows[0])
    style = style_id(doc, "Tabel Kecil" if small else "Isi Tabel")
    table = doc.add_table(rows=0, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for values in header_rows:
        row = table.add_row()
        _fill_row(row, values, align="c" * cols, style=style, bold=True)
        _repeat_header(row)
        for cell in row.cells:
            _shade(cell, "E3EDF7")
    for values in rows:
        _fill_row(table.add_row(), values, align=align, style=style)
    for values in totals:
        _fill_row(table.add_row(), values, align=align, style=style, bold=True)
    if widths:
        _set_widths(table, widths)
    add_para(doc, "Isi Tabel")  # the PDF's space after a table
    return table


def _set_widths(table: Table, widths: Sequence[float]) -> None:
    """Column widths in cm (None: share what is left of the text width)."""
    fixed = sum(w for w in widths if w)
    free = [w for w in widths if not w]
    rest = max(TEXT_WIDTH_CM - fixed, 2.0) / len(free) if free else 0
    cms = [w or rest for w in widths]
    table.autofit = False
    for col, width in zip(table.columns, cms, strict=False):
        col.width = Cm(width)
    for row in table.rows:
        for tc, width in zip(row._tr.tc_lst, cms, strict=False):
            tc.width = Cm(width)


def merge_across(table: Table, row_index: int, first: int, last: int, text: str = "") -> None:
    """Merge cells ``first``..``last`` of a row into one holding ``text`` (the PDF's colspan)."""
    row = table.rows[row_index]
    cells = row.cells
    keep = cells[first].paragraphs[0]
    runs = [r for c in cells[first : last + 1] for p in c.paragraphs for r in p.runs]
    bold = any(r.bold for r in runs)
    merged = cells[first].merge(cells[last])
    for p in merged.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    for r in list(keep.runs):
        r._r.getparent().remove(r._r)
    run = keep.add_run(plain(text))
    run.bold = bold or None


# ------------------------------------------------------------ shared blocks


def add_signature(doc: DocxDocument, s: Signature) -> None:
    """Place and date, jabatan, space to sign, name, pangkat, NIP (``_signature.html``)."""
    lines: list[tuple[str, str]] = [
        (f"{plain(s.city)}, {date_id(s.date)}" if s.city else date_id(s.date), ""),
        (f"{plain(s.title) or 'Kepala Unit Layanan'},", ""),
        ("", "space"),
        (plain(s.name) or "....................................", "name"),
    ]
    if s.rank:
        lines.append((plain(s.rank), ""))
    lines.append((f"NIP. {plain(s.nip) or '....................'}", ""))
    for i, (text, kind) in enumerate(lines):
        p = add_para(doc, "Normal")
        fmt = p.paragraph_format
        fmt.left_indent = Cm(9.5)
        fmt.space_after = Pt(0)
        fmt.keep_with_next = i < len(lines) - 1
        fmt.keep_together = True
        if i == 0:
            fmt.space_before = Pt(18)
        if kind == "space":
            fmt.space_before = Pt(42)
            continue
        run = p.add_run(text)
        if kind == "name":
            run.bold = run.underline = True


def _logo_bytes(report) -> bytes | None:
    """The unit's logo if the view-model carries one (bytes, a /media/ path or a file field)."""
    letterhead = getattr(report, "letterhead", None)
    logo = getattr(report, "logo", None) or (letterhead.logo_url if letterhead else None)
    if not logo:
        return None
    try:
        if isinstance(logo, bytes):
            return logo
        if isinstance(logo, str):
            return resolve_asset(ASSET_ORIGIN + logo).read_bytes()
        with logo.open("rb") as fh:
            return fh.read()
    except Exception:
        logger.exception("docx: logo could not be read")
        return None


def add_cover(
    b: Builder, report, *, title_lines: Sequence[str], period_label: str, org_lines: Sequence[str], year: int
) -> None:
    """Title, period, the logo (or the placeholder emblem), the unit and its parents,
    address, year: the PDF's cover page, in capitals as the PDF's CSS prints it."""

    def centred(text: str, size: float, *, space_before: float = 0, color=None, caps: bool = True) -> Paragraph:
        p = add_para(b.doc, "Normal")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(space_before)
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(plain(line))
            run.font.name, run.font.size, run.bold, run.font.all_caps = HEADING_FONT, Pt(size), True, caps
            if color is not None:
                run.font.color.rgb = color
            if i < len(lines) - 1:
                run.add_break()
        return p

    centred("\n".join(title_lines), 18, space_before=48)
    centred(period_label, 15, space_before=8)
    logo = _logo_bytes(report)
    if logo is None or not b.picture(logo, width_cm=3.2):
        centred("SKM", 20, space_before=60, color=PRIMARY).paragraph_format.space_after = Pt(60)
    centred("\n".join(org_lines), 13, space_before=24)
    letterhead = getattr(report, "letterhead", None)
    lines = (
        [letterhead.address, letterhead.phone, letterhead.website]
        if letterhead
        else [getattr(report.unit, "address", "")]
    )
    for line in (line for line in lines if line):
        p = b.para(line, style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER)
        p.runs[0].font.size = Pt(10)
    centred(str(year), 14, space_before=8)


def _interval_table(b: Builder, bands, *, service_word: str) -> None:
    b.table(
        [
            "Nilai Persepsi",
            "Nilai Interval (NI)",
            "Nilai Interval Konversi (NIK)",
            f"Mutu {service_word}",
            f"Kinerja Unit {service_word}",
        ],
        [(str(r.number), r.nrr_range, r.converted_range, r.grade, r.label) for r in bands],
        align="ccccl",
    )


def _services_table(b: Builder, *, summary, services, result, services_mean, mean_label) -> None:
    """IKM per jenis layanan (``services``), the unit's pooled row and the unweighted mean."""
    header = ["Jenis Layanan", "Resp.", *[r.code for r in summary], "IKM", "Mutu"]
    rows = [
        (
            s.name,
            num(s.result.respondents, 0),
            *[num(u.nrr) for u in s.result.unsur],
            num(s.result.ikm),
            s.result.grade or DASH,
        )
        for s in services
    ]
    totals = [
        (
            "IKM unit (seluruh responden)",
            num(result.respondents, 0),
            *[num(u.nrr) for u in result.unsur],
            num(result.ikm),
            result.grade or DASH,
        )
    ]
    if services_mean is not None:
        totals.append((str(mean_label), *[""] * (len(header) - 3), num(services_mean), ""))
    table = b.table(header, rows, totals=totals, align="l" + "r" * (len(header) - 2) + "c", small=True)
    if services_mean is not None:
        merge_across(table, len(table.rows) - 1, 0, len(header) - 3, str(mean_label))


# ============================================================ survey report


def survey_docx_write(report: SurveyReport, target) -> None:
    """The Laporan SKM (cover, front matter, BAB I-V, lampiran) to ``target`` (path or file)."""
    b = Builder(
        title=f"Laporan Survei Kepuasan Masyarakat {report.unit.name} {report.period.label}", author=report.unit.name
    )
    survey_cover(b, report)
    survey_front(b, report)
    survey_bab1(b, report)
    survey_bab2(b, report)
    survey_bab3(b, report)
    survey_bab4(b, report)
    survey_bab5(b, report)
    survey_appendix(b, report)
    b.save(target)


def survey_cover(b: Builder, r: SurveyReport) -> None:
    add_cover(
        b,
        r,
        title_lines=["Laporan", "Survei Kepuasan Masyarakat", r.unit.name],
        period_label=r.period.label,
        org_lines=r.heading,
        year=r.report_year,
    )


def survey_front(b: Builder, r: SurveyReport) -> None:
    """KATA PENGANTAR (with the signature) and DAFTAR ISI."""
    b.heading("KATA PENGANTAR", 1, page_break=True)

    def default():
        b.para(
            "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa atas segala rahmat dan karunia-Nya, "
            "sehingga kami dapat menyelesaikan Laporan Survei Kepuasan Masyarakat pada "
            f"{r.unit.name} {r.period.label}."
        )
        b.para(
            "Survei ini dilaksanakan berdasarkan Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi "
            f"Birokrasi Nomor 14 Tahun 2017 dengan {num(r.result.respondents, 0)} ({r.respondents_words}) "
            "responden. Kami mengucapkan terima kasih kepada masyarakat pengguna layanan yang telah meluangkan "
            "waktu mengisi kuesioner serta kepada semua pihak yang terlibat dalam penyusunan laporan ini. Kritik "
            "dan saran terhadap laporan ini kami harapkan guna penyempurnaan pada masa yang akan datang."
        )
        b.para("Semoga laporan ini bermanfaat dalam upaya peningkatan kualitas pelayanan kepada masyarakat.")

    section(b, r, "kata_pengantar", default)
    b.signature(r.signature)
    b.heading("DAFTAR ISI", 1, page_break=True)
    b.toc_here()


def survey_bab1(b: Builder, r: SurveyReport) -> None:
    b.heading("BAB I", 1, page_break=True, subtitle="PENDAHULUAN")
    b.heading("1.1. Latar Belakang", 2)
    name = r.unit.name

    def background():
        b.para(
            "Fungsi utama pemerintah adalah melayani masyarakat sehingga pemerintah perlu terus berupaya "
            "meningkatkan kualitas pelayanan. Ukuran keberhasilan penyelenggaraan pelayanan ditentukan oleh "
            "tingkat kepuasan penerima layanan. Oleh karena itu pelayanan publik harus mendapat perhatian dan "
            "penanganan yang sungguh-sungguh oleh semua aparatur, karena merupakan tugas dan fungsi yang melekat "
            "pada setiap aparatur."
        )
        b.para(
            "Tingkat kualitas kinerja pelayanan publik memiliki dampak yang luas dalam berbagai kehidupan, "
            "terutama untuk mencapai tingkat kesejahteraan masyarakat. Upaya penyempurnaan pelayanan publik harus "
            "dilakukan secara terus-menerus dan berkesinambungan."
        )
        b.para(
            f"Untuk mengukur kinerja aparatur {name} dalam memberikan pelayanan kepada masyarakat, sekaligus "
            "mendengarkan dan menyerap aspirasi masyarakat perihal kebutuhan dan harapan, maka dilaksanakan Survei "
            f"Kepuasan Masyarakat pada unit layanan {name}."
        )

    section(b, r, "latar_belakang", background)
    b.heading("1.2. Dasar Pelaksanaan Survei Kepuasan Masyarakat", 2)
    section(
        b,
        r,
        "dasar_hukum",
        lambda: b.items(
            [
                ["Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;"],
                [
                    "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun "
                    "2009 tentang Pelayanan Publik;"
                ],
                [
                    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 "
                    "tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik."
                ],
            ]
        ),
    )
    b.heading("1.3. Maksud dan Tujuan", 2)

    def purpose():
        b.para(
            "Survei kepuasan masyarakat dilakukan dengan maksud untuk mengetahui tingkat kinerja aparatur pada "
            f"unit layanan {name} dalam memberikan pelayanan kepada masyarakat, sekaligus sebagai wahana "
            "penyerapan aspirasi masyarakat berupa saran, harapan, dan keluhan untuk dijadikan pedoman kebijakan, "
            "program, dan strategi guna peningkatan pelayanan. Tujuannya adalah:"
        )
        b.items(
            [
                ["mengetahui tingkat kinerja unit pelayanan secara berkala;"],
                ["memberikan gambaran kepada masyarakat tentang kinerja pelayanan unit yang bersangkutan;"],
                ["mengetahui kelemahan atau kekuatan dari masing-masing unsur pelayanan;"],
                [
                    "sebagai umpan balik dan bahan penetapan kebijakan dalam rangka peningkatan kualitas pelayanan publik."
                ],
            ]
        )

    section(b, r, "maksud_tujuan", purpose)


def survey_bab2(b: Builder, r: SurveyReport) -> None:
    unit, period = r.unit, r.period
    b.heading("BAB II", 1, page_break=True, subtitle="PENGUMPULAN DATA SURVEI KEPUASAN MASYARAKAT")
    b.heading("2.1. Pelaksanaan Survei Kepuasan Masyarakat", 2)
    parent = f" ({unit.parent.name})" if unit.parent else ""
    section(
        b,
        r,
        "pelaksanaan",
        lambda: b.para(
            f"Survei Kepuasan Masyarakat {period.label} dilaksanakan secara mandiri oleh {unit.name}{parent}."
        ),
    )
    b.heading("2.2. Metodologi Pengumpulan Data", 2)
    b.para(
        "Pendekatan survei yang digunakan adalah metode kuantitatif. Data primer diperoleh langsung dari responden "
        "yang menjawab kuesioner terstruktur, baik kuesioner kertas di ruang pelayanan maupun kuesioner daring. "
        "Responden memilih salah satu dari empat pilihan jawaban (nilai 1 sampai 4) untuk setiap unsur. Kuesioner "
        "terdiri dari 9 unsur pelayanan:"
    )
    b.items([[w.name] for w in r.wording])
    b.heading("2.3. Lokasi Pengumpulan Data", 2)
    address = f", {unit.address}" if unit.address else ""
    b.para(
        f"Pengumpulan data dilakukan di ruang pelayanan {unit.name}{address}, kepada responden yang datang langsung "
        "saat menggunakan layanan, serta melalui tautan kuesioner daring yang disediakan unit."
    )
    b.heading("2.4. Waktu Pelaksanaan Survei Kepuasan Masyarakat", 2)
    section(
        b,
        r,
        "jadwal",
        lambda: b.para(
            f"Survei {period.label} dilaksanakan pada periode {date_id(period.start_date)} sampai dengan "
            f"{date_id(period.end_date)}."
        ),
    )
    b.caption("Tabel II.1", f"Jadwal Pelaksanaan Survei Kepuasan Masyarakat {period.label}")
    b.table(
        ["No", "Kegiatan", "Waktu Pelaksanaan"],
        [
            ("1", "Persiapan", date_id(period.start_date, "F Y")),
            ("2", "Pengumpulan Data", f"{date_id(period.start_date)} – {date_id(period.end_date)}"),
            ("3", "Pengolahan Data dan Analisis Hasil", date_id(period.end_date, "F Y")),
            ("4", "Penyusunan dan Pelaporan Hasil", date_id(r.signature.date, "F Y")),
        ],
        widths=[1.3, None, 6],
        align="cll",
    )
    b.heading("2.5. Penentuan Jumlah Responden", 2)
    b.para(
        "Jumlah sampel minimal ditentukan per jenis layanan dengan rumus Krejcie dan Morgan dari jumlah pengguna "
        "layanan periode sebelumnya (populasi N): s = 3,841 · N · 0,25 ÷ (0,0025 · (N − 1) + 3,841 · 0,25). "
        f"Jumlah responden yang terkumpul adalah {num(r.result.respondents, 0)} ({r.respondents_words}) orang."
    )
    if r.samples:
        b.caption("Tabel II.2", "Kecukupan Jumlah Responden (Krejcie & Morgan)")
        b.table(
            ["Jenis Layanan", "Populasi", "Sampel Minimal", "Responden", "Keterangan"],
            [(s.service, num(s.population, 0), num(s.required, 0), num(s.respondents, 0), s.flag) for s in r.samples],
            align="lrrrl",
        )


def survey_bab3(b: Builder, r: SurveyReport) -> None:
    unit, period, result = r.unit, r.period, r.result
    b.heading("BAB III", 1, page_break=True, subtitle="HASIL PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT")
    b.heading("3.1. Jumlah dan Profil Responden", 2)
    b.para(
        f"Survei Kepuasan Masyarakat pada {unit.name} {period.label} memperoleh "
        f"{num(result.respondents, 0)} responden dengan profil sebagai berikut:"
    )
    for i, t in enumerate(r.profile, start=1):
        b.caption(f"Tabel III.{i}", f"{t.title} Responden")
        b.table(
            [t.title, "Jumlah", "Persentase"],
            [(row.label, num(row.count, 0), f"{num(row.percent)}%") for row in t.rows],
            totals=[("Jumlah", num(t.total, 0), "100,00%")],
            widths=[None, 3.3, 3.3],
            align="lrr",
        )
    b.heading("3.2. Penilaian per Unsur Layanan", 2)
    b.para("Hasil persepsi responden pada setiap unsur layanan adalah sebagai berikut:")
    for i, d in enumerate(r.distributions, start=1):
        _distribution_table(b, d, number=r.profile_tables + i)
    b.heading("3.3. Indeks Kepuasan Masyarakat", 2)
    b.para(
        "Setiap unsur dinilai dengan skala 1 sampai 4 dan memiliki penimbang yang sama. Nilai rata-rata (NRR) tiap "
        "unsur adalah jumlah nilai dibagi jumlah responden yang menjawab unsur tersebut; jawaban kosong tidak "
        f"dihitung. IKM = Σ (NRR × bobot) × 25, dengan {r.weight_description}. Nilai konversi tiap unsur adalah "
        "NRR × 25, dibulatkan dua desimal sebelum ditentukan mutunya."
    )
    b.caption(f"Tabel III.{r.profile_tables + 10}", "Interval Kategori Penilaian")
    _interval_table(b, r.bands, service_word="Layanan")
    b.caption(f"Tabel III.{r.profile_tables + 11}", "Hasil Perhitungan Indeks Kepuasan Masyarakat per Unsur Layanan")
    _summary_table(b, r)
    if r.chart_unsur is not None:
        b.picture(r.chart_unsur.data, width_cm=16, caption="Gambar III.1 Grafik Nilai per Unsur Layanan")
    if r.services:
        b.caption(f"Tabel III.{r.profile_tables + 12}", "IKM per Jenis Layanan")
        _services_table(
            b,
            summary=r.summary,
            services=r.services,
            result=result,
            services_mean=r.res.services_mean,
            mean_label=r.mean_label,
        )


def _distribution_table(b: Builder, d, *, number: int) -> None:
    b.caption(f"Tabel III.{number}", f"Penilaian Unsur {d.name} ({d.code})")
    blank = f" (tidak menjawab: {d.blank})" if d.blank else ""
    table = b.table(
        ["Jawaban", "Nilai", "Jumlah", "Persentase"],
        [(row.label, str(i), num(row.count, 0), f"{num(row.percent)}%") for i, row in enumerate(d.rows, start=1)],
        totals=[(f"Menjawab{blank}", "", num(d.answered, 0), "100,00%" if d.answered else DASH)],
        widths=[None, 2, 3, 3],
        align="lcrr",
    )
    merge_across(table, len(table.rows) - 1, 0, 1, f"Menjawab{blank}")


def _summary_table(b: Builder, r: SurveyReport) -> None:
    result = r.result
    table = b.table(
        [
            "No",
            "Unsur Layanan",
            "Jumlah Nilai",
            "Menjawab",
            "NRR",
            "NRR Tertimbang",
            "Nilai Konversi",
            "Mutu",
            "Kinerja",
        ],
        [
            (
                str(s.no),
                f"{s.code}. {s.name}",
                num(s.total, 0),
                num(s.answered, 0),
                num(s.nrr),
                num(s.weighted, 4),
                num(s.converted),
                s.grade or DASH,
                s.label or DASH,
            )
            for s in r.summary
        ],
        totals=[("", "IKM Unit Layanan", "", "", "", "", num(result.ikm), result.grade or DASH, result.label or DASH)],
        widths=[1, None, 1.6, 1.7, 1.4, 1.9, 1.8, 1.2, 2],
        align="clrrrrrcl",
    )
    merge_across(table, len(table.rows) - 1, 1, 5, "IKM Unit Layanan")


def _names_nrr(unsur) -> list[Part]:
    """ "A (NRR 3,12, Baik), B (...) dan C (...)" with the NRR in bold."""
    parts: list[Part] = []
    for i, u in enumerate(unsur):
        if i:
            parts.append(" dan " if i == len(unsur) - 1 else ", ")
        parts += [f"{u.name} (NRR ", (num(u.nrr), "b"), f", {u.label})"]
    return parts


def survey_bab4(b: Builder, r: SurveyReport) -> None:
    b.heading("BAB IV", 1, page_break=True, subtitle="ANALISIS HASIL SURVEI KEPUASAN MASYARAKAT")
    b.heading("4.1. Analisis Permasalahan Unsur Layanan", 2)
    if r.lowest:
        b.items(
            [
                ["Unsur dengan nilai terendah: ", *_names_nrr(r.lowest), "."],
                ["Unsur dengan nilai tertinggi: ", *_names_nrr(r.highest), "."],
            ]
        )
    b.para("Deskripsi persepsi responden terhadap tiap unsur layanan:", style="Normal")
    _unsur_analysis(b, r)
    result = r.result
    if result.ikm is not None:
        b.para(
            "Secara keseluruhan diperoleh nilai rata-rata seluruh unsur ",
            (num(result.mean_nrr), "b"),
            " dengan nilai IKM Unit Layanan ",
            (num(result.ikm), "b"),
            f" ({r.weight_description}), sehingga mutu layanan berada pada tingkat ",
            (result.grade, "b"),
            f" dan kinerja {r.unit.name} adalah ",
            (result.label, "b"),
            ".",
        )
    b.heading("4.2. Rencana Tindak Lanjut", 2)
    section(b, r, "saran_ringkasan")
    _survey_rtl(b, r)
    b.heading("4.3. Tren Nilai Survei Kepuasan Masyarakat", 2)
    b.para(
        "Survei yang dilakukan secara periodik memperlihatkan kecenderungan tingkat kepuasan masyarakat terhadap "
        f"layanan {r.unit.name}."
    )
    if r.chart_trend is not None:
        b.picture(r.chart_trend.data, width_cm=16, caption="Gambar IV.1 Grafik Tren Indeks Kepuasan Masyarakat")
    b.table(
        ["Periode", "Responden", "IKM", "Mutu"],
        [(p.period_label, num(p.respondents, 0), num(p.ikm), p.grade or DASH) for p in r.trend],
        align="lrrc",
    )
    b.para(r.trend_sentence or "Belum ada periode sebelumnya sebagai pembanding.")


def _unsur_analysis(b: Builder, r: SurveyReport) -> None:
    """One numbered item per unsur (the numbers sentence), then the unit's own
    explanation of its causes (section ``u1`` … ``u9``) under the item."""
    style = "List Number"
    num_id = new_list_number(b.doc, style)
    for a in r.analysis:
        u = a.unsur
        if u.answered:
            parts: list[Part] = [
                (f"{u.name}.", "b"),
                f" Dari {num(u.answered, 0)} responden yang menjawab, {a.parts}; nilai rata-rata ",
                (num(u.nrr), "b"),
                f" (nilai konversi {num(u.converted)}) dengan mutu {u.grade} dan kinerja ",
                (u.label, "b"),
                ".",
            ]
        else:
            parts = [(f"{u.name}.", "b"), " Tidak ada responden yang menjawab unsur ini."]
        p = add_para(b.doc, style)
        add_parts(p, parts)
        _set_num(p, num_id)
        section(b, r, u.code.lower(), level=1)


def _survey_rtl(b: Builder, r: SurveyReport) -> None:
    if r.plan:
        section(
            b,
            r,
            "rtl_narasi",
            lambda: b.para(
                "Berdasarkan analisis unsur layanan dan saran responden, disusun Rencana Tindak Lanjut Perbaikan "
                "sebagaimana Tabel IV.1."
            ),
        )
        b.caption("Tabel IV.1", "Rencana Tindak Lanjut Perbaikan Pelayanan")
        rows = []
        for row in r.plan.unsur_rows.all():
            for i, item in enumerate(row.items.all()):
                schedule = "\n".join(
                    f"{year}: " + " ".join(f"TW {q}" for q, tick in enumerate(ticks, start=1) if tick)
                    for year, ticks in item.schedule_rows
                )
                first = i == 0
                rows.append(
                    (
                        item.number,
                        row.title if first else "",
                        num(row.nrr) if first else "",
                        item.program,
                        schedule,
                        item.responsible,
                    )
                )
        b.table(
            ["No", "Prioritas Unsur", "NRR", "Program / Kegiatan", "Jadwal", "Penanggung Jawab"],
            rows,
            widths=[1.2, 3.6, 1.5, None, 2.3, 3],
            align="clrlll",
        )
        return
    lowest = ", ".join(f"{u.name} ({num(u.nrr)})" for u in r.lowest)
    section(
        b,
        r,
        "rtl_narasi",
        lambda: b.para(f"Rencana Tindak Lanjut disusun untuk unsur dengan nilai terendah, yaitu: {lowest}."),
    )


def survey_bab5(b: Builder, r: SurveyReport) -> None:
    b.heading("BAB V", 1, page_break=True, subtitle="KESIMPULAN")
    result = r.result

    def conclusion():
        if result.ikm is None:
            b.para(f"Belum cukup data untuk menghitung IKM {r.unit.name} pada {r.period.label}.")
            return
        b.para(
            f"Survei Kepuasan Masyarakat {r.period.label} menyimpulkan bahwa kinerja unit layanan {r.unit.name} adalah ",
            ((result.label or "").upper(), "b"),
            f" (mutu {result.grade}) dengan nilai IKM ",
            (num(result.ikm), "b"),
            f" dari {num(result.respondents, 0)} responden.",
        )
        groups = "; ".join(f"{count} unsur berkinerja {label} ({names})" for label, names, count in r.grade_groups)
        b.para(f"Dari 9 unsur layanan: {groups}.")

    section(b, r, "kesimpulan", conclusion)
    section(b, r, "rekomendasi")
    section(
        b,
        r,
        "penutup",
        lambda: b.para(
            "Mengingat pentingnya peningkatan mutu pelayanan secara terus-menerus, Survei Kepuasan Masyarakat perlu "
            "dilakukan secara periodik dan hasilnya ditindaklanjuti melalui Rencana Tindak Lanjut."
        ),
    )
    b.signature(r.signature)


def survey_appendix(b: Builder, r: SurveyReport) -> None:
    b.heading("LAMPIRAN", 1, page_break=True)
    _questionnaire(b, r)
    _respondent_data(b, r)
    _saran(b, r)
    if r.prev_followup is not None:
        b.heading(f"Laporan Hasil Tindak Lanjut {r.previous_period.label}", 2, page_break=True)
        followup_body(b, r.prev_followup, level=3)


def _questionnaire(b: Builder, r: SurveyReport) -> None:
    b.heading("KUESIONER", 2, subtitle=f"Survei Kepuasan Masyarakat {r.period.label} pada Unit Layanan {r.unit.name}")
    box = "☐"
    b.para("Nomor Responden: ............ (diisi petugas)", style="Normal")
    p = b.para(("Profil Responden", "b"), style="Normal")
    for line in (
        f"Jenis Kelamin: {box} L {box} P    Usia: ...... tahun",
        f"Pendidikan: {box} SD {box} SMP {box} SMA {box} Diploma {box} Strata {box} Lainnya",
        f"Pekerjaan: {box} Pelajar/Mahasiswa {box} Karyawan {box} PNS/TNI/POLRI {box} Wiraswasta {box} Buruh "
        f"{box} Lainnya",
    ):
        run = p.add_run()
        run.add_break()
        run.add_text(line)
    b.para(("PENDAPAT RESPONDEN TENTANG PELAYANAN", "b"), " (lingkari huruf sesuai jawaban)", style="Normal")
    for i, w in enumerate(r.wording, start=1):
        q = b.para(f"{i}. {plain(w.question)}", style="Normal", keep_with_next=True)
        q.paragraph_format.space_after = Pt(0)
        options = b.para(
            "    ".join(f"{letter}. {plain(label)}" for letter, label in zip("abcd", w.labels, strict=False)),
            style="Normal",
        )
        options.paragraph_format.left_indent = Cm(0.8)
    b.para("Saran: " + "." * 100, style="Normal")


def _respondent_data(b: Builder, r: SurveyReport) -> None:
    """Per respondent and per unsur, with the totals of seed 004; a large period
    points to the XLSX attachment instead, as the PDF does."""
    b.heading("DATA PER RESPONDEN DAN PER UNSUR LAYANAN", 2, page_break=True)
    codes = [w.code for w in r.wording]
    if r.appendix_in_attachment:
        b.note(
            f"Data per responden ({num(r.result.respondents, 0)} responden) tidak dicetak di sini karena melebihi "
            f"{num(r.appendix_max, 0)} responden. Seluruh data per responden ada pada lembar “Data responden” "
            "berkas lampiran XLSX laporan ini (diunduh di samping dokumen pada halaman tugas ekspor), yang sama "
            f"dengan ekspor Lembar kerja SKM (XLSX) untuk {r.period.label}."
        )
    # The appendix's own cells: labels, not codes, and numbers through format_number.
    appendix = r.appendix
    header = (
        [c.header for c in appendix.columns]
        if appendix
        else ["No", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", *codes]
    )
    rows = appendix.cells if appendix else []
    result = r.result
    lead = len(header) - len(codes)  # No, profile columns (and the jenis layanan, when present)
    span = [""] * (lead - 1)
    totals = [
        ("Σ Nilai", *span, *[num(s.total, 0) for s in r.summary]),
        ("NRR", *span, *[num(s.nrr) for s in r.summary]),
        ("NRR tertimbang", *span, *[num(s.weighted, 4) for s in r.summary]),
        ("IKM Unit Layanan", *span, "", *[""] * (len(codes) - 1)),
    ]
    widths = [1, 1.4, 1.1, 2.2, 2.6, 2.6][:lead]
    table = b.table(
        header, rows, totals=totals, align="rlrll" + "l" * (lead - 5) + "c" * len(codes), small=True, widths=widths
    )
    last = len(table.rows) - 1
    for offset, label in enumerate(("Σ Nilai", "NRR", "NRR tertimbang")):
        merge_across(table, last - 3 + offset, 0, lead - 1, label)
    merge_across(table, last, 0, lead - 1, "IKM Unit Layanan")
    merge_across(
        table,
        last,
        lead,
        len(header) - 1,
        f"{num(result.ikm)} — mutu {result.grade or DASH}, kinerja {result.label or DASH} ({r.weight_description})",
    )


def _saran(b: Builder, r: SurveyReport) -> None:
    b.heading("SARAN DAN MASUKAN RESPONDEN", 2, page_break=True)
    saran = r.saran
    if saran.grouped:
        omitted = ""
        if saran.omitted_groups:
            omitted = (
                f" Dicetak {num(len(saran.rows), 0)} saran teratas; {num(saran.omitted_groups, 0)} saran berbeda "
                f"lainnya (dari {num(saran.omitted_saran, 0)} responden) ada pada lembar “Saran” berkas lampiran "
                "XLSX laporan ini."
            )
        b.note(
            f"{num(saran.total, 0)} responden menulis saran ({num(saran.distinct, 0)} saran berbeda). Saran yang "
            "sama persis digabung dan ditulis sekali dengan jumlah responden yang menulisnya, mulai dari yang "
            f"paling sering.{omitted}"
        )
        b.table(
            ["No", "Saran", "Jumlah responden"],
            [(str(i), text, num(n, 0)) for i, (text, n) in enumerate(saran.rows, start=1)],
            widths=[1.2, None, 3],
            align="rlr",
            small=True,
        )
    elif saran.rows:
        b.items([[text] for text, _n in saran.rows])
    else:
        b.note("Tidak ada saran tertulis dari responden.")


# ========================================================== follow-up report


def followup_docx_write(report: FollowupReport, target) -> None:
    """The Laporan Hasil Tindak Lanjut (cover, BAB I-IV) to ``target`` (path or file)."""
    b = Builder(
        title=f"Laporan Hasil Tindak Lanjut SKM {report.unit.name} {report.period.label}", author=report.unit.name
    )
    followup_body(b, report, level=1)
    b.save(target)


def followup_body(b: Builder, f: FollowupReport, *, level: int) -> None:
    """``_followup_body.html``: the whole report (``level`` 1) or embedded in the
    Laporan SKM's appendix (``level`` 3: its BABs under the appendix heading)."""
    followup_cover(b, f)
    followup_bab1(b, f, level=level)
    followup_bab2(b, f, level=level)
    followup_bab3(b, f, level=level)
    followup_bab4(b, f, level=level)


def followup_cover(b: Builder, f: FollowupReport) -> None:
    add_cover(
        b,
        f,
        title_lines=[_("Laporan Hasil Tindak Lanjut Pelaksanaan Survei Kepuasan Masyarakat")],
        period_label=f.period.label,
        org_lines=list(reversed(f.heading)),
        year=f.report_year,
    )


def followup_bab1(b: Builder, f: FollowupReport, *, level: int) -> None:
    b.heading("BAB I", level, page_break=True, subtitle=_("PENDAHULUAN"))
    b.heading(_("A. Latar Belakang"), level + 1)

    def default():
        if f.background_text:
            # The PDF's |linebreaks: a blank line starts a paragraph, a newline breaks the line.
            for chunk in re.split(r"\n\s*\n", f.background_text):
                if chunk.strip():
                    b.para(chunk.strip())
            return
        _followup_background(b, f)

    section(b, f, "lhtl_latar_belakang", default)


def _followup_background(b: Builder, f: FollowupReport) -> None:
    b.para(
        "Dalam laporannya, World Bank menjelaskan bahwa pelayanan publik yang berkualitas hanya dapat dicapai jika "
        "ekspektasi dan kebutuhan dari pengguna layanan diakomodir dalam proses penyediaan pelayanan. Hal ini juga "
        "sejalan dengan salah satu asas dari penyelenggaraan pelayanan publik yang tertulis dalam Undang-Undang "
        "Nomor 25 Tahun 2009 tentang Pelayanan Publik yaitu asas partisipatif. Asas partisipatif selanjutnya diatur "
        "dalam bab khusus Pengikutsertaan Masyarakat dalam Penyelenggaraan Pelayanan Publik pada Peraturan "
        "Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan "
        "Publik."
    )
    b.para(
        "Selanjutnya, Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (Kementerian PANRB) "
        "sebagai pembina pelayanan publik nasional telah merumuskan berbagai instrumen pengikutsertaan masyarakat "
        "dalam pelayanan publik untuk menilai kinerja penyelenggara pelayanan publik. Salah satu instrumen tersebut "
        "adalah Survei Kepuasan Masyarakat (SKM) yang lebih lanjut diatur dalam Peraturan Menteri Pendayagunaan "
        "Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan "
        "Masyarakat Unit Penyelenggara Pelayanan Publik. Survei Kepuasan Masyarakat merupakan kegiatan pengukuran "
        "secara komprehensif tentang tingkat kepuasan masyarakat terhadap kualitas layanan yang diberikan oleh "
        "penyelenggara pelayanan publik."
    )
    b.para(
        "Terdapat beberapa tujuan dari pelaksanaan SKM. Pertama, untuk mendorong partisipasi masyarakat sebagai "
        "pengguna layanan dalam menilai kinerja penyelenggara pelayanan. Kedua, mendorong penyelenggara pelayanan "
        "menjadi lebih inovatif dalam menyelenggarakan pelayanan publik. Terakhir, untuk mengukur kecenderungan "
        "tingkat kepuasan masyarakat terhadap pelayanan publik. Untuk mencapai berbagai tujuan tersebut, maka "
        f"{f.unit.name} perlu menyusun rencana tindak lanjut dan laporan hasil tindak lanjut sesuai dengan "
        "peraturan yang berlaku. Hal ini dimaksudkan agar proses perbaikan berkelanjutan (",
        ("continuous improvement", "i"),
        ") dalam proses layanan publik dapat dipastikan dan pada akhirnya terjadi peningkatan kualitas pelayanan "
        "publik.",
    )


def followup_bab2(b: Builder, f: FollowupReport, *, level: int) -> None:
    b.heading("BAB II", level, page_break=True, subtitle=_("DESKRIPSI RENCANA TINDAK LANJUT"))
    b.para(
        f"Hasil survei kepuasan masyarakat oleh {f.unit.name} periode {f.period.label} dengan "
        f"{num(f.result.respondents, 0)} responden menunjukkan nilai yang beragam pada berbagai unsur pelayanan "
        "seperti dapat terlihat pada tabel di bawah ini:"
    )
    b.caption(f"Tabel 1. Ringkasan Hasil SKM {f.period.label}")
    b.table(
        ["No", "Unsur Pelayanan", "NRR", "Nilai Konversi", "Mutu", "Kinerja"],
        [
            (str(s.no), f"{s.code}. {s.name}", num(s.nrr), num(s.converted), s.grade or DASH, s.label or DASH)
            for s in f.summary
        ],
        totals=[("", "IKM Unit Layanan", "", num(f.result.ikm), f.result.grade or DASH, f.result.label or DASH)],
        widths=[1.2, None, 2.3, 2.6, 1.6, 2.6],
        align="clrrcl",
    )
    b.para(
        f"IKM dihitung dengan {f.weight_description}; NRR = jumlah nilai ÷ jumlah responden yang menjawab unsur "
        "tersebut.",
        style="Normal",
    ).runs[0].font.size = Pt(10)
    if f.services:
        b.caption(f"Tabel 1a. IKM per Jenis Layanan {f.period.label}")
        _services_table(
            b,
            summary=f.summary,
            services=f.services,
            result=f.result,
            services_mean=f.services_mean,
            mean_label=f.mean_label,
        )
    b.caption("Tabel Interval Penilaian")
    _interval_table(b, f.bands, service_word="Pelayanan")
    if f.plan:
        _followup_plan(b, f)
    else:
        b.note(f"{f.unit.name} belum menyusun Rencana Tindak Lanjut untuk periode {f.period.label}.")


def _followup_plan(b: Builder, f: FollowupReport) -> None:
    if f.n_priority:
        saran = ", ditambah prioritas dari saran dan masukan responden" if f.has_saran_priorities else ""
        middle = (
            f"yang terdiri dari {f.n_priority} ({f.n_priority_words}) unsur dengan nilai terendah{saran}. "
            f"Kerangka rencana tindak lanjut dari {f.priority_collective}"
        )
    else:
        middle = "berdasarkan saran dan masukan responden. Kerangka rencana tindak lanjutnya"
    b.para(
        "Berkaca pada data di atas, dapat terlihat beberapa unsur yang memerlukan intervensi lanjutan karena "
        "rendahnya nilai pada unsur tersebut. Oleh karena itu, perlu disusun sebuah rencana tindak lanjut perbaikan "
        "terhadap unsur-unsur dengan nilai rendah. Untuk memastikan rencana tindak lanjut dapat diimplementasikan "
        f"dan ditindaklanjuti dengan baik, maka disusun skala prioritas perbaikan {middle} dapat terlihat pada "
        "tabel di bawah ini:"
    )
    b.caption("Tabel 2. Rencana Tindak Lanjut Pelaksanaan SKM")
    header = [
        [
            "No",
            "Prioritas Unsur",
            "NRR",
            "Program / Kegiatan",
            "Waktu (Triwulan)",
            "",
            "",
            "",
            "Tahun",
            "Penanggung Jawab",
        ],
        ["", "", "", "", "I", "II", "III", "IV", "", ""],
    ]
    rows, empty_rows = _plan_rows(f)
    table = b.table(header, rows, widths=[1, 2.8, 1.3, None, 0.8, 0.8, 0.8, 0.8, 1.3, 2.6], align="clrlcccccl")
    for col in (0, 1, 2, 3, 8, 9):  # the PDF's rowspan=2 headings
        table.cell(0, col).merge(table.cell(1, col))
    table.cell(0, 4).merge(table.cell(0, 7))
    for index in empty_rows:
        merge_across(table, index + 2, 3, 9, "")
        table.rows[index + 2].cells[3].paragraphs[0].add_run("Belum ada program/kegiatan.").italic = True
    _tidy_merged_header(table)


def _tidy_merged_header(table: Table) -> None:
    """Merging keeps an empty paragraph of each merged cell: leave the heading text alone."""
    for cell in (table.cell(0, c) for c in range(len(table.columns))):
        paragraphs = cell.paragraphs
        for p in paragraphs[1:]:
            if not p.text:
                p._p.getparent().remove(p._p)


def _plan_rows(f: FollowupReport) -> tuple[list[tuple], list[int]]:
    """Tabel 2 as in the PDF: a priority's number, title and NRR on its first line,
    one line per item and year with the quarter ticks."""
    rows: list[tuple] = []
    empty: list[int] = []
    for p in f.priorities:
        head = (str(p.row.order), p.row.title, num(p.row.nrr))
        if not p.items:
            empty.append(len(rows))
            rows.append((*head, "", "", "", "", "", "", ""))
            continue
        for i, e in enumerate(p.items):
            lead = head if i == 0 else ("", "", "")
            program = f"{e.item.number} {e.item.program}"
            if not e.schedule:
                rows.append((*lead, program, "", "", "", "", DASH, e.item.responsible))
                continue
            for j, (year, ticks) in enumerate(e.schedule):
                marks = ["✓" if t else "" for t in ticks]
                if j == 0:
                    rows.append((*lead, program, *marks, str(year), e.item.responsible))
                else:
                    rows.append(("", "", "", "", *marks, str(year), ""))
    return rows, empty


def followup_bab3(b: Builder, f: FollowupReport, *, level: int) -> None:
    b.heading("BAB III", level, page_break=True, subtitle=_("REALISASI RENCANA TINDAK LANJUT"))
    if not f.items:
        b.note("Belum ada rencana tindak lanjut yang dapat direalisasikan.")
        return
    b.para(
        "Berdasarkan rencana tindak lanjut yang telah disusun, maka implementasi yang telah dilaksanakan adalah "
        "sebagai berikut:"
    )
    b.caption("Tabel 3. Realisasi Rencana Tindak Lanjut")
    b.table(
        [
            "No",
            "Rencana Tindak Lanjut",
            "Sudah/ Belum",
            "Tanggal Realisasi",
            "Deskripsi Tindak Lanjut",
            "Dokumentasi",
            "Tantangan/ Hambatan",
        ],
        [
            (
                e.item.number,
                e.item.program,
                "Sudah" if e.done else "Belum",
                date_id(e.real.realised_on) if e.done and e.real.realised_on else DASH,
                _or_dash(e.real.description if e.real else ""),
                ", ".join(f"Gambar {ph.number}" for ph in e.photos) or DASH,
                _or_dash(e.real.challenges if e.real else ""),
            )
            for e in f.items
        ],
        widths=[1, 3.6, 1.6, 2.1, None, 1.6, 2.8],
        align="clcclcl",
    )
    if f.photos:
        b.heading("Dokumentasi Kegiatan", level + 1)
        for ph in f.photos:
            _photo(b, ph)


def _photo(b: Builder, ph) -> None:
    """An evidence photo, read only through the fenced asset resolver."""
    caption = f"Gambar {ph.number}. {ph.caption}"
    try:
        data = resolve_asset(ASSET_ORIGIN + ph.url).read_bytes()
    except Exception:
        logger.exception("docx: photo %s could not be read", ph.url)
        b.caption(caption)
        return
    b.picture(data, width_cm=12, caption=caption)


def followup_bab4(b: Builder, f: FollowupReport, *, level: int) -> None:
    b.heading("BAB IV", level, page_break=True, subtitle=_("KESIMPULAN"))
    b.para("Berdasarkan data-data dalam pelaksanaan tindak lanjut tersebut, dapat ditarik beberapa kesimpulan yaitu:")
    first: list[Part] = [
        f"{f.unit.name} telah menindaklanjuti rencana tindak lanjut hasil SKM {f.period.label} sebanyak ",
        (f"{num(f.percent)}%", "b"),
        f" ({f.realised} dari {f.total} RTL terealisasi; persentase dihitung dari jumlah RTL terealisasi ÷ jumlah "
        "RTL × 100%)",
    ]
    if f.total:
        first.append(f", masuk kategori PEKPPP {f.band_label}")
    first.append(".")
    if f.realised_names:
        first.append(f" Tindak lanjut telah dilaksanakan pada {f.realised_names}.")
    num_id = new_list_number(b.doc, "List Number")

    def item(parts: Sequence[Part]) -> None:
        p = add_para(b.doc, "List Number")
        add_parts(p, parts)
        _set_num(p, num_id)

    item(first)
    if f.unrealised:
        item(
            [f"Masih terdapat {len(f.unrealised)} rencana tindak lanjut yang belum terealisasi karena alasan berikut:"]
        )
        b.items(
            [
                [f"{e.item.number} {e.item.program}: {(e.real.reason if e.real else '') or 'alasan belum diisi'}"]
                for e in f.unrealised
            ],
            numbered=False,
            level=1,
        )
        item(
            [
                "Guna memastikan RTL tetap terimplementasi, disusun strategi untuk mengatasi permasalahan yang ada "
                "dan mendorong diimplementasikannya RTL sebagai berikut:"
            ]
        )
        _strategy_table(b, f)
    elif f.total:
        speed = ""
        if f.months_to_realisation is not None:
            speed = (
                f" Seluruh RTL terealisasi {f.speed_label} sejak laporan hasil SKM ({f.months_to_realisation} bulan)."
            )
        item([f"Seluruh rencana tindak lanjut telah terealisasi; tidak ada RTL yang tertunda.{speed}"])
    section(b, f, "lhtl_kesimpulan")
    b.signature(f.signature)


def _strategy_table(b: Builder, f: FollowupReport) -> None:
    b.caption("Tabel 4. Strategi Penyelesaian Rencana Tindak Lanjut")
    rows = []
    for e in f.unrealised:
        real = e.real
        rows.append(
            (
                e.item.number,
                e.item.program,
                _or_dash(real.strategy if real else ""),
                _or_dash(real.target_time if real else ""),
                _or_dash((real.strategy_responsible if real else "") or e.item.responsible),
                _or_dash(real.stakeholders if real else ""),
            )
        )
    b.table(
        [
            "No",
            "Rencana Tindak Lanjut",
            "Strategi Penyelesaian",
            "Target Waktu",
            "Penanggung Jawab",
            "Stakeholder Terkait",
        ],
        rows,
        widths=[1, None, 3.8, 2.3, 2.6, 2.8],
        align="clllll",
    )
