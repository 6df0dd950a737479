"""Respondents' privacy under UU 27/2022 (Pelindungan Data Pribadi), Django-free.

- Age: respondents are adults (17, the age of a KTP) unless a unit accepts
  younger respondents with a parent's or guardian's consent.
- Retention: saran and profile fields are erased a number of months after the
  end of the period they were collected in.
- Publication: a public breakdown never shows a group of fewer than
  ``SMALL_GROUP`` respondents; such groups are merged into one row.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

ADULT_AGE = 17
MIN_AGE_WITH_CONSENT = 10
MAX_AGE = 120
SMALL_GROUP = 5


def min_age(*, allow_minors: bool) -> int:
    """The youngest age a unit accepts."""
    return MIN_AGE_WITH_CONSENT if allow_minors else ADULT_AGE


def needs_guardian_consent(age: int | None) -> bool:
    return age is not None and age < ADULT_AGE


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (clamped to the month's last day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_cutoff(*, today: dt.date, months: int) -> dt.date:
    """Periods that ended before this date are past retention.

    A period ending on 31 December 2024 kept 24 months is erased from
    1 January 2027: its end date is before months_before(2027-01-01, 24)."""
    return months_before(today, months)


@dataclass(frozen=True)
class Group:
    label: str
    count: int
    merged: tuple[str, ...] = ()  # labels of the groups merged into this row

    @property
    def is_merged(self) -> bool:
        return bool(self.merged)


def merge_small_groups(
    groups: Sequence[tuple[str, int]], *, threshold: int = SMALL_GROUP, other_label: str
) -> list[Group]:
    """Merge every group of 1..threshold-1 respondents into one ``other_label`` row.

    When the merged row itself is still smaller than ``threshold``, the
    smallest remaining groups are added to it until it is not (or nothing is
    left), so that no small count can be recovered by subtracting the shown
    rows from the total. Empty groups (0) stay as they are: they identify no
    one. The merged row comes last; the other rows keep their order."""
    small = {i for i, (_label, n) in enumerate(groups) if 0 < n < threshold}
    if not small:
        return [Group(label, n) for label, n in groups]
    merged_total = sum(groups[i][1] for i in small)
    rest = sorted((n, i) for i, (_label, n) in enumerate(groups) if i not in small and n > 0)
    while merged_total < threshold and rest:
        n, i = rest.pop(0)
        small.add(i)
        merged_total += n
    rows = [Group(label, n) for i, (label, n) in enumerate(groups) if i not in small]
    rows.append(Group(other_label, merged_total, tuple(groups[i][0] for i in sorted(small))))
    return rows
