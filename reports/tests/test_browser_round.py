"""Chromium, the whole round as users live it: staff open a round for a past
period, import its file and close it; a supervisor publishes; the public page
shows the result and its archive."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from surveys.models import RoundPublication, SurveyRound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def test_round_from_opening_to_publication(live_server, page, alice, bob, unit, reference_csv, tmp_path):
    rounds_url = live_server.url + reverse("surveys:round_manage", args=[unit.code])

    # Staff open the round of a past period (2024-S2) to bring in its paper forms.
    login(page, live_server, alice)
    page.goto(rounds_url)
    page.get_by_label("Kode periode").fill("2024-S2")
    page.get_by_role("button", name="Buka putaran").click()
    expect(page.get_by_text("Putaran Semester II Tahun 2024 dibuka.")).to_be_visible()
    row = page.locator("#round-list tbody tr").first
    expect(row).to_contain_text("Dibuka")

    # Import the file (eager tasks in tests: the job finishes within the upload).
    page.goto(live_server.url + reverse("surveys:import_upload", args=[unit.code]))
    page.get_by_label("Periode").select_option(label="Semester II Tahun 2024 (2024-S2)")
    page.set_input_files("#id_berkas", str(reference_csv))
    page.get_by_role("button", name="Impor").click()
    expect(page.locator("#job-done")).to_contain_text("50 jawaban", timeout=60_000)

    # Close it.
    page.goto(rounds_url)
    page.get_by_role("button", name="Tutup putaran").click()
    expect(page.locator("#round-list tbody tr").first).to_contain_text("Ditutup")
    assert not page.get_by_role("button", name="Publikasikan hasil").is_visible()  # staff never publish

    # The supervisor publishes.
    login(page, live_server, bob)
    page.goto(rounds_url)
    page.get_by_role("button", name="Publikasikan hasil").click()
    expect(page.get_by_text("dipublikasikan sebagai versi 1")).to_be_visible()
    publication = RoundPublication.objects.get()
    assert (publication.version, publication.published_by, publication.respondents) == (1, bob, 50)
    assert SurveyRound.objects.get(unit=unit, period__code="2024-S2").status == "published"

    # Anyone sees it on the public page, with n and the archive.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("public_results", args=[unit.code]))
    expect(page.get_by_test_id("ikm")).to_have_text("86,11")
    expect(page.get_by_text("n = 50 responden")).to_be_visible()
    archive = page.locator("#arsip")
    expect(archive).to_contain_text("Semester II Tahun 2024")
    expect(archive).to_contain_text("n = 50")
    page.screenshot(path=str(tmp_path / "public.png"), full_page=True)
