"""Pure follow-up arithmetic; expected values by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from skm.rules import progress


@pytest.mark.parametrize(
    ("realised", "total", "percent", "band"),
    [
        (0, 3, Decimal("0.00"), "< 30%"),
        (1, 3, Decimal("33.33"), "30 - 80%"),  # 33.333... half-up
        (2, 3, Decimal("66.67"), "30 - 80%"),  # 66.666... rounds up
        (4, 5, Decimal("80.00"), "30 - 80%"),  # seed 004: exactly 80 % stays in 30-80
        (5, 6, Decimal("83.33"), "> 80%"),
        (3, 3, Decimal("100.00"), "100%"),
        (0, 0, Decimal("0.00"), "< 30%"),
    ],
)
def test_percent_and_band(realised, total, percent, band):
    value = progress.percent_realised(realised, total)
    assert value == percent
    assert str(value) == str(percent)  # two decimals kept
    assert progress.band_for_percent(value).label == band


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("29.99", "< 30%"),
        ("30.00", "30 - 80%"),
        ("80.00", "30 - 80%"),
        ("80.01", "> 80%"),
        ("99.99", "> 80%"),
        ("100.00", "100%"),
    ],
)
def test_band_edges(value, band):
    assert progress.band_for_percent(Decimal(value)).label == band


def test_half_up_not_bankers():
    # 1/8 = 12.5 % -> 12.50; 1/800 = 0.125 % -> 0.13 (banker's would give 0.12)
    assert progress.percent_realised(1, 800) == Decimal("0.13")


def test_percent_rejects_nonsense():
    with pytest.raises(ValueError):
        progress.percent_realised(4, 3)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2025, 1, 15), dt.date(2025, 1, 15), 0),
        (dt.date(2025, 1, 15), dt.date(2025, 1, 20), 1),
        (dt.date(2025, 1, 15), dt.date(2025, 2, 15), 1),
        (dt.date(2025, 1, 15), dt.date(2025, 2, 16), 2),
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28), 1),  # clamped to the short month
        (dt.date(2024, 11, 4), dt.date(2025, 8, 12), 10),
        (dt.date(2025, 3, 1), dt.date(2025, 2, 1), 0),
    ],
)
def test_months_between(start, end, months):
    assert progress.months_between(start, end) == months


@pytest.mark.parametrize(
    ("months", "bucket"),
    [(0, 1), (1, 1), (2, 3), (3, 3), (4, 6), (6, 6), (7, 9), (9, 9), (10, 12), (12, 12), (13, None), (None, None)],
)
def test_speed_bucket(months, bucket):
    assert progress.speed_bucket(months) == bucket


def test_speed_label():
    assert progress.speed_label(5) == "dalam 6 bulan"
    assert progress.speed_label(14) == "lebih dari 12 bulan"


def test_schedule_helpers():
    ticks = [[2025, 2], (2024, 4), [2025, 2], ["2025", "1"]]
    assert progress.normalise_schedule(ticks) == [[2024, 4], [2025, 1], [2025, 2]]
    assert progress.schedule_due_date(ticks) == dt.date(2025, 6, 30)
    assert progress.schedule_rows(ticks) == [(2024, (False, False, False, True)), (2025, (True, True, False, False))]
    assert progress.schedule_due_date([]) is None
    assert progress.quarter_end(2024, 1) == dt.date(2024, 3, 31)
    for bad in ([[2025, 5]], [[2025]], [["x", 1]], [[1999, 1]]):
        with pytest.raises(ValueError):
            progress.normalise_schedule(bad)


def test_months_to_realisation_never_reads_a_missing_date():
    report = dt.date(2025, 1, 15)
    assert progress.months_to_realisation(report, dt.date(2025, 4, 20)) == 4
    assert progress.months_to_realisation(None, dt.date(2025, 4, 20)) is None
    assert progress.months_to_realisation(report, None) is None
    # One realised item without its date: it may be the last one, so no figure.
    assert progress.months_to_realisation(report, dt.date(2025, 4, 20), undated=1) is None
    with pytest.raises(ValueError):
        progress.months_to_realisation(report, None, undated=-1)


def test_speed_status_says_what_it_cannot_compute():
    report, last = dt.date(2025, 1, 15), dt.date(2025, 4, 20)

    def status(**kw):
        args = {"realised": 3, "total": 3, "report_date": report, "last_realised_on": last, "undated": 0}
        return progress.speed_status(**{**args, **kw})

    assert status() == "dalam 6 bulan"
    assert status(realised=2) == "belum seluruh RTL terealisasi"
    assert status(realised=0, total=0) == "belum seluruh RTL terealisasi"
    assert status(report_date=None) == "tidak dapat dihitung: tanggal laporan SKM belum diisi"
    assert status(undated=1) == "tidak dapat dihitung: ada RTL terealisasi tanpa tanggal realisasi"
    assert status(undated=3, last_realised_on=None) == progress.SPEED_UNDATED
