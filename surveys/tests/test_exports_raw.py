"""Raw data and saran exports: every field, labels, local times, formula neutralisation."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from surveys.exports_raw import export_csv_chunks, export_frames, export_xlsx_write, raw_spec, saran_spec
from surveys.models import Response
from surveys.services import response_delete
from surveys.tests.factories import ResponseFactory, ServiceFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Nomor",
    "Kanal",
    "Jenis layanan",
    "Jenis kelamin",
    "Usia",
    "Pendidikan",
    "Pekerjaan",
    "Disabilitas",
    "U1",
    "U2",
    "U3",
    "U4",
    "U5",
    "U6",
    "U7",
    "U8",
    "U9",
    "Saran",
    "Tanggal layanan",
    "Waktu pengisian",
]


@pytest.fixture
def exported(unit, period, alice):
    service = ServiceFactory(unit=unit, name="@SUM(A1)")
    # 03:30 UTC is 10:30 in Asia/Jakarta.
    first = ResponseFactory(
        unit=unit,
        period=period,
        channel=Response.Channel.PAPER,
        number=12,
        service=service,
        gender="P",
        age=34,
        education="STRATA",
        occupation="SWASTA",
        disability="SENSORIK",
        U1=4,
        U2=None,
        U3=1,
        suggestion='=HYPERLINK("http://x","klik")',
        service_date=dt.date(2024, 8, 17),
        submitted_at=dt.datetime(2024, 8, 17, 3, 30, tzinfo=dt.UTC),
    )
    second = ResponseFactory(
        unit=unit,
        period=period,
        channel=Response.Channel.WEB,
        suggestion="-2+3",
        submitted_at=dt.datetime(2024, 8, 18, 1, 0, tzinfo=dt.UTC),
    )
    gone = ResponseFactory(unit=unit, period=period, suggestion="dihapus", submitted_at=timezone.now())
    response_delete(response=gone, user=alice, reason="uji")
    return first, second


def test_raw_csv_has_every_field_as_labels(unit, period, exported):
    text = "".join(export_csv_chunks(unit=unit, period=period, spec=raw_spec()))
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0] == HEADER
    assert table[1] == [
        "12",
        "Kertas",
        "'@SUM(A1)",
        "Perempuan",
        "34",
        "Strata (S1-S3)",
        "Karyawan",
        "Sensorik",
        "4",
        "",
        "1",
        "3",
        "3",
        "3",
        "3",
        "3",
        "3",
        '\'=HYPERLINK("http://x","klik")',
        "2024-08-17",
        "2024-08-17 10:30:00",
    ]
    assert table[2][:8] == ["", "Web", "", "", "", "", "", ""]
    assert table[2][17:] == ["'-2+3", "", "2024-08-18 08:00:00"]
    assert len(table) == 3  # the soft-deleted row is not exported


def test_raw_xlsx_matches_the_csv(unit, period, exported, tmp_path):
    target = tmp_path / "raw.xlsx"
    assert export_xlsx_write(unit=unit, period=period, spec=raw_spec(), target=target) == 2
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    first = rows[1]
    assert first[:8] == (12, "Kertas", "'@SUM(A1)", "Perempuan", 34, "Strata (S1-S3)", "Karyawan", "Sensorik")
    assert first[8:17] == (4, None, 1, 3, 3, 3, 3, 3, 3)
    assert first[17] == '\'=HYPERLINK("http://x","klik")'
    assert first[18] == dt.datetime(2024, 8, 17)  # openpyxl reads dates back as datetimes
    assert first[19] == dt.datetime(2024, 8, 17, 10, 30)
    assert rows[2][17] == "'-2+3" and rows[2][18] is None
    assert len(rows) == 3


def test_saran_export_only_rows_with_saran_and_search(unit, period, exported):
    ResponseFactory(unit=unit, period=period, suggestion="")
    text = "".join(export_csv_chunks(unit=unit, period=period, spec=saran_spec(), search="hyperlink"))
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[-1] for row in table[1:]] == ['\'=HYPERLINK("http://x","klik")']
    everything = "".join(export_csv_chunks(unit=unit, period=period, spec=saran_spec()))
    assert len(list(csv.reader(io.StringIO(everything.lstrip("\ufeff"))))) == 3  # header + 2 saran


def test_frames_come_in_chunks(unit, period):
    for n in range(5):
        ResponseFactory(unit=unit, period=period, number=n + 1)
    sizes = [len(df) for df in export_frames(unit=unit, period=period, spec=raw_spec(), chunk_size=2)]
    assert sizes == [2, 2, 1]


def test_empty_round_has_only_the_header(unit, period, tmp_path):
    text = "".join(export_csv_chunks(unit=unit, period=period, spec=raw_spec()))
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [HEADER]
    assert export_xlsx_write(unit=unit, period=period, spec=raw_spec(), target=tmp_path / "e.xlsx") == 0
