import datetime as dt

import pytest

from skm.rules.rounds import (
    CollectionRefusal,
    RoundAction,
    RoundStatus,
    RoundStepKind,
    collection_refusal,
    round_allowed_actions,
    round_next_status,
    round_step_kind,
)

S2 = {"start": dt.date(2024, 7, 1), "end": dt.date(2024, 12, 31)}


@pytest.mark.parametrize(
    ("action", "current", "expected"),
    [
        (RoundAction.OPEN, RoundStatus.DRAFT, RoundStatus.OPEN),
        (RoundAction.OPEN, RoundStatus.CLOSED, RoundStatus.OPEN),
        (RoundAction.OPEN, RoundStatus.PUBLISHED, RoundStatus.OPEN),
        (RoundAction.OPEN, RoundStatus.OPEN, None),
        (RoundAction.CLOSE, RoundStatus.OPEN, RoundStatus.CLOSED),
        (RoundAction.CLOSE, RoundStatus.DRAFT, None),
        (RoundAction.CLOSE, RoundStatus.CLOSED, None),
        (RoundAction.CLOSE, RoundStatus.PUBLISHED, None),
        (RoundAction.PUBLISH, RoundStatus.CLOSED, RoundStatus.PUBLISHED),
        (RoundAction.PUBLISH, RoundStatus.OPEN, None),
        (RoundAction.PUBLISH, RoundStatus.DRAFT, None),
        (RoundAction.PUBLISH, RoundStatus.PUBLISHED, None),
    ],
)
def test_lifecycle_steps(action, current, expected):
    assert round_next_status(action, current) == expected


def test_allowed_actions_per_status():
    assert round_allowed_actions(RoundStatus.DRAFT) == (RoundAction.OPEN,)
    assert set(round_allowed_actions(RoundStatus.CLOSED)) == {RoundAction.OPEN, RoundAction.PUBLISH}
    assert round_allowed_actions(RoundStatus.OPEN) == (RoundAction.CLOSE,)


@pytest.mark.parametrize(
    ("status", "public", "today", "expected"),
    [
        (RoundStatus.OPEN, True, dt.date(2024, 7, 1), None),
        (RoundStatus.OPEN, True, dt.date(2024, 12, 31), None),
        (RoundStatus.OPEN, True, dt.date(2024, 6, 30), CollectionRefusal.BEFORE_PERIOD),
        (RoundStatus.OPEN, True, dt.date(2025, 1, 1), CollectionRefusal.AFTER_PERIOD),
        # staff fill an open round of a past (or future) period
        (RoundStatus.OPEN, False, dt.date(2026, 11, 29), None),
        (RoundStatus.OPEN, False, dt.date(2024, 1, 1), None),
        (RoundStatus.CLOSED, False, dt.date(2024, 8, 1), CollectionRefusal.NOT_OPEN),
        (RoundStatus.PUBLISHED, True, dt.date(2024, 8, 1), CollectionRefusal.NOT_OPEN),
        (RoundStatus.DRAFT, True, dt.date(2024, 8, 1), CollectionRefusal.NOT_OPEN),
        (None, False, dt.date(2024, 8, 1), CollectionRefusal.NOT_OPEN),
    ],
)
def test_collection_refusal(status, public, today, expected):
    assert collection_refusal(status=status, public=public, today=today, **S2) == expected


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (None, RoundStatus.DRAFT, None),
        (None, RoundStatus.OPEN, RoundStepKind.OPENED),
        (RoundStatus.DRAFT, RoundStatus.OPEN, RoundStepKind.OPENED),
        (RoundStatus.OPEN, RoundStatus.CLOSED, RoundStepKind.CLOSED),
        (RoundStatus.CLOSED, RoundStatus.OPEN, RoundStepKind.REOPENED),
        (RoundStatus.CLOSED, RoundStatus.PUBLISHED, RoundStepKind.PUBLISHED),
        (RoundStatus.PUBLISHED, RoundStatus.OPEN, RoundStepKind.OPENED_FOR_CORRECTION),
        (RoundStatus.OPEN, RoundStatus.OPEN, None),
    ],
)
def test_round_step_kind(before, after, kind):
    assert round_step_kind(before, after) == kind
