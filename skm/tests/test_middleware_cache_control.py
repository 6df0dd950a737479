"""Staff pages and downloads are ``Cache-Control: private, no-store``; the public
groups (/isi/, /publik/) and views with their own header keep theirs
(skm.middleware.PrivateNoStoreMiddleware)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from reports.models import ExportJob
from surveys.chart_store import chart_url
from surveys.tests.factories import publish_round

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"


@pytest.fixture
def staff(client, alice):
    client.force_login(alice)
    return client


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("surveys:dashboard", None),
        ("surveys:round_responses", {"period_code": "2024-S2"}),
        ("surveys:round_saran", {"period_code": "2024-S2"}),
        ("surveys:round_saran_download", {"period_code": "2024-S2", "fmt": "csv"}),
        ("surveys:round_raw_download", {"period_code": "2024-S2", "fmt": "csv"}),
        ("surveys:round_manage", {}),
        ("surveys:round_history", {"period_code": "2024-S2"}),
        ("surveys:results", {"period_code": "2024-S2"}),
        ("reports:unit_reports", {}),
        ("reports:job_list", None),
        ("followup:overview", None),
    ],
)
def test_staff_pages_and_downloads_are_private_no_store(staff, unit, period, reference_responses, name, kwargs):
    if kwargs is None:
        url = reverse(name)
    else:
        key = "code" if name.startswith("reports:") else "unit_code"
        url = reverse(name, kwargs={key: unit.code, **kwargs})
    response = staff.get(url)
    assert response.status_code == 200, url
    assert response["Cache-Control"] == NO_STORE, url


def test_export_job_file_download_is_private_no_store(staff, unit, period, alice):
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.RAW_CSV,
        unit=unit,
        period=period,
        status=ExportJob.Status.DONE,
        percent=100,
        requested_by=alice,
        finished_at=timezone.now(),
    )
    job.result.save("data.csv", ContentFile(b"nomor,saran\n1,Antrean terlalu panjang\n"))
    response = staff.get(reverse("reports:job_download", args=[job.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"nomor,saran")
    assert response["Cache-Control"] == NO_STORE


def test_signed_out_request_for_a_staff_page_is_no_store_too(client):
    response = client.get(reverse("surveys:dashboard"))
    assert response.status_code == 302 and response["Cache-Control"] == NO_STORE


def test_public_results_keep_their_own_headers(client, unit, period, reference_responses, alice):
    publish_round(unit, period)
    for browser in (client, None):
        if browser is None:  # a signed-in staff member reading the public page: still public
            client.force_login(alice)
        response = client.get(f"/publik/{unit.code}/hasil/")
        assert response.status_code == 200
        assert "Cache-Control" not in response
        data = client.get(f"/publik/{unit.code}/hasil.json")
        assert data.status_code == 200 and "Cache-Control" not in data


def test_public_questionnaire_keeps_its_own_never_cache_header(client, unit, period, during_period):
    response = client.get(f"/isi/{unit.code}/")
    assert response.status_code == 200
    assert response["Cache-Control"] != NO_STORE and "max-age=0" in response["Cache-Control"]


def test_a_view_with_its_own_header_keeps_it(staff):
    response = staff.get(chart_url("histogram", {"c": [["A", 1]]}))
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
