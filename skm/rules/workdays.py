"""Working days ("hari kerja") of an Indonesian government unit.

A working day is Monday to Friday that is neither a national public holiday
(hari libur nasional, by Keputusan Presiden: Tahun Baru, Idul Fitri, Natal,
election days, ...) nor a *cuti bersama* day.

Cuti bersama count as days off. The SKB of the Menteri Agama, Menteri
Ketenagakerjaan and Menteri PANRB sets them each year for the aparatur sipil
negara (ASN). The SKM is run and reported by the unit's ASN, so the report's
"hari kerja" are the unit's office days, and those exclude cuti bersama (for
example 2024: 8, 9, 12 and 15 April around Idul Fitri, and 26 December).
Callers that want public holidays only pass ``cuti_bersama=False``.

The dates come from the maintained ``holidays`` package (country "ID"): its
"public" category holds the national holidays and its "government" category
holds the cuti bersama. A year the package does not know yet (the decree is
not out) counts its known fixed holidays only.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

COUNTRY = "ID"


@lru_cache(maxsize=64)
def _days_off(year: int, cuti_bersama: bool) -> frozenset[dt.date]:
    categories: tuple[str, ...] = ("public", "government") if cuti_bersama else ("public",)
    return frozenset(holidays.country_holidays(COUNTRY, years=year, categories=categories))


def holidays_between(start: dt.date, end: dt.date, *, cuti_bersama: bool = True) -> list[dt.date]:
    """The holidays (and, by default, cuti bersama) from ``start`` to ``end`` inclusive that fall on a
    weekday, in date order: the days ``working_days`` subtracts from Monday to Friday."""
    if end < start:
        return []
    found: set[dt.date] = set()
    for year in range(start.year, end.year + 1):
        found.update(d for d in _days_off(year, cuti_bersama) if start <= d <= end and d.weekday() < 5)
    return sorted(found)


def weekdays(start: dt.date, end: dt.date) -> int:
    """Monday to Friday from ``start`` to ``end`` inclusive; 0 when ``end`` is before ``start``."""
    if end < start:
        return 0
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    for offset in range(rest):
        if (start + dt.timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def working_days(start: dt.date, end: dt.date, *, cuti_bersama: bool = True) -> int:
    """Working days from ``start`` to ``end`` inclusive: weekdays minus the national holidays and (by
    default) the cuti bersama that fall on a weekday; 0 when ``end`` is before ``start``."""
    return weekdays(start, end) - len(holidays_between(start, end, cuti_bersama=cuti_bersama))
