"""Display-time translation of labels that come from pure (Django-free) modules.

See ``surveys/labels.py`` for the list that makemessages collects.
"""

from django import template
from django.utils.translation import get_language, gettext

from skm import labels

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
    code = period if isinstance(period, str) else getattr(period, "code", None)
    if code is None:
        return period
    return labels.period_label(code)


@register.filter
def weight_label(mode):
    """{{ job.weight_mode|weight_label }}: "bobot 1/9 (rumus Permenpan RB 14/2017)" in the active language."""
    return labels.weight_label(mode) if isinstance(mode, str) and mode else mode


@register.filter
def teks(value):
    """{{ item.name|teks }}: an instrument's text (skm.rules.instrument.Text) in the active language."""
    get = getattr(value, "get", None)
    return get(get_language() or "id") if callable(get) and hasattr(value, "en") else value
