"""Display-time translation of labels that come from pure (Django-free) modules.

See ``surveys/labels.py`` for the list that makemessages collects.
"""

from django import template
from django.utils.translation import gettext

from skm.labels import PERIOD_PATTERNS
from skm.rules.periods import ROMAN, parse_period_code

register = template.Library()


@register.filter
def tr(value):
    """{{ band_label|tr }}: the active language's text for a collected label."""
    if isinstance(value, str) and value:
        return gettext(value)
    return value


@register.filter
def period_label(period):
    """{{ period|period_label }}: "Semester II Tahun 2024" / "Semester II 2024" (a Period or its code)."""
    try:
        spec = parse_period_code(period if isinstance(period, str) else period.code)
    except (AttributeError, ValueError):
        return getattr(period, "label", period)
    return gettext(PERIOD_PATTERNS[spec.kind]) % {"year": spec.year, "number": ROMAN.get(spec.number, "")}
