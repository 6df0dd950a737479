"""A report's document tree (``reports.document``) as HTML for WeasyPrint.

Layout only: every word, number and table number comes from the tree. Every
text goes through ``django.utils.html.escape`` (the templates' autoescape,
done here for each run), so a respondent's "<b>" prints as typed. The page
scheme of seed 004 ("i, ii" in the front matter, "I - 1" restarting with each
chapter, "L - 1" in the appendix) is CSS page groups (static/reports/report.css);
the daftar isi, Daftar Tabel and Daftar Gambar take their numbers from
``target-counter()``.
"""

from __future__ import annotations

from django.utils.html import escape

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
    Row,
    Run,
    SignatureBlock,
    Table,
)

_PARA_CLASS = {
    ParaStyle.BODY: "indent",
    ParaStyle.PLAIN: "",
    ParaStyle.NOTE: "note",
    ParaStyle.CENTER: "center",
    ParaStyle.ITALIC: "attachment-note",
}
_ALIGN_CLASS = {Align.LEFT: "", Align.CENTER: "c", Align.RIGHT: "num"}


def _runs(items: tuple[Run, ...]) -> str:
    out = []
    for r in items:
        text = escape(r.text)
        if r.bold:
            text = f"<b>{text}</b>"
        if r.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


class _Anchors:
    """Ids for the tables and figures that the listings point to."""

    def __init__(self, doc: Document) -> None:
        self.ids: dict[int, str] = {}
        for i, (_part, t) in enumerate(doc.tables(), start=1):
            self.ids[id(t)] = t.anchor or f"tabel-{i}"
        for i, (_part, f) in enumerate(doc.figures(), start=1):
            self.ids[id(f)] = f.anchor or f"gambar-{i}"


def document_html(doc: Document, *, stylesheet: str = "/static/reports/report.css") -> str:
    anchors = _Anchors(doc)
    out = [
        f'<!doctype html>\n<html lang="{escape(doc.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n"
        f'<meta name="author" content="{escape(doc.author)}">\n'
        f'<meta name="description" content="{escape(doc.subject)}">\n'
        f'<link rel="stylesheet" href="{escape(stylesheet)}">\n</head>\n<body>\n'
    ]
    for part in doc.parts:
        out.append(f'<section class="part part-{part.kind.value}">\n')
        for block in part.blocks:
            out.append(_block(block, part, doc, anchors))
        out.append("</section>\n")
    out.append("</body>\n</html>\n")
    return "".join(out)


def blocks_html(blocks) -> str:
    """The unit's text of one section (``skm.rules.textblocks``) as the PDF lays it out:
    the authoring page's preview."""
    from .build import text_blocks

    part = DocPart(PartKind.CHAPTER)
    doc = Document(title="", author="", subject="", lang="id", date=None)
    return "".join(_block(b, part, doc, _Anchors(doc)) for b in text_blocks(blocks))


def _block(block: Block, part: DocPart, doc: Document, anchors: _Anchors) -> str:
    if isinstance(block, Paragraph):
        cls = _PARA_CLASS[block.style]
        return f'<p class="{cls}">{_runs(block.runs)}</p>\n' if cls else f"<p>{_runs(block.runs)}</p>\n"
    if isinstance(block, Heading):
        return _heading(block, part)
    if isinstance(block, ListBlock):
        return _list(block, part, doc, anchors)
    if isinstance(block, Table):
        return _table(block, anchors)
    if isinstance(block, Figure):
        anchor = anchors.ids.get(id(block), block.anchor)
        img_cls = ' class="chart"' if block.chart else ""
        ident = f' id="{escape(anchor)}"' if anchor else ""
        return (
            f'<div class="figure"{ident}><img{img_cls} src="{escape(block.image.url)}" alt="{escape(block.image.alt)}">'
            f'<div class="caption">{escape(block.label)} {escape(block.title)}</div></div>\n'
        )
    if isinstance(block, Listing):
        return _listing(block, doc, anchors)
    if isinstance(block, SignatureBlock):
        return _signature(block)
    if isinstance(block, Cover):
        return _cover(block, part)
    if isinstance(block, Group):
        inner = "".join(_block(b, part, doc, anchors) for b in block.blocks)
        return f'<div class="{"questionnaire" if block.boxed else "keep"}">{inner}</div>\n'
    raise TypeError(f"unknown block {type(block).__name__}")


