"""Reads for the e-mail notifications: preferences, recipients and the events
the daily scan looks for (rounds waiting for publication, periods ending)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet

from .models import PATH_STEP, NotificationKind, NotificationLog, NotificationOptOut, SurveyRound, Unit, UnitRole


def notification_preferences_get(*, user) -> dict[str, bool]:
    """Every kind with whether the user receives it (on unless turned off)."""
    off = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return {kind.value: kind.value not in off for kind in NotificationKind}


def notification_recipients(*, kind: str, users: QuerySet | None = None) -> QuerySet:
    """Active users with an e-mail address who have not turned ``kind`` off."""
    User = get_user_model()
    qs = users if users is not None else User.objects.all()
    opted_out = NotificationOptOut.objects.filter(user_id=OuterRef("pk"), kind=kind)
    return qs.filter(is_active=True).exclude(email="").exclude(Exists(opted_out)).order_by("id")


def notification_sent_recipient_ids(*, kind: str, key: str) -> set[int]:
    """Who already got the notification of this event (one query, to skip building it again)."""
    return set(
        NotificationLog.objects.filter(kind=kind, key=key, sent_at__isnull=False).values_list("recipient_id", flat=True)
    )


def unit_ancestor_paths(*, unit: Unit) -> list[str]:
    """The materialised paths of the unit and of every unit above it."""
    return [unit.path[:end] for end in range(PATH_STEP, len(unit.path) + 1, PATH_STEP)]


def unit_supervisor_recipients(*, unit: Unit, kind: str) -> QuerySet:
    """Supervisors over the unit (on it or any unit above it) who may publish its
    round: staff of the unit are left out, as they never publish their own."""
    User = get_user_model()
    supervising = UnitRole.objects.filter(
        user_id=OuterRef("pk"), role=UnitRole.Role.SUPERVISOR, unit__path__in=unit_ancestor_paths(unit=unit)
    )
    own_staff = UnitRole.objects.filter(user_id=OuterRef("pk"), role=UnitRole.Role.STAFF, unit=unit)
    return notification_recipients(kind=kind, users=User.objects.filter(Exists(supervising)).exclude(Exists(own_staff)))


def unit_staff_recipients(*, unit: Unit, kind: str) -> QuerySet:
    User = get_user_model()
    staff = UnitRole.objects.filter(user_id=OuterRef("pk"), role=UnitRole.Role.STAFF, unit=unit)
    return notification_recipients(kind=kind, users=User.objects.filter(Exists(staff)))


def rounds_awaiting_publication(*, since: dt.datetime) -> QuerySet[SurveyRound]:
    """Closed (not yet published) rounds closed at or after ``since``."""
    return (
        SurveyRound.objects.filter(status=SurveyRound.Status.CLOSED, closed_at__gte=since)
        .select_related("unit", "period", "closed_by")
        .order_by("closed_at", "id")
    )


def rounds_open_with_period_ending(*, today: dt.date, days: int) -> QuerySet[SurveyRound]:
    """Open rounds whose period ends between today and ``days`` days from today."""
    return (
        SurveyRound.objects.filter(
            status=SurveyRound.Status.OPEN,
            period__end_date__gte=today,
            period__end_date__lte=today + dt.timedelta(days=days),
        )
        .select_related("unit", "period")
        .order_by("period__end_date", "id")
    )
