"""A report's document tree (``reports.document``) as a Word document (DOCX).

Layout only: every word, number and table number comes from the tree, as in
``reports.render_html``. What Word and LibreOffice need beyond python-docx:
- one section a part, with its own page numbers (i, ii … in the front matter,
  "I - 1" restarting with each chapter) and the running header;
- the daftar isi, Daftar Tabel and Daftar Gambar as lines with a dotted tab
  leader and a PAGEREF field to a bookmark on the heading or caption: LibreOffice
  computes the page on layout, Word on opening (``updateFields``);
- tables written as WordprocessingML directly (a 1 000-respondent appendix in
  python-docx's cell API took longer than the PDF): fixed column widths that
  fit A4, widened where a header word would break, header rows repeated on
  every page, rows that never split.

Text from people goes in as plain runs (XML-escaped), never as fields or
markup; characters XML 1.0 cannot hold are dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape as xml_escape

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from .assets import ASSET_ORIGIN, INLINE_PREFIX, inline_bytes
from .document import (
    Align,
    Block,
    Cell,
    Cover,
    DocPart,
    Document,
    Figure,
    Group,
    Heading,
    HeadingKind,
    ListBlock,
    Listing,
    ListingKind,
    Paragraph,
    ParaStyle,
    PartKind,
    Run,
    SignatureBlock,
    Table,
)

logger = logging.getLogger(__name__)

BODY_FONT = "Times New Roman"  # metric twin of the PDF's Liberation Serif
HEADING_FONT = "Arial"  # and of Liberation Sans
PRIMARY = RGBColor(0x0B, 0x53, 0x94)
TEXT_WIDTH_CM = 16.5  # A4 (21 cm) less the PDF's margins (2,5 cm left, 2 cm right)
TWIPS_PER_CM = 567
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def plain(value) -> str:
    return "" if value is None else _NOT_XML.sub("", str(value))


def _x(value) -> str:
    return xml_escape(plain(value))


# ------------------------------------------------------------------ document


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.tree = doc
        self.doc = new_docx()
        self.bookmarks: dict[str, str] = {}
        self._bookmark_id = 0
        self._styles_cache: dict[str, str] = {}
        self._table_anchor: dict[int, str] = {}
        for i, (_p, t) in enumerate(doc.tables(), start=1):
            self._table_anchor[id(t)] = t.anchor or f"tabel-{i}"
        for i, (_p, f) in enumerate(doc.figures(), start=1):
            self._table_anchor[id(f)] = f.anchor or f"gambar-{i}"
        _page_setup(self.doc)
        _styles(self.doc)
        props = self.doc.core_properties
        props.title, props.author, props.subject = plain(doc.title)[:250], plain(doc.author)[:250], plain(doc.subject)
        props.last_modified_by = plain(doc.author)[:250]
        props.language = "id-ID"
        props.comments = ""
        props.keywords = plain(doc.keywords)
        when = doc.date if isinstance(doc.date, dt.date) else dt.date.today()
        stamp = dt.datetime(when.year, when.month, when.day, 8, 0)
        props.created = props.modified = stamp
        props.last_printed = stamp
        props.revision = 1

    # -- helpers
    def style(self, name: str) -> str:
        sid = self._styles_cache.get(name)
        if sid is None:
            sid = self._styles_cache[name] = self.doc.styles[name].style_id
        return sid

    def para(self, style: str = "Normal"):
        p = self.doc.add_paragraph()
        p._p.style = self.style(style)
        return p

    def bookmark_name(self, anchor: str) -> str:
        name = self.bookmarks.get(anchor)
        if name is None:
            name = self.bookmarks[anchor] = f"_Ref{len(self.bookmarks) + 1:05d}"
        return name

    def add_bookmark(self, paragraph, anchor: str) -> None:
        if not anchor:
            return
        self._bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_id))
        start.set(qn("w:name"), self.bookmark_name(anchor))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_id))
        p = paragraph._p
        ppr = p.pPr
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)

    # -- parts
    def write(self, target) -> None:
        first = True
        for part in self.tree.parts:
            if first:
                section = self.doc.sections[0]
                first = False
            else:
                section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            self._section_setup(section, part)
            for block in part.blocks:
                self.block(block, part)
        _update_fields_on_open(self.doc)
        self.doc.save(target)

    def _section_setup(self, section, part: DocPart) -> None:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
        section.left_margin, section.right_margin = Cm(2.5), Cm(2)
        section.different_first_page_header_footer = False
        for hf in (section.header, section.footer):
            hf.is_linked_to_previous = False
            for p in hf.paragraphs:
                for r in list(p.runs):
                    r._r.getparent().remove(r._r)
        sect = section._sectPr
        for old in sect.findall(qn("w:pgNumType")):
            sect.remove(old)
        if part.kind is PartKind.COVER:
            return
        num = OxmlElement("w:pgNumType")
        if part.kind is PartKind.FRONT:
            num.set(qn("w:fmt"), "lowerRoman")
            num.set(qn("w:start"), "2")
        elif part.prefix or part.kind is PartKind.CHAPTER:
            num.set(qn("w:start"), "1")
        # pgNumType goes before cols/titlePg/docGrid in CT_SectPr's order.
        later = next((el for el in sect if el.tag in {qn("w:cols"), qn("w:titlePg"), qn("w:docGrid")}), None)
        if later is not None:
            later.addprevious(num)
        else:
            sect.append(num)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if part.prefix:
            footer.add_run(f"{part.prefix} - ")
        _add_field(footer, "PAGE", "1")
        for run in footer.runs:
            run.font.size = Pt(9)
        if part.running:
            header = section.header.paragraphs[0]
            header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = header.add_run(plain(part.running))
            run.font.size, run.font.name = Pt(8), HEADING_FONT
            run.font.color.rgb = RGBColor(0x77, 0x77, 0x77)

    # -- blocks
    def block(self, block: Block, part: DocPart, *, level: int = 0) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block, level=level)
        elif isinstance(block, Heading):
            self.heading(block, part)
        elif isinstance(block, ListBlock):
            self.list(block, level=level)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, Listing):
            self.listing(block)
        elif isinstance(block, SignatureBlock):
            self.signature(block)
        elif isinstance(block, Cover):
            self.cover(block, part)
        elif isinstance(block, Group):
            for b in block.blocks:
                self.block(b, part, level=level)
        else:
            raise TypeError(f"unknown block {type(block).__name__}")

    def paragraph(self, block: Paragraph, *, level: int = 0):
        style = {
            ParaStyle.BODY: "Isi",
            ParaStyle.PLAIN: "Isi Rata",
            ParaStyle.NOTE: "Catatan",
            ParaStyle.CENTER: "Isi Rata",
            ParaStyle.ITALIC: "Catatan",
        }[block.style]
        if level:
            style = "List Continue"
        p = self.para(style)
        _add_runs(p, block.runs, italic=block.style is ParaStyle.ITALIC)
        if block.style is ParaStyle.CENTER:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    def heading(self, h: Heading, part: DocPart) -> None:
        if h.kind is HeadingKind.CHAPTER:
            p = self.para("Heading 1" if h.level == 1 else "Heading 3")
            p.add_run(plain(h.label))
            p.add_run().add_break()
            p.add_run(plain(h.title))
            if h.page_break and part.blocks[0] is not h:
                p.paragraph_format.page_break_before = True
        elif h.kind in (HeadingKind.FRONT, HeadingKind.APPENDIX):
            p = self.para("Heading 1" if h.level == 1 else "Judul Lampiran")
            p.add_run(plain(h.text))
            if h.page_break or (h.kind is HeadingKind.FRONT and part.blocks.index(h) > 0):
                p.paragraph_format.page_break_before = True
        else:
            p = self.para("Heading 2" if h.kind is HeadingKind.SECTION else "Heading 4")
            p.add_run(plain(h.text))
        self.add_bookmark(p, h.anchor)

    def list(self, block: ListBlock, *, level: int = 0) -> None:
        style = ("List Number" if block.ordered else "List Bullet") + (" 2" if level else "")
        num_id = _new_list_number(self.doc, style, block.start) if block.ordered else 0
        for item in block.items:
            p = self.para(style)
            _add_runs(p, item.runs)
            if num_id:
                num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_numId().val = num_id
            for child in item.children:
                if isinstance(child, ListBlock):
                    self.list(child, level=1)
                elif isinstance(child, Paragraph):
                    self.paragraph(child, level=1)

    def caption(self, text_label: str, title: str, anchor: str, *, inline: bool) -> None:
        p = self.para("Caption")
        if inline or not text_label:
            p.add_run(plain(f"{text_label} {title}".strip()))
        else:
            p.add_run(plain(text_label))
            p.add_run().add_break()
            r = p.add_run(plain(title))
            r.bold = False
        p.paragraph_format.keep_with_next = True
        self.add_bookmark(p, anchor)

    def table(self, t: Table) -> None:
        anchor = self._table_anchor.get(id(t), t.anchor)
        if t.label or t.title:
            self.caption(t.label, t.title, anchor, inline=t.caption_inline)
        # CT_Body._insert_tbl keeps the body's final sectPr last.
        self.doc.element.body._insert_tbl(parse_xml(_table_xml(t, self)))
        self.para("Isi Tabel")  # the PDF's space after a table

    def figure(self, f: Figure) -> None:
        data = _image_bytes(f.image.url)
        p = self.para("Gambar")
        ok = False
        if data is not None:
            try:
                p.add_run().add_picture(io.BytesIO(data), width=Cm(_figure_width_cm(f, data)))
                ok = True
            except Exception:
                logger.exception("docx: picture could not be added")
        p.paragraph_format.keep_with_next = True
        if not ok:
            p.add_run("[gambar tidak dapat dimuat]").italic = True
        cap = self.para("Caption")
        cap.add_run(plain(f"{f.label} {f.title}".strip())).italic = True
        self.add_bookmark(cap, self._table_anchor.get(id(f), f.anchor))

    def listing(self, listing: Listing) -> None:
        entries: list[tuple[int, str, str, DocPart]] = []
        if listing.kind is ListingKind.CONTENTS:
            for part, h in self.tree.headings():
                if h.in_toc and h.level <= 2 and h.anchor:
                    entries.append((h.level, h.text, h.anchor, part))
        else:
            found = self.tree.tables() if listing.kind is ListingKind.TABLES else self.tree.figures()
            for part, item in found:
                entries.append((1, f"{item.label}\u00a0\u00a0{item.title}", self._table_anchor[id(item)], part))
            if not entries:
                word = "tabel" if listing.kind is ListingKind.TABLES else "gambar"
                self.para("Catatan").add_run(f"Laporan ini tidak memuat {word}.")
                return
        for level, text, anchor, part in entries:
            p = self.para("Daftar")
            fmt = p.paragraph_format
            fmt.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            if level > 1:
                fmt.left_indent = Cm(0.6)
            p.add_run(plain(text))
            p.add_run("\t" + (f"{part.prefix} - " if part.prefix else ""))
            roman = " \\* roman" if part.kind is PartKind.FRONT else ""
            _add_field(p, f"PAGEREF {self.bookmark_name(anchor)} \\h{roman}", "")

    def signature(self, s: SignatureBlock) -> None:
        lines: list[tuple[str, str]] = [(s.place_date, "")]
        if s.title:
            lines.append((s.title, ""))
        lines.append(("", "space"))
        if s.name:
            lines.append((s.name, "name"))
        if s.rank:
            lines.append((s.rank, ""))
        if s.nip:
            lines.append((s.nip, ""))
        for i, (text, kind) in enumerate(lines):
            p = self.para("Normal")
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
            run = p.add_run(plain(text))
            if kind == "name":
                run.bold = run.underline = True

    def centred(self, lines: Sequence[str], size: float, *, space_before: float = 0, color=None, brk=False, caps=True):
        """A centred cover paragraph in the heading font, in capitals as the PDF's CSS prints it."""
        p = self.para("Normal")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(space_before)
        p.paragraph_format.page_break_before = brk
        for i, line in enumerate(lines):
            run = p.add_run(plain(line))
            run.font.name, run.font.size, run.bold, run.font.all_caps = HEADING_FONT, Pt(size), True, caps
            if color is not None:
                run.font.color.rgb = color
            if i < len(lines) - 1:
                run.add_break()
        return p

    def logo(self, c: Cover) -> bool:
        data = _image_bytes(c.logo.url) if c.logo is not None else None
        if data is None:
            return False
        p = self.para("Gambar")
        p.paragraph_format.space_before = Pt(48)
        try:
            p.add_run().add_picture(io.BytesIO(data), width=Cm(3.2))
        except Exception:
            logger.exception("docx: logo could not be added")
            return False
        return True

    def cover(self, c: Cover, part: DocPart) -> None:
        self.centred(c.title_lines, 18, space_before=48, brk=part.kind is not PartKind.COVER, caps=not c.as_typed)
        if c.period_line:
            self.centred([c.period_line], 15, space_before=8)
        if not self.logo(c):
            self.centred([c.emblem], 20, space_before=60, color=PRIMARY).paragraph_format.space_after = Pt(60)
        self.centred(c.org_lines, 13, space_before=36, caps=not c.as_typed)
        for line in (c.address, c.contact):
            if line:
                p = self.para("Normal")
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.space_after = Pt(0)
                p.add_run(plain(line)).font.size = Pt(10)
        if c.year_line:
            self.centred([c.year_line], 14, space_before=8)


