"""Import refusals say what the file really is: a UTF-16 CSV, a decompression bomb."""

import io
import time
import zipfile

import pytest

from surveys.importing import ImportFileError, iter_parsed
from surveys.tests import xlsx_raw
from surveys.xlsx_scan import XlsxLimits, XlsxRefused, scan_xlsx

ANSWERS = [f"U{i}" for i in range(1, 10)]
CSV = "U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n4,3,3,4,4,3,3,4,3,pelayanan baik sekali\n"


def _refusal(data: bytes) -> list[str]:
    with pytest.raises(ImportFileError) as exc:
        list(iter_parsed(io.BytesIO(data)))
    return exc.value.errors


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16", "UTF-16"),  # with its BOM, as Excel's "Teks Unicode" and many exports write it
        ("utf-16-le", "UTF-16"),  # without a BOM
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
    ],
)
def test_a_utf16_csv_is_told_to_be_saved_as_utf8(encoding, name):
    errors = _refusal(CSV.encode(encoding))
    assert errors == [
        f"berkas CSV berenkode {name}, bukan UTF-8; simpan ulang sebagai 'CSV UTF-8' "
        "(di Excel: Simpan Sebagai > CSV UTF-8 (Dibatasi koma))"
    ]


def test_binary_data_is_still_binary():
    errors = _refusal(bytes(range(256)) * 10)
    assert "berisi data biner" in errors[0]


def _sheet_bomb(filler: bytes, megabytes: int) -> bytes:
    """An XLSX whose sheet opens row 2, then inflates into ``megabytes`` MB of filler."""
    head = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>" + xlsx_raw.header_row(ANSWERS) + '<row r="2">'
    ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", xlsx_raw.CT)
        z.writestr("_rels/.rels", xlsx_raw.RELS)
        z.writestr("xl/workbook.xml", xlsx_raw.WB)
        z.writestr("xl/_rels/workbook.xml.rels", xlsx_raw.WBRELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as w:
            w.write(head)
            block = filler * (1 << 20)
            for _ in range(megabytes):
                w.write(block)
            w.write(b"</row></sheetData></worksheet>")
    return buf.getvalue()


BOMB_MESSAGE = (
    "berkas XLSX ditolak: isinya membengkak lebih dari 200 kali lipat saat diekstrak (bom dekompresi), "
    "tidak seperti lembar kerja biasa; periksa asal berkas"
)


@pytest.mark.parametrize("filler", [b" ", b"\x00", b"<c/>"])
def test_a_decompression_bomb_is_called_so_not_a_long_row(filler):
    data = _sheet_bomb(filler, 64)  # 64 MB of filler deflate to well under 1 MB
    assert len(data) < 1 << 20
    started = time.perf_counter()
    errors = _refusal(data)
    assert errors == [BOMB_MESSAGE]
    assert time.perf_counter() - started < 5  # refused after a few MB, not after the whole sheet


def test_a_bomb_in_another_part_is_called_so_too():
    data = xlsx_raw.raw_xlsx(xlsx_raw.header_row(ANSWERS), extra={"xl/sharedStrings.xml": b"<sst>" + b" " * (32 << 20)})
    with pytest.raises(XlsxRefused) as exc:
        scan_xlsx(io.BytesIO(data), XlsxLimits(rows=10, columns=20, cells=200, uncompressed_bytes=512 << 20))
    assert exc.value.errors == [BOMB_MESSAGE]


def test_a_large_ordinary_sheet_is_not_taken_for_a_bomb():
    """A real sheet deflates about 15-20 times (every cell carries its own reference)."""
    rows = "".join(
        f'<row r="{n}">' + "".join(xlsx_raw.num(f"{c}{n}", 3) for c in "ABCDEFGHI") + "</row>" for n in range(2, 60_002)
    )
    data = xlsx_raw.raw_xlsx(xlsx_raw.header_row(ANSWERS) + rows)
    extent = scan_xlsx(
        io.BytesIO(data), XlsxLimits(rows=100_000, columns=60, cells=6_000_000, uncompressed_bytes=1 << 30)
    )
    assert (extent.rows, extent.columns) == (60_001, 9)
