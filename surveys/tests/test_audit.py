"""The audit trail (django-simple-history): admin edits are attributed, the
admin's history views work, and the round's history page shows each change."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import Response, SurveyRound, UnitRole, UnsurWording
from surveys.services import import_batch_create
from surveys.services_rounds import round_close
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(client, admin_user):
    client.login(username="admin", password=PASSWORD)
    return client


def history_page(client, unit, period):
    client.login(username="bob", password=PASSWORD)  # the supervisor reads the trail too
    return client.get(reverse("surveys:round_history", args=[unit.code, period.code]))


def test_closing_the_round_leaves_a_trace(client, alice, bob, unit, period, survey_round):
    round_close(round=survey_round, user=alice)
    record = SurveyRound.history.filter(id=survey_round.pk).order_by("-history_id").first()
    assert record.history_user == alice and record.status == "closed"
    entries = history_page(client, unit, period).context["entries"]
    change = entries[0]
    assert (change.subject, change.action) == ("Putaran survei", "diubah")
    assert change.user == "Alice (alice)"
    fields = {c.field: (c.old, c.new) for c in change.changes}
    assert fields["status"] == ("Dibuka", "Ditutup")


def test_wording_edit_leaves_a_trace(as_admin, admin_user, bob, unit, period):
    add = reverse("admin:surveys_unsurwording_add")
    data = {
        "unit": unit.pk,
        "code": "U1",
        "question": "Bagaimana persyaratan?",
        "label_1": "a",
        "label_2": "b",
        "label_3": "c",
        "label_4": "d",
    }
    assert as_admin.post(add, data).status_code == 302
    wording = UnsurWording.objects.get()
    change = reverse("admin:surveys_unsurwording_change", args=[wording.pk])
    assert as_admin.post(change, {**data, "question": "Bagaimana kemudahan persyaratan?"}).status_code == 302
    entries = history_page(as_admin, unit, period).context["entries"]
    who = f"{admin_user.first_name} (admin)"
    assert [(e.subject, e.action, e.user) for e in entries[:2]] == [
        ("Redaksi unsur U1", "diubah", who),
        ("Redaksi unsur U1", "dibuat", who),
    ]
    assert [(c.old, c.new) for c in entries[0].changes] == [
        ("Bagaimana persyaratan?", "Bagaimana kemudahan persyaratan?")
    ]


def test_role_changes_are_in_the_round_history(bob, alice, client, unit, period):
    role = UnitRole.objects.get(user=alice, unit=unit)
    role.delete()
    entries = history_page(client, unit, period).context["entries"]
    assert [e.action for e in entries if e.subject.startswith("Peran")] == ["dihapus permanen", "dibuat"]


@pytest.mark.parametrize("model", ["response", "importbatch", "period", "unit", "unitrole", "unsurwording"])
def test_admin_history_views(as_admin, alice, unit, period, model):
    import io

    objects = {
        "response": lambda: ResponseFactory(unit=unit, period=period),
        "importbatch": lambda: (
            import_batch_create(
                fh=io.BytesIO(b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,2,3,4,1,2,3,4,1\n"),
                filename="a.csv",
                unit=unit,
                period=period,
                user=alice,
            ).batch
        ),
        "period": lambda: period,
        "unit": lambda: unit,
        "unitrole": lambda: UnitRole.objects.get(user=alice),
        "unsurwording": lambda: UnsurWording.objects.create(
            unit=unit, code="U2", question="?", label_1="a", label_2="b", label_3="c", label_4="d"
        ),
    }
    obj = objects[model]()
    page = as_admin.get(reverse(f"admin:surveys_{model}_history", args=[obj.pk]))
    assert page.status_code == 200


def test_admin_cannot_hard_delete_responses(as_admin, unit, period):
    row = ResponseFactory(unit=unit, period=period)
    assert as_admin.post(reverse("admin:surveys_response_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert Response.objects.filter(pk=row.pk).exists()


def test_admin_lists_soft_deleted_responses(as_admin, alice, unit, period):
    from surveys.services import response_delete

    row = ResponseFactory(unit=unit, period=period)
    response_delete(response=row, user=alice, reason="uji")
    assert as_admin.get(reverse("admin:surveys_response_change", args=[row.pk])).status_code == 200
