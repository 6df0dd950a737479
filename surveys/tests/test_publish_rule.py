"""The publication rule (surveys/access.py, ``can_publish``): a supervisor over
the unit or an admin publishes its closed round; staff never publish their own
unit's result, even when they also hold a supervisor role that covers it."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from surveys.access import user_unit_access
from surveys.models import RoundPublication, SurveyRound, UnitRole
from surveys.tests.factories import ResponseFactory, UnitRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(unit, period, survey_round):
    ResponseFactory(unit=unit, period=period)
    SurveyRound.objects.filter(pk=survey_round.pk).update(status="closed")
    return survey_round


@pytest.fixture
def dora(unit):
    """Staff AND supervisor of the same unit."""
    user = UserFactory(username="dora")
    UnitRoleFactory(user=user, unit=unit, role=UnitRole.Role.STAFF)
    UnitRoleFactory(user=user, unit=unit, role=UnitRole.Role.SUPERVISOR)
    return user


@pytest.fixture
def erin(unit, district):
    """Staff of the unit and supervisor of its parent district."""
    user = UserFactory(username="erin")
    UnitRoleFactory(user=user, unit=unit, role=UnitRole.Role.STAFF)
    UnitRoleFactory(user=user, unit=district, role=UnitRole.Role.SUPERVISOR)
    return user


def publish(client, user, unit, period):
    client.login(username=user.username, password=PASSWORD)
    return client.post(reverse("reports:round_publish", args=[unit.code, period.code]))


@pytest.mark.parametrize("who", ["dora", "erin"])
def test_staff_who_also_supervise_the_unit_cannot_publish_it(request, client, unit, period, closed_round, who):
    user = request.getfixturevalue(who)
    assert user_unit_access(user=user).can_publish(unit.id) is False
    # Before the fix: True, and the POST below published version 1.
    assert publish(client, user, unit, period).status_code == 403
    assert not RoundPublication.objects.exists()
    # The round page offers no publish button either.
    assert "Publikasikan hasil" not in client.get(reverse("surveys:round_manage", args=[unit.code])).content.decode()


def test_staff_supervisor_still_publishes_other_units_under_them(unit, district, erin):
    from surveys.tests.factories import UnitFactory

    sibling = UnitFactory(code="kalicacing", name="Kelurahan Kalicacing", parent=district)
    assert user_unit_access(user=erin).can_publish(sibling.id) is True


def test_supervisor_only_publishes(client, bob, unit, period, closed_round):
    assert user_unit_access(user=bob).can_publish(unit.id) is True
    assert publish(client, bob, unit, period).status_code == 302
    assert RoundPublication.objects.get().published_by == bob


def test_admin_publishes_as_before(client, admin_user, unit, period, closed_round):
    assert user_unit_access(user=admin_user).can_publish(unit.id) is True
    assert publish(client, admin_user, unit, period).status_code == 302
    assert RoundPublication.objects.get().published_by == admin_user


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_staff_and_outsiders_cannot_publish(request, client, unit, period, closed_round, who):
    user = request.getfixturevalue(who)
    assert user_unit_access(user=user).can_publish(unit.id) is False
    assert publish(client, user, unit, period).status_code == 403
    assert not RoundPublication.objects.exists()
