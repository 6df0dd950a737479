"""Display-time translation of the follow-up change log, which is stored in
Indonesian (see ``followup.services._display``)."""

from __future__ import annotations

from functools import cache

from django import template
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

register = template.Library()


@cache
def _choice_labels() -> dict[str, frozenset[str]]:
    """Field name as logged (its Indonesian verbose name) -> the Indonesian labels
    of its choices, for every choice field of the follow-up models (e.g. a
    realisation's status "Belum"/"Sudah"): the only logged values that are texts
    of the application rather than of the unit."""
    labels: dict[str, set[str]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for model in apps.get_app_config("followup").get_models():
            for field in model._meta.concrete_fields:
                if field.choices:
                    labels.setdefault(str(field.verbose_name), set()).update(str(label) for _, label in field.choices)
    return {name: frozenset(values) for name, values in labels.items()}


@register.filter
def log_value(value, field):
    """{{ pair.1|log_value:field }}: a logged choice label in the active language;
    the unit's own texts (programmes, descriptions, reasons) as written."""
    if isinstance(value, str) and value in _choice_labels().get(field, ()):
        return gettext(value)
    return value
