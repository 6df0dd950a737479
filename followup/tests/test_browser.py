"""Chromium: alice records a realisation with a photo and sees the percentage
change; bob sees the new figure in the supervisor overview."""

import pytest

from conftest import PASSWORD

from .conftest import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/masuk/" not in url)


def test_alice_realises_item_and_bob_sees_it(page, browser, live_server, plan, items, bob, tmp_path):
    photo_path = tmp_path / "dokumentasi.png"
    photo_path.write_bytes(image_bytes("PNG", size=(800, 600), colour=(30, 120, 60)))

    _login(page, live_server, "alice")
    page.goto(f"{live_server.url}/tindak-lanjut/unit/pulutan/")
    page.get_by_role("link", name=plan.period.label).click()
    assert page.get_by_test_id("persen").first.inner_text() == "0,00 %"

    page.get_by_role("link", name="Pengadaan komputer").click()
    page.get_by_label("Sudah").check()
    page.get_by_label("Tanggal realisasi").fill("2025-05-02")
    page.get_by_label("Deskripsi tindak lanjut").fill("Usulan pengadaan disampaikan ke Kecamatan Sidorejo.")
    page.get_by_role("button", name="Simpan realisasi").click()
    page.get_by_text("Realisasi disimpan").wait_for()
    assert page.get_by_test_id("persen").first.inner_text() == "33,33 %"

    page.set_input_files("input[name=image]", str(photo_path))
    page.get_by_label("Keterangan foto").fill("Rapat koordinasi pengadaan")
    page.get_by_role("button", name="Unggah foto").click()
    page.get_by_text("Foto dokumentasi diunggah").wait_for()
    img = page.get_by_role("img", name="Rapat koordinasi pengadaan")
    img.wait_for()
    # Served through the access-checked view and decoded by the browser.
    handle = img.element_handle()
    page.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=handle)
    assert page.evaluate("(el) => el.naturalWidth", handle) == 800
    # The audit trail shows who changed the status.
    assert "Sudah" in page.locator(".audit-log").inner_text()

    page.goto(f"{live_server.url}/tindak-lanjut/rtl/{plan.pk}/")
    assert page.get_by_test_id("persen").first.inner_text() == "33,33 %"
    assert page.get_by_test_id("band").inner_text() == "30 - 80%"

    other = browser.new_context(viewport={"width": 1280, "height": 900})
    bob_page = other.new_page()
    _login(bob_page, live_server, "bob")
    bob_page.goto(f"{live_server.url}/tindak-lanjut/")
    assert bob_page.get_by_test_id("persen-pulutan").inner_text() == "33,33 %"
    bob_page.get_by_role("link", name="Kelurahan Pulutan").click()
    bob_page.wait_for_url(f"**/tindak-lanjut/rtl/{plan.pk}/")
    bob_page.get_by_text("sebagai pembaca").wait_for()
    assert bob_page.get_by_role("button", name="Finalkan untuk pelaporan").count() == 0
    other.close()
