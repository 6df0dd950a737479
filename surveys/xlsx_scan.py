"""Bounded inspection of an XLSX before a full reader touches it.

Calamine (like most readers) builds a dense grid from the top-left to the
bottom-right cell that holds a value: a 1.7 KB file with values at A2 and
XFD1048576 asks for 512 GiB and aborts the process. This module streams the
package with fixed memory and refuses, with an Indonesian message, a file whose
declared or real extent, decompressed size or cell count is over the limits,
before the reader is called. It also finds formula cells without a cached value
or with an empty one, ``<v/>`` (the reader would return them as blanks).

Pure: no Django, no database.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from skm.rules.formatting import format_number

from .translatable import gettext as _

CHUNK = 1 << 20
MAX_MEMBERS = 1000
MAX_ROW_XML_BYTES = 8 << 20  # one <row> element; a row of 60 cells of 32 767 chars is ~2 MB
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
# A real sheet deflates 15-20 times (every cell carries its own reference); a
# decompression bomb (runs of one byte) about 1000 times. Past BOMB_MIN_OUTPUT
# inflated bytes, a part that has grown more than BOMB_RATIO times is refused as
# what it is, before the row or size bounds would name it otherwise.
BOMB_RATIO = 200
BOMB_MIN_OUTPUT = 4 << 20

_REF = re.compile(rb"([A-Z]{1,3})?([0-9]{1,7})?")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([^\"]*)\"")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_TOKEN = re.compile(
    rb"<(?:\w+:)?(row|c)\b([^>]*?)(/?)>|</(?:\w+:)?c>|<(?:\w+:)?(v|is|f)\b[^>]*?(/?)>",
)
_R_ATTR = re.compile(rb"\br=\"([^\"]*)\"")
_EMPTY_VALUE_END = re.compile(rb"\s*</(?:\w+:)?v>")
# Fast path for a chunk where every <row> and <c> is unprefixed and carries its
# r attribute first and no formula appears (Excel, LibreOffice, openpyxl files):
# C-level counting instead of a Python step per cell. "<" never occurs in XML
# text or attribute values, so these counts see only tags.
_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')
_VALUED_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]+"[^>]*>\s*<[vi]')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]+)"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id=\"([^\"]+)\"")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")


class XlsxRefused(Exception):
    """The file is refused; ``errors`` are Indonesian messages."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class XlsxLimits:
    rows: int  # data rows, header excluded
    columns: int
    cells: int  # rows x columns of the used range (the reader's grid)
    uncompressed_bytes: int


@dataclass
class XlsxExtent:
    rows: int = 0  # highest row holding a value (header included)
    columns: int = 0  # highest column holding a value
    formulas_without_value: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _split_ref(ref: bytes) -> tuple[int | None, int | None]:
    """'XFD1048576' -> (16384, 1048576); parts may be missing."""
    match = _REF.fullmatch(ref.strip().upper())
    if not match:
        return None, None
    letters, digits = match.groups()
    return (_column_index(letters) if letters else None, int(digits) if digits else None)


def _fmt(n: int) -> str:
    return format_number(n, 0)


def _inflate(data: memoryview, info: zipfile.ZipInfo, limit: int, shown: int | None = None) -> Iterator[bytes]:
    """Decompressed chunks of one member, read from the raw bytes; refuses once
    more than ``limit`` bytes come out (whatever the header declares)."""
    if info.flag_bits & 0x1:
        raise XlsxRefused([_("berkas XLSX terenkripsi atau dilindungi kata sandi; simpan tanpa kata sandi")])
    start = info.header_offset
    header = bytes(data[start : start + LOCAL_HEADER.size])
    if len(header) < LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise XlsxRefused([_("berkas XLSX rusak (struktur ZIP tidak valid)")])
    fields = LOCAL_HEADER.unpack(header)
    offset = start + LOCAL_HEADER.size + fields[9] + fields[10]
    raw = data[offset : offset + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) > limit:
            raise _too_big(shown or limit)
        yield from (bytes(raw[i : i + CHUNK]) for i in range(0, len(raw), CHUNK))
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise XlsxRefused([_("berkas XLSX memakai metode kompresi yang tidak didukung; simpan ulang dari Excel")])
    yield from _deflated(raw, limit, shown or limit)


