"""Indonesian number formatting (86,03; 1.234) for pages and reports. Pure."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from .ikm import BANDS, WEIGHTS, WeightMode, round_half_up

Number = Fraction | Decimal | int | float | str


def format_number(value: Number | None, places: int = 2) -> str:
    """The one formatter of printed figures, from the exact value.

    Fraction(354, 101) -> '3,50' (NRR 3,50495... rounded once, half-up);
    86.025 -> '86,03'; 1234 -> '1.234' with ``places=0``; None -> '–'.
    """
    if value is None or value == "":
        return "–"
    exact = value if isinstance(value, Fraction | Decimal | int) else Decimal(str(value))
    number = round_half_up(exact, places)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):.{places}f}"
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    return f"{sign}{result},{frac}" if places > 0 else f"{sign}{result}"


def format_weight(mode: WeightMode) -> str:
    """The weight as printed in the reports' formula: '1/9', '0,111' or '0,11'."""
    weight = WEIGHTS[mode]
    if mode is WeightMode.EXACT:
        return f"{weight.numerator}/{weight.denominator}"
    return format_number(weight, len(str(weight.denominator)) - 1)


@dataclass(frozen=True)
class BandRow:
    """One row of the interval table (Tabel III.14 of seed 004), printed."""

    number: int  # 4 for A ... 1 for D, as the seeds number them
    grade: str
    label: str
    nrr_range: str
    converted_range: str


def _bound(value: Decimal) -> str:
    # The regulation's own number of decimals (3,5324 / 3,532 / 4,00), Indonesian comma.
    return format_number(value, max(2, -int(value.as_tuple().exponent)))


def band_table(*, short: bool = False) -> tuple[BandRow, ...]:
    """The interval table, best band first: the one formatter for every page, PDF and XLSX.

    ``short``: the two-decimal form some units print (seed 001), ascending from D, each
    NRR range rounded inwards so that it stays inside its band: 1,00 - 2,59, 2,60 - 3,06,
    3,07 - 3,53, 3,54 - 4,00; converted 25,00 - 64,99 … 88,31 - 100,00 (the seed's hyphen)."""
    if short:
        return tuple(
            BandRow(
                number,
                b.grade,
                b.label,
                f"{_inward(b.min_nrr, ROUND_CEILING)} - {_inward(b.max_nrr, ROUND_FLOOR)}",
                f"{format_number(b.min_converted)} - {format_number(b.max_converted)}",
            )
            for number, b in enumerate(reversed(BANDS), start=1)
        )
    return tuple(
        BandRow(
            len(BANDS) - i,
            b.grade,
            b.label,
            f"{_bound(b.min_nrr)} – {_bound(b.max_nrr)}",
            f"{_bound(b.min_converted)} – {_bound(b.max_converted)}",
        )
        for i, b in enumerate(BANDS)
    )


def _inward(value: Decimal, rounding: str) -> str:
    return format_number(value.quantize(Decimal("0.01"), rounding=rounding))
