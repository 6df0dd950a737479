"""Staff choose the LHTL layout on the "Tata letak laporan" page, save it and
reset it; the page fits a 1280 px screen and a 390 px phone. Set SKM_SHOTS=DIR
to keep screenshots."""

import os

import pytest
from django.urls import reverse

from conftest import PASSWORD
from reports.layout import DEFAULT_LAYOUT, Bab3Layout, ItemNumbering
from reports.selectors import report_layout_get

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    folder = os.environ.get("SKM_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_choose_save_and_reset_the_layout(live_server, page, alice, unit):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", alice.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + reverse("reports:unit_reports", args=[unit.code]))
    page.click("#report-layout-link")
    url = live_server.url + reverse("reports:report_layout", args=[unit.code])
    page.wait_for_url(url)
    _shot(page, "layout-desktop.png")
    page.check("input[name=bab3][value=blok]")
    page.check("input[name=numbering][value=urut]")
    page.fill("#id_cover_name", "Komisi Pemilihan Umum / Kabupaten Tangerang")
    page.click("button[value=simpan]")
    page.wait_for_url(url)
    assert "disimpan" in page.locator(".alert-success").inner_text()
    layout = report_layout_get(unit=unit)
    assert layout.bab3 is Bab3Layout.BLOCKS and layout.numbering is ItemNumbering.FLAT
    assert layout.cover_name == "Komisi Pemilihan Umum / Kabupaten Tangerang"
    _shot(page, "layout-saved-desktop.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "layout-390.png")
    page.click("button[value=bawaan]")
    page.wait_for_url(url)
    assert report_layout_get(unit=unit) == DEFAULT_LAYOUT
    assert page.locator("button[value=bawaan]").is_disabled()