def document_docx_write(doc: Document, target) -> None:
    """Write the tree as DOCX to ``target`` (a path or a binary file)."""
    _Writer(doc).write(target)


# ------------------------------------------------------------------- tables


def _text_width_cm(text: str, size_pt: float, *, bold: bool) -> float:
    """A generous estimate of a word's width (Arial/Times average glyph ~0,55 em, bold ~0,6)."""
    return len(text) * size_pt * (0.62 if bold else 0.55) / 28.35


def column_widths(t: Table) -> list[float]:
    """Widths in cm that fit the text width: the tree's percentages, each column
    widened to its longest header word (so Word and LibreOffice never break it),
    the flexible columns sharing what is left."""
    n = len(t.columns)
    size = 7.5 if t.compact else 9.5
    minimum = [0.8] * n
    for row in (*t.header, *t.body[:60]):
        header = row in t.header
        col = 0
        for c in row.cells:
            if c.colspan == 1 and col < n:
                bold = header or c.bold or row.total
                longest = max(c.text.split(), key=len, default="")
                minimum[col] = max(minimum[col], _text_width_cm(longest, size, bold=bold) + 0.3)
            col += c.colspan
    fixed = [TEXT_WIDTH_CM * c.width / 100 if c.width else None for c in t.columns]
    widths = [max(f, m) if f is not None else None for f, m in zip(fixed, minimum, strict=True)]
    free = [i for i, w in enumerate(widths) if w is None]
    used = sum(w for w in widths if w is not None)
    if free:
        rest = max(TEXT_WIDTH_CM - used, 0)
        share = rest / len(free)
        for i in free:
            widths[i] = max(share, minimum[i])
    total = sum(widths)
    if total > TEXT_WIDTH_CM:
        # Take the excess from the columns that have room above their minimum.
        excess = total - TEXT_WIDTH_CM
        room = [max(w - m, 0) for w, m in zip(widths, minimum, strict=True)]
        spare = sum(room)
        if spare > 0:
            widths = [w - excess * r / spare if spare >= excess else w - r for w, r in zip(widths, room, strict=True)]
    return widths


