"""Results of a unit's extra questions for the report appendix. Pure: the
caller reads the stored answers (``Response.extra`` values) in one pass and
hands them here; nothing here touches an IKM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fractions import Fraction

CHOICE_KINDS = ("single", "multiple")


@dataclass(frozen=True)
class ExtraSummary:
    code: str
    text: str
    kind: str
    answered: int  # respondents who answered this question
    respondents: int  # respondents of the period
    choices: tuple[tuple[str, int, Fraction], ...] = ()  # (label, count, percent of those who answered)
    texts: tuple[str, ...] = ()  # text answers, in submission order, at most ``limit``
    mean: Fraction | None = None
    minimum: Fraction | None = None
    maximum: Fraction | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None

    @property
    def texts_omitted(self) -> int:
        return self.answered - len(self.texts) if self.kind == "text" else 0


def _exact(value: object) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def summarise(
    *, code: str, text: str, kind: str, choices: Iterable[str], answers: Iterable, respondents: int, limit: int
) -> ExtraSummary:
    """One question's summary from its non-blank stored answers."""
    labels = list(choices)
    values = [a for a in answers if a not in (None, "", [])]
    answered = len(values)
    common = ExtraSummary(code=code, text=text, kind=kind, answered=answered, respondents=respondents)
    if kind in CHOICE_KINDS:
        counts = dict.fromkeys(labels, 0)
        for value in values:
            for label in value if isinstance(value, list) else [value]:
                if label in counts:
                    counts[label] += 1
                else:  # a label no longer offered: still counted, after the offered ones
                    counts[label] = 1
        rows = tuple(
            (label, n, Fraction(n * 100, answered) if answered else Fraction(0)) for label, n in counts.items()
        )
        return replace(common, choices=rows)
    if kind == "number":
        numbers = [n for n in (_exact(v) for v in values) if n is not None]
        if not numbers:
            return common
        return replace(
            common, mean=sum(numbers, Fraction(0)) / len(numbers), minimum=min(numbers), maximum=max(numbers)
        )
    if kind == "date":
        days = [d for d in (_day(v) for v in values) if d is not None]
        return replace(common, earliest=min(days, default=None), latest=max(days, default=None))
    return replace(common, texts=tuple(str(v) for v in values[:limit]))
