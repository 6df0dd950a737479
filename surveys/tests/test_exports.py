"""The worksheet read back with openpyxl and compared with the reference file."""

import io

import pytest
from openpyxl import load_workbook

from skm.rules.ikm import WeightMode
from surveys.exports import worksheet_write
from surveys.tests.factories import ResponseFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def rows_of(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def find_row(rows, label):
    return next(r for r in rows if r and r[0] == label)


@pytest.mark.parametrize("mode", ["exact", "0.111", "0.11"])
def test_reference_worksheet_matches_expected(
    unit, period, reference_responses, reference_expected, reference_rows, mode
):
    buf = io.BytesIO()
    calls = []
    worksheet_write(
        unit=unit, period=period, weight_mode=WeightMode(mode), path_or_file=buf, progress=lambda p, m: calls.append(p)
    )
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    assert wb.sheetnames == ["Data responden", "Rekap profil", "Ringkasan"]  # no jenis layanan -> no extra sheet
    rows = rows_of(wb["Data responden"])
    header = rows[5]
    assert header[:11] == ["No", "Jenis layanan", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
    data = [r for r in rows[6:] if isinstance(r[0], int)]
    assert len(data) == 50
    # Row by row the answers are the reference file's.
    for got, want in zip(data, reference_rows, strict=True):
        assert got[2:11] == [int(want[f"U{i}"]) if want[f"U{i}"] else None for i in range(1, 10)]
    total = find_row(rows, "∑Nilai")
    assert total[2:11] == [u["total"] for u in reference_expected["unsur"]]
    # Profile counts of the stored fixture (gender L/P only): L and P columns follow U9.
    assert total[11:13] == [
        sum(r["jenis_kelamin"] == "L" for r in reference_rows),
        sum(r["jenis_kelamin"] == "P" for r in reference_rows),
    ]
    nrr = find_row(rows, "NRR")
    assert [round(v, 4) for v in nrr[2:11]] == [u["nrr"] for u in reference_expected["unsur"]]
    ikm = find_row(rows, "IKM Unit Layanan")
    assert ikm[2] == reference_expected["weights"][mode]["ikm"]
    assert find_row(rows, "Mutu Layanan")[2] == reference_expected["weights"][mode]["grade"]
    assert find_row(rows, "Kinerja Unit Layanan")[2] == reference_expected["weights"][mode]["label"].upper()
    summary = rows_of(wb["Ringkasan"])
    assert [r[0] for r in summary[1:10]] == [u["code"] for u in reference_expected["unsur"]]
    assert [r[6] for r in summary[1:10]] == [u["converted"] for u in reference_expected["unsur"]]
    assert calls[0] == 0 and calls[-1] == 100 and calls == sorted(calls)


def test_weighted_row_uses_the_mode(unit, period, reference_responses):
    buf = io.BytesIO()
    worksheet_write(unit=unit, period=period, weight_mode=WeightMode.W0111, path_or_file=buf)
    rows = rows_of(load_workbook(buf)["Data responden"])
    weighted = next(r for r in rows if r[0] and str(r[0]).startswith("NRR tertimbang"))
    # Seed 004's appendix: U1 3,34 x 0,111 = 0,37074 -> 0,3707; U9 3,12 x 0,111 = 0,34632 -> 0,3463
    assert weighted[2] == pytest.approx(0.3707) and weighted[10] == pytest.approx(0.3463)
    # The label prints the weight with a decimal comma, like the reports.
    assert weighted[0] == "NRR tertimbang (× 0,111)"


def test_sheet_per_service_and_profile_recap(unit, period, tmp_path):
    a = ServiceFactory(unit=unit, name="Surat Pengantar KTP")
    b = ServiceFactory(unit=unit, name="Legalisir: Akta/KK")
    ResponseFactory(unit=unit, period=period, service=a, gender="L", age=19, education="SMA", occupation="BURUH", U1=4)
    ResponseFactory(unit=unit, period=period, service=b, gender="P", age=61, education="STRATA", occupation="PNS", U1=2)
    ResponseFactory(unit=unit, period=period, service=b, gender="P", age=None, U1=None)
    path = tmp_path / "lk.xlsx"
    worksheet_write(unit=unit, period=period, weight_mode=WeightMode.EXACT, path_or_file=str(path))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Data responden", "Rekap profil", "Ringkasan", "Legalisir  Akta KK", "Surat Pengantar KTP"]
    svc = rows_of(wb["Legalisir  Akta KK"])
    data = [r for r in svc[6:] if isinstance(r[0], int)]
    assert len(data) == 2 and {r[1] for r in data} == {"Legalisir: Akta/KK"}
    # U1 for this service: 2 and blank -> total 2, answered 1, NRR 2.
    assert find_row(svc, "∑Nilai")[2] == 2
    assert find_row(svc, "NRR")[2] == 2
    recap = rows_of(wb["Rekap profil"])
    # The first occurrence of a label (the disability table at the end has its own "Tidak diisi").
    labels = {}
    for r in recap:
        if r[1] is not None and r[2] is not None:
            labels.setdefault(r[1], (r[2], r[3]))
    # 3 respondents: 1 L (33,33 %), 2 P (66,67 %); ages 19 -> "≤ 20", 61 -> "> 60", one unknown.
    assert labels["Laki-laki"] == (1, 33.33)
    assert labels["Perempuan"] == (2, 66.67)
    assert labels["≤ 20"] == (1, 33.33) and labels["> 60"] == (1, 33.33) and labels["Tidak diisi"][0] == 1


def test_summary_sheet_interval_table_in_indonesian_notation(unit, period, reference_responses):
    buf = io.BytesIO()
    worksheet_write(unit=unit, period=period, weight_mode=WeightMode.EXACT, path_or_file=buf)
    rows = rows_of(load_workbook(buf)["Ringkasan"])
    assert list(rows[-4][:4]) == ["3,5324 – 4,00", "88,31 – 100,00", "A", "SANGAT BAIK"]
    assert list(rows[-1][:4]) == ["1,00 – 2,5996", "25,00 – 64,99", "D", "TIDAK BAIK"]


# --- formula injection --------------------------------------------------------

PAYLOADS = [
    '=HYPERLINK("http://x","klik")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def all_cells(wb):
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def test_names_that_look_like_formulas_stay_text(unit, period, tmp_path):
    # Before: the service name cell was a live formula (data_type "f") and Excel ran it.
    unit.name = PAYLOADS[0]
    unit.save()
    for payload in PAYLOADS:
        ResponseFactory(unit=unit, period=period, service=ServiceFactory(unit=unit, name=payload))
    path = tmp_path / "lk.xlsx"
    worksheet_write(unit=unit, period=period, weight_mode="exact", path_or_file=str(path))
    wb = load_workbook(path)
    cells = all_cells(wb)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for payload in PAYLOADS:
        assert "'" + payload in texts  # shown as text, apostrophe-prefixed by skm.rules.cells.neutralise_cell
        assert payload not in texts
    assert f"'{PAYLOADS[0]} — {period.label}" in texts  # the unit heading line
    # Ordinary names and numbers are unchanged.
    data = rows_of(wb["Data responden"])
    assert [r[0] for r in data if isinstance(r[0], int)] == list(range(1, len(PAYLOADS) + 1))
