"""Parsing of import files, without the database."""

import datetime as dt
import io
import json
import pickle

import pytest
from django.utils import translation
from openpyxl import Workbook

from surveys.importing import ImportFileError, ParsedRow, RowError, iter_parsed
from surveys.translatable import render, to_data

HEADER = "no,layanan,jenis_kelamin,usia,pendidikan,pekerjaan,U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n"


def parse(data: bytes, **kwargs):
    return list(iter_parsed(io.BytesIO(data), **kwargs))


def rows_of(data: bytes, **kwargs) -> list[ParsedRow]:
    items = parse(data, **kwargs)
    assert all(isinstance(i, ParsedRow) for i in items), items
    return items


def errors_of(data: bytes, **kwargs) -> list[str]:
    return [str(e) for item in parse(data, **kwargs) if isinstance(item, list) for e in item]


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_reference_csv_parses_fifty_rows(reference_csv):
    rows = rows_of(reference_csv.read_bytes())
    assert len(rows) == 50
    assert rows[0].number == 1 and rows[0].gender == "P" and rows[0].age == 57
    assert rows[0].education == "STRATA" and rows[0].occupation == "LAINNYA"
    assert rows[0].answers == (4, 3, 3, 4, 4, 3, 3, 4, 3)


def test_letters_blanks_semicolon_bom_and_case_insensitive_header():
    data = "\ufeffu1;U2;u3;U4;U5;U6;U7;U8;U9\nA;b;C;d;;1;2;3;4\n".encode()
    (row,) = rows_of(data)
    assert row.answers == (1, 2, 3, 4, None, 1, 2, 3, 4)
    assert row.line == 2


def test_bad_answer_names_row_and_column():
    lines = [HEADER] + [f"{i},,P,30,SMA,BURUH,3,3,3,3,3,3,3,3,3,\n" for i in range(1, 8)]
    lines[7] = "7,,P,30,SMA,BURUH,3,3,5,3,3,3,3,3,3,\n"
    assert errors_of("".join(lines).encode()) == ["baris 8, kolom U3: nilai '5' tidak valid (1-4 atau a-d)"]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("X,30", "baris 2, kolom jenis_kelamin: nilai 'X' tidak valid (L atau P)"),
        ("L,tiga puluh", "baris 2, kolom usia: usia 'tiga puluh' tidak valid (bilangan bulat 10-120)"),
        ("L,5", "baris 2, kolom usia: usia '5' tidak valid (bilangan bulat 10-120)"),
        ("L,30.5", "baris 2, kolom usia: usia '30.5' tidak valid (bilangan bulat 10-120)"),
    ],
)
def test_bad_gender_and_age(cells, expected):
    data = f"jenis_kelamin,usia,U1,U2,U3,U4,U5,U6,U7,U8,U9\n{cells},1,1,1,1,1,1,1,1,1\n".encode()
    assert errors_of(data) == [expected]


def test_bad_date_and_date_outside_period():
    data = b"tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n31/02/2024,1,1,1,1,1,1,1,1,1\n15/03/2024,1,1,1,1,1,1,1,1,1\n"
    errs = errors_of(data, period_start=dt.date(2024, 7, 1), period_end=dt.date(2024, 12, 31))
    assert errs[0] == "baris 2, kolom tanggal: tanggal '31/02/2024' tidak valid (gunakan YYYY-MM-DD atau DD/MM/YYYY)"
    assert errs[1].startswith("baris 3, kolom tanggal: tanggal 15/03/2024 di luar periode")


def test_good_dates():
    data = b"tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n2024-08-01,1,1,1,1,1,1,1,1,1\n02/09/2024,1,1,1,1,1,1,1,1,1\n"
    rows = rows_of(data)
    assert [r.service_date for r in rows] == [dt.date(2024, 8, 1), dt.date(2024, 9, 2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-08-01", dt.date(2024, 8, 1)),
        ("2024-8-1", dt.date(2024, 8, 1)),  # unpadded: the slower formats still read it
        ("01-08-2024", dt.date(2024, 8, 1)),
        ("01.08.2024", dt.date(2024, 8, 1)),
    ],
)
def test_date_formats(text, expected):
    (row,) = rows_of(f"tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n{text},1,1,1,1,1,1,1,1,1\n".encode())
    assert row.service_date == expected


