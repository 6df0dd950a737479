"""Import upload from the web UI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import ImportBatch, Response, Service
from surveys.tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db


def upload(client, unit, period, content: bytes, name="data.csv", **extra):
    data = {"berkas": SimpleUploadedFile(name, content), "periode": str(period.pk), **extra}
    return client.post(reverse("surveys:import_upload", args=[unit.code]), data)


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("admin_user", 200), ("bob", 403), ("charlie", 403), (None, 302)]
)
def test_import_permissions(request, client, unit, period, reference_csv, who, status):
    if who:
        client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    assert client.get(reverse("surveys:import_upload", args=[unit.code])).status_code == status
    response = upload(client, unit, period, reference_csv.read_bytes())
    assert response.status_code == (302 if status in (200, 302) else 403)
    assert Response.objects.count() == (50 if status == 200 else 0)


@pytest.mark.parametrize("fixture", ["reference_csv", "reference_xlsx"])
def test_reference_upload(request, client, alice, unit, period, reference_expected, fixture):
    client.login(username="alice", password=PASSWORD)
    path = request.getfixturevalue(fixture)
    response = upload(client, unit, period, path.read_bytes(), name=path.name)
    assert response.status_code == 302
    totals = Response.objects.filter(unit=unit, period=period).aggregate(
        **{f"u{i}": Sum(f"u{i}") for i in range(1, 10)}
    )
    assert [totals[f"u{i}"] for i in range(1, 10)] == [u["total"] for u in reference_expected["unsur"]]
    batch = ImportBatch.objects.get()
    assert batch.created_by == alice and batch.rows == 50
    page = client.get(response["Location"]).content.decode()
    assert "50 jawaban dari" in page and path.name in page


def test_bad_file_lists_errors_and_saves_nothing(client, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    content = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,1,1,1,1,1,1,1,1\n1,1,5,1,1,1,1,1,1\n"
    response = upload(client, unit, period, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert "baris 3, kolom U3: nilai &#x27;5&#x27; tidak valid (1-4 atau a-d)" in html
    assert "Tidak ada data yang disimpan" in html
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_duplicate_upload_needs_reimport_tick(client, alice, unit, period, reference_csv):
    client.login(username="alice", password=PASSWORD)
    upload(client, unit, period, reference_csv.read_bytes())
    again = upload(client, unit, period, reference_csv.read_bytes())
    assert again.status_code == 400 and "sudah diimpor" in again.content.decode()
    assert upload(client, unit, period, reference_csv.read_bytes(), impor_ulang="on").status_code == 302
    assert Response.objects.count() == 100


def test_unknown_service_needs_create_tick(client, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    content = b"layanan,U1,U2,U3,U4,U5,U6,U7,U8,U9\nKTP,1,1,1,1,1,1,1,1,1\n"
    assert upload(client, unit, period, content).status_code == 400
    assert upload(client, unit, period, content, buat_layanan="on").status_code == 302
    assert Service.objects.get(unit=unit).name == "KTP"


def test_closed_period_cannot_be_chosen(client, alice, unit, reference_csv):
    closed = PeriodFactory(code="2024-S2", is_open=False)
    client.login(username="alice", password=PASSWORD)
    response = upload(client, unit, closed, reference_csv.read_bytes())
    assert response.status_code == 400
    assert "Periode tidak tersedia atau sudah ditutup." in response.content.decode()
    assert Response.objects.count() == 0


def test_binary_upload(client, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    response = upload(client, unit, period, b"\x89PNG\r\n\x1a\n" + bytes(300), name="foto.csv")
    assert response.status_code == 400 and "biner" in response.content.decode()


def test_missing_file(client, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    response = client.post(reverse("surveys:import_upload", args=[unit.code]), {"periode": period.pk})
    assert response.status_code == 400 and "Pilih berkas yang akan diimpor." in response.content.decode()


def test_history_empty_state(client, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    assert (
        "Belum ada berkas yang diimpor"
        in client.get(reverse("surveys:import_upload", args=[unit.code])).content.decode()
    )
