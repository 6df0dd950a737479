"""Hostile and oversized files are refused with a message, in bounded time and memory.

The dangerous cases run in a forked child with an address-space limit and a
timeout: before the bounds, the sparse XLSX made the reader ask for 512 GiB and
abort the whole process, which here fails the test instead of killing pytest.
"""

import io
import multiprocessing
import resource
import zipfile

import pytest
from openpyxl import Workbook

from surveys import importing
from surveys.importing import ImportFileError, ParsedRow, iter_parsed
from surveys.tests.xlsx_raw import header_row, istr, num, raw_xlsx
from surveys.xlsx_scan import XlsxLimits, XlsxRefused, scan_xlsx

ANSWERS = [f"U{i}" for i in range(1, 10)]
HEADER = ",".join(ANSWERS)
EXTRA_MEMORY = 512 * 1024 * 1024  # what the child may allocate beyond its start


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(data: bytes, queue) -> None:
    limit = _vm_size() + EXTRA_MEMORY
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        items = list(iter_parsed(io.BytesIO(data)))
    except ImportFileError as exc:
        queue.put(("refused", exc.errors))
    except BaseException as exc:
        queue.put(("crashed", f"{type(exc).__name__}: {exc}"))
    else:
        queue.put(("accepted", len(items)))


def parse_bounded(data: bytes, timeout: float = 30.0):
    """(outcome, detail) of parsing ``data`` in a child limited to +512 MB and ``timeout`` s."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child, args=(data, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return "timeout", None
    if child.exitcode != 0:
        return "died", child.exitcode
    return queue.get(timeout=5)


def answers_row(line: int, value=3) -> str:
    return f'<row r="{line}">' + "".join(num(f"{c}{line}", value) for c in "ABCDEFGHI") + "</row>"


# --- item: a 1.7 KB XLSX killed the web worker --------------------------------


def test_sparse_xlsx_a2_and_xfd1048576_is_refused_without_allocating():
    data = raw_xlsx(istr("A2", "x") + num("XFD1048576", 1))
    assert len(data) < 2000
    outcome, detail = parse_bounded(data)
    assert outcome == "refused", detail
    assert "lembar kerja berisi nilai di kolom XFD (kolom ke-16.384); maksimal 60 kolom" in detail[0]


def test_sparse_xlsx_far_row_is_refused():
    data = raw_xlsx(header_row(ANSWERS) + answers_row(2) + num("A1048576", 1))
    outcome, detail = parse_bounded(data)
    assert outcome == "refused", detail
    assert "lembar kerja berisi nilai di baris 1.048.576; maksimal 300.000 baris data" in detail[0]


def test_declared_dimension_is_checked_before_reading():
    data = raw_xlsx(header_row(ANSWERS) + answers_row(2), dimension="A1:CV200001")
    with pytest.raises(ImportFileError) as exc:
        list(iter_parsed(io.BytesIO(data)))
    assert "menurut ukuran yang dinyatakan di berkas sampai kolom CV (100 kolom)" in exc.value.errors[0]


def test_used_area_is_bounded_in_cells(monkeypatch):
    # 40 columns is allowed, 40 x 200 001 rows is not: refused from the declared size.
    data = raw_xlsx(header_row(ANSWERS) + answers_row(2), dimension="A1:AN200001")
    with pytest.raises(ImportFileError) as exc:
        list(iter_parsed(io.BytesIO(data)))
    assert "200.001 baris x 40 kolom; maksimal 6.000.000 sel" in exc.value.errors[0]


def test_wide_header_xlsx_is_refused():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(ANSWERS + [f"x{i}" for i in range(191)])  # 200 columns; the scan stops at the 61st
    ws.append([3] * 9)
    buf = io.BytesIO()
    wb.save(buf)
    outcome, detail = parse_bounded(buf.getvalue())
    assert outcome == "refused", detail
    assert "lembar kerja berisi nilai di kolom BI (kolom ke-61); maksimal 60 kolom" in detail[0]


def test_wide_header_csv_of_a_million_columns_is_refused():
    data = (HEADER + "," + ",".join(f"x{i}" for i in range(1_000_000)) + "\n" + ",".join("3" * 9) + "\n").encode()
    outcome, detail = parse_bounded(data)
    assert outcome == "refused", detail
    assert detail[0].startswith("baris 1 memuat lebih dari ") and "maksimal 60 kolom" in detail[0]


def test_wide_data_row_csv_is_refused():
    data = (HEADER + "\n" + ",".join(["3"] * 9 + ["x"] * 100) + "\n").encode()
    with pytest.raises(ImportFileError) as exc:
        list(iter_parsed(io.BytesIO(data)))
    assert exc.value.errors == ["baris 2 memuat 109 kolom; maksimal 60 kolom"]


def test_csv_line_is_read_with_a_bound(monkeypatch):
    monkeypatch.setattr(importing, "MAX_LINE_CHARS", 100)
    data = (HEADER + "\n" + "3,3,3,3,3,3,3,3,3\n" + "3,3,3,3,3,3,3,3,3," + "x" * 200 + "\n").encode()
    with pytest.raises(ImportFileError) as exc:
        list(iter_parsed(io.BytesIO(data)))
    assert exc.value.errors[0].startswith("baris 3 terlalu panjang (lebih dari 100 karakter)")


def test_rows_are_bounded(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 5)
    data = (HEADER + "\n" + "3,3,3,3,3,3,3,3,3\n" * 6).encode()
    with pytest.raises(ImportFileError) as exc:
        list(iter_parsed(io.BytesIO(data)))
    assert exc.value.errors == ["berkas memuat lebih dari 5 baris data; bagi menjadi beberapa berkas"]
    assert len(list(iter_parsed(io.BytesIO((HEADER + "\n" + "3,3,3,3,3,3,3,3,3\n" * 5).encode())))) == 5


def test_long_cell_is_an_error_with_its_row_and_column():
    data = raw_xlsx(
        header_row([*ANSWERS, "keterangan"])
        + '<row r="2">'
        + "".join(num(f"{c}2", 3) for c in "ABCDEFGHI")
        + istr("J2", "y" * 32_768)
        + "</row>"
    )
    errors = [str(e) for item in iter_parsed(io.BytesIO(data)) if isinstance(item, list) for e in item]
    assert errors == ["baris 2, kolom J: isi sel terlalu panjang (32.768 karakter; maksimal 32.767)"]


def test_decompressed_size_is_bounded_whatever_the_zip_declares():
    bomb = b"<sst>" + b" " * (3 << 20) + b"</sst>"  # 3 MB of blanks deflate to a few KB
    data = raw_xlsx(header_row(ANSWERS) + answers_row(2), extra={"xl/sharedStrings.xml": bomb})
    limits = XlsxLimits(rows=10, columns=20, cells=200, uncompressed_bytes=1 << 20)
    with pytest.raises(XlsxRefused) as exc:
        scan_xlsx(io.BytesIO(data), limits)
    assert "terlalu besar setelah diekstrak (maksimal 1 MB)" in exc.value.errors[0]


def test_a_zip_that_is_not_a_workbook_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "halo")
    with pytest.raises(ImportFileError) as exc:
        list(iter_parsed(io.BytesIO(buf.getvalue())))
    assert "workbook tidak ditemukan" in exc.value.errors[0]


# --- item: NUL, _x0000_, formulas, no, saran -------------------------------------


def test_nul_byte_past_the_first_8_kb_of_a_csv_is_an_error():
    body = "3,3,3,3,3,3,3,3,3,baik\n" * 1000  # ~23 KB before the NUL
    data = (HEADER + ",saran\n" + body + "3,3,3,3,3,3,3,3,3,a\x00b\n").encode()
    assert data.index(b"\x00") > 20_000
    errors = [str(e) for item in iter_parsed(io.BytesIO(data)) if isinstance(item, list) for e in item]
    assert errors == [
        "baris 1002, kolom saran: berisi karakter NUL (bita 0) yang tidak diizinkan; "
        "simpan ulang berkas dari aplikasinya"
    ]


def test_nul_byte_in_an_ignored_csv_column_is_an_error_too():
    body = "3,3,3,3,3,3,3,3,3,\n" * 1000
    data = (HEADER + ",catatan\n" + body + "3,3,3,3,3,3,3,3,3,\x00\n").encode()
    errors = [str(e) for item in iter_parsed(io.BytesIO(data)) if isinstance(item, list) for e in item]
    assert errors == [
        "baris 1002, kolom J: berisi karakter NUL (bita 0) yang tidak diizinkan; simpan ulang berkas dari aplikasinya"
    ]


def test_x0000_escape_in_an_xlsx_cell_is_an_error():
    data = raw_xlsx(
        header_row([*ANSWERS, "saran"])
        + '<row r="2">'
        + "".join(num(f"{c}2", 3) for c in "ABCDEFGHI")
        + istr("J2", "a_x0000_b")
        + "</row>"
    )
    errors = [str(e) for item in iter_parsed(io.BytesIO(data)) if isinstance(item, list) for e in item]
    assert errors == [
        "baris 2, kolom saran: berisi karakter NUL (_x0000_) yang tidak diizinkan; simpan ulang berkas dari aplikasinya"
    ]


def test_formula_without_cached_value_is_refused_not_read_as_blank():
    row = '<row r="2"><c r="A2"><f>B2+1</f></c>' + "".join(num(f"{c}2", 3) for c in "BCDEFGHI") + "</row>"
    with pytest.raises(ImportFileError) as exc:
        list(iter_parsed(io.BytesIO(raw_xlsx(header_row(ANSWERS) + row))))
    assert exc.value.errors == [
        "sel A2 berisi rumus tanpa nilai tersimpan (berkas dibuat program yang tidak menghitung rumus); "
        "buka dan simpan ulang di Excel atau LibreOffice, atau salin-tempel sebagai nilai"
    ]


@pytest.mark.parametrize("empty_value", ["<v/>", "<v></v>", "<v />"])
@pytest.mark.parametrize("cell", ["C2", "J2"])  # an answer (U3) and the saran
def test_formula_with_an_empty_stored_value_is_refused_not_read_as_blank(empty_value, cell):
    """Some programs write <f>...</f><v/>: the reader returns a blank, so an answer or a
    saran would be lost silently. Refused with its row and column, like <f> alone."""
    cells = {f"{c}2": num(f"{c}2", 3) for c in "ABCDEFGHI"}
    cells["J2"] = istr("J2", "baik")
    cells[cell] = f'<c r="{cell}" t="str"><f>IF(1,"x","")</f>{empty_value}</c>'
    data = raw_xlsx(header_row([*ANSWERS, "saran"]) + '<row r="2">' + "".join(cells.values()) + "</row>")
    with pytest.raises(ImportFileError) as exc:
        list(iter_parsed(io.BytesIO(data)))
    assert exc.value.errors == [
        f"sel {cell} berisi rumus tanpa nilai tersimpan (berkas dibuat program yang tidak menghitung rumus); "
        "buka dan simpan ulang di Excel atau LibreOffice, atau salin-tempel sebagai nilai"
    ]


def test_formula_with_cached_value_is_read():
    row = '<row r="2"><c r="A2"><f>B2+1</f><v>4</v></c>' + "".join(num(f"{c}2", 3) for c in "BCDEFGHI") + "</row>"
    (item,) = list(iter_parsed(io.BytesIO(raw_xlsx(header_row(ANSWERS) + row))))
    assert item.answers == (4, 3, 3, 3, 3, 3, 3, 3, 3)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999999999", "nomor '99999999999' di luar batas (0 sampai 2.147.483.647)"),
        ("2147483648", "nomor '2147483648' di luar batas (0 sampai 2.147.483.647)"),
    ],
)
def test_number_is_bounded_to_the_column(value, message):
    data = f"no,{HEADER}\n{value},3,3,3,3,3,3,3,3,3\n".encode()
    errors = [str(e) for item in iter_parsed(io.BytesIO(data)) if isinstance(item, list) for e in item]
    assert errors == [f"baris 2, kolom no: {message}"]


def test_negative_number_from_xlsx_is_refused():
    data = raw_xlsx(
        header_row(["no", *ANSWERS])
        + '<row r="2">'
        + num("A2", -5)
        + "".join(num(f"{c}2", 3) for c in "BCDEFGHIJ")
        + "</row>"
    )
    errors = [str(e) for item in iter_parsed(io.BytesIO(data)) if isinstance(item, list) for e in item]
    assert errors == ["baris 2, kolom no: nomor '-5' di luar batas (0 sampai 2.147.483.647)"]


def test_largest_number_is_accepted():
    (item,) = list(iter_parsed(io.BytesIO(f"no,{HEADER}\n2147483647,3,3,3,3,3,3,3,3,3\n".encode())))
    assert item.number == 2_147_483_647


def test_long_saran_is_shortened_with_a_warning():
    data = f"{HEADER},saran\n3,3,3,3,3,3,3,3,3,{'s' * 6000}\n".encode()
    (item,) = list(iter_parsed(io.BytesIO(data)))
    assert isinstance(item, ParsedRow)
    assert len(item.suggestion) == 5000
    assert item.notes == ("baris 2, kolom saran: saran 6.000 karakter dipotong menjadi 5.000 karakter",)


# --- the scan's fast path (counting) and exact walk agree ---------------------------

LIMITS = XlsxLimits(rows=1000, columns=60, cells=60_000, uncompressed_bytes=1 << 20)


def test_pretty_printed_cells_are_still_seen():
    sheet = header_row(ANSWERS) + '<row r="2">\n  <c r="XFD2">\n    <v>1</v>\n  </c>\n</row>'
    with pytest.raises(XlsxRefused) as exc:
        scan_xlsx(io.BytesIO(raw_xlsx(sheet)), LIMITS)
    assert "kolom XFD" in exc.value.errors[0]


def test_prefixed_tags_are_walked_exactly():
    sheet = '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="BZ1"><x:v>1</x:v></x:c></x:row>'
    with pytest.raises(XlsxRefused) as exc:
        scan_xlsx(io.BytesIO(raw_xlsx(sheet)), LIMITS)
    assert "kolom BZ (kolom ke-78)" in exc.value.errors[0]


def test_cells_and_rows_without_r_are_counted_by_position():
    cells = "".join("<c><v>1</v></c>" for _ in range(61))
    with pytest.raises(XlsxRefused) as exc:
        scan_xlsx(io.BytesIO(raw_xlsx(f"<row>{cells}</row>")), LIMITS)
    assert "kolom BI (kolom ke-61)" in exc.value.errors[0]
    rows = "<row><c><v>1</v></c></row>" * 1002
    with pytest.raises(XlsxRefused) as exc:
        scan_xlsx(io.BytesIO(raw_xlsx(rows)), LIMITS)
    assert "berisi nilai di baris 1.002; maksimal 1.000 baris data" in exc.value.errors[0]


def test_empty_styled_cells_and_rows_far_away_do_not_count():
    sheet = header_row(ANSWERS) + answers_row(2) + '<row r="1048576" s="1"><c r="XFD1048576" s="1"/></row>'
    extent = scan_xlsx(io.BytesIO(raw_xlsx(sheet)), LIMITS)
    assert (extent.rows, extent.columns) == (2, 9)


def test_shared_strings_are_bounded_by_the_cell_limit():
    strings = "<sst>" + "<si><t>a</t></si>" * 60_001 + "</sst>"
    data = raw_xlsx(header_row(ANSWERS) + answers_row(2), extra={"xl/sharedStrings.xml": strings.encode()})
    with pytest.raises(XlsxRefused) as exc:
        scan_xlsx(io.BytesIO(data), LIMITS)
    assert exc.value.errors == ["berkas XLSX memuat lebih dari 60.000 teks berbeda; bagi berkas atau simpan ulang"]
    ok = "<sst>" + "<si><t>a</t></si>" * 60_000 + "</sst>"
    data = raw_xlsx(header_row(ANSWERS) + answers_row(2), extra={"xl/sharedStrings.xml": ok.encode()})
    assert scan_xlsx(io.BytesIO(data), LIMITS).columns == 9
