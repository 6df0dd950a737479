"""The report as a document tree: one model of each report, two renderers.

``reports.build`` turns the typed view-models (``reports.context``) into a
``Document``: parts (cover, front matter, chapters, appendix) holding headings,
paragraphs, lists, tables, figures and the signature block. Every word,
number, table and figure number is decided here, once. ``reports.render_html``
(for WeasyPrint) and ``reports.render_docx`` (python-docx) only lay the tree
out; neither adds content, so the PDF and the Word file say the same thing
(``reports/tests/test_parity.py`` reads both back and compares them).

The daftar isi, Daftar Tabel and Daftar Gambar are placeholders (``Listing``)
that each renderer fills from the tree's own headings, tables and figures.

Text is plain: a ``Run`` is text with bold/italic marks, never markup, so a
respondent's "<b>" or "=SUM(1)" prints as typed in both formats.
Django-free: the tree can be built and inspected without a request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# ------------------------------------------------------------------ inline


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


Part = str | tuple[str, str] | Run  # plain text, (text, "b" | "i" | "bi"), or a Run


def runs(*parts: Part) -> tuple[Run, ...]:
    """Runs from plain strings, (text, marks) pairs and Runs; empty strings dropped."""
    out = []
    for part in parts:
        if isinstance(part, Run):
            run = part
        elif isinstance(part, tuple):
            text, marks = part
            run = Run(str(text), "b" in marks, "i" in marks)
        else:
            run = Run(str(part))
        if run.text:
            out.append(run)
    return tuple(out)


def plain_text(items: Iterable[Run]) -> str:
    return "".join(r.text for r in items)


# ------------------------------------------------------------------ blocks


class ParaStyle(StrEnum):
    BODY = "body"  # justified, first line indented
    PLAIN = "plain"  # justified, no indent
    NOTE = "note"  # small
    CENTER = "center"
    ITALIC = "italic"  # an explanatory note, in italics


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: ParaStyle = ParaStyle.BODY

    @property
    def text(self) -> str:
        return plain_text(self.runs)


@dataclass(frozen=True)
class ListItem:
    runs: tuple[Run, ...]
    children: tuple[Block, ...] = ()  # nested lists or paragraphs under the item


@dataclass(frozen=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool = True
    start: int = 1  # an ordered list's first number (a typed list keeps its own numbers)


class HeadingKind(StrEnum):
    CHAPTER = "chapter"  # "BAB I" over its title, centred, on a new page
    FRONT = "front"  # KATA PENGANTAR, DAFTAR ISI ...: centred, on a new page
    SECTION = "section"  # "1.1. Latar Belakang"
    SUBSECTION = "subsection"  # "A. Profil Responden"
    APPENDIX = "appendix"  # a lampiran's title, centred, on a new page


@dataclass(frozen=True)
class Heading:
    kind: HeadingKind
    label: str  # "BAB I", "1.1.", "A." or ""
    title: str
    anchor: str
    level: int  # outline level, 1 = top
    in_toc: bool = True
    page_break: bool = False

    @property
    def text(self) -> str:
        """The heading as one line (daftar isi, outline)."""
        return f"{self.label} {self.title}".strip()


class Align(StrEnum):
    LEFT = "l"
    CENTER = "c"
    RIGHT = "r"


@dataclass(frozen=True)
class Cell:
    runs: tuple[Run, ...] = ()
    colspan: int = 1
    rowspan: int = 1
    align: Align | None = None  # None: the column's
    bold: bool = False
    # A continuation of the cell above (one priority's rows read as merged): no top rule.
    continued: bool = False
    tick: bool = False  # a schedule tick cell (✓), centred in a symbol font

    @property
    def text(self) -> str:
        return plain_text(self.runs)


def cell(*parts: Part, **kwargs) -> Cell:
    return Cell(runs(*parts), **kwargs)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    total: bool = False  # a bold total row


@dataclass(frozen=True)
class Column:
    width: float | None = None  # percent of the text width; None shares what is left
    align: Align = Align.LEFT


@dataclass(frozen=True)
class Table:
    """A numbered table: "Tabel III.1" over its title; header rows repeat on every page."""

    label: str  # "Tabel III.1", "Tabel 1." or "" (an unnumbered table)
    title: str
    columns: tuple[Column, ...]
    header: tuple[Row, ...]
    body: tuple[Row, ...]
    anchor: str = ""
    compact: bool = False  # small type (wide tables)
    keep: bool = False  # never split over two pages (short tables)
    # The per-respondent appendix (reports.appendix.RuledTable): the same cells as
    # ``body``, pre-formatted as one line a respondent for WeasyPrint's speed.
    preformatted: object | None = None
    caption_inline: bool = False  # "Tabel 1. Title" on one line (LHTL) instead of title below the label

    @property
    def listed(self) -> bool:
        return bool(self.label)


@dataclass(frozen=True)
class Image:
    url: str  # a fenced URL (reports.assets): /inline/…, /media/… or /static/…
    width_cm: float
    alt: str = ""


@dataclass(frozen=True)
class Figure:
    label: str  # "Gambar III.1" or "Gambar 1."
    title: str
    image: Image
    anchor: str = ""
    chart: bool = False  # a chart drawn for the report (full width)

    @property
    def listed(self) -> bool:
        return bool(self.label) and self.chart


class ListingKind(StrEnum):
    CONTENTS = "contents"
    TABLES = "tables"
    FIGURES = "figures"


@dataclass(frozen=True)
class Listing:
    """Daftar isi / Daftar Tabel / Daftar Gambar: filled by the renderer from the tree."""

    kind: ListingKind


@dataclass(frozen=True)
class SignatureBlock:
    place_date: str
    title: str
    name: str
    rank: str
    nip: str


@dataclass(frozen=True)
class Cover:
    title_lines: tuple[str, ...]
    period_line: str  # "" for none
    org_lines: tuple[str, ...]
    address: str
    contact: str  # "Telepon … · website"
    year_line: str
    logo: Image | None
    # The unit's own title and names print as typed; the product's own in capitals.
    as_typed: bool = False
    emblem: str = "SKM"  # printed in the circle when the unit has no logo


@dataclass(frozen=True)
class Group:
    """Blocks kept together in a frame (the questionnaire)."""

    blocks: tuple[Block, ...]
    boxed: bool = True


Block = Paragraph | ListBlock | Heading | Table | Figure | Listing | SignatureBlock | Cover | Group


# ------------------------------------------------------------------- parts


class PartKind(StrEnum):
    COVER = "cover"  # no page number
    FRONT = "front"  # i, ii, iii …
    CHAPTER = "chapter"  # "I - 1" …, restarting with each chapter
    APPENDIX = "appendix"  # "L - 1" …


@dataclass
class DocPart:
    kind: PartKind
    blocks: list[Block] = field(default_factory=list)
    prefix: str = ""  # the page number's prefix: "I" gives "I - 1"
    running: str = ""  # the running header ("BAB I PENDAHULUAN", "LAMPIRAN")

    def add(self, *blocks: Block | None) -> None:
        self.blocks.extend(b for b in blocks if b is not None)


@dataclass
class Document:
    title: str
    author: str
    subject: str
    lang: str
    date: object  # datetime.date: the report date (created/modified of the DOCX)
    parts: list[DocPart] = field(default_factory=list)
    keywords: str = "SKM"  # the DOCX's keywords property

    def part(self, kind: PartKind, *, prefix: str = "", running: str = "") -> DocPart:
        p = DocPart(kind, prefix=prefix, running=running)
        self.parts.append(p)
        return p

    def walk(self) -> Iterator[tuple[DocPart, Block]]:
        """Every block in order with its part (groups and list children flattened)."""
        for part in self.parts:
            yield from ((part, b) for b in _flatten(part.blocks))

    def headings(self) -> list[tuple[DocPart, Heading]]:
        return [(p, b) for p, b in self.walk() if isinstance(b, Heading)]

    def tables(self) -> list[tuple[DocPart, Table]]:
        return [(p, b) for p, b in self.walk() if isinstance(b, Table) and b.listed]

    def figures(self) -> list[tuple[DocPart, Figure]]:
        return [(p, b) for p, b in self.walk() if isinstance(b, Figure) and b.listed]


def _flatten(blocks: Sequence[Block]) -> Iterator[Block]:
    for b in blocks:
        yield b
        if isinstance(b, Group):
            yield from _flatten(b.blocks)


def page_label(part: DocPart, number: str) -> str:
    """How a page number prints in a listing: "I - 3" in a chapter, "iii" in the front matter."""
    return f"{part.prefix} - {number}" if part.prefix else number


__all__ = [
    "Align",
    "Block",
    "Cell",
    "Column",
    "Cover",
    "DocPart",
    "Document",
    "Figure",
    "Group",
    "Heading",
    "HeadingKind",
    "Image",
    "ListBlock",
    "ListItem",
    "Listing",
    "ListingKind",
    "ParaStyle",
    "Paragraph",
    "PartKind",
    "Row",
    "Run",
    "SignatureBlock",
    "Table",
    "cell",
    "page_label",
    "plain_text",
    "runs",
]
