"""Period code grammar (hand-written dates)."""

import datetime as dt

import pytest

from skm.rules.periods import PeriodTiming, parse_period_code, period_display_order, period_timing


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


def _spec_dates(code):
    spec = parse_period_code(code)
    return {"start": spec.start, "end": spec.end}


@pytest.mark.parametrize(
    ("today", "timing"),
    [
        (dt.date(2024, 6, 30), PeriodTiming.UPCOMING),
        (dt.date(2024, 7, 1), PeriodTiming.CURRENT),
        (dt.date(2024, 12, 31), PeriodTiming.CURRENT),
        (dt.date(2025, 1, 1), PeriodTiming.PAST),
    ],
)
def test_period_timing(today, timing):
    assert period_timing(today=today, **_spec_dates("2024-S2")) is timing


def test_display_order_is_current_then_past_newest_first_then_future():
    today = dt.date(2026, 5, 10)
    codes = ["2027", "2025-S2", "2026", "2026-S2", "2026-S1", "2024", "2026-TW2", "2025-S1"]
    ordered = sorted(codes, key=lambda c: period_display_order(today=today, **_spec_dates(c)))
    assert ordered == ["2026-TW2", "2026-S1", "2026", "2025-S2", "2025-S1", "2024", "2026-S2", "2027"]