def _cell_xml(c: Cell, width: float, *, align: Align, header: bool, total: bool, style: str, vmerge: str = "") -> str:
    tcpr = [f'<w:tcW w:w="{int(width * TWIPS_PER_CM)}" w:type="dxa"/>']
    if c.colspan > 1:
        tcpr.append(f'<w:gridSpan w:val="{c.colspan}"/>')
    if vmerge:
        tcpr.append(f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>")
    if c.continued:
        tcpr.append('<w:tcBorders><w:top w:val="nil"/></w:tcBorders>')
    if header:
        tcpr.append('<w:shd w:val="clear" w:color="auto" w:fill="DDE6F0"/>')
    elif total:
        tcpr.append('<w:shd w:val="clear" w:color="auto" w:fill="F2F5F9"/>')
    if header:
        tcpr.append('<w:vAlign w:val="center"/>')
    a = c.align or (Align.CENTER if header else align)
    jc = {Align.LEFT: "", Align.CENTER: '<w:jc w:val="center"/>', Align.RIGHT: '<w:jc w:val="right"/>'}[a]
    bold = header or total or c.bold
    runs = []
    for r in c.runs:
        rpr = ""
        marks = ("<w:b/>" if bold or r.bold else "") + ("<w:i/>" if r.italic else "")
        if c.tick:
            marks += '<w:rFonts w:ascii="DejaVu Sans" w:hAnsi="DejaVu Sans" w:cs="DejaVu Sans"/>'
        if marks:
            rpr = f"<w:rPr>{marks}</w:rPr>"
        runs.append(f'<w:r>{rpr}<w:t xml:space="preserve">{_x(r.text)}</w:t></w:r>')
    return (
        f"<w:tc><w:tcPr>{''.join(tcpr)}</w:tcPr>"
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>{"".join(runs)}</w:p></w:tc>'
    )


def _table_xml(t: Table, w: _Writer) -> str:
    widths = column_widths(t)
    style = w.style("Tabel Kecil" if t.compact else "Isi Tabel")
    grid = "".join(f'<w:gridCol w:w="{int(x * TWIPS_PER_CM)}"/>' for x in widths)
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="333333"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    rows_xml = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above

    def emit(rows, header: bool) -> None:
        for row in rows:
            cells = []
            col = 0
            it = iter(row.cells)
            current = next(it, None)
            n = len(t.columns)
            while col < n:
                if pending.get(col, 0) > 0:
                    pending[col] -= 1
                    cells.append(
                        _cell_xml(
                            Cell(),
                            widths[col],
                            align=Align.LEFT,
                            header=header,
                            total=row.total,
                            style=style,
                            vmerge="continue",
                        )
                    )
                    col += 1
                    continue
                if current is None:
                    break
                c = current
                current = next(it, None)
                width = sum(widths[col : col + c.colspan])
                align = t.columns[col].align if col < n else Align.LEFT
                vm = ""
                if c.rowspan > 1:
                    vm = "restart"
                    for k in range(col, col + c.colspan):
                        pending[k] = c.rowspan - 1
                cells.append(_cell_xml(c, width, align=align, header=header, total=row.total, style=style, vmerge=vm))
                col += c.colspan
            trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
            rows_xml.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")

    emit(t.header, True)
    emit(t.body, False)
    width = int(sum(widths) * TWIPS_PER_CM)
    # The PDF's cell padding (report.css): 3pt 4pt, compact tables 1.5pt 3pt (20 twips a point).
    vertical, horizontal = (30, 60) if t.compact else (60, 80)
    margins = "".join(
        f'<w:{side} w:w="{size}" w:type="dxa"/>'
        for side, size in (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal))
    )
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f"<w:tblCellMar>{margins}</w:tblCellMar>"
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows_xml)}</w:tbl>"
    )


