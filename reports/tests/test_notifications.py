"""The e-mail to the requester of a failed export job (issue 19 item 12): once per
failed attempt, with a link to the job, whichever way the job failed."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from reports import services as report_services
from reports.models import ExportJob
from reports.services_notifications import export_failed_notifications_send
from reports.tasks import send_export_failed_notifications
from surveys.models import NotificationKind
from surveys.services_notifications import notification_preferences_set

pytestmark = pytest.mark.django_db

SITE = "https://skm.example.go.id"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SKM_SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def requester(alice):
    alice.email = "alice@example.go.id"
    alice.save(update_fields=["email"])
    return alice


def _job(unit, period, user, **fields):
    defaults = {"kind": ExportJob.Kind.PDF_SURVEY, "status": ExportJob.Status.QUEUED, "attempt": 1}
    return ExportJob.objects.create(unit=unit, period=period, requested_by=user, **{**defaults, **fields})


def _fail(job, error=report_services.QUEUE_UNAVAILABLE):
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=error, finished_at=timezone.now())


def test_the_requester_of_a_failed_job_is_mailed_once_per_failed_attempt(unit, period, requester, bob):
    job = _job(unit, period, requester)
    _fail(job)

    assert export_failed_notifications_send().sent == 1
    [message] = mail.outbox
    assert message.to == ["alice@example.go.id"]
    assert message.subject == "[SKM] Ekspor gagal: Laporan SKM (PDF) Kelurahan Pulutan Semester II Tahun 2024"
    assert "Alasan: Layanan antrean ekspor sedang tidak tersedia." in message.body
    assert f"{SITE}/laporan/tugas/{job.pk}/" in message.body
    assert f"{SITE}/notifikasi/" in message.body

    assert export_failed_notifications_send().sent == 0  # the next scan
    assert len(mail.outbox) == 1

    # "Coba lagi" and it fails again: a new failure, a new mail.
    ExportJob.objects.filter(pk=job.pk).update(attempt=2, status=ExportJob.Status.QUEUED)
    _fail(job, error="Ekspor gagal: disk penuh")
    assert export_failed_notifications_send().sent == 1
    assert "Alasan: Ekspor gagal: disk penuh" in mail.outbox[1].body


def test_a_job_failed_by_the_worker_is_mailed(unit, period, requester, monkeypatch):
    job = _job(unit, period, requester)

    def explode(**kwargs):
        raise RuntimeError("font tidak ditemukan")

    monkeypatch.setattr(report_services, "export_write", explode)
    assert report_services.export_job_run(job_id=job.pk, attempt=job.attempt) == ExportJob.Status.FAILED
    assert send_export_failed_notifications.apply().get()["sent"] == 1
    assert "font tidak ditemukan" in mail.outbox[0].body


def test_no_mail_for_jobs_that_did_not_fail_old_failures_or_turned_off(unit, period, requester):
    _job(unit, period, requester, status=ExportJob.Status.DONE, finished_at=timezone.now())
    old = _job(unit, period, requester, kind=ExportJob.Kind.XLSX)
    _fail(old)
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=2))
    assert export_failed_notifications_send().sent == 0

    turned_off = _job(unit, period, requester, kind=ExportJob.Kind.RAW_CSV)
    _fail(turned_off)
    notification_preferences_set(user=requester, enabled={NotificationKind.EXPORT_FAILED.value: False})
    assert export_failed_notifications_send().sent == 0
    assert mail.outbox == []


def test_a_requester_who_lost_access_to_the_unit_is_not_told_about_it(unit, period, charlie):
    charlie.email = "charlie@example.go.id"
    charlie.save(update_fields=["email"])
    _fail(_job(unit, period, charlie))
    assert export_failed_notifications_send().sent == 0
    assert mail.outbox == []
