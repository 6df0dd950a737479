"""A large Laporan SKM stays bounded: past SKM_REPORT_APPENDIX_MAX_RESPONDENTS the
per-respondent appendix goes into an XLSX attached to the job, and past
SKM_REPORT_SARAN_MAX_ROWS identical saran are merged with their counts."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from reports.models import ExportJob
from reports.selectors import saran_appendix
from reports.services import export_job_run, report_pdf_write
from reports.tests.test_reports import pdftext, squash
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db

# 12 respondents, 10 with a saran: 5 different, most frequent first, ties by text.
SARAN = ["Antrian dipercepat"] * 4 + ["Parkir diperluas"] * 3 + ["Cetak ulang KTP", "Jam buka ditambah", "Toilet"]


@pytest.fixture
def large(unit, period, settings):
    settings.SKM_REPORT_APPENDIX_MAX_RESPONDENTS = 10
    settings.SKM_REPORT_SARAN_MAX_ROWS = 3
    for i, text in enumerate(SARAN + ["", ""]):
        ResponseFactory(unit=unit, period=period, number=i + 1, suggestion=text, U1=4)
    return unit


def test_saran_are_grouped_and_counted_past_the_limit(large, period):
    saran = saran_appendix(unit=large, period=period)
    assert saran.grouped and saran.total == 10 and saran.distinct == 5
    assert saran.rows == [("Antrian dipercepat", 4), ("Parkir diperluas", 3), ("Cetak ulang KTP", 1)]
    assert (saran.omitted_groups, saran.omitted_saran) == (2, 2)
    # At or under the limit: one row per saran, in the order they came.
    few = saran_appendix(unit=large, period=period, limit=10)
    assert not few.grouped and [s for s, _n in few.rows] == SARAN


def test_large_report_points_to_the_attachment_instead_of_listing_respondents(large, period, tmp_path):
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=large, period=period, target=out)
    text = squash(pdftext(out))
    assert "Data per responden (12 responden) tidak dicetak di sini karena melebihi 10 responden" in text
    assert "“Data responden”" in text and "lampiran XLSX" in text
    assert "Σ Nilai 48 36" in text  # the totals stay: U1 12 × 4 = 48, U2 12 × 3 = 36
    assert "10 responden menulis saran (5 saran berbeda)" in text
    assert "Dicetak 3 saran teratas; 2 saran berbeda lainnya (dari 2 responden)" in text
    assert "1 Antrian dipercepat 4" in text and "2 Parkir diperluas 3" in text and "3 Cetak ulang KTP 1" in text
    assert "Jam buka ditambah" not in text


def test_large_report_job_writes_the_attachment(large, period, alice, charlie, client):
    job = ExportJob.objects.create(kind="pdf_survey", unit=large, period=period, attempt=1)
    assert export_job_run(job_id=job.pk, attempt=1) == "done"
    job.refresh_from_db()
    assert job.result.name.endswith(".pdf") and job.attachment.name.endswith(".xlsx")
    wb = load_workbook(job.attachment.path)
    data = [r for r in wb["Data responden"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(data) == 12
    saran = [r for r in wb["Saran"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [(r[1], r[2]) for r in saran] == [
        ("Antrian dipercepat", 4),
        ("Parkir diperluas", 3),
        ("Cetak ulang KTP", 1),
        ("Jam buka ditambah", 1),
        ("Toilet", 1),
    ]

    url = reverse("reports:job_download_attachment", args=[job.pk])
    assert client.get(url).status_code == 302  # anonymous: login
    assert client.login(username="charlie", password=PASSWORD)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.login(username="alice", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert f"lampiran-laporan-skm-{large.code}-{period.code}.xlsx" in response["Content-Disposition"]
    page = client.get(reverse("reports:job_detail", args=[job.pk])).content.decode()
    assert "Unduh lampiran (XLSX)" in page and url in page
    assert client.get(reverse("reports:job_status", args=[job.pk])).json()["attachment_url"] == url


def test_small_report_has_no_attachment(unit, period, reference_responses, alice, client):
    job = ExportJob.objects.create(kind="pdf_survey", unit=unit, period=period, attempt=1)
    assert export_job_run(job_id=job.pk, attempt=1) == "done"
    job.refresh_from_db()
    assert job.result and not job.attachment
    assert client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("reports:job_download_attachment", args=[job.pk])).status_code == 404


def test_attachment_cells_are_neutralised(unit, period, settings, tmp_path):
    settings.SKM_REPORT_APPENDIX_MAX_RESPONDENTS = 0
    ResponseFactory(unit=unit, period=period, suggestion='=HYPERLINK("http://x","klik")')
    job = ExportJob.objects.create(kind="pdf_survey", unit=unit, period=period, attempt=1)
    assert export_job_run(job_id=job.pk, attempt=1) == "done"
    job.refresh_from_db()
    wb = load_workbook(job.attachment.path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert '\'=HYPERLINK("http://x","klik")' in [c.value for c in cells]


def test_skm_report_command_writes_the_attachment_beside_the_pdf(large, period, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "laporan.pdf"
    call_command("skm_report", "survey", "--unit", large.code, "--period", period.code, "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    attachment = tmp_path / "laporan-lampiran.xlsx"
    assert (
        len([r for r in load_workbook(attachment)["Saran"].iter_rows(values_only=True) if isinstance(r[0], int)]) == 5
    )
