"""The survey round's lifecycle: one unit's survey in one period.

draft -> open -> closed -> published, with two ways back:
closed -> open (staff reopen to enter late paper forms) and
published -> open (a correction; re-publishing makes a new version and the
earlier version stays in the public history).

Collection rules: every channel needs an open round. The public
questionnaire (web and kiosk) also needs today inside the period's dates;
staff channels (paper entry, import) may fill an open round of a past period.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


class RoundAction(StrEnum):
    OPEN = "open"
    CLOSE = "close"
    PUBLISH = "publish"


# (action, from) -> to
_TRANSITIONS: dict[tuple[RoundAction, RoundStatus], RoundStatus] = {
    (RoundAction.OPEN, RoundStatus.DRAFT): RoundStatus.OPEN,
    (RoundAction.OPEN, RoundStatus.CLOSED): RoundStatus.OPEN,
    (RoundAction.OPEN, RoundStatus.PUBLISHED): RoundStatus.OPEN,
    (RoundAction.CLOSE, RoundStatus.OPEN): RoundStatus.CLOSED,
    (RoundAction.PUBLISH, RoundStatus.CLOSED): RoundStatus.PUBLISHED,
}


def round_next_status(action: RoundAction, current: RoundStatus) -> RoundStatus | None:
    """The status after ``action``, or None when the step is not allowed."""
    return _TRANSITIONS.get((action, current))


def round_allowed_actions(current: RoundStatus) -> tuple[RoundAction, ...]:
    return tuple(action for (action, src) in _TRANSITIONS if src == current)


class CollectionRefusal(StrEnum):
    NOT_OPEN = "not_open"
    BEFORE_PERIOD = "before_period"
    AFTER_PERIOD = "after_period"


def collection_refusal(
    *, status: RoundStatus | None, public: bool, today: dt.date, start: dt.date, end: dt.date
) -> CollectionRefusal | None:
    """Why a response may not be collected now, or None when it may.

    ``status`` None means the unit has no round for the period. ``public`` is
    True for the respondent's own channels (web, kiosk)."""
    if status is not RoundStatus.OPEN:
        return CollectionRefusal.NOT_OPEN
    if public and today < start:
        return CollectionRefusal.BEFORE_PERIOD
    if public and today > end:
        return CollectionRefusal.AFTER_PERIOD
    return None


class RoundStepKind(StrEnum):
    OPENED = "opened"
    REOPENED = "reopened"
    OPENED_FOR_CORRECTION = "opened_for_correction"
    CLOSED = "closed"
    PUBLISHED = "published"


def round_step_kind(before: RoundStatus | None, after: RoundStatus) -> RoundStepKind | None:
    """The step that took a round from ``before`` (None: the round did not exist
    yet) to ``after``, or None when nothing was stepped (a draft was created, or
    another field of the round changed)."""
    if before is after:
        return None
    if after is RoundStatus.OPEN:
        if before is RoundStatus.CLOSED:
            return RoundStepKind.REOPENED
        if before is RoundStatus.PUBLISHED:
            return RoundStepKind.OPENED_FOR_CORRECTION
        return RoundStepKind.OPENED
    if after is RoundStatus.CLOSED:
        return RoundStepKind.CLOSED
    if after is RoundStatus.PUBLISHED:
        return RoundStepKind.PUBLISHED
    return None
