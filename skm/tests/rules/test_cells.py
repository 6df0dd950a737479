from datetime import date
from decimal import Decimal

import pytest

from skm.rules.cells import neutralise_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","klik")', "=cmd|' /C calc'!A0", "+62 812", "-1", "@SUM(A1)", "\tx", "\rx"],
)
def test_formula_like_text_is_prefixed(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Pelayanan KTP", "", " =spasi dulu", 3, Decimal("86.03"), date(2024, 7, 1), None])
def test_other_values_pass_unchanged(value):
    assert neutralise_cell(value) == value