def _heading(h: Heading, part: DocPart) -> str:
    ident = f' id="{escape(h.anchor)}"' if h.anchor else ""
    style = f' style="bookmark-level: {h.level}; bookmark-label: &quot;{escape(h.text)}&quot;"'
    embedded = part.kind is PartKind.APPENDIX and h.level > 2
    if h.kind is HeadingKind.CHAPTER:
        prefix = f"{part.prefix} - " if part.prefix else ""
        running = "" if embedded else f' data-running="{escape(h.text)}" data-prefix="{escape(prefix)}"'
        cls = "bab embedded" if embedded else "bab"
        brk = " page" if h.page_break and part.kind is not PartKind.CHAPTER else ""
        return (
            f'<h1 class="{cls}{brk}"{ident}{running}{style}>{escape(h.label)}</h1>\n'
            f'<div class="subtitle">{escape(h.title)}</div>\n'
        )
    if h.kind is HeadingKind.FRONT:
        return f'<h1 class="front"{ident}{style}>{escape(h.title)}</h1>\n'
    if h.kind is HeadingKind.APPENDIX:
        cls = "appendix-title" + (" page" if h.page_break else "") + (" top" if h.level == 1 else "")
        running = ' data-running="LAMPIRAN" data-prefix="L - "' if h.level == 1 else ""
        return f'<h2 class="{cls}"{ident}{running}{style}>{escape(h.text)}</h2>\n'
    tag = "h2" if h.kind is HeadingKind.SECTION else "h3"
    return f"<{tag}{ident}{style}>{escape(h.text)}</{tag}>\n"


def _list(block: ListBlock, part: DocPart, doc: Document, anchors: _Anchors) -> str:
    tag = "ol" if block.ordered else "ul"
    # WeasyPrint ignores the start attribute: the counter is reset to the number before it.
    start = (
        f' start="{block.start}" style="counter-reset: list-item {block.start - 1}"'
        if block.ordered and block.start != 1
        else ""
    )
    lis = []
    for item in block.items:
        children = "".join(_block(c, part, doc, anchors) for c in item.children)
        lis.append(f"<li>{_runs(item.runs)}{children}</li>")
    return f"<{tag}{start}>{''.join(lis)}</{tag}>\n"


def _cell(c: Cell, tag: str, align: Align) -> str:
    classes = []
    a = _ALIGN_CLASS[c.align or align] if tag == "td" else ""
    if a:
        classes.append(a)
    if c.tick:
        classes.append("tick")
    if c.continued:
        classes.append("cont-blank")
    if c.bold and tag == "td":
        classes.append("grade")
    attrs = f' class="{" ".join(classes)}"' if classes else ""
    if c.colspan > 1:
        attrs += f' colspan="{c.colspan}"'
    if c.rowspan > 1:
        attrs += f' rowspan="{c.rowspan}"'
    return f"<{tag}{attrs}>{_runs(c.runs)}</{tag}>"


def _row(row: Row, tag: str, table: Table) -> str:
    cols = table.columns
    cells = []
    col = 0
    for c in row.cells:
        align = cols[col].align if col < len(cols) else Align.LEFT
        cells.append(_cell(c, tag, align))
        col += c.colspan
    cls = ' class="total"' if row.total else ""
    return f"<tr{cls}>{''.join(cells)}</tr>"


def _caption(t: Table, anchor: str) -> str:
    if not (t.label or t.title):
        return ""
    ident = f' id="{escape(anchor)}"' if anchor else ""
    if t.caption_inline or not t.label:
        return f'<div class="caption"{ident}>{escape(f"{t.label} {t.title}".strip())}</div>'
    return f'<div class="caption"{ident}>{escape(t.label)}<span class="sub">{escape(t.title)}</span></div>'


def _table(t: Table, anchors: _Anchors) -> str:
    anchor = anchors.ids.get(id(t), t.anchor)
    caption = _caption(t, anchor)
    if t.preformatted is not None:
        return caption + _ruled(t.preformatted)
    classes = ["compact"] if t.compact else []
    cls = f' class="{" ".join(classes)}"' if classes else ""
    cols = "".join(f'<col style="width:{c.width}%">' if c.width else "<col>" for c in t.columns)
    head = "".join(_row(r, "th", t) for r in t.header)
    body = "".join(_row(r, "td", t) for r in t.body)
    html = f"<table{cls}><colgroup>{cols}</colgroup><thead>{head}</thead><tbody>{body}</tbody></table>"
    if t.keep:
        return f'<div class="keep">{caption}{html}</div>\n'
    return f"{caption}{html}\n"


# Respondents on one line each are laid out this many to a table row: one cell of
# pre-formatted lines, each ruled below by the cell's background (report.css
# ``td.lines``). A tagged PDF has a TR, a TD and the TD's list of 15 headers per
# table row; one row per respondent made tagging double the appendix's cost.
RULED_LINES_PER_ROW = 10


