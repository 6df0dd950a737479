"""Modules loaded on first use.

WeasyPrint, matplotlib, openpyxl and pandas take seconds to import. Views are
imported by the URL configuration, which every process loads (the web server,
each management command through the system checks, each Celery worker), so a
view module must not import them at module level; ``skm/tests/test_imports.py``
checks that importing ``skm.urls`` loads none of them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.utils.functional import SimpleLazyObject


def lazy_module(name: str) -> ModuleType:
    """A stand-in for ``import name`` that imports the module on first attribute access."""
    return SimpleLazyObject(lambda: importlib.import_module(name))  # type: ignore[return-value]
