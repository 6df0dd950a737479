"""Parsing of respondent files (CSV or XLSX) into validated rows.

Pure apart from reading the file: no database access. The writer
(``surveys.services.import_batch_create``) streams these rows into the
database inside one transaction, so the whole file is accepted or nothing is.

Row numbers in messages are spreadsheet rows: the header is ``baris 1``,
the first respondent ``baris 2``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import IO

from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

from skm.rules.formatting import format_number
from skm.rules.privacy import MAX_AGE, MIN_AGE_WITH_CONSENT
from skm.rules.unsur import ANSWER_TEXTS, parse_answer

from .answers import SKM_CODE, instrument_get
from .extra import parse_answer as parse_extra_answer
from .translatable import gettext as _
from .xlsx_scan import XlsxLimits, XlsxRefused, column_letter, scan_xlsx

MAX_ERRORS = 50
MAX_WARNINGS = 50
# Bounds on what a file may hold: checked before and while reading, so a
# hostile or mistaken file is refused with a message instead of exhausting
# the worker's memory. A unit's semester rarely exceeds a few thousand rows.
MAX_ROWS = 300_000  # data rows, header excluded
MAX_COLUMNS = 60  # the format has 18 known columns; the rest are ignored
MAX_CELLS = 6_000_000  # rows x columns of an XLSX sheet's used range (the reader's grid)
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_LINE_CHARS = 2 * 1024 * 1024  # one physical CSV line
MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024  # all parts of an XLSX after decompression
MAX_SUGGESTION_CHARS = 5000
MAX_NUMBER = 2_147_483_647  # the integer column of Response.number
XLSX_LIMITS = XlsxLimits(rows=MAX_ROWS, columns=MAX_COLUMNS, cells=MAX_CELLS, uncompressed_bytes=MAX_XLSX_UNCOMPRESSED)
OPTIONAL_COLUMNS = (
    "no",
    "layanan",
    "jenis_kelamin",
    "usia",
    "pendidikan",
    "pekerjaan",
    "disabilitas",
    "saran",
    "tanggal",
)


@dataclass(frozen=True)
class AnswerColumns:
    """The answer columns a file must carry: the SKM's U1..U9 (1-4 or a-d), or
    another instrument's item codes (its 1..k scale as numbers)."""

    instrument: str
    columns: tuple[str, ...]  # normalised header names, in item order
    points: int

    @property
    def is_skm(self) -> bool:
        return self.instrument == SKM_CODE

    @cached_property
    def texts(self) -> dict[str, int]:
        """The usual cell texts and their score, looked up before ``parse``."""
        if self.is_skm:
            return ANSWER_TEXTS
        return {str(point): point for point in range(1, self.points + 1)}

    @property
    def known(self) -> frozenset[str]:
        return frozenset(OPTIONAL_COLUMNS + self.columns)

    @property
    def span(self) -> str:
        """ "U1 sampai U9", "AK1 sampai AK5": the columns as messages name them."""
        return _("%(first)s sampai %(last)s") % {"first": self.columns[0].upper(), "last": self.columns[-1].upper()}

    def parse(self, raw) -> int | None:
        if self.is_skm:
            return parse_answer(raw)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, bool):
            raise ValueError(raw)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = str(raw).strip()
        if text.isdigit() and 1 <= int(text) <= self.points:
            return int(text)
        raise ValueError(raw)

    def invalid(self, raw) -> str:
        if self.is_skm:
            return _("nilai '%(value)s' tidak valid (1-4 atau a-d)") % {"value": _text(raw)}
        return _("nilai '%(value)s' tidak valid (1-%(k)d)") % {"value": _text(raw), "k": self.points}


def answer_columns_for(instrument: str = SKM_CODE) -> AnswerColumns:
    """The import columns of one instrument: its item codes (the SKM keeps U1..U9)."""
    definition = instrument_get(instrument)
    codes = tuple(item.code.lower() for item in definition.items)
    return AnswerColumns(definition.code, codes, definition.scale.points)


SKM_COLUMNS = answer_columns_for(SKM_CODE)

# Header aliases seen in units' worksheets.
COLUMN_ALIASES = {
    "nomor": "no",
    "no_responden": "no",
    "jenis_layanan": "layanan",
    "jk": "jenis_kelamin",
    "gender": "jenis_kelamin",
    "umur": "usia",
    "pendidikan_terakhir": "pendidikan",
    "pekerjaan_utama": "pekerjaan",
    "saran_masukan": "saran",
    "tanggal_layanan": "tanggal",
    "disabilitas_responden": "disabilitas",
    "jenis_disabilitas": "disabilitas",
    "difabel": "disabilitas",
}

