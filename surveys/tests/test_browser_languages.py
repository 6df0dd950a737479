"""Chromium: an admin adds Basa Jawa and translates the first unsur on a phone;
a respondent picks "Basa Jawa" on the questionnaire and answers; the answers
land with the Indonesian ones. Screenshots of both pages at 390 px go to
SKM_SCREENSHOTS (a directory) when set, else to the test's tmp_path."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from surveys.models import QuestionnaireText, Response
from surveys.services_extra import extra_question_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

U1_JV = "Kepriye panemu panjenengan bab trep-e syarat pelayanan karo jinis pelayanane?"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    target = Path(os.environ.get("SKM_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_admin_translates_and_a_respondent_answers_in_basa_jawa(
    live_server, phone, unit, current_period, admin_user, alice, shots
):
    question = extra_question_create(
        unit=unit, user=alice, text="Dari mana Anda tahu layanan ini?", kind="single", choices=["Teman", "Radio"]
    )
    page = phone
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", admin_user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")

    page.goto(live_server.url + "/bahasa-kuesioner/")
    page.get_by_label("Kode bahasa").fill("EN!")
    page.get_by_label("Nama bahasa untuk responden").fill("Basa Jawa")
    page.locator("#form-bahasa").get_by_role("button", name="Tambah bahasa").click()
    expect(page.get_by_text("Kode bahasa hanya boleh memuat huruf a-z")).to_be_visible()
    page.get_by_label("Kode bahasa").fill("jv")
    page.locator("#form-bahasa").get_by_role("button", name="Tambah bahasa").click()
    expect(page.get_by_text("Bahasa Basa Jawa ditambahkan.")).to_be_visible()

    page.locator("#id_t-item-SKM-U1-text").fill(U1_JV)
    page.locator("#id_t-item-SKM-U1-label-4").fill("Trep banget")
    page.get_by_role("button", name="Simpan terjemahan").click()
    expect(page.get_by_text("2 terjemahan disimpan.")).to_be_visible()
    expect(page.locator("#kemajuan")).to_contain_text("2 dari 98 teks")  # 95 + the extra question and its 2 choices
    page.screenshot(path=str(shots / "translation-page-390.png"))
    page.locator("#blok-2").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "translation-u1-390.png"))
    page.get_by_role("link", name=re.compile(r"^Pertanyaan tambahan unit")).click()
    page.locator(f"#id_t-extra-{question.pk}-choice-1").fill("Kanca")
    page.get_by_role("button", name="Simpan terjemahan").click()
    expect(page.get_by_text("1 terjemahan disimpan.")).to_be_visible()
    page.locator("#blok-1").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "translation-extra-390.png"))
    assert QuestionnaireText.objects.count() == 3

    # A respondent (no session) picks Basa Jawa on the form.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/isi/{unit.code}/")
    nav = page.locator("#bahasa-kuesioner")
    expect(nav).to_contain_text("Bahasa kuesioner")
    nav.get_by_role("link", name="Basa Jawa").click()
    expect(page).to_have_url(re.compile(r"\?bahasa=jv$"))
    first = page.get_by_role("group", name=re.compile(r"^1\. "))
    expect(first).to_contain_text(U1_JV)
    expect(first.get_by_role("radio", name="Trep banget")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile(r"^2\. "))).to_contain_text("kemudahan prosedur")  # Indonesian
    page.screenshot(path=str(shots / "questionnaire-jv-390.png"), full_page=True)
    for number in range(1, 10):
        page.get_by_role("group", name=re.compile(rf"^{number}\. ")).locator("input[type=radio]").nth(3).check()
    page.get_by_role("radio", name="Kanca").check()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    stored = Response.objects.get()
    assert stored.scores == {"SKM": [4] * 9}
    assert stored.extra == {question.key: "Teman"}
