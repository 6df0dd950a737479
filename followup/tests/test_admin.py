import pytest

from conftest import PASSWORD
from followup.models import ChangeLog

pytestmark = pytest.mark.django_db


def test_admin_pages(client, admin_user, plan, items):
    client.login(username="admin", password=PASSWORD)
    for url in (
        "/admin/followup/plan/",
        f"/admin/followup/plan/{plan.pk}/change/",
        "/admin/followup/planitem/",
        f"/admin/followup/planitem/{items[0].pk}/change/",
        "/admin/followup/changelog/",
    ):
        assert client.get(url).status_code == 200, url
    entry = ChangeLog.objects.first()
    # The audit trail cannot be edited or deleted, even by an admin.
    assert client.post(f"/admin/followup/changelog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ChangeLog.objects.filter(pk=entry.pk).exists()


def test_admin_cannot_bypass_the_services_on_a_final_plan(client, admin_user, plan, items, alice):
    """Issue 8: an admin POST to a PlanItem of a final plan used to change the
    program and create a 'Sudah' realisation with no date check and no log."""
    from followup import services
    from followup.models import PlanItem, Realisation

    from .conftest import explain_unrealised

    explain_unrealised(plan, alice)
    services.plan_finalise(plan=plan, user=alice)
    item = items[0]
    logs_before = ChangeLog.objects.count()
    client.login(username="admin", password=PASSWORD)
    response = client.post(
        f"/admin/followup/planitem/{item.pk}/change/",
        {
            "plan_unsur": item.plan_unsur_id,
            "order": item.order,
            "program": "Diubah lewat admin",
            "realisation-TOTAL_FORMS": "1",
            "realisation-INITIAL_FORMS": "0",
            "realisation-0-status": "sudah",
            "realisation-0-realised_on": "1999-01-01",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.program == "Pengadaan komputer"
    assert Realisation.objects.get(item=item).status == Realisation.Status.BELUM
    assert ChangeLog.objects.count() == logs_before
    # Nothing can be added or deleted either.
    assert client.get("/admin/followup/planitem/add/").status_code == 403
    assert client.post(f"/admin/followup/planitem/{item.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PlanItem.objects.filter(pk=item.pk).exists()
