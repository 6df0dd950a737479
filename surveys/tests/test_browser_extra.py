"""Chromium through Playwright: staff add extra questions on their page, a
respondent answers them on a phone after the nine unsur."""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import ExtraQuestion, Response
from surveys.tests.test_browser_practice import SHOTS, answer_all, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_add_questions_then_respondent_answers_on_a_phone(
    live_server, browser, alice, unit, current_period, tmp_path
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server, "/unit/pulutan/pertanyaan-tambahan/")
    expect(page.get_by_role("heading", name="Pertanyaan tambahan", exact=True)).to_be_visible()
    page.get_by_label("Pertanyaan", exact=True).fill("Dari mana Anda mengetahui layanan ini?")
    page.get_by_label("Jenis jawaban").select_option("single")
    page.get_by_label("Pilihan jawaban (satu per baris)").fill("Teman atau keluarga\nMedia sosial\nPapan informasi")
    page.get_by_label("Wajib dijawab").check()
    page.get_by_role("button", name="Simpan pertanyaan").click()
    expect(page.get_by_text("Pertanyaan T1 disimpan.")).to_be_visible()
    page.get_by_label("Pertanyaan", exact=True).fill("Berapa kali Anda datang tahun ini?")
    page.get_by_label("Jenis jawaban").select_option("number")
    page.get_by_role("button", name="Simpan pertanyaan").click()
    expect(page.get_by_text("Pertanyaan T2 disimpan.")).to_be_visible()
    shot(page, tmp_path, "extra-questions-desktop")
    context.close()
    assert ExtraQuestion.objects.count() == 2

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="id-ID")
    page = phone.new_page()
    page.goto(f"{live_server.url}/isi/pulutan/")
    expect(page.get_by_role("heading", name="Pertanyaan tambahan")).to_be_visible()
    answer_all(page)
    page.get_by_role("button", name="Kirim jawaban").click()
    # The required extra question was left open: the form comes back with its message.
    expect(page.get_by_role("link", name="Pertanyaan ini wajib dijawab.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, tmp_path, "extra-questionnaire-error-phone")
    if SHOTS:  # the extra questions part alone, as the phone shows it
        page.locator("#pertanyaan-tambahan").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -60)")
        page.screenshot(path=f"{SHOTS}/extra-questionnaire-phone-part.png")
    group = page.get_by_role("group", name=re.compile("Dari mana Anda mengetahui"))
    group.get_by_text("Media sosial").click()
    page.get_by_label("Berapa kali Anda datang tahun ini?").fill("3")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", name=re.compile("Terima kasih"))).to_be_visible()
    t1, t2 = ExtraQuestion.objects.order_by("code")
    assert Response.objects.get().extra == {t1.key: "Media sosial", t2.key: 3}
    phone.close()
