"""Chromium: a round that asks the SKM and the SPAK, from opening to the public
page (issue 20). Staff open it with the SPAK ticked; a respondent answers both on
a phone in English; a paper form and an SPAK import add more; the supervisor
publishes; the public page and the open data show both indices with n.

Expected figures, by hand:
- SKM: the phone respondent answers 4 to all nine unsur, the paper form 3 to all:
  NRR 7/2 each, IKM = 7/2 x 25 = 87,50 (B), n = 2.
- SPAK (scale 1-6, weight 1/5): phone [6, 5, 5, 5, 5], paper [4, 4, 4, 4, 4],
  import [6, 6, 6, 6, 6] and [3, 4, 5, 6, 2]. NRR AK1 19/4, AK2 19/4, AK3 20/4,
  AK4 21/4, AK5 17/4; sum 96/4 = 24; IPAK = 24/5 x 100/6 = 80,00 (B), n = 4.
"""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from surveys.models import Response, RoundPublication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def login(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def this_semester() -> str:
    today = timezone.localdate()
    return f"{today.year}-S{1 if today.month <= 6 else 2}"


def test_skm_and_spak_round_from_opening_to_the_public_page(live_server, page, phone, alice, bob, unit, tmp_path):
    code = this_semester()
    rounds_url = live_server.url + reverse("surveys:round_manage", args=[unit.code])

    # Staff open this semester's round and tick the SPAK.
    login(page, live_server, alice)
    page.goto(rounds_url)
    page.get_by_label("Kode periode").fill(code)
    page.get_by_label(re.compile(r"^SPAK — Survei Persepsi Anti Korupsi")).check()
    page.get_by_role("button", name="Buka putaran").click()
    expect(page.get_by_text("dibuka dengan instrumen SKM, SPAK.")).to_be_visible()
    expect(page.get_by_test_id("instrumen-putaran").first).to_have_text("Instrumen: SKM, SPAK")

    # A respondent on a phone switches to English and answers both instruments.
    phone.goto(f"{live_server.url}/isi/{unit.code}/")
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", name="Anti-Corruption Perception Survey")).to_be_visible()
    for number in range(1, 10):
        group = phone.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.locator("input[type=radio]").nth(3).check()  # the fourth (best) answer: 4
    spak = {10: "Strongly agree", 11: "Agree", 12: "Agree", 13: "Agree", 14: "Agree"}
    for number, label in spak.items():
        group = phone.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.get_by_role("radio", name=label, exact=True).check()
    expect(phone.get_by_role("group", name=re.compile(r"^10\. There is no discrimination"))).to_be_visible()
    phone.screenshot(path=str(tmp_path / "phone-en.png"), full_page=True)
    phone.get_by_role("button", name="Submit answers").click()
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    web = Response.objects.get(channel=Response.Channel.WEB)
    assert web.scores == {"SKM": [4] * 9, "SPAK": [6, 5, 5, 5, 5]}

    # A paper form, typed in by staff: the SKM's nine answers and the SPAK's five.
    page.goto(live_server.url + reverse("surveys:paper_entry", args=[unit.code]) + f"?periode={code}")
    page.locator("#id_nomor").fill("1")
    for i in range(1, 10):
        page.locator(f"#id_u{i}").fill("3")
    for i in range(1, 6):
        page.locator(f"#id_ak{i}").fill("4")
    page.locator("#entry-save").click()
    expect(page.locator("#entry-status")).to_contain_text("Kuesioner nomor 1 tersimpan")
    paper = Response.objects.get(channel=Response.Channel.PAPER)
    assert paper.scores == {"SKM": [3] * 9, "SPAK": [4] * 5}

    # An SPAK file through the web import (eager tasks in tests: done within the upload).
    path = tmp_path / "spak.csv"
    path.write_text("AK1;AK2;AK3;AK4;AK5\n6;6;6;6;6\n3;4;5;6;2\n", encoding="utf-8")
    page.goto(live_server.url + reverse("surveys:import_upload", args=[unit.code]))
    page.get_by_label("Instrumen yang dijawab berkas").select_option("SPAK")
    page.set_input_files("#id_berkas", str(path))
    page.get_by_role("button", name="Impor").click()
    expect(page.locator("#job-done")).to_contain_text("2 jawaban", timeout=60_000)

    # The results page shows both, then staff close the round.
    page.goto(live_server.url + reverse("surveys:results", args=[unit.code, code]))
    expect(page.get_by_test_id("ikm")).to_have_text("87,50")
    expect(page.get_by_test_id("instrumen-spak")).to_contain_text("80,00")
    page.goto(rounds_url)
    page.get_by_role("button", name="Tutup putaran").click()
    expect(page.locator("#round-list tbody tr").first).to_contain_text("Ditutup")

    # The supervisor publishes.
    login(page, live_server, bob)
    page.goto(rounds_url)
    page.get_by_role("button", name="Publikasikan hasil").click()
    expect(page.get_by_text("dipublikasikan sebagai versi 1")).to_be_visible()
    publication = RoundPublication.objects.get()
    assert [i["code"] for i in publication.snapshot["instruments"]] == ["SPAK"]

    # Anyone: the public page shows the IKM and the IPAK, each with its n.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("public_results", args=[unit.code]))
    expect(page.get_by_test_id("ikm")).to_have_text("87,50")
    expect(page.get_by_text("n = 2 responden").first).to_be_visible()
    card = page.get_by_test_id("instrumen-spak")
    expect(card).to_contain_text("Survei Persepsi Anti Korupsi (IPAK)")
    expect(card).to_contain_text("80,00")
    expect(card).to_contain_text("n = 4 responden")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "public-390.png"), full_page=True)

    # The open data says the same.
    data = json.loads(page.request.get(live_server.url + reverse("public_results_json", args=[unit.code])).text())
    row = data["results"][0]
    assert (row["ikm"], row["respondents"]) == ("87.50", 2)
    assert [(i["code"], i["index"], i["respondents"], i["grade"]) for i in row["instruments"]] == [
        ("SPAK", "80.00", 4, "B")
    ]
    csv_text = page.request.get(live_server.url + reverse("public_results_csv", args=[unit.code])).text()
    header, first = csv_text.lstrip("\ufeff").splitlines()[:2]
    cells = dict(zip(header.split(","), first.split(","), strict=True))
    assert (cells["ipak"], cells["spak_respondents"], cells["spak_grade"]) == ("80.00", "4", "B")
    assert (cells["ipkp"], cells["spkp_respondents"]) == ("", "")
    assert dt.date.fromisoformat(row["report_date"]) <= timezone.localdate()
