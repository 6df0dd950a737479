"""The unit's LHTL layout options (issue 23): stored per unit, read back as a
``LhtlLayout``, edited on the "Tata letak laporan" page by the unit's staff
(supervisor reads, outsider 403), every change attributable."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.layout import (
    DEFAULT_LAYOUT,
    Bab3Layout,
    IntervalForm,
    ItemNumbering,
    LhtlLayout,
    MatrixScale,
    Tabel1Values,
    TickMark,
)
from reports.models import ReportLayout
from reports.selectors import report_layout_get
from reports.services import report_layout_reset, report_layout_save

pytestmark = pytest.mark.django_db

# Seed 000 (KPU Kabupaten Tangerang) and seed 001 (Kelurahan Jatinegara Kaum) as layouts.
SEED_000 = LhtlLayout(
    bab3=Bab3Layout.BLOCKS,
    numbering=ItemNumbering.FLAT,
    combined_cell=True,
    short_name="KPU Kabupaten Tangerang",
    cover_name="Komisi Pemilihan Umum / Kabupaten Tangerang",
)
SEED_001 = LhtlLayout(
    matrix_scale=MatrixScale.NRR, matrix_mutu_row=True, numbering=ItemNumbering.FLAT, interval=IntervalForm.SHORT
)


def url(unit):
    return reverse("reports:report_layout", args=[unit.code])


def form_data(layout: LhtlLayout = DEFAULT_LAYOUT, **extra):
    data = {
        "aksi": "simpan",
        "matrix_scale": layout.matrix_scale.value,
        "bab3": layout.bab3.value,
        "numbering": layout.numbering.value,
        "interval": layout.interval.value,
        "cover_title": layout.cover_title,
        "short_name": layout.short_name,
        "cover_name": layout.cover_name,
    }
    for name in ("tabel1_caption", "tabel1_unsur_header", "tabel1_value_header", "tabel1_mutu_header"):
        data[name] = getattr(layout, name)
    data["quarter_header"] = layout.quarter_header
    data["tabel1_values"] = layout.tabel1_values.value
    data["tick"] = layout.tick.value
    data["tabel1_order"] = ", ".join(layout.tabel1_order)
    data["quarter_labels"] = ", ".join(layout.quarter_labels)
    data.update({f"unsur_label_{code}": label for code, label in layout.unsur_labels})
    # An unticked checkbox is not posted at all.
    for name in ("matrix_mutu_row", "combined_cell", "cover_year"):
        if getattr(layout, name):
            data[name] = "on"
    data.update(extra)
    return data


# ------------------------------------------------------------------ selector


def test_selector_default_without_a_row(unit, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert report_layout_get(unit=unit) is DEFAULT_LAYOUT


def test_selector_reads_the_stored_values_as_enums(unit, other_unit, alice, django_assert_num_queries):
    report_layout_save(unit=unit, layout=SEED_000, user=alice)
    with django_assert_num_queries(1):
        layout = report_layout_get(unit=unit)
    assert layout == SEED_000
    assert layout.bab3 is Bab3Layout.BLOCKS and layout.numbering is ItemNumbering.FLAT
    assert report_layout_get(unit=other_unit) == DEFAULT_LAYOUT


def test_every_field_round_trips(unit, alice):
    layout = LhtlLayout(
        matrix_scale=MatrixScale.NRR,
        matrix_mutu_row=True,
        bab3=Bab3Layout.BLOCKS,
        numbering=ItemNumbering.FLAT,
        combined_cell=True,
        interval=IntervalForm.SHORT,
        cover_title="LAPORAN TINDAK LANJUT HASIL SURVEI KEPUASAN MASYARAKAT (SKM)",
        cover_year=False,
        short_name="KPU Kabupaten Tangerang",
        cover_name="Komisi Pemilihan Umum / Kabupaten Tangerang",
    )
    assert layout != DEFAULT_LAYOUT
    report_layout_save(unit=unit, layout=layout, user=alice)
    assert report_layout_get(unit=unit) == layout


# ------------------------------------------------------------------- service


def test_save_strips_texts_and_is_attributable(unit, alice, bob):
    row = report_layout_save(
        unit=unit, layout=replace(SEED_000, short_name="  KPU   Kabupaten\nTangerang  ", cover_title=" "), user=alice
    )
    assert row.short_name == "KPU Kabupaten Tangerang" and row.cover_title == ""
    assert row.updated_by == alice
    first = row.history.first()
    assert first.history_user == alice and first.history_type == "+"
    assert first.history_change_reason == "tata letak LHTL diubah"
    report_layout_save(unit=unit, layout=SEED_001, user=bob)
    row.refresh_from_db()
    assert row.updated_by == bob and row.history.first().history_user == bob
    assert ReportLayout.objects.filter(unit=unit).count() == 1


def test_saving_the_same_layout_again_writes_no_history(unit, alice):
    report_layout_save(unit=unit, layout=SEED_001, user=alice)
    report_layout_save(unit=unit, layout=SEED_001, user=alice)
    assert ReportLayout.history.filter(unit_id=unit.pk).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cover_title": "J" * 301}, "cover_title", "Judul sampul 301 karakter; batasnya 300 karakter."),
        ({"short_name": "N" * 201}, "short_name", "Nama singkat unit 201 karakter; batasnya 200 karakter."),
        ({"cover_name": "N" * 301}, "cover_name", "Nama unit di sampul 301 karakter; batasnya 300 karakter."),
        ({"matrix_scale": "persen"}, "matrix_scale", "Pilihan 'persen' tidak dikenal"),
        ({"bab3": "galeri"}, "bab3", "Pilihan 'galeri' tidak dikenal"),
    ],
)
def test_save_refuses_bad_values_and_saves_nothing(unit, alice, changes, field, message):
    with pytest.raises(ValidationError) as info:
        report_layout_save(unit=unit, layout=replace(SEED_000, **changes), user=alice)
    assert message in " ".join(info.value.message_dict[field])
    assert not ReportLayout.objects.exists()


def test_text_at_its_limit_is_kept(unit, alice):
    report_layout_save(unit=unit, layout=replace(DEFAULT_LAYOUT, cover_title="J" * 300), user=alice)
    assert report_layout_get(unit=unit).cover_title == "J" * 300


def test_reset_deletes_the_row_and_the_history_says_who(unit, alice):
    report_layout_save(unit=unit, layout=SEED_001, user=alice)
    report_layout_reset(unit=unit, user=alice)
    assert report_layout_get(unit=unit) == DEFAULT_LAYOUT
    last = ReportLayout.history.filter(unit_id=unit.pk).first()
    assert last.history_type == "-" and last.history_user == alice
    # Nothing to reset: nothing happens.
    report_layout_reset(unit=unit, user=alice)
    assert ReportLayout.history.filter(unit_id=unit.pk).count() == 2


# --------------------------------------------------------------------- views


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("charlie", 403), ("admin_user", 200)])
def test_page_access(client, request, unit, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(unit)).status_code == status


def test_anonymous_and_unknown_unit(client, alice, unit):
    assert client.get(url(unit)).status_code == 302
    client.force_login(alice)
    assert client.get(reverse("reports:report_layout", args=["tidak-ada"])).status_code == 404


def test_page_names_the_seeds_and_is_linked_from_the_reports_page(client, alice, unit):
    client.force_login(alice)
    page = client.get(url(unit)).content.decode()
    assert "Tata letak laporan" in page and "Unit ini memakai tata letak bawaan." in page
    for seed in ("Kelurahan Jatinegara Kaum", "KPU Kabupaten Tangerang", "Disdukcapil Kota Pekalongan"):
        assert seed in page
    assert 'value="simpan"' in page and "Kembalikan ke bawaan" in page
    reports = client.get(reverse("reports:unit_reports", args=[unit.code])).content.decode()
    assert f'href="{url(unit)}"' in reports


def test_supervisor_reads_only(client, bob, unit, alice):
    report_layout_save(unit=unit, layout=SEED_000, user=alice)
    client.force_login(bob)
    page = client.get(url(unit)).content.decode()
    assert "<fieldset disabled>" in page and 'value="simpan"' not in page
    assert "Terakhir diubah oleh Alice" in page
    assert client.post(url(unit), form_data(SEED_001)).status_code == 403
    assert client.post(url(unit), {"aksi": "bawaan"}).status_code == 403
    assert report_layout_get(unit=unit) == SEED_000


def test_outsider_cannot_write(client, charlie, unit):
    client.force_login(charlie)
    assert client.post(url(unit), form_data(SEED_001)).status_code == 403
    assert client.post(url(unit), {"aksi": "bawaan"}).status_code == 403
    assert not ReportLayout.objects.exists()


def test_staff_saves_and_resets(client, alice, unit):
    client.force_login(alice)
    response = client.post(url(unit), form_data(SEED_000), follow=True)
    assert response.redirect_chain[-1] == (url(unit), 302)
    page = response.content.decode()
    assert "Tata letak Laporan Hasil Tindak Lanjut disimpan." in page
    assert report_layout_get(unit=unit) == SEED_000
    assert ReportLayout.objects.get(unit=unit).history.first().history_user == alice
    # The page shows the stored values.
    assert 'value="Komisi Pemilihan Umum / Kabupaten Tangerang"' in page
    response = client.post(url(unit), {"aksi": "bawaan"}, follow=True)
    assert "Tata letak Laporan Hasil Tindak Lanjut kembali ke bawaan." in response.content.decode()
    assert report_layout_get(unit=unit) == DEFAULT_LAYOUT
    assert ReportLayout.history.filter(unit_id=unit.pk).first().history_user == alice


SEED_002_TABLES = replace(
    DEFAULT_LAYOUT,
    tabel1_caption="Ringkasan Hasil SKM Periode 01 Oktober s.d 17 November 2023",
    tabel1_values=Tabel1Values.NRR,
    tabel1_unsur_header="Unsur",
    tabel1_value_header="IKM",
    tabel1_mutu_header="Mutu Layanan",
    unsur_labels=(("U1", "U1. Persyaratan"), ("U4", "U4. Biaya / tarif")),
    tabel1_order=("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"),
    quarter_header="Waktu",
    quarter_labels=("TW 1", "TW 2", "TW 3", "TW 4"),
    tick=TickMark.V,
)


def test_tabel_1_and_2_options_are_saved_and_shown_back(client, alice, unit):
    """Seed 002's Tabel 1 and Tabel 2 (seed 000's row order), typed on the page with spaces
    the page tidies: codes in lower case, labels with double spaces."""
    client.force_login(alice)
    data = form_data(SEED_002_TABLES)
    data["tabel1_order"] = "u1 u2,u3, u4 u5 u6 u7 u9 u8"
    data["unsur_label_U4"] = "  U4.  Biaya / tarif "
    response = client.post(url(unit), data, follow=True)
    assert response.redirect_chain[-1] == (url(unit), 302)
    assert report_layout_get(unit=unit) == SEED_002_TABLES
    page = response.content.decode()
    assert 'value="U1, U2, U3, U4, U5, U6, U7, U9, U8"' in page
    assert 'value="TW 1, TW 2, TW 3, TW 4"' in page and 'value="U4. Biaya / tarif"' in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"tabel1_order": "U1, U2, U3, U4, U5, U6, U7, U8"}, "Tuliskan kesembilan kode unsur, masing-masing sekali"),
        ({"tabel1_order": "U1, U1, U3, U4, U5, U6, U7, U8, U9"}, "Tuliskan kesembilan kode unsur"),
        ({"quarter_labels": "TW 1, TW 2, TW 3"}, "Tuliskan empat nama triwulan dipisah koma"),
        ({"quarter_labels": "TW 1, , TW 3, TW 4"}, "Tuliskan empat nama triwulan dipisah koma"),
        ({"tick": "X"}, "Pilihan &#x27;X&#x27; tidak dikenal"),
        ({"tabel1_values": "persen"}, "Pilihan &#x27;persen&#x27; tidak dikenal"),
        ({"unsur_label_U5": "P" * 121}, "Paling banyak 120 karakter (sekarang 121)."),
    ],
)
def test_bad_tabel_options_are_a_400_and_save_nothing(client, alice, unit, extra, message):
    client.force_login(alice)
    response = client.post(url(unit), form_data(SEED_002_TABLES, **extra))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Tata letak belum disimpan" in page
    assert not ReportLayout.objects.exists()


def test_unticked_boxes_are_saved_false(client, alice, unit):
    client.force_login(alice)
    assert client.post(url(unit), form_data(replace(DEFAULT_LAYOUT, cover_year=False))).status_code == 302
    assert report_layout_get(unit=unit).cover_year is False


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"matrix_scale": "persen"}, "Pilihan &#x27;persen&#x27; tidak dikenal"),
        ({"interval": ""}, "Pilih salah satu."),
        ({"cover_title": "J" * 301}, "Paling banyak 300 karakter (sekarang 301)."),
        ({"short_name": "N" * 250}, "Paling banyak 200 karakter (sekarang 250)."),
    ],
)
def test_bad_input_is_a_400_in_indonesian_and_saves_nothing(client, alice, unit, extra, message):
    report_layout_save(unit=unit, layout=SEED_001, user=alice)
    client.force_login(alice)
    response = client.post(url(unit), form_data(SEED_000, **extra))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Tata letak belum disimpan" in page
    assert report_layout_get(unit=unit) == SEED_001
    assert ReportLayout.history.filter(unit_id=unit.pk).count() == 1


def test_english_page(client, settings, alice, unit):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url(unit)).content.decode()
    assert "Report layout" in page and "This unit uses the default layout." in page
    assert "as in the Kelurahan Jatinegara Kaum report" in page
    response = client.post(url(unit), form_data(cover_title="J" * 301))
    assert response.status_code == 400 and "At most 300 characters (now 301)." in response.content.decode()
