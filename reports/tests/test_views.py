"""Report and export-job pages: alice (owner), bob (supervisor), charlie (outsider), anonymous."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from reports.models import ExportJob
from reports.services import QUEUE_UNAVAILABLE
from reports.tests.conftest import reset_celery_pools
from skm.celery import app as celery_app

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


# Tests that enqueue need real commits: the job is sent to Celery in
# transaction.on_commit, which never fires inside the usual test transaction.
enqueues = pytest.mark.django_db(transaction=True)


def request_export(client, unit, period, kind="pdf_followup"):
    return client.post(
        reverse("reports:export_request", args=[unit.code]),
        {"kind": kind, "period": period.code, "weight_mode": "exact"},
    )


@pytest.mark.parametrize("who,status", [("alice", 200), ("bob", 200), ("charlie", 403), ("admin_user", 200)])
def test_unit_reports_page_access(client, request, unit, period, who, status):
    login(client, request.getfixturevalue(who))
    resp = client.get(reverse("reports:unit_reports", args=[unit.code]))
    assert resp.status_code == status
    if status == 200:
        assert "Laporan Hasil Tindak Lanjut (PDF)" in resp.content.decode()


def test_anonymous_is_sent_to_login(client, unit, period):
    for url in (
        reverse("reports:unit_reports", args=[unit.code]),
        reverse("reports:job_list"),
        reverse("reports:job_detail", args=[1]),
        reverse("reports:job_status", args=[1]),
        reverse("reports:job_download", args=[1]),
    ):
        resp = client.get(url)
        assert resp.status_code == 302 and "/masuk/" in resp["Location"]
    resp = request_export(client, unit, period)
    assert resp.status_code == 302 and "/masuk/" in resp["Location"]
    assert not ExportJob.objects.exists()


def test_unknown_unit_is_404(client, alice):
    login(client, alice)
    assert client.get(reverse("reports:unit_reports", args=["tidak-ada"])).status_code == 404


@enqueues
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_staff_and_supervisor_get_a_finished_pdf_eagerly(client, request, unit, period, report_plan, who):
    user = request.getfixturevalue(who)
    login(client, user)
    resp = request_export(client, unit, period)
    job = ExportJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("reports:job_detail", args=[job.pk])
    assert job.status == ExportJob.Status.DONE and job.percent == 100 and job.requested_by == user
    assert job.duration is not None
    page = client.get(resp["Location"]).content.decode()
    assert "progress-bar" in page and reverse("reports:job_download", args=[job.pk]) in page
    status = client.get(reverse("reports:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["download_url"]
    dl = client.get(reverse("reports:job_download", args=[job.pk]))
    assert dl.status_code == 200
    assert b"".join(dl.streaming_content).startswith(b"%PDF")
    assert "laporan-tindak-lanjut-pulutan-2024-S2.pdf" in dl["Content-Disposition"]


@enqueues
def test_outsider_cannot_request_or_see_jobs(client, alice, charlie, unit, period, reference_responses):
    login(client, alice)
    request_export(client, unit, period, kind="pdf_survey")
    job = ExportJob.objects.get()
    client.logout()
    login(client, charlie)
    assert request_export(client, unit, period).status_code == 403
    assert ExportJob.objects.count() == 1
    for name in ("reports:job_detail", "reports:job_status", "reports:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("reports:job_retry", args=[job.pk])).status_code == 404
    assert "Belum ada tugas ekspor" in client.get(reverse("reports:job_list")).content.decode()


def test_job_list_paginates_and_scopes(client, alice, bob, unit, period, other_unit):
    ExportJob.objects.bulk_create(
        [ExportJob(kind="pdf_survey", unit=unit, period=period, status="done") for _ in range(25)]
        + [ExportJob(kind="pdf_survey", unit=other_unit, period=period, status="done")]
    )
    login(client, bob)
    page1 = client.get(reverse("reports:job_list"))
    assert page1.context["jobs"].paginator.count == 25
    assert "Halaman 1 dari 2" in page1.content.decode()
    assert len(client.get(reverse("reports:job_list") + "?halaman=2").context["jobs"].object_list) == 5


def test_invalid_request_shows_message(client, alice, unit):
    login(client, alice)
    resp = client.post(
        reverse("reports:export_request", args=[unit.code]), {"kind": "pdf_survey", "period": "1999-S1"}, follow=True
    )
    assert resp.status_code == 200
    assert "Periode tidak ditemukan." in resp.content.decode()
    assert not ExportJob.objects.exists()


def test_get_on_export_request_is_405(client, alice, unit):
    login(client, alice)
    assert client.get(reverse("reports:export_request", args=[unit.code])).status_code == 405


@enqueues
def test_failed_job_shows_reason_and_retry_succeeds(client, alice, unit, period, reference_responses):
    job = ExportJob.objects.create(
        kind="pdf_survey", unit=unit, period=period, status="failed", error="Ekspor gagal: contoh", attempt=1
    )
    login(client, alice)
    page = client.get(reverse("reports:job_detail", args=[job.pk])).content.decode()
    assert "Ekspor gagal: contoh" in page and "Coba lagi" in page
    resp = client.post(reverse("reports:job_retry", args=[job.pk]))
    assert resp.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.attempt == 2 and job.error == ""


@enqueues
def test_supervisor_may_retry_too(client, bob, unit, period, reference_responses):
    job = ExportJob.objects.create(kind="pdf_survey", unit=unit, period=period, status="failed", attempt=1)
    login(client, bob)
    client.post(reverse("reports:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done"


@pytest.fixture
def broker_down():
    """REDIS_URL set but nothing listens there: a real broker connection is refused."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    reset_celery_pools()
    conf.broker_url = "redis://127.0.0.1:1/15"
    conf.task_always_eager = False
    yield
    conf.broker_url, conf.task_always_eager = saved
    reset_celery_pools()