GENDERS = {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "p": "P", "perempuan": "P", "wanita": "P"}

# Education and occupation: known spellings map to the model's codes. Text
# that is not recognised is stored as LAINNYA (these fields never enter the
# IKM, and paper forms carry free text such as "Ibu rumah tangga").
EDUCATION = {
    "SD": "SD",
    "SEDERAJAT SD": "SD",
    "MI": "SD",
    "SMP": "SMP",
    "SLTP": "SMP",
    "MTS": "SMP",
    "SMA": "SMA",
    "SMK": "SMA",
    "SLTA": "SMA",
    "MA": "SMA",
    "SMA/SMK": "SMA",
    "SMA/SEDERAJAT": "SMA",
    "D1": "DIPLOMA",
    "D2": "DIPLOMA",
    "D3": "DIPLOMA",
    "D4": "DIPLOMA",
    "DIPLOMA": "DIPLOMA",
    "D1-D3": "DIPLOMA",
    "D1-D4": "DIPLOMA",
    "DI": "DIPLOMA",
    "DII": "DIPLOMA",
    "DIII": "DIPLOMA",
    "DIV": "DIPLOMA",
    "S1": "STRATA",
    "S2": "STRATA",
    "S3": "STRATA",
    "STRATA": "STRATA",
    "SARJANA": "STRATA",
    "S1-S3": "STRATA",
    "PASCASARJANA": "STRATA",
    "MAGISTER": "STRATA",
    "DOKTOR": "STRATA",
    "LAINNYA": "LAINNYA",
    "TIDAK SEKOLAH": "LAINNYA",
}
OCCUPATION = {
    "PELAJAR": "PELAJAR",
    "MAHASISWA": "PELAJAR",
    "PELAJAR/MAHASISWA": "PELAJAR",
    "SWASTA": "SWASTA",
    "KARYAWAN": "SWASTA",
    "KARYAWAN SWASTA": "SWASTA",
    "PEGAWAI SWASTA": "SWASTA",
    "PNS": "PNS",
    "TNI": "PNS",
    "POLRI": "PNS",
    "PNS/TNI/POLRI": "PNS",
    "ASN": "PNS",
    "WIRAUSAHA": "WIRAUSAHA",
    "WIRASWASTA": "WIRAUSAHA",
    "PENGUSAHA": "WIRAUSAHA",
    "PEDAGANG": "WIRAUSAHA",
    "BURUH": "BURUH",
    "LAINNYA": "LAINNYA",
}

# Disability (UU 8/2016 categories); unlike education, unknown text is an error:
# the category matters to the aggregators and must not be guessed.
DISABILITY = {
    "tidak": "TIDAK",
    "tidak ada": "TIDAK",
    "bukan": "TIDAK",
    "non disabilitas": "TIDAK",
    "non-disabilitas": "TIDAK",
    "none": "TIDAK",
    "fisik": "FISIK",
    "disabilitas fisik": "FISIK",
    "intelektual": "INTELEKTUAL",
    "disabilitas intelektual": "INTELEKTUAL",
    "mental": "MENTAL",
    "disabilitas mental": "MENTAL",
    "sensorik": "SENSORIK",
    "disabilitas sensorik": "SENSORIK",
}

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


class ImportFileError(Exception):
    """The file is rejected as a whole; ``errors`` are Indonesian messages.

    ``hints`` name what the caller could switch on to accept the file
    (HINT_CREATE: create what is missing; HINT_FORCE: import the same file
    again; HINT_OPEN_ROUND: open the unit's round for the period first). The messages never name a control: the command says "--create",
    the web page names its own tick boxes."""

    HINT_CREATE = "create"
    HINT_FORCE = "force"
    HINT_OPEN_ROUND = "open_round"

    def __init__(self, errors: list[str], *, hints: frozenset[str] = frozenset()):
        super().__init__("; ".join(errors))
        self.errors = errors
        self.hints = hints


