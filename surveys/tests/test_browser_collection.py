"""Chromium through Playwright: a respondent on a phone, staff at the
keyboard entering a paper form."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    yield context.new_page()
    context.close()


def test_respondent_fills_questionnaire_on_a_phone(live_server, phone, unit, current_period):
    page = phone
    page.goto(f"{live_server.url}/isi/pulutan/")
    expect(page.get_by_role("heading", name="Kelurahan Pulutan")).to_be_visible()
    # Submitting empty shows the Indonesian summary and keeps the respondent on the form.
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Pertanyaan nomor 9 belum dijawab.").first).to_be_visible()
    assert Response.objects.count() == 0

    page.get_by_role("group", name="Jenis kelamin").get_by_label("Perempuan").check()
    page.get_by_label("Usia (tahun)").fill("29")
    page.get_by_label("Pendidikan terakhir").select_option("STRATA")
    page.get_by_label("Pekerjaan utama").select_option("WIRAUSAHA")
    chosen = {
        1: "Sangat sesuai",
        2: "Mudah",
        3: "Kurang cepat",
        4: "Gratis",
        5: "Sesuai",
        6: "Kompeten",
        7: "Sangat sopan dan ramah",
        8: "Dikelola dengan baik",
        9: "Cukup",
    }
    for number, label in chosen.items():
        group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        option = group.get_by_role("radio", name=label, exact=True)
        option.scroll_into_view_if_needed()
        # Large touch targets: each answer row is at least 44 px high.
        box = group.locator("label.skm-choice").first.bounding_box()
        assert box["height"] >= 44
        option.tap()
    page.get_by_label("Saran dan masukan (tidak wajib)").fill("Ruang tunggu perlu kipas angin")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()

    stored = Response.objects.get()
    assert stored.channel == Response.Channel.WEB
    assert list(stored.answers().values()) == [
        4,
        3,
        2,
        4,
        3,
        3,
        4,
        4,
        2,
    ]
    assert (stored.gender, stored.age, stored.education, stored.occupation) == ("P", 29, "STRATA", "WIRAUSAHA")
    assert stored.suggestion == "Ruang tunggu perlu kipas angin"


def test_staff_enters_paper_form_with_keyboard_only(live_server, page, alice, unit, period):
    page.goto(f"{live_server.url}/masuk/?next=/unit/pulutan/entri/")
    page.locator("input[name=username]").fill("alice")
    page.locator("input[name=password]").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Entri kuesioner kertas")).to_be_visible()
    expect(page.locator("#id_nomor")).to_be_focused()

    page.keyboard.type("7")
    page.keyboard.press("Tab")
    page.keyboard.type("l")  # jenis kelamin, advances by itself
    expect(page.locator("#id_usia")).to_be_focused()
    page.keyboard.type("52")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # pendidikan left blank
    page.keyboard.press("Tab")  # pekerjaan left blank
    page.keyboard.press("Tab")  # disabilitas left blank
    expect(page.locator("#id_u1")).to_be_focused()
    page.keyboard.type("4c d2a b3")  # a space leaves U4 blank
    expect(page.locator("#id_saran")).to_be_focused()
    page.keyboard.type("Petugas ramah")
    page.keyboard.press("Enter")

    expect(page.locator("#entry-status")).to_contain_text("Kuesioner nomor 7 tersimpan")
    expect(page.locator("#entry-rows tbody tr").first).to_contain_text("Petugas ramah")
    expect(page.locator("#entry-count")).to_have_text("1")
    expect(page.locator("#id_nomor")).to_be_focused()
    expect(page.locator("#id_u1")).to_have_value("")

    r = Response.objects.get()
    assert r.channel == Response.Channel.PAPER and r.number == 7 and r.gender == "L" and r.age == 52
    assert list(r.answers().values()) == [4, 3, None, 4, 2, 1, None, 2, 3]
    assert r.suggestion == "Petugas ramah"

    # A second form: bad key is refused with a hint, Enter with no answers reports the error.
    for _ in range(6):  # nomor, jenis kelamin, usia, pendidikan, pekerjaan, disabilitas
        page.keyboard.press("Tab")
    page.keyboard.type("x")
    expect(page.locator("#entry-status")).to_contain_text("1-4 atau a-d")
    page.keyboard.press("Enter")
    expect(page.locator("#entry-status")).to_contain_text("Isi minimal satu jawaban U1-U9.")
    assert Response.objects.count() == 1
