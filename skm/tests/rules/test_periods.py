"""Period code grammar (hand-written dates)."""

import datetime as dt

import pytest

from skm.rules.periods import parse_period_code


@pytest.mark.parametrize(
    ("code", "kind", "start", "end", "label"),
    [
        ("2024", "tahunan", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "Tahun 2024"),
        ("2024-S1", "semester", dt.date(2024, 1, 1), dt.date(2024, 6, 30), "Semester I Tahun 2024"),
        ("2024-S2", "semester", dt.date(2024, 7, 1), dt.date(2024, 12, 31), "Semester II Tahun 2024"),
        ("2024-TW1", "triwulan", dt.date(2024, 1, 1), dt.date(2024, 3, 31), "Triwulan I Tahun 2024"),
        ("2024-TW4", "triwulan", dt.date(2024, 10, 1), dt.date(2024, 12, 31), "Triwulan IV Tahun 2024"),
    ],
)
def test_codes(code, kind, start, end, label):
    spec = parse_period_code(code)
    assert (spec.code, spec.kind, spec.start, spec.end, spec.label) == (code, kind, start, end, label)


@pytest.mark.parametrize("code", ["2024-S3", "2024-TW5", "24", "2024S1", "", "2024-s1x"])
def test_bad_codes(code):
    with pytest.raises(ValueError):
        parse_period_code(code)