@pytest.mark.parametrize("text", ["2024-02-30", "2024-13-01", "2024-W01-1", "2024-08-+1", "2024-00-10"])
def test_iso_like_dates_that_are_not_dates(text):
    data = f"tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n{text},1,1,1,1,1,1,1,1,1\n".encode()
    assert errors_of(data) == [
        f"baris 2, kolom tanggal: tanggal '{text}' tidak valid (gunakan YYYY-MM-DD atau DD/MM/YYYY)"
    ]


def test_answer_texts_numbers_decimals_letters_and_spaces():
    data = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n2.0,D, 3 ,a,4.0,B,c,1,\n"
    (row,) = rows_of(data)
    assert row.answers == (2, 4, 3, 1, 4, 2, 3, 1, None)
    assert errors_of(b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n0,e,2.5,1,1,1,1,1,1\n") == [
        "baris 2, kolom U1: nilai '0' tidak valid (1-4 atau a-d)",
        "baris 2, kolom U2: nilai 'e' tidak valid (1-4 atau a-d)",
        "baris 2, kolom U3: nilai '2.5' tidak valid (1-4 atau a-d)",
    ]


def test_missing_answer_column():
    with pytest.raises(ImportFileError) as exc:
        parse(b"U1,U2,U4,U5,U6,U7,U8,U9\n1,1,1,1,1,1,1,1\n")
    assert exc.value.errors == ["baris 1: kolom U3 tidak ada (kolom U1 sampai U9 wajib)"]


def test_empty_file_and_whitespace_file():
    for data in (b"", b"\n\n  \n", b"\xef\xbb\xbf"):
        with pytest.raises(ImportFileError) as exc:
            parse(data)
        assert "berkas kosong" in exc.value.errors[0]


def test_header_only_file():
    with pytest.raises(ImportFileError) as exc:
        parse(b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n")
    assert "tidak ada baris data" in exc.value.errors[0]


def test_headerless_file():
    with pytest.raises(ImportFileError) as exc:
        parse(b"1,,P,57,S1,LAINNYA,4,3,3,4,4,3,3,4,3,\n2,,P,23,SMA,SWASTA,4,4,3,4,3,3,3,4,3,\n")
    assert "baris 1 tidak berisi judul kolom" in exc.value.errors[0]


def test_binary_file():
    with pytest.raises(ImportFileError) as exc:
        parse(bytes(range(256)) * 10)
    assert "biner" in exc.value.errors[0]


def test_latin1_file_is_not_utf8():
    with pytest.raises(ImportFileError) as exc:
        parse("U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n1,1,1,1,1,1,1,1,1,pelayanan sangat bagus à\n".encode("latin-1"))
    assert "UTF-8" in exc.value.errors[0]


def test_old_xls_and_corrupt_xlsx():
    with pytest.raises(ImportFileError) as exc:
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert ".xls" in exc.value.errors[0]
    with pytest.raises(ImportFileError) as exc:
        parse(b"PK\x03\x04 not really a zip")
    assert "XLSX rusak" in exc.value.errors[0]


def test_xlsx_numbers_letters_and_dates():
    data = xlsx_bytes(
        [
            ["No", "Jenis_Kelamin", "Usia", "Tanggal", *[f"U{i}" for i in range(1, 10)]],
            [1, "l", 45, dt.datetime(2024, 8, 3), 1, 2.0, "c", "D", None, 4, 4, 4, 4],
            [None, None, None, None, None, None, None, None, None, None, None, None, None],
        ]
    )
    (row,) = rows_of(data)
    assert row.gender == "L" and row.age == 45 and row.service_date == dt.date(2024, 8, 3)
    assert row.answers == (1, 2, 3, 4, None, 4, 4, 4, 4)


def test_reference_xlsx_matches_csv(reference_csv, reference_xlsx):
    assert [r.answers for r in rows_of(reference_xlsx.read_bytes())] == [
        r.answers for r in rows_of(reference_csv.read_bytes())
    ]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("S1", "STRATA"),
        ("s2", "STRATA"),
        ("S3", "STRATA"),
        ("D3", "DIPLOMA"),
        ("D4", "DIPLOMA"),
        ("Diploma", "DIPLOMA"),
        ("SMK", "SMA"),
        ("SLTP", "SMP"),
        ("SD", "SD"),
        ("tidak sekolah", "LAINNYA"),
        ("Pesantren", "LAINNYA"),
        ("", ""),
    ],
)
def test_education_mapping(raw, code):
    data = f"pendidikan,U1,U2,U3,U4,U5,U6,U7,U8,U9\n{raw},1,1,1,1,1,1,1,1,1\n".encode()
    assert rows_of(data)[0].education == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Mahasiswa", "PELAJAR"),
        ("karyawan", "SWASTA"),
        ("TNI", "PNS"),
        ("Polri", "PNS"),
        ("Wiraswasta", "WIRAUSAHA"),
        ("buruh", "BURUH"),
        ("Ibu Rumah Tangga", "LAINNYA"),
    ],
)
def test_occupation_mapping(raw, code):
    data = f"pekerjaan,U1,U2,U3,U4,U5,U6,U7,U8,U9\n{raw},1,1,1,1,1,1,1,1,1\n".encode()
    assert rows_of(data)[0].occupation == code


