"""Follow-up (RTL) arithmetic for the PEKPPP evaluation.

Pure module: no Django imports, so every edge can be checked by hand.

Percent realised = Sudah / all items x 100, rounded half-up to 2 decimals
with Decimal. The PEKPPP bands are published as "<30 %, 30-80 %, >80 % and
100 %"; their edges are read here as:

    0.00 <= p < 30.00    -> "< 30%"
    30.00 <= p <= 80.00  -> "30 - 80%"   (so exactly 80 % is in this band)
    80.00 < p < 100.00   -> "> 80%"
    p == 100.00          -> "100%"

The band is read from the rounded percentage, like IKM grades.

Speed: whole months from the survey report date to the last realisation,
put into the smallest PEKPPP bucket (1, 3, 6, 9, 12 months) that holds it;
more than 12 months is "lebih dari 12 bulan". A realisation date is optional
(units often report none): when a realised item has no date, the last
realisation is unknown, so the months are not computed and the speed says
why instead of reading a date that was never given.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .ikm import round_half_up

QUARTERS = (1, 2, 3, 4)
QUARTER_LABELS = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}
SPEED_BUCKETS = (1, 3, 6, 9, 12)


@dataclass(frozen=True)
class ProgressBand:
    key: str
    label: str


BAND_LOW = ProgressBand("lt30", "< 30%")
BAND_MID = ProgressBand("30to80", "30 - 80%")
BAND_HIGH = ProgressBand("gt80", "> 80%")
BAND_FULL = ProgressBand("100", "100%")
PROGRESS_BANDS = (BAND_LOW, BAND_MID, BAND_HIGH, BAND_FULL)


def percent_realised(realised: int, total: int) -> Decimal:
    """Sudah / all x 100, half-up to 2 decimals; 0.00 when there is no item."""
    if realised < 0 or total < 0 or realised > total:
        raise ValueError("realised must be between 0 and total")
    if total == 0:
        return Decimal("0.00")
    return round_half_up(Fraction(realised * 100, total), 2)


def band_for_percent(percent: Decimal) -> ProgressBand:
    if percent >= Decimal("100"):
        return BAND_FULL
    if percent > Decimal("80"):
        return BAND_HIGH
    if percent >= Decimal("30"):
        return BAND_MID
    return BAND_LOW


def months_between(start: dt.date, end: dt.date) -> int:
    """Months from start to end, rounded up to whole months (a partial month counts).

    0 when end is on or before start. 15 Jan -> 15 Feb is 1; 15 Jan -> 16 Feb is 2.
    """
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    # The same day-of-month in the end month (clamped for short months).
    anchor_day = min(start.day, calendar.monthrange(end.year, end.month)[1])
    if end.day > anchor_day:
        months += 1
    return max(months, 1)


def speed_bucket(months: int | None) -> int | None:
    """The smallest PEKPPP bucket (1/3/6/9/12 months) holding ``months``; None beyond 12."""
    if months is None:
        return None
    for bucket in SPEED_BUCKETS:
        if months <= bucket:
            return bucket
    return None


def speed_label(months: int | None) -> str:
    if months is None:
        return SPEED_NO_REALISATION
    bucket = speed_bucket(months)
    if bucket is None:
        return "lebih dari 12 bulan"
    return f"dalam {bucket} bulan"


# What the PEKPPP speed says when it cannot be computed (never an invented date).
SPEED_NO_REALISATION = "belum ada realisasi"
SPEED_NOT_ALL_REALISED = "belum seluruh RTL terealisasi"
SPEED_NO_REPORT_DATE = "tidak dapat dihitung: tanggal laporan SKM belum diisi"
SPEED_UNDATED = "tidak dapat dihitung: ada RTL terealisasi tanpa tanggal realisasi"


def months_to_realisation(
    report_date: dt.date | None, last_realised_on: dt.date | None, *, undated: int = 0
) -> int | None:
    """Months from the SKM report to the last realisation, or None when unknown.

    Unknown when there is no report date, no dated realisation, or ``undated``
    realised items without a date (any of them may be the last one).
    """
    if undated < 0:
        raise ValueError("undated must not be negative")
    if report_date is None or last_realised_on is None or undated:
        return None
    return months_between(report_date, last_realised_on)


def speed_status(
    *, realised: int, total: int, report_date: dt.date | None, last_realised_on: dt.date | None, undated: int = 0
) -> str:
    """The PEKPPP speed in words: its bucket when every item is realised and the
    months are known, otherwise what is missing."""
    # PEKPPP scores how fast *all* recommendations were followed up.
    if total == 0 or realised < total:
        return SPEED_NOT_ALL_REALISED
    if report_date is None:
        return SPEED_NO_REPORT_DATE
    if undated:
        return SPEED_UNDATED
    return speed_label(months_to_realisation(report_date, last_realised_on))


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter not in QUARTERS:
        raise ValueError(f"triwulan tidak valid: {quarter}")
    month = quarter * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def normalise_schedule(ticks: Iterable[Iterable[object]] | None) -> list[list[int]]:
    """Sorted unique [year, quarter] pairs; raises ValueError on anything else."""
    result: set[tuple[int, int]] = set()
    for tick in ticks or ():
        try:
            year, quarter = (int(v) for v in tick)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise ValueError(f"jadwal tidak valid: {tick!r}") from None
        if quarter not in QUARTERS or not 2000 <= year <= 2100:
            raise ValueError(f"jadwal tidak valid: {tick!r}")
        result.add((year, quarter))
    return [list(t) for t in sorted(result)]


def schedule_due_date(ticks: Iterable[Iterable[object]] | None) -> dt.date | None:
    """End date of the last planned quarter; None for an unscheduled item."""
    ticks = normalise_schedule(ticks)
    if not ticks:
        return None
    year, quarter = ticks[-1]
    return quarter_end(year, quarter)


def schedule_rows(ticks: Iterable[Iterable[object]] | None) -> list[tuple[int, tuple[bool, ...]]]:
    """One row per year with a tick flag per quarter, as in Tabel 2 of the seeds."""
    by_year: dict[int, set[int]] = {}
    for year, quarter in normalise_schedule(ticks):
        by_year.setdefault(year, set()).add(quarter)
    return [(year, tuple(q in qs for q in QUARTERS)) for year, qs in sorted(by_year.items())]