# ------------------------------------------------------------------ helpers


def _image_bytes(url: str) -> bytes | None:
    """The bytes behind a fenced URL (a chart in memory, a media or static file)."""
    try:
        if url.startswith(INLINE_PREFIX):
            return inline_bytes(url[len(INLINE_PREFIX) :])
        from .pdf import resolve_asset

        return resolve_asset(ASSET_ORIGIN + url).read_bytes()
    except Exception:
        logger.exception("docx: image %s could not be read", url[:80])
        return None


PHOTO_MAX_CM = (13.0, 9.0)  # report.css: .figure img { max-width: 13cm; max-height: 9cm }


def _figure_width_cm(f: Figure, data: bytes) -> float:
    """The width the PDF gives the picture: a chart the full text width; a photo its own
    size at 96 px an inch (CSS pixels), shrunk to fit 13 × 9 cm."""
    if f.chart:
        return min(f.image.width_cm, TEXT_WIDTH_CM)
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as im:
            width_px, height_px = im.size
    except Exception:
        return PHOTO_MAX_CM[0]
    width, height = width_px * 2.54 / 96, height_px * 2.54 / 96
    scale = min(1.0, PHOTO_MAX_CM[0] / width, PHOTO_MAX_CM[1] / height)
    return width * scale


def _add_runs(p, items: Sequence[Run], *, italic: bool = False) -> None:
    for r in items:
        run = p.add_run(plain(r.text))
        if r.bold:
            run.bold = True
        if r.italic or italic:
            run.italic = True


