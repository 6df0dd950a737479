"""Every page fits a 390 px phone: the page itself never scrolls sideways, and
no part of it (a wide table in a scroll box) hides content off to the side.

Wide tables become stacked rows below 576 px (``.table-stack`` in skm.css); the
page list is ``skm.tests.pages.PAGES``."""

import pytest
from playwright.sync_api import expect

from .pages import PHONE, ROLES, new_page, pages_of, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Boxes that scroll sideways with content hidden beyond their edge.
SIDEWAYS_BOXES = """
Array.from(document.querySelectorAll("body *")).filter((el) => {
  const overflow = getComputedStyle(el).overflowX;
  return (overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1;
}).map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")} ${el.scrollWidth}/${el.clientWidth} px`)
"""


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_at_390_px(browser, live_server, site, role):
    context, page = new_page(browser, role, live_server.url, is_mobile=True, has_touch=True)
    too_wide = []
    for entry in pages_of(role):
        visit(page, live_server.url, entry, site)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{entry.label}: page is {width} px wide")
        too_wide.extend(f"{entry.label}: {box}" for box in page.evaluate(SIDEWAYS_BOXES))
    context.close()
    assert not too_wide, "wider than a 390 px phone:\n" + "\n".join(too_wide)


def test_dashboard_actions_are_on_screen_at_390_px(browser, live_server, site):
    context, page = new_page(browser, "alice", live_server.url, is_mobile=True, has_touch=True)
    page.goto(live_server.url + "/")
    for name in ("Tautan & QR", "Entri kertas", "Impor", "Hasil IKM", "RTL", "Laporan PDF/XLSX"):
        link = page.get_by_role("link", name=name, exact=True)
        link.scroll_into_view_if_needed()
        expect(link).to_be_in_viewport()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    context.close()


def test_kiosk_thanks_returns_to_the_form_unless_asked_to_stay(browser, live_server, unit, period):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/isi/pulutan/terima-kasih/?kiosk=1&lagi=/isi/pulutan/%3Fkiosk%3D1")
    page.get_by_role("button", name="Tetap di halaman ini").click()
    page.wait_for_timeout(7_000)  # longer than the 6 s kiosk delay
    assert "/terima-kasih/" in page.url
    page.goto(f"{live_server.url}/isi/pulutan/terima-kasih/?kiosk=1&lagi=/isi/pulutan/%3Fkiosk%3D1")
    page.wait_for_url("**/isi/pulutan/?kiosk=1", timeout=10_000)
    context.close()