@dataclass(frozen=True, slots=True)
class ParsedRow:
    line: int
    number: int | None
    service_name: str
    gender: str
    age: int | None
    education: str
    occupation: str
    suggestion: str
    service_date: dt.date | None
    answers: tuple[int | None, ...]  # the instrument's items, in order (the SKM: U1..U9)
    disability: str = ""
    notes: tuple[str, ...] = ()  # warnings: the row is imported, but something was changed
    extra: dict | None = None  # answers to the unit's extra questions {question id: value}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("baris %(line)s, kolom %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("baris %(line)s: %(message)s") % {"line": self.line, "message": self.message}


# --- reading ---------------------------------------------------------------


def file_sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    fh.seek(0)
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        digest.update(chunk)
    fh.seek(0)
    return digest.hexdigest()


def _detect_kind(head: bytes) -> str:
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError([_("berkas kosong: tidak ada judul kolom maupun data")])
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError([_("format Excel lama (.xls) tidak didukung: simpan sebagai .xlsx atau CSV UTF-8")])
    wide = wide_unicode_encoding(head)
    if wide:
        raise ImportFileError(
            [
                _(
                    "berkas CSV berenkode %(encoding)s, bukan UTF-8; simpan ulang sebagai 'CSV UTF-8' "
                    "(di Excel: Simpan Sebagai > CSV UTF-8 (Dibatasi koma))"
                )
                % {"encoding": wide}
            ]
        )
    if b"\x00" in head:
        raise ImportFileError([_("berkas bukan CSV atau XLSX (berisi data biner)")])
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head[:-4] if len(head) >= 4096 else head)
    except UnicodeDecodeError:
        raise ImportFileError([_not_utf8_message()]) from None
    return "csv"


