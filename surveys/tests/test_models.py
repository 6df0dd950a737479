"""Database guarantees the collection side relies on."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from skm.rules.instrument import ErrorCode, InstrumentError
from surveys.models import Response, SurveyRound
from surveys.services import response_create_paper
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [0, 5, True, "4"])
def test_answers_outside_1_4_are_refused_before_the_database(unit, period, alice, value):
    with pytest.raises(InstrumentError) as caught:
        response_create_paper(unit=unit, period=period, user=alice, answers={"U5": value})
    assert caught.value.code == ErrorCode.ANSWER_OUT_OF_SCALE
    assert caught.value.params == {"item": "U5", "value": value, "points": 4}
    assert not Response.objects.exists()


def test_blank_answers_are_null(unit, period):
    r = ResponseFactory(unit=unit, period=period, U5=None)
    assert Response.objects.filter(scores__SKM__4=None).get() == r
    assert r.scores == {"SKM": [3, 3, 3, 3, None, 3, 3, 3, 3]}


def test_client_token_is_unique(unit, period):
    token = uuid.uuid4()
    ResponseFactory(unit=unit, period=period, client_token=token)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(unit=unit, period=period, client_token=token)
    ResponseFactory(unit=unit, period=period, client_token=None)
    ResponseFactory(unit=unit, period=period, client_token=None)  # many NULLs allowed


@pytest.mark.parametrize("status", ["open", "closed"])
def test_admin_cannot_write_responses(client, admin_user, unit, period, status):
    """Responses change only through the services (period checks, attribution):
    the admin can neither add one (to a closed period or any), change one
    (or move it into a closed period), nor delete one."""
    from conftest import PASSWORD

    SurveyRound.objects.filter(unit=unit, period=period).update(status=status)
    r = ResponseFactory(unit=unit, period=period, U1=2)
    client.login(username="admin", password=PASSWORD)
    url = f"/admin/surveys/response/{r.pk}/change/"
    assert client.get(url).status_code == 200  # viewing is allowed
    post = {
        "unit": unit.pk,
        "period": period.pk,
        "channel": "web",
        "u1": 4,
        "submitted_at_0": "2024-08-01",
        "submitted_at_1": "10:00:00",
    }
    assert client.post(url, post).status_code == 403
    assert client.post("/admin/surveys/response/add/", post).status_code == 403
    assert client.post(f"/admin/surveys/response/{r.pk}/delete/", {"post": "yes"}).status_code == 403
    r.refresh_from_db()
    assert r.answers()["U1"] == 2
    assert Response.objects.count() == 1


# --- materialised path ----------------------------------------------------------


def test_unit_path_on_create_is_parent_path_plus_own_id(district, unit):
    from surveys.models import Unit

    city = district.parent
    assert city.path == f"{city.pk:08d}."
    assert district.path == f"{city.pk:08d}.{district.pk:08d}."
    assert Unit.objects.get(pk=unit.pk).path == f"{city.pk:08d}.{district.pk:08d}.{unit.pk:08d}."
    assert (city.depth, district.depth, unit.depth) == (1, 2, 3)


def test_moving_a_unit_moves_its_descendants(district, unit, other_unit):
    from surveys.models import Unit
    from surveys.tests.factories import UnitFactory

    grandchild = UnitFactory(code="rw-01", name="RW 01", parent=unit)
    tangerang = other_unit.parent
    stale = Unit.objects.get(pk=unit.pk)  # loaded before the move: its path must not be written back
    unit.parent = tangerang
    unit.save()
    expected = f"{tangerang.pk:08d}.{unit.pk:08d}."
    assert Unit.objects.get(pk=unit.pk).path == expected
    assert Unit.objects.get(pk=grandchild.pk).path == expected + f"{grandchild.pk:08d}."
    stale.name = "Kelurahan Pulutan Baru"
    stale.save()  # a stale instance writes its old parent back: the path follows it, never the stale path
    back = f"{district.path}{unit.pk:08d}."
    assert Unit.objects.get(pk=unit.pk).path == back
    assert Unit.objects.get(pk=grandchild.pk).path == back + f"{grandchild.pk:08d}."
    # Siblings elsewhere are untouched.
    assert Unit.objects.get(pk=district.pk).path == district.path


def test_moving_a_unit_under_its_descendant_is_refused(district, unit):
    from django.core.exceptions import ValidationError

    from surveys.models import Unit

    city = district.parent
    city.parent = unit
    with pytest.raises(ValidationError):
        city.save()
    assert Unit.objects.get(pk=city.pk).parent_id is None


def test_paths_rebuild_after_bulk_insert(district):
    from surveys.models import Unit, unit_paths_rebuild

    created = Unit.objects.bulk_create([Unit(code=f"bulk-{n}", name=f"Bulk {n}", parent=district) for n in range(3)])
    assert {u.path for u in Unit.objects.filter(code__startswith="bulk-")} == {""}
    assert unit_paths_rebuild() == 3
    for u in created:
        assert Unit.objects.get(pk=u.pk).path == district.path + f"{u.pk:08d}."
    assert unit_paths_rebuild() == 0


def test_supervisor_scope_is_a_path_prefix_not_an_id_list(bob, district, unit, other_unit):
    from django.db.models import Q

    from surveys.access import user_unit_access
    from surveys.tests.factories import UnitFactory

    deep = UnitFactory(code="rt-01", name="RT 01", parent=UnitFactory(code="rw-02", name="RW 02", parent=unit))
    access = user_unit_access(user=bob)
    assert access.supervisor_paths == (district.path,)
    assert access.unit_q() == Q(pk__in=[]) | Q(path__startswith=district.path)
    assert access.can_read(deep.pk) and access.can_read(unit.pk) and not access.can_read(other_unit.pk)
    assert not access.can_write(unit.pk)
