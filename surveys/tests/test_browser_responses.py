"""Chromium through Playwright: staff correct a paper row, delete a web row
with a reason and undo an import; the IKM follows each step, and the round's
history page names the user and the reason of each."""

import io

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from surveys.models import Response
from surveys.services import import_batch_create
from surveys.tests.factories import ResponseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMPORT = b"no,U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,2,2,2,2,2,2,2,2,2\n2,2,2,2,2,2,2,2,2,2\n"


def _all(value):
    return {f"U{i}": value for i in range(1, 10)}


def _login(page, live_server, next_url):
    page.goto(f"{live_server.url}/masuk/?next={next_url}")
    page.locator("input[name=username]").fill("alice")
    page.locator("input[name=password]").fill(PASSWORD)
    page.keyboard.press("Enter")


def _ikm(page, live_server):
    page.goto(f"{live_server.url}/hasil/pulutan/2024-S2/")
    return page.get_by_test_id("ikm").inner_text()


def test_staff_manage_responses_and_the_result_follows(live_server, page, alice, unit, period):
    ResponseFactory(unit=unit, period=period, channel=Response.Channel.WEB, **_all(4))
    staff_test = ResponseFactory(
        unit=unit, period=period, channel=Response.Channel.WEB, suggestion="tes QR oleh staf", **_all(1)
    )
    import_batch_create(fh=io.BytesIO(IMPORT), filename="rekap-salah.csv", unit=unit, period=period, user=alice)

    # A paper form typed at the keyboard, with a slip: every answer 1 instead of 3.
    _login(page, live_server, "/unit/pulutan/entri/")
    page.locator("#id_nomor").fill("1")
    page.locator("#id_pendidikan").focus()
    page.keyboard.type("s1")
    expect(page.locator("#id_pendidikan")).to_have_value("STRATA")
    page.locator("#id_pekerjaan").focus()
    page.keyboard.type("swasta")
    expect(page.locator("#id_pekerjaan")).to_have_value("SWASTA")
    page.locator("#id_u1").focus()
    page.keyboard.type("111111111")
    page.keyboard.press("Enter")
    expect(page.locator("#entry-status")).to_contain_text("Kuesioner nomor 1 tersimpan")
    row = page.locator("#entry-rows tbody tr").first
    expect(row).to_contain_text("Strata (S1-S3)")  # labels, not codes
    expect(row).to_contain_text("Karyawan")

    # The same number again is not saved without confirmation.
    page.locator("#id_nomor").fill("1")
    page.locator("#id_u1").focus()
    expect(page.locator("#entry-status")).to_contain_text("sudah dipakai")
    page.keyboard.type("4")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.keyboard.press("Enter")
    expect(page.locator("#entry-status")).to_contain_text("Belum tersimpan")
    assert Response.objects.filter(channel=Response.Channel.PAPER).count() == 1

    # 4, 1, 2, 2 and the mistyped 1: NRR 10/5 = 2 -> IKM 50,00.
    assert _ikm(page, live_server) == "50,00"

    # 1. Open the saved row from the entry list and correct it to 3 everywhere.
    page.goto(f"{live_server.url}/unit/pulutan/entri/")
    page.locator("#entry-rows tbody tr").first.get_by_role("link", name="Koreksi").click()
    for i in range(1, 10):
        page.locator(f"#id_u{i}").select_option("3")
    page.get_by_label("Alasan perubahan (tidak wajib)").fill("Salah ketik U1-U9, formulir berisi c")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_text("Perubahan jawaban tersimpan.")).to_be_visible()
    # 4, 1, 2, 2, 3: NRR 12/5 = 2,4 -> IKM 60,00.
    assert _ikm(page, live_server) == "60,00"

    # 2. Delete the staff's own test answer (a web row) with a reason.
    page.goto(f"{live_server.url}/unit/pulutan/periode/2024-S2/jawaban/?kanal=web&q=tes+QR")
    page.get_by_role("link", name=f"Buka #{staff_test.pk}").click()
    page.get_by_role("button", name="Hapus jawaban").click()  # empty reason: the browser refuses
    assert Response.objects.filter(pk=staff_test.pk).exists()
    page.get_by_label("Alasan penghapusan (wajib)").fill("Jawaban uji coba staf saat memasang QR")
    page.get_by_role("button", name="Hapus jawaban").click()
    expect(page.locator("#deleted-note")).to_contain_text("Jawaban uji coba staf saat memasang QR")
    # 4, 2, 2, 3: NRR 11/4 = 2,75 -> IKM 68,75.
    assert _ikm(page, live_server) == "68,75"

    # 3. Undo the wrong import.
    page.goto(f"{live_server.url}/unit/pulutan/periode/2024-S2/impor/")
    page.get_by_placeholder("Alasan pembatalan (wajib)").fill("Berkas rekap unit lain")
    page.get_by_role("button", name="Batalkan impor").click()
    expect(page.get_by_text("2 jawaban tidak lagi dihitung")).to_be_visible()
    # 4 and 3: NRR 7/2 = 3,5 -> IKM 87,50.
    assert _ikm(page, live_server) == "87,50"

    # The history page names the user and the reason of each step.
    page.goto(f"{live_server.url}/unit/pulutan/periode/2024-S2/riwayat/")
    rows = page.locator("#history-rows tbody tr")
    expect(rows.nth(0)).to_contain_text("impor dibatalkan")
    expect(rows.nth(0)).to_contain_text("Berkas rekap unit lain")
    expect(rows.nth(1)).to_contain_text("dihapus")
    expect(rows.nth(1)).to_contain_text("Jawaban uji coba staf saat memasang QR")
    expect(rows.nth(2)).to_contain_text("diubah")
    expect(rows.nth(2)).to_contain_text("Salah ketik U1-U9, formulir berisi c")
    expect(rows.nth(2)).to_contain_text("1 → 3")
    for i in range(3):
        expect(rows.nth(i)).to_contain_text("Alice (alice)")
