"""Chromium: bob (supervisor) switches the weight and the period on the results page."""

import pytest

from conftest import PASSWORD
from surveys.tests.factories import PeriodFactory, ResponseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_weight_and_period_selectors(page, live_server, bob, unit, period, reference_responses):
    earlier = PeriodFactory(code="2024-S1", start_date="2024-01-01", end_date="2024-06-30")
    ResponseFactory(unit=unit, period=earlier, **{f"U{i}": 3 for i in range(1, 10)})
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "bob")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/masuk/" not in url)

    page.goto(f"{live_server.url}/hasil/pulutan/")  # latest period with responses
    assert page.get_by_test_id("ikm").inner_text() == "86,11"
    page.get_by_label("Bobot", exact=True).select_option("0.111")
    page.wait_for_url("**bobot=0.111")
    assert page.get_by_test_id("ikm").inner_text() == "86,03"
    assert "bobot 0,111" in page.get_by_test_id("bobot").inner_text()

    page.get_by_label("Periode", exact=True).select_option(label="Semester I Tahun 2024 (1 responden)")
    page.wait_for_url("**/2024-S1/?bobot=0.111")
    # The weight stays 0,111: 9 x 3 x 0,111 x 25 = 74,925 -> 74,93 (with 1/9 it would be 75,00).
    assert page.get_by_test_id("ikm").inner_text() == "74,93"
    # Charts are <img> of cached SVGs (surveys.chart_store): each one loads, with its alt text.
    charts = page.locator("figure.skm-chart img")
    assert charts.count() >= 3
    for i in range(charts.count()):
        img = charts.nth(i)
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        assert img.get_attribute("alt")
