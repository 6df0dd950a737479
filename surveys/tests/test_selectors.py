import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from skm.rules.ikm import WeightMode
from surveys.access import unit_get_for_user, user_unit_access
from surveys.selectors import ikm_for, response_tallies, round_current_open, round_list_open
from surveys.tests.factories import PeriodFactory, SurveyRoundFactory

pytestmark = pytest.mark.django_db


def test_tallies_of_reference_survey_match_expected(
    unit, period, reference_responses, reference_expected, django_assert_num_queries
):
    with django_assert_num_queries(1):
        respondents, tallies = response_tallies(filters=Q(unit=unit, period=period))[None]
    assert respondents == 50
    for tally, want in zip(tallies, reference_expected["unsur"], strict=True):
        assert tally.code == want["code"]
        assert tally.total == want["total"]
        assert tally.answered == want["answered"]
        assert {str(k): v for k, v in tally.distribution.items()} == want["distribution"]


def test_ikm_for_reference(unit, period, reference_responses):
    assert str(ikm_for(unit=unit, period=period, weight_mode=WeightMode.W0111).ikm) == "86.03"


@pytest.mark.parametrize(
    ("who", "target", "outcome"),
    [
        ("alice", "unit", "write"),
        ("alice", "district", "deny"),
        ("alice", "other_unit", "deny"),
        ("bob", "unit", "read"),
        ("bob", "district", "read"),
        ("bob", "city", "deny"),
        ("bob", "other_unit", "deny"),
        ("charlie", "unit", "deny"),
        ("charlie", "other_unit", "write"),
        ("admin_user", "unit", "write"),
        ("admin_user", "other_unit", "write"),
    ],
)
def test_unit_access_matrix(request, who, target, outcome):
    user = request.getfixturevalue(who)
    unit = request.getfixturevalue(target)
    request.getfixturevalue("city")
    if outcome == "deny":
        with pytest.raises(PermissionDenied):
            unit_get_for_user(user=user, code=unit.code)
    else:
        got, can_write = unit_get_for_user(user=user, code=unit.code)
        assert got == unit
        assert can_write is (outcome == "write")


def test_unknown_unit_is_404(alice):
    with pytest.raises(Http404):
        unit_get_for_user(user=alice, code="tidak-ada")


def test_anonymous_reads_nothing(unit):
    from django.contrib.auth.models import AnonymousUser

    access = user_unit_access(user=AnonymousUser())
    assert not access.can_read(unit.id)


def test_current_open_round_prefers_an_ended_period_to_one_not_started(unit):
    future = PeriodFactory(code="2027-S1", start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 6, 30))
    past = PeriodFactory(code="2025-S1", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 6, 30))
    SurveyRoundFactory(unit=unit, period=future)
    SurveyRoundFactory(unit=unit, period=past)
    today = dt.date(2026, 3, 1)
    assert round_current_open(unit=unit, today=today).period == past
    assert [r.period.code for r in round_list_open(unit=unit, today=today)] == ["2025-S1", "2027-S1"]


def test_unit_ancestor_names_nearest_first_in_one_query(unit, district, city, other_unit, django_assert_num_queries):
    from surveys.selectors import unit_ancestor_names

    with django_assert_num_queries(1):
        names = unit_ancestor_names(units=[unit, district, city, other_unit])
    assert names == {
        unit.pk: ["Kecamatan Sidorejo", "Pemerintah Kota Salatiga"],
        district.pk: ["Pemerintah Kota Salatiga"],
        city.pk: [],
        other_unit.pk: ["Kabupaten Tangerang"],
    }
    with django_assert_num_queries(0):
        assert unit_ancestor_names(units=[city]) == {city.pk: []}
