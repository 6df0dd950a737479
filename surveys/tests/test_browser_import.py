"""Chromium: staff upload a file, watch the job's progress bar, then read the result
(a real Celery worker imports it; the page polls and reloads when it is done)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from surveys.models import ImportJob, Response

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HEADER = "no,U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n"


def login(page, live_server, user):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_upload_progress_done(live_server, page, import_worker, alice, unit, period, tmp_path):
    import_worker(step_delay=0.4)
    path = tmp_path / "responden.csv"
    long_saran = "s" * 5100
    rows = [f"{i},4,3,3,4,4,3,3,4,3,{long_saran if i == 7 else ''}\n" for i in range(1, 5001)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")

    login(page, live_server, alice)
    page.goto(live_server.url + reverse("surveys:import_upload", args=[unit.code]))
    page.set_input_files("#id_berkas", str(path))
    page.get_by_role("button", name="Impor").click()

    job = ImportJob.objects.get()
    expect(page).to_have_url(live_server.url + reverse("surveys:import_job", args=[unit.code, job.pk]))
    bar = page.locator("#job-bar")
    expect(bar).to_be_visible()
    # The bar moves while the worker writes the rows...
    # (no wait_for_function: the Content-Security-Policy forbids evaluating strings)
    expect(bar).to_have_text(re.compile(r"^([6-9]|[1-9][0-9])%$"), timeout=30_000)
    page.screenshot(path=str(tmp_path / "import-running.png"), full_page=True)
    # ...then the page reloads with the result and the warning.
    done = page.locator("#job-done")
    expect(done).to_be_visible(timeout=60_000)
    expect(done).to_contain_text("5.000 jawaban dari 'responden.csv' diimpor ke periode")
    expect(page.locator("#import-warnings")).to_contain_text(
        "baris 8, kolom saran: saran 5.100 karakter dipotong menjadi 5.000 karakter"
    )
    assert page.locator("#job-status").inner_text() == "Selesai"
    assert Response.objects.filter(unit=unit, period=period).count() == 5000
    page.screenshot(path=str(tmp_path / "import-done.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "import-done-390.png"), full_page=True)


def test_rejected_file_lists_row_errors(live_server, page, import_worker, alice, unit, period, tmp_path):
    import_worker()
    path = tmp_path / "salah.csv"
    path.write_text(HEADER + "1,4,3,3,4,4,3,3,4,3,\n2,4,3,9,4,4,3,3,4,3,\n", encoding="utf-8")
    login(page, live_server, alice)
    page.goto(live_server.url + reverse("surveys:import_upload", args=[unit.code]))
    page.set_input_files("#id_berkas", str(path))
    page.get_by_role("button", name="Impor").click()
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible(timeout=60_000)
    expect(errors).to_contain_text("baris 3, kolom U3: nilai '9' tidak valid (1-4 atau a-d)")
    expect(page.locator("#job-failed")).to_contain_text("Tidak ada data yang disimpan")
    expect(page.locator("#job-progress")).to_have_count(0)  # no empty bar under a refusal
    page.screenshot(path=str(tmp_path / "import-failed.png"), full_page=True)
    assert Response.objects.count() == 0
