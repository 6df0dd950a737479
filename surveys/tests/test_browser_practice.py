"""Chromium through Playwright: staff preview the questionnaire (nothing is
stored), fill it in test mode on a phone and delete the test answers."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from surveys.models import PracticeClear, PracticeResponse, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# SKM_SCREENSHOT_DIR keeps the screenshots for a person to look at.
SHOTS = os.environ.get("SKM_SCREENSHOT_DIR")


def shot(page, tmp_path, name: str) -> None:
    target = Path(SHOTS) if SHOTS else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"{name}.png"), full_page=True)


def log_in(page, live_server, next_url: str) -> None:
    page.goto(f"{live_server.url}/masuk/?next={next_url}")
    page.locator("input[name=username]").fill("alice")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()


def answer_all(page) -> None:
    for number in range(1, 10):
        group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.get_by_role("radio").nth(2).check()


def test_staff_preview_then_test_mode_then_delete(live_server, browser, alice, unit, current_period, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server, "/unit/pulutan/tautan/")
    page.get_by_role("link", name="Pratinjau kuesioner (tidak disimpan)").click()
    expect(page.get_by_text("Pratinjau — jawaban tidak disimpan")).to_be_visible()
    expect(page.get_by_role("heading", name="Kelurahan Pulutan")).to_be_visible()
    expect(page.get_by_text("Pemberitahuan privasi")).to_be_visible()
    shot(page, tmp_path, "preview-desktop")
    answer_all(page)
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Ini pratinjau: tidak ada yang disimpan.")).to_be_visible()
    shot(page, tmp_path, "preview-result-desktop")
    assert not Response.objects.exists() and not PracticeResponse.objects.exists()
    context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="id-ID")
    page = phone.new_page()
    log_in(page, live_server, "/unit/pulutan/pratinjau/uji/")
    expect(page.get_by_text("Mode uji — jawaban disimpan sebagai jawaban uji")).to_be_visible()
    # The banner fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, tmp_path, "test-mode-390")
    answer_all(page)
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Jawaban ini disimpan sebagai jawaban uji")).to_be_visible()
    shot(page, tmp_path, "test-result-390")
    assert PracticeResponse.objects.count() == 1 and not Response.objects.exists()

    page.get_by_role("link", name="Isi lagi").click()
    expect(page.get_by_text("1 jawaban uji tersimpan")).to_be_visible()  # the list is open in test mode
    shot(page, tmp_path, "test-mode-list-390")
    page.get_by_role("link", name="Hapus semua jawaban uji").click()
    expect(page.get_by_role("heading", name="Hapus semua jawaban uji?")).to_be_visible()
    shot(page, tmp_path, "practice-clear-390")
    page.get_by_role("button", name="Ya, hapus semua jawaban uji").click()
    expect(page.get_by_text("1 jawaban uji dihapus.")).to_be_visible()
    assert not PracticeResponse.objects.exists()
    assert PracticeClear.objects.get().cleared_by == alice
    phone.close()
