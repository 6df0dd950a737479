"""Import upload from the web UI: the upload becomes a job, run here eagerly
(CELERY_TASK_ALWAYS_EAGER in the test settings) once the request commits."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import ImportBatch, ImportJob, Response, Service, SurveyRound
from surveys.services import import_job_create
from surveys.tests.factories import PeriodFactory, SurveyRoundFactory
from surveys.tests.tallies import answer_sums
from surveys.views import imports as import_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    def post(unit, period, content: bytes, name="data.csv", **extra):
        data = {"berkas": SimpleUploadedFile(name, content), "periode": str(period.pk), **extra}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("surveys:import_upload", args=[unit.code]), data)

    return post


def job_page(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("admin_user", 200), ("bob", 403), ("charlie", 403), (None, 302)]
)
def test_import_permissions(request, client, upload, unit, period, reference_csv, who, status):
    if who:
        client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    assert client.get(reverse("surveys:import_upload", args=[unit.code])).status_code == status
    response = upload(unit, period, reference_csv.read_bytes())
    assert response.status_code == (302 if status in (200, 302) else 403)
    assert Response.objects.count() == (50 if status == 200 else 0)
    assert ImportJob.objects.count() == (1 if status == 200 else 0)


@pytest.mark.parametrize("fixture", ["reference_csv", "reference_xlsx"])
def test_reference_upload_runs_as_a_job(request, client, upload, alice, unit, period, reference_expected, fixture):
    client.login(username="alice", password=PASSWORD)
    path = request.getfixturevalue(fixture)
    response = upload(unit, period, path.read_bytes(), name=path.name)
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("surveys:import_job", args=[unit.code, job.pk])
    assert job.status == "done" and job.percent == 100 and job.errors == []
    totals, _answered = answer_sums(Response.objects.filter(unit=unit, period=period))
    assert list(totals.values()) == [u["total"] for u in reference_expected["unsur"]]
    batch = ImportBatch.objects.get()
    assert job.batch == batch and batch.created_by == alice and batch.rows == 50
    html = job_page(client, response)
    assert "50 jawaban dari" in html and path.name in html
    assert not job.upload, "the stored upload is deleted once the job ends"


def test_bad_file_lists_errors_on_the_job_page_and_saves_nothing(client, upload, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    content = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,1,1,1,1,1,1,1,1\n1,1,5,1,1,1,1,1,1\n"
    response = upload(unit, period, content)
    html = job_page(client, response)
    assert "baris 3, kolom U3: nilai &#x27;5&#x27; tidak valid (1-4 atau a-d)" in html
    assert "Tidak ada data yang disimpan" in html
    assert ImportJob.objects.get().status == "failed"
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0
    status = client.get(reverse("surveys:import_job_status", args=[unit.code, ImportJob.objects.get().pk])).json()
    assert status["finished"] is True and status["status"] == "failed"
    assert status["errors"] == ["baris 3, kolom U3: nilai '5' tidak valid (1-4 atau a-d)"]


def test_long_saran_warning_is_shown_on_the_job_page(client, upload, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    content = f"U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n3,3,3,3,3,3,3,3,3,{'s' * 5200}\n".encode()
    html = job_page(client, upload(unit, period, content))
    assert "baris 2, kolom saran: saran 5.200 karakter dipotong menjadi 5.000 karakter" in html
    assert len(Response.objects.get().suggestion) == 5000


def test_duplicate_upload_needs_reimport_tick(client, upload, alice, unit, period, reference_csv):
    client.login(username="alice", password=PASSWORD)
    upload(unit, period, reference_csv.read_bytes())
    html = job_page(client, upload(unit, period, reference_csv.read_bytes()))
    assert "sudah diimpor" in html
    # The web page names its own tick box, never the command's --force (issue 8).
    assert "centang &quot;Impor ulang meskipun berkas yang sama sudah pernah diimpor&quot;" in html
    assert "--force" not in html
    job_page(client, upload(unit, period, reference_csv.read_bytes(), impor_ulang="on"))
    assert Response.objects.count() == 100
    assert list(ImportJob.objects.order_by("pk").values_list("status", flat=True)) == ["done", "failed", "done"]


def test_unknown_service_needs_create_tick(client, upload, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    content = b"layanan,U1,U2,U3,U4,U5,U6,U7,U8,U9\nKTP,1,1,1,1,1,1,1,1,1\n"
    refused = job_page(client, upload(unit, period, content))
    assert "tidak dikenal" in refused
    assert "Centang &quot;Buat jenis layanan baru" in refused and "--create" not in refused
    html = job_page(client, upload(unit, period, content, buat_layanan="on"))
    assert "Jenis layanan baru:" in html
    assert Service.objects.get(unit=unit).name == "KTP"


def test_a_period_without_an_open_round_cannot_be_chosen(client, upload, alice, unit, period, reference_csv):
    closed = PeriodFactory(code="2024-S1", start_date="2024-01-01", end_date="2024-06-30")
    SurveyRoundFactory(unit=unit, period=closed, status=SurveyRound.Status.CLOSED)
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("surveys:import_upload", args=[unit.code])).content.decode()
    assert f'value="{period.pk}"' in page and f'value="{closed.pk}"' not in page
    response = upload(unit, closed, reference_csv.read_bytes())
    assert response.status_code == 400
    assert "tidak sedang dibuka" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_upload_over_the_limit_is_refused_by_the_handler(client, upload, alice, unit, period, settings):
    settings.SKM_IMPORT_MAX_BYTES = 1000
    client.login(username="alice", password=PASSWORD)
    response = upload(unit, period, b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n" + b"1,1,1,1,1,1,1,1,1\n" * 300)
    assert response.status_code == 413
    assert "Berkas terlalu besar (maksimal 0 MB)" in response.content.decode()
    assert ImportJob.objects.count() == 0


class ExplodingInput(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def test_upload_over_the_limit_is_refused_before_the_body_is_read(rf: RequestFactory, alice, unit, period, settings):
    settings.SKM_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    request = rf.generic(
        "POST",
        reverse("surveys:import_upload", args=[unit.code]),
        content_type="multipart/form-data; boundary=xyz",
        **{"CONTENT_LENGTH": str(40 * 1024 * 1024), "wsgi.input": ExplodingInput()},
    )
    request.user = alice
    response = import_views.import_upload(request, unit_code=unit.code)
    assert response.status_code == 413
    assert "Berkas terlalu besar (maksimal 20 MB). Bagi menjadi beberapa berkas." in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.fixture
def queued_job(unit, period, alice):
    # Queued, not run: no on-commit callbacks fire inside the test transaction.
    return import_job_create(
        user=alice, unit=unit, period=period, upload=SimpleUploadedFile("a.csv", b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n")
    )


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("admin_user", 200), ("bob", 403), ("charlie", 403), (None, 302)]
)
@pytest.mark.parametrize("name", ["surveys:import_job", "surveys:import_job_status"])
def test_job_pages_permissions(request, client, queued_job, unit, who, status, name):
    if who:
        client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    assert client.get(reverse(name, args=[unit.code, queued_job.pk])).status_code == status


def test_queued_job_page_shows_the_progress_bar(client, queued_job, alice, unit):
    client.login(username="alice", password=PASSWORD)
    html = client.get(reverse("surveys:import_job", args=[unit.code, queued_job.pk])).content.decode()
    assert 'id="job-bar"' in html and "Dalam antrean" in html and "js/import-job.js" in html
    payload = client.get(reverse("surveys:import_job_status", args=[unit.code, queued_job.pk])).json()
    assert payload["status"] == "queued" and payload["finished"] is False and payload["percent"] == 0


def test_unknown_job_and_job_of_another_unit_are_404(client, queued_job, alice, unit, other_unit, charlie):
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("surveys:import_job", args=[unit.code, queued_job.pk + 1])).status_code == 404
    client.login(username="charlie", password=PASSWORD)
    # charlie may write to his own unit, but the job is not of that unit
    assert client.get(reverse("surveys:import_job", args=[other_unit.code, queued_job.pk])).status_code == 404


def test_nul_byte_in_a_form_field_is_a_400(client, upload, alice, unit, period, reference_csv):
    client.login(username="alice", password=PASSWORD)
    response = upload(unit, period, reference_csv.read_bytes(), buat_layanan="on\x00")
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


def test_job_messages_are_stored_in_indonesian_and_shown_in_the_readers_language(
    client, upload, alice, unit, period, settings
):
    client.login(username="alice", password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the uploader reads English
    content = b"U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan\n1,1,1,1,1,1,1,1,1,Loket X\n1,1,5,1,1,1,1,1,1,\n"
    response = upload(unit, period, content)
    job = ImportJob.objects.get()
    hint = (
        "Centang \"Buat jenis layanan baru bila nama di kolom 'layanan' belum terdaftar\" lalu unggah ulang, "
        "atau perbaiki nama jenis layanan di berkas."
    )
    assert job.errors == [
        "baris 2, kolom layanan: jenis layanan 'Loket X' tidak dikenal untuk unit pulutan",
        "baris 3, kolom U3: nilai '5' tidak valid (1-4 atau a-d)",
        hint,
    ]
    status_url = reverse("surveys:import_job_status", args=[unit.code, job.pk])
    assert client.get(status_url).json()["errors"] == [
        "row 2, column layanan: service type 'Loket X' is not known for unit pulutan",
        "row 3, column U3: value '5' is not valid (1-4 or a-d)",
        "Tick \"Create a new service type when the name in the 'layanan' column is not yet registered\" "
        "and upload again, or correct the service type names in the file.",
    ]
    html = job_page(client, response)
    assert "row 3, column U3: value &#x27;5&#x27; is not valid (1-4 or a-d)" in html
    assert "tidak valid" not in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert client.get(status_url).json()["errors"] == job.errors


def test_job_warnings_are_shown_in_english_with_indonesian_numbers(client, upload, alice, unit, period, settings):
    client.login(username="alice", password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = f"U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n3,3,3,3,3,3,3,3,3,{'s' * 5200}\n".encode()
    upload(unit, period, content)
    job = ImportJob.objects.get()
    assert job.warnings == ["baris 2, kolom saran: saran 5.200 karakter dipotong menjadi 5.000 karakter"]
    status = client.get(reverse("surveys:import_job_status", args=[unit.code, job.pk])).json()
    assert status["warnings"] == ["row 2, column saran: suggestion of 5.200 characters shortened to 5.000 characters"]
