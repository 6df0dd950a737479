"""Staff write a section on the authoring page, preview it, save it; the page
fits a 390 px phone. Set SKM_SHOTS=DIR to keep screenshots."""

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from reports.models import ReportSection
from surveys.models import SurveyRound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    folder = os.environ.get("SKM_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_write_preview_and_save_a_section(live_server, page, alice, unit, period, reference_responses):
    SurveyRound.objects.update_or_create(
        unit=unit,
        period=period,
        defaults={"status": SurveyRound.Status.CLOSED, "closed_at": timezone.make_aware(dt.datetime(2024, 12, 20, 10))},
    )[0]
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", alice.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    overview = live_server.url + reverse("reports:narrative_overview", args=["pulutan", "2024-S2"])
    page.goto(overview)
    assert page.locator("#narrative-progress-text").inner_text() == "0 / 29"
    _shot(page, "narrative-overview-desktop.png")
    page.click("#section-u9 a")
    text = "Komputer dan printer terbatas.\n\n- meja layanan kurang memadai\n- belum ada ruang laktasi"
    page.fill("#id_text", text)
    page.click("button[value=pratinjau]")
    preview = page.locator("#section-preview")
    assert preview.locator("p").first.inner_text() == "Komputer dan printer terbatas."
    assert preview.locator("ul li").all_inner_texts() == ["meja layanan kurang memadai", "belum ada ruang laktasi"]
    _shot(page, "narrative-section-desktop.png")
    page.click("button[value=simpan]")
    page.wait_for_url(overview)
    assert page.locator("#narrative-progress-text").inner_text() == "1 / 29"
    assert ReportSection.objects.get(key="u9").text == text
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(overview)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "narrative-overview-390.png")
    page.click("#section-u9 a")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "narrative-section-390.png")


def test_profile_page_fits_a_phone(live_server, page, alice, unit):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", alice.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/unit/pulutan/profil/")
    _shot(page, "profile-desktop.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/unit/pulutan/profil/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#earlier-ikm-form button[type=submit]")
    assert page.locator("#earlier-ikm-form .invalid-feedback").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "profile-390.png")
