"""The surveys admin writes periods through the services and never writes
responses or import batches (issue 8)."""

import datetime as dt

import pytest

from conftest import PASSWORD
from surveys.models import ImportBatch, Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.login(username="admin", password=PASSWORD)
    return client


def test_admin_creates_a_period_from_its_code(admin_client):
    response = admin_client.post("/admin/surveys/period/add/", {"code": " 2027-s1 ", "is_open": "on"})
    assert response.status_code == 302
    period = Period.objects.get(code="2027-S1")
    assert (period.kind, period.start_date, period.end_date) == ("semester", dt.date(2027, 1, 1), dt.date(2027, 6, 30))


def test_admin_period_with_a_bad_code_is_refused_in_indonesian(admin_client):
    response = admin_client.post("/admin/surveys/period/add/", {"code": "2027-S3", "is_open": "on"})
    assert response.status_code == 200
    assert "Kode periode &#x27;2027-S3&#x27; tidak valid" in response.content.decode()
    assert not Period.objects.exists()


def test_admin_closes_a_period_but_cannot_change_its_code_or_delete_it(admin_client, period):
    response = admin_client.post(f"/admin/surveys/period/{period.pk}/change/", {"code": "1999"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.code, period.is_open) == ("2024-S2", False)
    assert admin_client.post(f"/admin/surveys/period/{period.pk}/delete/", {"post": "yes"}).status_code == 403


def test_admin_cannot_add_or_delete_import_batches(admin_client, unit, period, alice):
    batch = ImportBatch.objects.create(unit=unit, period=period, filename="a.csv", sha256="0" * 64, rows=0)
    assert admin_client.get("/admin/surveys/importbatch/").status_code == 200
    assert admin_client.post(f"/admin/surveys/importbatch/{batch.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/surveys/importbatch/add/").status_code == 403
    assert ImportBatch.objects.filter(pk=batch.pk).exists()
