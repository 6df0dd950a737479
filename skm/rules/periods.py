"""Period code grammar: YYYY, YYYY-S1|S2, YYYY-TW1..TW4. Pure, no Django."""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

CODE_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>S[12]|TW[1-4]))?$")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    kind: str  # tahunan | semester | triwulan
    year: int
    number: int | None
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.number is None:
            return f"Tahun {self.year}"
        kind = "Semester" if self.kind == "semester" else "Triwulan"
        return f"{kind} {ROMAN[self.number]} Tahun {self.year}"


def parse_period_code(code: str) -> PeriodSpec:
    """Raise ValueError with an Indonesian message for a malformed code."""
    match = CODE_RE.match((code or "").strip().upper())
    if not match:
        raise ValueError(
            f"kode periode '{code}' tidak valid (gunakan YYYY, YYYY-S1, YYYY-S2 atau YYYY-TW1 s.d. YYYY-TW4)"
        )
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ValueError(f"tahun periode '{code}' di luar rentang 2000-2100")
    part = match["part"]
    if part is None:
        return PeriodSpec(match.group(0), "tahunan", year, None, date(year, 1, 1), date(year, 12, 31))
    if part.startswith("S"):
        n = int(part[1])
        start_month, end_month = (1, 6) if n == 1 else (7, 12)
        kind = "semester"
    else:
        n = int(part[2])
        start_month, end_month = 3 * n - 2, 3 * n
        kind = "triwulan"
    end_day = calendar.monthrange(year, end_month)[1]
    return PeriodSpec(match.group(0), kind, year, n, date(year, start_month, 1), date(year, end_month, end_day))


class PeriodTiming(StrEnum):
    UPCOMING = "upcoming"  # has not started yet
    CURRENT = "current"  # today is inside it
    PAST = "past"  # has ended


def period_timing(*, start: date, end: date, today: date) -> PeriodTiming:
    if today < start:
        return PeriodTiming.UPCOMING
    if today > end:
        return PeriodTiming.PAST
    return PeriodTiming.CURRENT


def period_display_order(*, start: date, end: date, today: date) -> tuple:
    """Sort key for lists of periods: the running ones first (the shortest, i.e.
    the most specific, first), then the ended ones newest first, then the ones
    that have not started, soonest first."""
    timing = period_timing(start=start, end=end, today=today)
    if timing is PeriodTiming.CURRENT:
        return (0, (end - start).days, -start.toordinal())
    if timing is PeriodTiming.PAST:
        return (1, -end.toordinal(), (end - start).days)
    return (2, start.toordinal(), (end - start).days)
