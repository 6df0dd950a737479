"""Chromium: a staff member on a phone resets a forgotten password from the
login page and changes it again from the menu."""

import os
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Kelurahan-Pulutan-2025!"
NEWER_PASSWORD = "Pulutan-Lebih-Baru-2026!"
# Generous: CI machines are busy, and a page load can take longer than the 5 s default.
WAIT_MS = 20_000


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="id-ID")
    yield context.new_page()
    context.close()


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if folder := os.environ.get("SKM_SCREENSHOT_DIR"):
        name = re.sub(r"\W+", "-", page.url.split("//", 1)[1].split("/", 1)[1]).strip("-") or "root"
        page.screenshot(path=f"{folder}/password-{name[:40]}.png", full_page=True)


def test_reset_then_change_password_on_a_phone(live_server, phone, alice):
    alice.email = "alice@pulutan.example.go.id"
    alice.save(update_fields=["email"])
    page = phone
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    expect(page.get_by_role("heading", name="Lupa kata sandi")).to_be_visible(timeout=WAIT_MS)
    _fits(page)
    page.get_by_label("Email").fill("alice@pulutan.example.go.id")
    page.get_by_role("button", name="Kirim tautan").click()
    expect(page.get_by_role("heading", name="Periksa email Anda")).to_be_visible(timeout=WAIT_MS)
    _fits(page)

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/kata-sandi/atur/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Buat kata sandi baru")).to_be_visible(timeout=WAIT_MS)
    _fits(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page.get_by_role("heading", name="Kata sandi disimpan")).to_be_visible(timeout=WAIT_MS)

    page.get_by_role("link", name="Masuk", exact=True).last.click()
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Masuk").last.click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Unit layanan Anda")).to_be_visible(timeout=WAIT_MS)

    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("link", name="Ganti kata sandi").click()
    page.wait_for_url("**/kata-sandi/ganti/")
    expect(page.get_by_role("heading", name="Ganti kata sandi")).to_be_visible(timeout=WAIT_MS)
    _fits(page)
    page.locator("#id_old_password").fill(NEW_PASSWORD)
    page.locator("#id_new_password1").fill(NEWER_PASSWORD)
    page.locator("#id_new_password2").fill(NEWER_PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page.get_by_role("heading", name="Kata sandi diganti")).to_be_visible(timeout=WAIT_MS)
    _fits(page)
    alice.refresh_from_db()
    assert alice.check_password(NEWER_PASSWORD)
