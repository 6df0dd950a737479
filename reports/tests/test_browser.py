"""The job page polls its JSON endpoint and shows the download link when the job is done."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from reports.models import ExportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_progress_bar_follows_the_job_to_the_download(live_server, page, alice, unit, period):
    job = ExportJob.objects.create(
        kind="pdf_survey",
        unit=unit,
        period=period,
        status="running",
        percent=30,
        message="Membuat PDF",
        requested_by=alice,
        started_at=timezone.now(),
    )
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", alice.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + reverse("reports:job_detail", args=[job.pk]))
    bar = page.locator("#job-bar")
    assert bar.inner_text() == "30%"
    assert not page.locator("#job-done").is_visible()

    ExportJob.objects.filter(pk=job.pk).update(percent=70, message="Menyimpan berkas")
    # No wait_for_function(string): the Content-Security-Policy forbids eval.
    expect(page.locator("#job-bar")).to_have_text("70%", timeout=10_000)
    job.result.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        status="done", percent=100, result=job.result.name, finished_at=timezone.now()
    )
    page.locator("#job-download").wait_for(state="visible", timeout=10_000)
    assert page.locator("#job-status").inner_text() == "Selesai"
    href = page.locator("#job-download").get_attribute("href")
    assert href == reverse("reports:job_download", args=[job.pk])


def test_attachment_link_appears_when_a_large_report_finishes(live_server, page, alice, unit, period):
    job = ExportJob.objects.create(
        kind="pdf_survey", unit=unit, period=period, status="running", percent=60, started_at=timezone.now()
    )
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", alice.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + reverse("reports:job_detail", args=[job.pk]))
    assert not page.locator("#job-attachment").is_visible()
    job.result.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    job.attachment.save("x.xlsx", ContentFile(b"PK test"), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        status="done", percent=100, result=job.result.name, attachment=job.attachment.name, finished_at=timezone.now()
    )
    page.locator("#job-attachment").wait_for(state="visible", timeout=10_000)
    assert page.locator("#job-attachment").get_attribute("href") == reverse(
        "reports:job_download_attachment", args=[job.pk]
    )
