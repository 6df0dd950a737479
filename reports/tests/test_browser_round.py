"""Chromium, the whole round as users live it: staff open a round for a past
period, import its file, close it, write the per-unsur explanation and the
kesimpulan, and download the Word report; a supervisor publishes; the public
page shows the result and its archive."""

import docx
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from surveys.models import RoundPublication, SurveyRound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAUSES = "Komputer antrean sering rusak pada jam sibuk.\n\n- printer nomor antrean macet\n- ruang tunggu sempit"
CONCLUSION = "Pelayanan sudah baik; sarana perlu diperbaiki."


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

    # The report text: U9's causes and the conclusion, each checked in the preview first.
    for key, text in (("u9", CAUSES), ("kesimpulan", CONCLUSION)):
        page.goto(live_server.url + reverse("reports:narrative_section", args=[unit.code, "2024-S2", key]))
        page.locator("#id_text").fill(text)
        page.get_by_role("button", name="Pratinjau").click()
        expect(page.locator("main")).to_contain_text(text.split("\n")[0])
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_text("disimpan.").first).to_be_visible()

    # The Word report, through the export job and its progress page.
    page.goto(live_server.url + reverse("reports:unit_reports", args=[unit.code]))
    page.get_by_label("Periode").select_option(label="Semester II Tahun 2024")
    page.locator("#report-buttons").get_by_role("button", name="Unduh Word (DOCX)").first.click()
    download_link = page.locator("#job-download")
    expect(download_link).to_be_visible(timeout=90_000)
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "laporan.docx"
    info.value.save_as(path)
    text = " ".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Komputer antrean sering rusak" in text and "Pelayanan sudah baik" in text

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
