"""Indonesian number formatting (86,03; 1.234) for pages and reports. Pure."""

from decimal import Decimal
from fractions import Fraction

from .ikm import round_half_up

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
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    return f"{sign}{result},{frac}" if places > 0 else f"{sign}{result}"