def _add_field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, PAGEREF …) with the text shown until it is updated."""

    def char(kind: str):
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
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


def _new_list_number(doc, style_name: str, start: int) -> int:
    """A new numbering instance of the style's list starting at ``start``: a typed list
    keeps its own first number instead of continuing the previous list."""
    style = doc.styles[style_name]
    numbering = doc.part.numbering_part.element
    num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        return 0
    abstract = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
    num = numbering.add_num(abstract)
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    num.add_lvlOverride(ilvl=ilvl).add_startOverride(max(start, 1))
    return num.numId


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)


def _styles(doc) -> None:
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
    for level, size in ((1, 14), (2, 12), (3, 13), (4, 12)):
        style = styles[f"Heading {level}"]
        style.font.name, style.font.size, style.font.bold = HEADING_FONT, Pt(size), True
        style.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if level > 1 else 0)
        style.paragraph_format.space_after = Pt(6 if level > 1 else 12)
        style.paragraph_format.keep_with_next = True
        if level in (1, 3):
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    appendix = styles.add_style("Judul Lampiran", WD_STYLE_TYPE.PARAGRAPH)
    appendix.base_style = styles["Heading 2"]
    appendix.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = styles.add_style("Isi", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.paragraph_format.first_line_indent = Cm(1.25)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    flat = styles.add_style("Isi Rata", WD_STYLE_TYPE.PARAGRAPH)
    flat.base_style = normal
    flat.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    note = styles.add_style("Catatan", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(9.5)
    listing = styles.add_style("Daftar", WD_STYLE_TYPE.PARAGRAPH)
    listing.base_style = normal
    listing.paragraph_format.space_after = Pt(2)
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
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    styles["List Continue"].paragraph_format.left_indent = Cm(1.27)
