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
