"""Spreadsheet cell hygiene: one helper that every XLSX/CSV writer uses.

A text cell that a spreadsheet program would read as a formula (``=``, ``+``,
``-``, ``@``, or a leading tab or carriage return, which some programs strip
before evaluating) is prefixed with an apostrophe, so that respondents' and
staff's text can never become a live formula (OWASP "CSV injection").
Numbers, dates and ``None`` pass through unchanged.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: T) -> T | str:
    """Return ``value`` safe to write into a spreadsheet or CSV cell."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
