"""Indonesian number formatting (86,03; 1.234) for pages and reports. Pure."""

from decimal import Decimal

from .ikm import round_half_up


def format_number(value, places: int = 2) -> str:
    """86.025 -> '86,03' (half-up); 1234 -> '1.234'; None -> '–'."""
    if value is None or value == "":
        return "–"
    number = round_half_up(Decimal(str(value)), places)
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