def test_row_without_any_answer_is_an_error():
    data = b"no,U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,,,,,,,,,\n"
    assert errors_of(data) == ["baris 2: tidak ada satu pun jawaban U1-U9"]


def test_row_error_str():
    assert str(RowError(8, "U3", "x")) == "baris 8, kolom U3: x"
    assert str(RowError(8, None, "x")) == "baris 8: x"


BAD_U3 = HEADER + "1,,P,30,SMA,BURUH,3,3,3,3,3,3,3,3,3,\n2,,P,30,SMA,BURUH,3,3,5,3,3,3,3,3,3,\n"


def test_parse_error_comes_out_in_english_when_english_is_active():
    with translation.override("en"):
        assert errors_of(BAD_U3.encode()) == ["row 3, column U3: value '5' is not valid (1-4 or a-d)"]
        with pytest.raises(ImportFileError) as exc:
            parse(b"U1,U2,U3,U4,U5,U6,U7,U8\n1,1,1,1,1,1,1,1\n")
    assert exc.value.errors == ["row 1: column U9 is missing (columns U1 to U9 are required)"]


def test_parse_error_stays_indonesian_in_the_default_language():
    assert errors_of(BAD_U3.encode()) == ["baris 3, kolom U3: nilai '5' tidak valid (1-4 atau a-d)"]
    with translation.override("id"):
        assert errors_of(BAD_U3.encode()) == ["baris 3, kolom U3: nilai '5' tidak valid (1-4 atau a-d)"]


def test_stored_message_is_shown_again_in_the_readers_language():
    (error,) = errors_of(BAD_U3.encode())  # produced in Indonesian, as by the worker
    data = json.loads(json.dumps(to_data(error)))  # as kept in ImportJob.error_data
    with translation.override("en"):
        assert render(data, fallback=error) == "row 3, column U3: value '5' is not valid (1-4 or a-d)"
    assert render(data, fallback=error) == "baris 3, kolom U3: nilai '5' tidak valid (1-4 atau a-d)"
    assert render({"msgid": "baris %(line)s: %(message)s", "params": {}}, fallback=error) == error


def test_stored_message_survives_pickling():
    (error,) = errors_of(BAD_U3.encode())
    copy = pickle.loads(pickle.dumps(error))
    assert copy == "baris 3, kolom U3: nilai '5' tidak valid (1-4 atau a-d)"
    assert to_data(copy) == to_data(error)
