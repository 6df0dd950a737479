"""skm.rules.privacy: small-group merging, retention dates, age floors (hand-worked values)."""

import datetime as dt

import pytest

from skm.rules.privacy import (
    Group,
    merge_small_groups,
    min_age,
    months_before,
    needs_guardian_consent,
    retention_cutoff,
)

OTHER = "Lainnya (digabung)"


def test_nothing_small_nothing_merged():
    groups = [("Laki-laki", 18), ("Perempuan", 32)]
    assert merge_small_groups(groups, other_label=OTHER) == [Group("Laki-laki", 18), Group("Perempuan", 32)]


def test_small_groups_merge_into_one_row_at_the_end_zero_rows_stay():
    # 3 + 2 = 5: the merged row is not small itself, nothing else joins it.
    groups = [("SD", 3), ("SMP", 0), ("SMA", 20), ("Diploma", 2), ("Strata", 25)]
    assert merge_small_groups(groups, other_label=OTHER) == [
        Group("SMP", 0),
        Group("SMA", 20),
        Group("Strata", 25),
        Group(OTHER, 5, ("SD", "Diploma")),
    ]


def test_a_merged_row_still_small_takes_the_smallest_other_group():
    # Fisik 2 alone would be recoverable as total - others; the smallest group (Mental 6) joins it.
    groups = [("Tidak ada", 40), ("Fisik", 2), ("Mental", 6), ("Sensorik", 0), ("Tidak diisi", 9)]
    assert merge_small_groups(groups, other_label=OTHER) == [
        Group("Tidak ada", 40),
        Group("Sensorik", 0),
        Group("Tidak diisi", 9),
        Group(OTHER, 8, ("Fisik", "Mental")),
    ]


def test_two_groups_one_small_merge_into_a_single_row():
    groups = [("Laki-laki", 1), ("Perempuan", 49)]
    assert merge_small_groups(groups, other_label=OTHER) == [Group(OTHER, 50, ("Laki-laki", "Perempuan"))]


def test_threshold_is_respected_at_the_boundary():
    # b (4) is small; the smallest other group, a (5), joins it: 4 + 5 = 9.
    assert merge_small_groups([("a", 5), ("b", 4), ("c", 7)], other_label=OTHER) == [
        Group("c", 7),
        Group(OTHER, 9, ("a", "b")),
    ]
    assert merge_small_groups([("a", 5), ("b", 5)], other_label=OTHER) == [Group("a", 5), Group("b", 5)]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2027, 1, 1), 24, dt.date(2025, 1, 1)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),  # clamped to February's last day
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),  # leap year
        (dt.date(2026, 1, 15), 13, dt.date(2024, 12, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_retention_cutoff_after_the_period_end():
    # 2024-S2 ends 31 December 2024; kept 24 months it is past retention from 1 January 2027 on.
    end = dt.date(2024, 12, 31)
    assert not end < retention_cutoff(today=dt.date(2026, 12, 31), months=24)
    assert end < retention_cutoff(today=dt.date(2027, 1, 1), months=24)


def test_age_rules():
    assert min_age(allow_minors=False) == 17
    assert min_age(allow_minors=True) == 10
    assert needs_guardian_consent(16) and not needs_guardian_consent(17) and not needs_guardian_consent(None)