def _ruled_body(rows, n: int) -> str:
    """The appendix rows: runs of single-line respondents grouped, a wrapped one alone."""
    out: list[str] = []
    group: list[str] = []

    def flush() -> None:
        if group:
            out.append(f'<tr><td class="lines" colspan="{n}">{escape(chr(10).join(group))}</td></tr>')
            group.clear()

    for line in rows:
        if "\n" in line:  # a jenis layanan name wrapped: its own row, ruled by its border
            flush()
            out.append(f'<tr><td colspan="{n}">{escape(line)}</td></tr>')
            continue
        group.append(line)
        if len(group) == RULED_LINES_PER_ROW:
            flush()
    flush()
    return "".join(out)


def _ruled(ruled) -> str:
    """The per-respondent appendix: one pre-formatted line a respondent (reports.appendix),
    laid out ~8x faster by WeasyPrint than a cell per value."""
    cols = "".join(f'<col style="width: {c.span}ch">' for c in ruled.columns)
    head = "".join(f"<th>{escape(c.header)}</th>" for c in ruled.columns)
    n = len(ruled.columns)
    body = _ruled_body(ruled.rows, n)
    return (
        f'<table class="ruled" style="{escape(ruled.table_style)}"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"
    )


def _page_ref(anchor: str, part: DocPart) -> str:
    """A listing's page number: "iii" in the front matter, "I - 3" in a chapter."""
    roman = " roman" if part.kind is PartKind.FRONT else ""
    prefix = f' data-prefix="{escape(part.prefix)} - "' if part.prefix else ' data-prefix=""'
    return f'<a class="pg{roman}" href="#{escape(anchor)}"{prefix}></a>'


def _listing(listing: Listing, doc: Document, anchors: _Anchors) -> str:
    lines = []
    if listing.kind is ListingKind.CONTENTS:
        for part, h in doc.headings():
            if not h.in_toc or h.level > 2 or not h.anchor:
                continue
            cls = ' class="l2"' if h.level > 1 else ""
            lines.append(
                f'<li{cls}><span class="dots"></span><a href="#{escape(h.anchor)}">{escape(h.text)}</a>'
                f"{_page_ref(h.anchor, part)}</li>"
            )
    else:
        found = doc.tables() if listing.kind is ListingKind.TABLES else doc.figures()
        for part, item in found:
            anchor = anchors.ids[id(item)]
            lines.append(
                f'<li class="lt"><span class="dots"></span><a href="#{escape(anchor)}"><span class="no">'
                f"{escape(item.label)}</span>{escape(item.title)}</a>{_page_ref(anchor, part)}</li>"
            )
        if not lines:
            word = "tabel" if listing.kind is ListingKind.TABLES else "gambar"
            return f'<p class="note">Laporan ini tidak memuat {word}.</p>\n'
    return f'<ul class="toc">{"".join(lines)}</ul>\n'


def _signature(s: SignatureBlock) -> str:
    lines = [f"<p>{escape(s.place_date)}</p>"]
    if s.title:
        lines.append(f"<p>{escape(s.title)}</p>")
    lines.append('<div class="space"></div>')
    if s.name:
        lines.append(f'<p class="name">{escape(s.name)}</p>')
    if s.rank:
        lines.append(f"<p>{escape(s.rank)}</p>")
    if s.nip:
        lines.append(f"<p>{escape(s.nip)}</p>")
    return f'<div class="signature">{"".join(lines)}</div>\n'


def _cover(c: Cover, part: DocPart) -> str:
    cls = "cover" if part.kind is PartKind.COVER else "cover embedded-cover"
    if c.as_typed:
        cls += " as-typed"
    title = "<br>".join(escape(line) for line in c.title_lines)
    period = f'<div class="period">{escape(c.period_line)}</div>' if c.period_line else ""
    if c.logo is not None:
        emblem = f'<div class="logo"><img src="{escape(c.logo.url)}" alt="{escape(c.logo.alt)}"></div>'
    else:
        emblem = f'<div class="emblem">{escape(c.emblem)}</div>'
    org = "<br>".join(escape(line) for line in c.org_lines)
    addr = f'<div class="addr">{escape(c.address)}</div>' if c.address else ""
    contact = f'<div class="contact">{escape(c.contact)}</div>' if c.contact else ""
    year = f'<div class="year">{escape(c.year_line)}</div>' if c.year_line else ""
    return (
        f'<div class="{cls}"><div><div class="title">{title}</div>{period}</div>{emblem}'
        f'<div><div class="org">{org}</div>{addr}{contact}{year}</div></div>\n'
    )
