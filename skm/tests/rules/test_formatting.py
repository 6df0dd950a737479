"""Printed figures: one exact value, rounded once, Indonesian notation (hand numbers)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from skm.rules.formatting import band_table, format_number, format_weight
from skm.rules.ikm import WeightMode


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(354, 101), 2, "3,50"),  # 3.504950... rounded once (not via 3.5050 -> 3,51)
        (Fraction(7, 2), 2, "3,50"),
        (Fraction(1, 8), 2, "0,13"),  # 0.125 half-up
        (Decimal("86.025"), 2, "86,03"),
        (Decimal("86.0249"), 2, "86,02"),
        (1234, 0, "1.234"),
        (1234567, 2, "1.234.567,00"),
        (Decimal("-1.005"), 2, "-1,01"),
        (Decimal("3.5324"), 4, "3,5324"),
        (None, 2, "–"),
    ],
)
def test_format_number(value, places, text):
    assert format_number(value, places) == text


@pytest.mark.parametrize(
    ("mode", "text"), [(WeightMode.EXACT, "1/9"), (WeightMode.W0111, "0,111"), (WeightMode.W011, "0,11")]
)
def test_format_weight(mode, text):
    assert format_weight(mode) == text


def test_band_table_in_indonesian_notation():
    """Tabel III.14 of seed 004, with the regulation's own decimals."""
    assert [r.number for r in band_table()] == [4, 3, 2, 1]
    assert [(r.grade, r.nrr_range, r.converted_range) for r in band_table()] == [
        ("A", "3,5324 – 4,00", "88,31 – 100,00"),
        ("B", "3,0644 – 3,532", "76,61 – 88,30"),
        ("C", "2,60 – 3,064", "65,00 – 76,60"),
        ("D", "1,00 – 2,5996", "25,00 – 64,99"),
    ]


def test_short_interval_table_is_seed_001s_two_decimal_ascending_form():
    """Seed 001 prints: 1 | 1,00 - 2,59 | 25,00 - 64,99 | D ... 4 | 3,54 - 4,00 | 88,31 - 100,00 | A."""
    from skm.rules.formatting import band_table

    rows = [(b.number, b.nrr_range, b.converted_range, b.grade) for b in band_table(short=True)]
    assert rows == [
        (1, "1,00 - 2,59", "25,00 - 64,99", "D"),
        (2, "2,60 - 3,06", "65,00 - 76,60", "C"),
        (3, "3,07 - 3,53", "76,61 - 88,30", "B"),
        (4, "3,54 - 4,00", "88,31 - 100,00", "A"),
    ]