def wide_unicode_encoding(head: bytes) -> str | None:
    """The name, UTF-16 or UTF-32, when ``head`` is text in one of them (by its BOM, or
    without one by where its zero bytes fall: mostly ASCII text has a zero in
    every other byte, or in three bytes of four), else None."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = head[: len(head) // 4 * 4]
    if len(sample) < 8:
        return None
    quarter = len(sample) // 4
    zeros = [sample[k::4].count(0) / quarter for k in range(4)]
    candidates = {
        "utf-32-le": (1, 2, 3),
        "utf-32-be": (0, 1, 2),
        "utf-16-le": (1, 3),
        "utf-16-be": (0, 2),
    }
    for codec, positions in candidates.items():
        others = [k for k in range(4) if k not in positions]
        if all(zeros[k] >= 0.7 for k in positions) and all(zeros[k] <= 0.3 for k in others):
            try:
                sample.decode(codec)
            except UnicodeDecodeError:
                continue
            return codec[:6].upper()
    return None


def _not_utf8_message() -> str:
    return _("berkas CSV harus berenkode UTF-8 (simpan ulang sebagai 'CSV UTF-8')")


def _fmt(n: int) -> str:
    return format_number(n, 0)


class Table:
    """Rows of a file's first table as lists of cells (str, numbers, dates),
    with the fraction already read (for a progress bar)."""

    def __init__(self, rows: Iterator[list | tuple], fraction: Callable[[], float], kind: str):
        self.rows = rows
        self.fraction = fraction
        self.kind = kind

    def __iter__(self):
        return self.rows


def _csv_lines(text: io.TextIOWrapper, first: str) -> Iterator[str]:
    """Physical lines, each refused once it passes MAX_LINE_CHARS (read with a
    bounded readline, so a huge line is never held whole)."""
    line_no = 1
    line = first
    while line:
        if len(line) > MAX_LINE_CHARS:
            raise ImportFileError(
                [
                    _(
                        "baris %(line)s terlalu panjang (lebih dari %(max)s karakter); "
                        "periksa pemisah kolom dan tanda kutip berkas CSV"
                    )
                    % {"line": line_no, "max": _fmt(MAX_LINE_CHARS)}
                ]
            )
        yield line
        line_no += 1
        line = text.readline(MAX_LINE_CHARS + 1)


def _iter_csv(fh: IO[bytes]) -> Iterator[list]:
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    try:
        first = text.readline(MAX_LINE_CHARS + 1)
        head = first[:MAX_LINE_CHARS]
        delimiter = ";" if head.count(";") > head.count(",") else ","
        if head.count(delimiter) >= MAX_COLUMNS:
            if len(first) > MAX_LINE_CHARS:
                message = _(
                    "baris 1 memuat lebih dari %(count)s kolom; maksimal %(max)s kolom. "
                    "Hapus kolom yang tidak diperlukan."
                )
            else:
                message = _(
                    "baris 1 memuat %(count)s kolom; maksimal %(max)s kolom. Hapus kolom yang tidak diperlukan."
                )
            raise ImportFileError([message % {"count": _fmt(head.count(delimiter) + 1), "max": MAX_COLUMNS}])
        yield from csv.reader(_csv_lines(text, first), delimiter=delimiter)
    except UnicodeDecodeError:
        raise ImportFileError([_not_utf8_message()]) from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                [
                    _("berkas CSV berisi sel yang terlalu panjang (maksimal %(max)s karakter)")
                    % {"max": _fmt(MAX_CELL_CHARS)}
                ]
            ) from None
        raise ImportFileError([_("berkas CSV tidak dapat dibaca: %(error)s") % {"error": exc}]) from None
    finally:
        # Leave the caller's file open (TextIOWrapper would close it).
        with contextlib.suppress(ValueError):
            text.detach()


def _file_size(fh: IO[bytes]) -> int:
    position = fh.tell()
    size = fh.seek(0, io.SEEK_END)
    fh.seek(position)
    return size or 1


def _csv_table(fh: IO[bytes]) -> Table:
    size = _file_size(fh)

    def fraction() -> float:
        try:
            return min(1.0, fh.tell() / size)
        except (ValueError, OSError):
            return 0.0

    return Table(_iter_csv(fh), fraction, "csv")


def _xlsx_table(fh: IO[bytes]) -> Table:
    # Bounded pre-scan: the reader below allocates the whole used range at once.
    try:
        extent = scan_xlsx(fh, XLSX_LIMITS)
    except XlsxRefused as exc:
        raise ImportFileError(exc.errors) from None
    if extent.formulas_without_value:
        raise ImportFileError(
            [
                _(
                    "sel %(cell)s berisi rumus tanpa nilai tersimpan (berkas dibuat program yang tidak menghitung "
                    "rumus); buka dan simpan ulang di Excel atau LibreOffice, atau salin-tempel sebagai nilai"
                )
                % {"cell": ref}
                for ref in extent.formulas_without_value
            ]
        )
    try:
        workbook = CalamineWorkbook.from_filelike(fh)
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises several error types for broken files
        raise ImportFileError([_("berkas XLSX rusak atau bukan XLSX (%(error)s)") % {"error": exc}]) from None
    total = max(1, extent.rows)
    done = [0]

    def rows() -> Iterator[list]:
        # Calamine (Rust) reads ~10x faster than openpyxl; empty cells come as "".
        for row in sheet.iter_rows():
            done[0] += 1
            yield [None if cell == "" else cell for cell in row]

    return Table(rows(), lambda: min(1.0, done[0] / total), "xlsx")


def open_table(fh: IO[bytes]) -> Table:
    """The file's first table, after the checks that bound what reading it costs."""
    fh.seek(0)
    head = fh.read(8192)
    fh.seek(0)
    kind = _detect_kind(head)
    return _xlsx_table(fh) if kind == "xlsx" else _csv_table(fh)


def iter_table(fh: IO[bytes]) -> Iterator[list | tuple]:
    """Rows of the file's first table as lists of cells (str, numbers, dates)."""
    return iter(open_table(fh))


def check_cells(line: int, cells, kind: str, names: dict[int, str] | None = None) -> list[RowError]:
    """Bounds every cell of a row (known columns or not): width, NUL, length."""
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            [
                _("baris %(line)s memuat %(count)s kolom; maksimal %(max)s kolom")
                % {"line": line, "count": _fmt(len(cells)), "max": MAX_COLUMNS}
            ]
        )
    text = "".join([value for value in cells if isinstance(value, str)])
    if "\x00" not in text and len(text) <= MAX_CELL_CHARS:
        return []  # the common case, without a Python step per cell
    errors: list[RowError] = []
    for index, value in enumerate(cells):
        if not isinstance(value, str):
            continue
        column = (names or {}).get(index) or column_letter(index + 1)
        if "\x00" in value:
            if kind == "xlsx":
                message = _("berisi karakter NUL (_x0000_) yang tidak diizinkan; simpan ulang berkas dari aplikasinya")
            else:
                message = _("berisi karakter NUL (bita 0) yang tidak diizinkan; simpan ulang berkas dari aplikasinya")
            errors.append(RowError(line, column, message))
        elif len(value) > MAX_CELL_CHARS:
            errors.append(
                RowError(
                    line,
                    column,
                    _("isi sel terlalu panjang (%(count)s karakter; maksimal %(max)s)")
                    % {"count": _fmt(len(value)), "max": _fmt(MAX_CELL_CHARS)},
                )
            )
    return errors