def _deflated(raw: memoryview, limit: int, shown: int) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-15)
    produced = 0
    pos = 0
    try:
        while pos < len(raw) or inflater.unconsumed_tail:
            if inflater.unconsumed_tail:
                piece = inflater.decompress(inflater.unconsumed_tail, CHUNK)
            else:
                piece = inflater.decompress(bytes(raw[pos : pos + CHUNK]), CHUNK)
                pos += CHUNK
            produced += len(piece)
            if produced > BOMB_MIN_OUTPUT and produced > BOMB_RATIO * (
                min(pos, len(raw)) - len(inflater.unconsumed_tail)
            ):
                raise XlsxRefused(
                    [
                        _(
                            "berkas XLSX ditolak: isinya membengkak lebih dari %(ratio)s kali lipat saat diekstrak "
                            "(bom dekompresi), tidak seperti lembar kerja biasa; periksa asal berkas"
                        )
                        % {"ratio": _fmt(BOMB_RATIO)}
                    ]
                )
            if produced > limit:
                raise _too_big(shown)
            if piece:
                yield piece
            if inflater.eof:
                break
    except zlib.error:
        raise XlsxRefused([_("berkas XLSX rusak (data terkompresi tidak valid)")]) from None


def _too_big(limit: int) -> XlsxRefused:
    return XlsxRefused(
        [
            _("isi berkas XLSX terlalu besar setelah diekstrak (maksimal %(max)s MB); bagi berkas")
            % {"max": _fmt(limit // (1 << 20))}
        ]
    )


def _read_member(data: memoryview, info: zipfile.ZipInfo, limit: int) -> bytes:
    return b"".join(_inflate(data, info, limit))


def _first_sheet_name(zf: zipfile.ZipFile, data: memoryview) -> str:
    names = {i.filename: i for i in zf.infolist()}
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        raise XlsxRefused([_("berkas XLSX rusak atau bukan lembar kerja Excel (workbook tidak ditemukan)")])
    workbook = _read_member(data, names["xl/workbook.xml"], 4 << 20)
    rels = _read_member(data, names["xl/_rels/workbook.xml.rels"], 4 << 20)
    first = _SHEET.search(workbook)
    if not first:
        raise XlsxRefused([_("berkas XLSX tidak memiliki lembar kerja")])
    for attrs in _REL.findall(rels):
        rel_id = re.search(rb"\bId=\"([^\"]+)\"", attrs)
        target = re.search(rb"\bTarget=\"([^\"]+)\"", attrs)
        if rel_id and target and rel_id.group(1) == first.group(1):
            path = target.group(1).decode("utf-8", "replace")
            path = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
            if path in names:
                return path
    raise XlsxRefused([_("berkas XLSX rusak (lembar kerja pertama tidak ditemukan)")])


class _Scanner:
    """Walks <row> and <c> elements in order, tracking the used extent."""

    def __init__(self, limits: XlsxLimits):
        self.limits = limits
        self.extent = XlsxExtent()
        self.row = 0
        self.col = 0
        self.cell: tuple[int, int] | None = None
        self.has_value = False
        self.has_stored_value = False  # a <v> with text, or an inline string
        self.has_formula = False

    def feed(self, buf: bytes) -> None:
        if self.cell is None and self._feed_fast(buf):
            return
        for m in _TOKEN.finditer(buf):
            name, attrs, closed, inner, inner_closed = m.groups()
            if name == b"row":
                r = _R_ATTR.search(attrs)
                number = _split_ref(r.group(1))[1] if r else None
                self.row = number or self.row + 1
                self.col = 0
            elif name == b"c":
                r = _R_ATTR.search(attrs)
                col, row = _split_ref(r.group(1)) if r else (None, None)
                self.col = col or self.col + 1
                self.cell = (row or self.row, self.col)
                self.has_value = self.has_stored_value = self.has_formula = False
                if closed:
                    self._end_cell()
            elif inner is not None:
                if inner == b"f":
                    self.has_formula = True
                else:
                    self.has_value = True
                    # <v/> or <v></v>: some programs write a formula's value so; the
                    # reader then returns a blank, as for a formula with no <v>.
                    if inner == b"is" or not (inner_closed or _EMPTY_VALUE_END.match(buf, m.end())):
                        self.has_stored_value = True
            else:  # </c>
                self._end_cell()

    def _feed_fast(self, buf: bytes) -> bool:
        """Handle ``buf`` (whole rows) by counting, or return False for the exact walk."""
        if b"<f" in buf or b":c" in buf or b":row" in buf:
            return False
        if buf.count(b"<c ") + buf.count(b"<c>") + buf.count(b"<c/") != buf.count(b'<c r="'):
            return False
        numbers = _ROW_NUMBER.findall(buf)
        if buf.count(b"<row ") + buf.count(b"<row>") + buf.count(b"<row/") != len(numbers):
            return False
        columns = max(map(_column_index, set(_VALUED_COLUMN.findall(buf))), default=0)
        # The reader places a cell by its own reference, whatever its <row> says.
        # Every cell counts here, also an empty one: an upper bound. Past a
        # limit, the exact walk decides.
        rows = max(map(int, set(_CELL_ROW.findall(buf))), default=0)
        extent = (max(self.extent.rows, rows), max(self.extent.columns, columns))
        try:
            check_extent(*extent, self.limits)
        except XlsxRefused:
            return False
        self.extent.rows, self.extent.columns = extent
        if numbers:
            self.row, self.col = int(numbers[-1]), 0
        return True

    def _end_cell(self) -> None:
        if self.cell is None:
            return
        row, col = self.cell
        self.cell = None
        if self.has_formula and not self.has_stored_value and len(self.extent.formulas_without_value) < 10:
            self.extent.formulas_without_value.append(f"{column_letter(col)}{row}")
        if not (self.has_value or self.has_formula):
            return  # an empty (styled) cell: the reader keeps no value there
        self.extent.rows = max(self.extent.rows, row)
        self.extent.columns = max(self.extent.columns, col)
        check_extent(self.extent.rows, self.extent.columns, self.limits)


def check_extent(rows: int, columns: int, limits: XlsxLimits, *, declared: bool = False) -> None:
    """Refuse an extent (header row included) over the limits. The scan stops at
    the first cell past a limit, so its messages name that cell's position."""
    values = {
        "letter": column_letter(columns),
        "columns": _fmt(columns),
        "rows": _fmt(rows),
        "max_columns": _fmt(limits.columns),
        "max_rows": _fmt(limits.rows),
        "max_cells": _fmt(limits.cells),
    }
    if columns > limits.columns:
        if declared:
            message = _(
                "lembar kerja menurut ukuran yang dinyatakan di berkas sampai kolom %(letter)s (%(columns)s kolom); "
                "maksimal %(max_columns)s kolom. Hapus kolom yang tidak diperlukan."
            )
        else:
            message = _(
                "lembar kerja berisi nilai di kolom %(letter)s (kolom ke-%(columns)s); "
                "maksimal %(max_columns)s kolom. Hapus kolom yang tidak diperlukan."
            )
        raise XlsxRefused([message % values])
    if rows > limits.rows + 1:
        if declared:
            message = _(
                "lembar kerja menurut ukuran yang dinyatakan di berkas sampai baris %(rows)s; "
                "maksimal %(max_rows)s baris data (ditambah baris judul). Bagi menjadi beberapa berkas."
            )
        else:
            message = _(
                "lembar kerja berisi nilai di baris %(rows)s; maksimal %(max_rows)s baris data "
                "(ditambah baris judul). Bagi menjadi beberapa berkas."
            )
        raise XlsxRefused([message % values])
    if rows * columns > limits.cells:
        message = _(
            "lembar kerja berisi %(rows)s baris x %(columns)s kolom; maksimal %(max_cells)s sel. "
            "Hapus kolom yang tidak diperlukan atau bagi berkas."
        )
        raise XlsxRefused([message % values])


def _check_declared_dimension(head: bytes, limits: XlsxLimits) -> None:
    match = _DIMENSION.search(head)
    if not match:
        return
    last = match.group(1).split(b":")[-1]
    col, row = _split_ref(last)
    if col and row:
        check_extent(row, col, limits, declared=True)


def scan_xlsx(fh: IO[bytes], limits: XlsxLimits) -> XlsxExtent:
    """Check an XLSX package and its first sheet; raise XlsxRefused if it is over
    the limits, else return its used extent. Memory: the file's bytes plus a chunk."""
    fh.seek(0)
    data = memoryview(fh.read())
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(_BytesView(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxRefused([_("berkas XLSX rusak atau bukan XLSX (%(error)s)") % {"error": exc}]) from None
    if len(infos) > MAX_MEMBERS:
        raise XlsxRefused([_("berkas XLSX rusak (terlalu banyak bagian di dalam berkas)")])
    sheet = _first_sheet_name(zf, data)
    budget = limits.uncompressed_bytes
    for info in infos:  # the reader inflates several parts: bound them all, whatever they declare
        if info.filename == sheet:
            continue
        strings = _SharedStringCounter(limits) if info.filename.lower().endswith("sharedstrings.xml") else None
        for piece in _inflate(data, info, budget, limits.uncompressed_bytes):
            budget -= len(piece)
            if strings is not None:
                strings.feed(piece)
    scanner = _Scanner(limits)
    tail = b""
    first = True
    for piece in _inflate(data, zf.getinfo(sheet), budget, limits.uncompressed_bytes):
        buf = tail + piece
        if first:
            _check_declared_dimension(buf[:65536], limits)
            first = False
        cut = _last_row_end(buf)
        scanner.feed(buf[:cut])
        tail = buf[cut:]
        if len(tail) > MAX_ROW_XML_BYTES:
            raise XlsxRefused([_("lembar kerja berisi baris yang terlalu panjang; periksa isi berkas")])
    scanner.feed(tail)
    return scanner.extent


class _SharedStringCounter:
    """The reader keeps every shared string in memory: a sheet cannot use more
    distinct strings than it has cells, so more than ``limits.cells`` is refused."""

    def __init__(self, limits: XlsxLimits):
        self.limit = limits.cells
        self.count = 0
        self.carry = b""

    def feed(self, piece: bytes) -> None:
        buf = self.carry + piece
        # "<si>" / "<si " / "<x:si>"; a tag cut at the chunk end is counted with the next one.
        self.count += buf.count(b"<si>") + buf.count(b"<si ") + buf.count(b":si>") + buf.count(b":si ")
        self.carry = buf[-3:] if not buf.endswith((b"<si>", b"<si ", b":si>", b":si ")) else b""
        if self.count > self.limit:
            raise XlsxRefused(
                [
                    _("berkas XLSX memuat lebih dari %(max)s teks berbeda; bagi berkas atau simpan ulang")
                    % {"max": _fmt(self.limit)}
                ]
            )


def _last_row_end(buf: bytes) -> int:
    """Offset just past the last </row> (or </x:row>) in ``buf``, else 0."""
    i = buf.rfind(b"row>")
    while i != -1:
        j = buf.rfind(b"</", 0, i)
        if j != -1 and _ROW_END.fullmatch(buf, j, i + 4):
            return i + 4
        i = buf.rfind(b"row>", 0, i)
    return 0


class _BytesView:
    """A seekable read-only file over a memoryview, without copying it."""

    def __init__(self, data: memoryview):
        self.data = data
        self.pos = 0

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.pos, 2: len(self.data)}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n is None or n < 0 else min(len(self.data), self.pos + n)
        out = bytes(self.data[self.pos : end])
        self.pos = end
        return out
