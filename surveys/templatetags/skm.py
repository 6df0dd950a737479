from django import template

from skm.rules.formatting import format_number

register = template.Library()


@register.filter
def angka(value, places=2):
    """Indonesian number format: {{ ikm|angka }} -> 86,03; {{ n|angka:0 }} -> 1.234."""
    try:
        return format_number(value, int(places))
    except (ValueError, ArithmeticError, TypeError):
        return value


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