# --- header ----------------------------------------------------------------


def _normalise_header(cell) -> str:
    text = "" if cell is None else str(cell)
    text = text.strip().lower().replace("\ufeff", "")
    text = re.sub(r"[\s.]+", "_", text).strip("_")
    return COLUMN_ALIASES.get(text, text)


def _extra_column(name: str, extra) -> str | None:
    """The extra question a header names: its code ("T1") alone or followed by
    its text, as the raw data export writes it ("T1 Dari mana ...")."""
    for definition in extra:
        code = definition.code.lower()
        if name == code or name.startswith(code + "_"):
            return definition.field
    return None


def parse_header(cells, extra=(), answers: AnswerColumns = SKM_COLUMNS) -> dict[str, int]:
    """Map known column names (and the unit's extra questions' codes) to their
    index, or raise ImportFileError."""
    names = [_normalise_header(c) for c in cells]
    errors: list[str] = []
    mapping: dict[str, int] = {}
    for index, name in enumerate(names):
        field = _extra_column(name, extra)
        if field is not None:
            if field in mapping:
                errors.append(_("baris 1: kolom %(column)s muncul lebih dari sekali") % {"column": name.upper()})
            mapping[field] = index
            continue
        if name in answers.known:
            if name in mapping:
                errors.append(
                    _("baris 1: kolom %(column)s muncul lebih dari sekali") % {"column": _display(name, answers)}
                )
            mapping[name] = index
    if not any(n in answers.columns for n in mapping):
        looks_like_data = sum(1 for c in cells if c not in (None, "") and parse_or_none(c) is not None)
        if looks_like_data >= 5:
            raise ImportFileError(
                [
                    _(
                        "baris 1 tidak berisi judul kolom: baris pertama harus memuat nama kolom %(span)s "
                        "(dan bila ada: no, layanan, jenis_kelamin, usia, pendidikan, pekerjaan, disabilitas, saran, "
                        "tanggal)"
                    )
                    % {"span": answers.span}
                ]
            )
        raise ImportFileError(
            [_("baris 1: kolom %(span)s tidak ditemukan; periksa judul kolom berkas") % {"span": answers.span}]
        )
    for column in answers.columns:
        if column not in mapping:
            errors.append(
                _("baris 1: kolom %(column)s tidak ada (kolom %(span)s wajib)")
                % {"column": column.upper(), "span": answers.span}
            )
    if errors:
        raise ImportFileError(errors)
    return mapping


def parse_or_none(cell) -> int | None:
    try:
        return parse_answer(cell)
    except ValueError:
        return None


def _display(column: str, answers: AnswerColumns = SKM_COLUMNS) -> str:
    return column.upper() if column in answers.columns else column


# --- cells -----------------------------------------------------------------


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _parse_int(cell) -> int:
    if isinstance(cell, bool):
        raise ValueError
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        if not cell.is_integer():
            raise ValueError
        return int(cell)
    text = str(cell).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        raise ValueError
    return int(text)


def _parse_date(cell) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip()
    if len(text) == 10 and text[4] == "-" == text[7] and (text[:4] + text[5:7] + text[8:]).isdigit():
        # The usual YYYY-MM-DD at once (strptime costs a tenth of an import's time).
        with contextlib.suppress(ValueError):
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _lookup(table: dict[str, str], cell) -> str:
    text = re.sub(r"\s+", " ", _text(cell).upper())
    if not text:
        return ""
    if text in table:
        return table[text]
    compact = text.replace(" ", "").replace(".", "")
    return table.get(compact, "LAINNYA")


def _parse_age(line: int, raw, min_age: int) -> tuple[int | None, list[RowError]]:
    if raw is None:
        return None, []
    try:
        age = _parse_int(raw)
        if not MIN_AGE_WITH_CONSENT <= age <= MAX_AGE:
            raise ValueError
    except ValueError:
        message = _("usia '%(value)s' tidak valid (bilangan bulat %(min)s-%(max)s)") % {
            "value": _text(raw),
            "min": MIN_AGE_WITH_CONSENT,
            "max": MAX_AGE,
        }
        return None, [RowError(line, "usia", message)]
    if age < min_age:
        message = _("usia %(age)s di bawah %(min)s tahun: unit ini tidak menerima responden di bawah %(min)s tahun") % {
            "age": age,
            "min": min_age,
        }
        return None, [RowError(line, "usia", message)]
    return age, []