@enqueues
def test_redis_down_gives_clear_message_and_failed_job(client, alice, unit, period, broker_down):
    login(client, alice)
    resp = request_export(client, unit, period)
    job = ExportJob.objects.get()
    assert resp.status_code == 302
    assert job.status == ExportJob.Status.FAILED and job.error == QUEUE_UNAVAILABLE
    page = client.get(resp["Location"])
    assert page.status_code == 200
    assert "Layanan antrean ekspor sedang tidak tersedia" in page.content.decode()
    # The rest of the site still works.
    assert client.get(reverse("surveys:dashboard")).status_code == 200
    assert client.get(reverse("reports:job_list")).status_code == 200


@pytest.mark.usefixtures("during_period")
@enqueues
def test_questionnaire_does_not_need_redis(client, unit, period, broker_down):
    from surveys.models import Response
    from surveys.tests.test_questionnaire import submit

    response = submit(client, unit)
    assert response.status_code == 302
    assert Response.objects.filter(unit=unit, period=period, channel=Response.Channel.WEB).count() == 1


def test_dashboard_links_to_unit_reports(client, alice, unit):
    login(client, alice)
    assert (
        reverse("reports:unit_reports", args=[unit.code]) in client.get(reverse("surveys:dashboard")).content.decode()
    )


# ----------------------------------------------------------- Word (DOCX)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def request_report_button(client, unit, period, report, kind="xlsx"):
    """The "Unduh PDF" / "Unduh Word (DOCX)" buttons: the button's value wins over the list."""
    return client.post(
        reverse("reports:export_request", args=[unit.code]),
        {"kind": kind, "report": report, "period": period.code, "weight_mode": "exact"},
    )


