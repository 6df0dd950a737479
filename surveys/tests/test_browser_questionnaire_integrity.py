"""Chromium through Playwright: Back, reload and the kiosk never show one
respondent's answers to the next or store them twice (issue 10, item 1)."""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SARAN = "Antrean loket dua terlalu lama"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    yield context.new_page()
    context.close()


def fill_everything(page):
    page.get_by_role("group", name="Jenis kelamin").get_by_label("Perempuan").check()
    page.get_by_label("Usia (tahun)").fill("41")
    page.get_by_label("Pendidikan terakhir").select_option("SMA")
    page.get_by_label("Pekerjaan utama").select_option("SWASTA")
    page.get_by_role("group", name="Apakah Anda penyandang disabilitas?").get_by_label("Sensorik").check()
    for number in range(1, 10):
        page.get_by_role("group", name=re.compile(rf"^{number}\. ")).get_by_role("radio").nth(3).check()
    page.get_by_label("Saran dan masukan (tidak wajib)").fill(SARAN)


def expect_empty_form(page):
    expect(page.locator("#kuesioner input[type=radio]:checked")).to_have_count(0)
    expect(page.get_by_label("Usia (tahun)")).to_have_value("")
    expect(page.get_by_label("Saran dan masukan (tidak wajib)")).to_have_value("")
    expect(page.get_by_label("Pendidikan terakhir")).to_have_value("")


@pytest.mark.parametrize("kiosk", [False, True], ids=["phone", "kiosk"])
def test_back_after_submission_shows_an_empty_form_and_stores_nothing_twice(
    live_server, phone, unit, current_period, kiosk
):
    page = phone
    url = f"{live_server.url}/isi/pulutan/" + ("?kiosk=1" if kiosk else "")
    page.goto(url)
    fill_everything(page)
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    if kiosk:
        # The kiosk's thank-you page replaces itself with a new form after a few seconds.
        expect(page.locator("#kiosk-note")).to_be_visible()
        expect(page.get_by_role("button", name="Kirim jawaban")).to_be_visible(timeout=10_000)
        expect_empty_form(page)
    assert Response.objects.count() == 1
    stored = Response.objects.get()
    assert (stored.age, stored.disability, stored.suggestion) == (41, "SENSORIK", SARAN)

    page.go_back()
    expect(page.get_by_role("button", name="Kirim jawaban")).to_be_visible()
    expect_empty_form(page)
    # Kirim on the emptied form stores nothing: the nine answers are required.
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Pertanyaan nomor 1 belum dijawab.").first).to_be_visible()
    page.reload()
    expect_empty_form(page)
    assert Response.objects.count() == 1


def test_kiosk_empties_an_abandoned_form_after_a_visible_countdown(live_server, phone, unit, current_period, settings):
    settings.SKM_KIOSK_IDLE_SECONDS = 3
    page = phone
    page.goto(f"{live_server.url}/isi/pulutan/?kiosk=1")
    assert page.locator("#kuesioner").get_attribute("data-idle-seconds") == "3"
    page.get_by_label("Saran dan masukan (tidak wajib)").fill("Jawaban yang ditinggal di loket")
    page.get_by_role("group", name=re.compile(r"^1\. ")).get_by_role("radio").first.check()

    countdown = page.locator("#kiosk-idle")
    expect(countdown).to_be_visible()
    expect(countdown).to_contain_text("formulir akan dikosongkan dalam")
    # "Saya masih mengisi" keeps the answers and hides the warning.
    page.get_by_role("button", name="Saya masih mengisi").click()
    expect(countdown).to_be_hidden()
    expect(page.get_by_label("Saran dan masukan (tidak wajib)")).to_have_value("Jawaban yang ditinggal di loket")

    # Left alone, the page resets itself to an empty form with a new token.
    token = page.locator("input[name=token]").input_value()
    expect(countdown).to_be_visible()
    expect(page.locator("input[name=token]")).not_to_have_value(token, timeout=10_000)
    expect_empty_form(page)
    expect(countdown).to_be_hidden()
    assert Response.objects.count() == 0


def test_phone_form_has_no_idle_reset(live_server, phone, unit, current_period):
    page = phone
    page.goto(f"{live_server.url}/isi/pulutan/")
    assert page.locator("#kuesioner").get_attribute("data-idle-seconds") is None
    expect(page.locator("#kiosk-idle")).to_have_count(0)