def _parse_disability(line: int, raw) -> tuple[str, list[RowError]]:
    if raw is None:
        return "", []
    value = DISABILITY.get(re.sub(r"\s+", " ", _text(raw).lower()), "")
    if value:
        return value, []
    message = _("nilai '%(value)s' tidak valid (tidak, fisik, intelektual, mental atau sensorik)") % {
        "value": _text(raw)[:30]
    }
    return "", [RowError(line, "disabilitas", message)]


def _parse_number(line: int, raw, errors: list[RowError]) -> int | None:
    """The respondent number, bounded to what the database column holds."""
    if raw is None:
        return None
    try:
        number = _parse_int(raw)
    except ValueError:
        errors.append(RowError(line, "no", _("nomor '%(value)s' harus bilangan bulat") % {"value": _text(raw)[:20]}))
        return None
    if not 0 <= number <= MAX_NUMBER:
        message = _("nomor '%(value)s' di luar batas (0 sampai %(max)s)") % {
            "value": _text(raw)[:20],
            "max": _fmt(MAX_NUMBER),
        }
        errors.append(RowError(line, "no", message))
        return None
    return number


def _suggestion(line: int, raw) -> tuple[str, tuple[str, ...]]:
    """The saran, shortened to MAX_SUGGESTION_CHARS with a warning (never silently)."""
    text = _text(raw)
    if len(text) <= MAX_SUGGESTION_CHARS:
        return text, ()
    message = _("saran %(count)s karakter dipotong menjadi %(max)s karakter") % {
        "count": _fmt(len(text)),
        "max": _fmt(MAX_SUGGESTION_CHARS),
    }
    note = RowError(line, "saran", message)
    return text[:MAX_SUGGESTION_CHARS], (str(note),)


def _parse_gender(line: int, raw) -> tuple[str, list[RowError]]:
    if raw is None:
        return "", []
    gender = GENDERS.get(_text(raw).lower(), "")
    if not gender:
        message = _("nilai '%(value)s' tidak valid (L atau P)") % {"value": _text(raw)}
        return "", [RowError(line, "jenis_kelamin", message)]
    return gender, []


def _parse_service_date(
    line: int, raw, period_start: dt.date | None, period_end: dt.date | None
) -> tuple[dt.date | None, list[RowError]]:
    """The service date, which must lie inside the period."""
    if raw is None:
        return None, []
    try:
        service_date = _parse_date(raw)
    except ValueError:
        message = _("tanggal '%(value)s' tidak valid (gunakan YYYY-MM-DD atau DD/MM/YYYY)") % {"value": _text(raw)}
        return None, [RowError(line, "tanggal", message)]
    if period_start and period_end and not period_start <= service_date <= period_end:
        message = _("tanggal %(date)s di luar periode (%(start)s - %(end)s)") % {
            "date": f"{service_date:%d/%m/%Y}",
            "start": f"{period_start:%d/%m/%Y}",
            "end": f"{period_end:%d/%m/%Y}",
        }
        return None, [RowError(line, "tanggal", message)]
    return service_date, []


def _parse_answers(line: int, cell, answer_columns: AnswerColumns, errors: list[RowError]) -> list[int | None]:
    answers: list[int | None] = []
    texts = answer_columns.texts
    for column in answer_columns.columns:
        raw = cell(column)
        if raw is None:
            answers.append(None)
            continue
        if raw.__class__ is str:
            value = texts.get(raw)
            if value is not None:
                answers.append(value)
                continue
        try:
            answers.append(answer_columns.parse(raw))
        except ValueError:
            errors.append(RowError(line, column.upper(), answer_columns.invalid(raw)))
            answers.append(None)
    if not errors and all(a is None for a in answers):
        if answer_columns.is_skm:
            errors.append(RowError(line, None, _("tidak ada satu pun jawaban U1-U9")))
        else:
            message = _("tidak ada satu pun jawaban %(span)s") % {"span": answer_columns.span}
            errors.append(RowError(line, None, message))
    return answers