def test_reports_page_has_word_buttons_beside_the_pdf_ones(client, alice, unit, period):
    login(client, alice)
    page = client.get(reverse("reports:unit_reports", args=[unit.code])).content.decode()
    for kind in ("pdf_survey", "docx_survey", "pdf_followup", "docx_followup"):
        assert f'name="report" value="{kind}"' in page
    assert page.count("Unduh Word (DOCX)") == 2 and page.count("Unduh PDF") == 2
    # The list offers them too.
    assert "Laporan SKM (Word/DOCX)" in page and "Laporan Hasil Tindak Lanjut (Word/DOCX)" in page


@enqueues
@pytest.mark.parametrize(
    "who,report,filename",
    [
        ("alice", "docx_survey", "laporan-skm-pulutan-2024-S2.docx"),
        ("alice", "docx_followup", "laporan-tindak-lanjut-pulutan-2024-S2.docx"),
        ("bob", "docx_survey", "laporan-skm-pulutan-2024-S2.docx"),
        ("bob", "docx_followup", "laporan-tindak-lanjut-pulutan-2024-S2.docx"),
        ("admin_user", "docx_followup", "laporan-tindak-lanjut-pulutan-2024-S2.docx"),
    ],
)
def test_word_reports_through_the_export_job(client, request, unit, period, report_plan, who, report, filename):
    """Same path as the PDFs: staff, the supervisor (read access) and an admin request and download."""
    import io

    import docx

    user = request.getfixturevalue(who)
    login(client, user)
    resp = request_report_button(client, unit, period, report)
    job = ExportJob.objects.get()
    assert job.kind == report and job.requested_by == user
    assert resp["Location"] == reverse("reports:job_detail", args=[job.pk])
    assert job.status == ExportJob.Status.DONE and job.percent == 100
    page = client.get(resp["Location"]).content.decode()
    assert "progress-bar" in page and reverse("reports:job_download", args=[job.pk]) in page
    assert client.get(reverse("reports:job_status", args=[job.pk])).json()["download_url"]
    dl = client.get(reverse("reports:job_download", args=[job.pk]))
    assert dl.status_code == 200
    assert dl["Content-Type"] == DOCX_TYPE
    assert f'filename="{filename}"' in dl["Content-Disposition"]
    document = docx.Document(io.BytesIO(b"".join(dl.streaming_content)))
    chapter = {
        "docx_survey": "BAB IV\nANALISIS HASIL SURVEI KEPUASAN MASYARAKAT",
        "docx_followup": "BAB IV\nKESIMPULAN",
    }
    assert chapter[report] in [p.text for p in document.paragraphs]


@enqueues
def test_outsider_cannot_request_or_download_a_word_report(client, alice, charlie, unit, period, reference_responses):
    login(client, alice)
    request_report_button(client, unit, period, "docx_followup")
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    client.logout()
    login(client, charlie)
    assert request_report_button(client, unit, period, "docx_survey").status_code == 403
    assert ExportJob.objects.count() == 1
    for name in ("reports:job_detail", "reports:job_status", "reports:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    client.logout()
    resp = client.get(reverse("reports:job_download", args=[job.pk]))
    assert resp.status_code == 302 and "/masuk/" in resp["Location"]


@enqueues
def test_large_word_survey_report_gets_the_xlsx_attachment(client, settings, alice, unit, period, reference_responses):
    settings.SKM_REPORT_APPENDIX_MAX_RESPONDENTS = 10
    login(client, alice)
    request_report_button(client, unit, period, "docx_survey")
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and job.attachment
    dl = client.get(reverse("reports:job_download_attachment", args=[job.pk]))
    assert dl.status_code == 200 and b"".join(dl.streaming_content).startswith(b"PK")


def test_unknown_report_button_is_refused(client, alice, unit, period):
    login(client, alice)
    resp = request_report_button(client, unit, period, "docx_rahasia")
    assert resp.status_code == 302
    assert not ExportJob.objects.exists()
    assert "Jenis laporan tidak dikenal." in client.get(resp["Location"]).content.decode()