def parse_row(
    line: int,
    cells,
    columns: dict[str, int],
    *,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    min_age: int = MIN_AGE_WITH_CONSENT,
    extra=(),
    answer_columns: AnswerColumns = SKM_COLUMNS,
) -> ParsedRow | list[RowError] | None:
    """One data row: a ParsedRow, its errors, or None for an empty row.

    ``min_age``: the unit's youngest accepted respondent (17 unless it accepts
    minors with their guardian's consent, kept on the paper form)."""

    def cell(name):
        index = columns.get(name)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
        return None
    errors: list[RowError] = []
    answers = _parse_answers(line, cell, answer_columns, errors)

    number = _parse_number(line, cell("no"), errors)

    gender, error = _parse_gender(line, cell("jenis_kelamin"))
    errors.extend(error)

    age, error = _parse_age(line, cell("usia"), min_age)
    errors.extend(error)
    disability, error = _parse_disability(line, cell("disabilitas"))
    errors.extend(error)

    service_date, error = _parse_service_date(line, cell("tanggal"), period_start, period_end)
    errors.extend(error)

    # Extra questions (never part of the IKM): blank stays unanswered, as on the paper form.
    extra_values: dict = {}
    for definition in extra:
        raw = cell(definition.field)
        try:
            value = parse_extra_answer(definition, raw, enforce_required=False)
        except ValidationError as exc:
            errors.append(RowError(line, definition.code, " ".join(exc.messages)))
            continue
        if value is not None:
            extra_values[definition.key] = value

    if errors:
        return errors
    suggestion, notes = _suggestion(line, cell("saran"))
    return ParsedRow(
        line=line,
        number=number,
        service_name=_text(cell("layanan")),
        gender=gender,
        age=age,
        education=_lookup(EDUCATION, cell("pendidikan")),
        occupation=_lookup(OCCUPATION, cell("pekerjaan")),
        suggestion=suggestion,
        service_date=service_date,
        answers=tuple(answers),
        disability=disability,
        notes=notes,
        extra=extra_values,
    )


def iter_parsed(
    fh: IO[bytes],
    *,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    min_age: int = MIN_AGE_WITH_CONSENT,
    progress: Callable[[float], None] | None = None,
    extra=(),
    answer_columns: AnswerColumns = SKM_COLUMNS,
) -> Iterator[ParsedRow | list[RowError]]:
    """Stream a file: header checks raise ImportFileError; each data row
    yields a ParsedRow or a list of RowError. Empty rows are skipped; a file
    without data rows, or with more than MAX_ROWS, raises ImportFileError.
    ``progress`` is called now and then with the fraction of the file read."""
    table = open_table(fh)
    rows = enumerate(table, start=1)
    header_line, header = 0, []
    for header_line, header in rows:  # noqa: B007 - the loop finds the first non-empty line
        if any(c not in (None, "") and str(c).strip() for c in header):
            break
    else:
        raise ImportFileError([_("berkas kosong: tidak ada judul kolom maupun data")])
    if header_line != 1:
        raise ImportFileError(
            [
                _("baris 1 kosong: judul kolom harus berada di baris 1 (ditemukan di baris %(line)s)")
                % {"line": header_line}
            ]
        )
    header_errors = check_cells(1, header, table.kind)
    if header_errors:
        raise ImportFileError([str(e) for e in header_errors])
    columns = parse_header(list(header), extra, answer_columns)
    codes = {d.field: d.code for d in extra}
    names = {index: codes.get(name) or _display(name, answer_columns) for name, index in columns.items()}
    seen = 0
    for index, cells in rows:
        if progress is not None and index % 1000 == 0:
            progress(table.fraction())
        bad = check_cells(index, cells, table.kind, names)
        if bad:
            seen += 1
            yield bad
            continue
        result = parse_row(
            index,
            cells,
            columns,
            period_start=period_start,
            period_end=period_end,
            min_age=min_age,
            extra=extra,
            answer_columns=answer_columns,
        )
        if result is None:
            continue
        seen += 1
        if seen > MAX_ROWS:
            raise ImportFileError(
                [
                    _("berkas memuat lebih dari %(max)s baris data; bagi menjadi beberapa berkas")
                    % {"max": _fmt(MAX_ROWS)}
                ]
            )
        yield result
    if seen == 0:
        raise ImportFileError([_("berkas hanya berisi judul kolom, tidak ada baris data responden")])
