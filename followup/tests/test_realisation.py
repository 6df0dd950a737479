"""Realisation flow, progress, audit trail, finalise/reopen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from followup import selectors, services
from followup.models import ChangeLog, EvidencePhoto, PlanItem, Realisation

from .conftest import explain_unrealised, image_bytes, upload

pytestmark = pytest.mark.django_db


def _sudah(item, user, day=dt.date(2025, 5, 2)):
    return services.realisation_save(item=item, user=user, status="sudah", realised_on=day, description="Dilaksanakan")


def test_items_are_numbered_per_priority(plan, items):
    assert [i.number for i in items] == ["1.1", "1.2", "2.1"]


def test_percent_moves_with_realisations(plan, items, alice):
    assert selectors.plan_progress(plan=plan).percent == Decimal("0.00")
    _sudah(items[0], alice)
    p = selectors.plan_progress(plan=plan)
    assert (p.realised, p.total, p.percent, p.band_label) == (1, 3, Decimal("33.33"), "30 - 80%")
    _sudah(items[1], alice)
    _sudah(items[2], alice, dt.date(2025, 8, 20))
    p = selectors.plan_progress(plan=plan)
    assert (p.percent, p.band_label) == (Decimal("100.00"), "100%")
    assert p.last_realised_on == dt.date(2025, 8, 20)


def test_four_of_five_is_eighty_percent_as_seed_004(plan, items, alice):
    row = plan.unsur_rows.order_by("order")[1]
    extra = [
        services.item_create(plan_unsur=row, user=alice, program=f"Tambahan {n}", schedule=[[2025, 4]]) for n in (1, 2)
    ]
    for item in [*items, *extra][:4]:
        _sudah(item, alice)
    p = selectors.plan_progress(plan=plan)
    assert (p.realised, p.total, p.percent, p.band_label) == (4, 5, Decimal("80.00"), "30 - 80%")


def test_months_and_speed_from_report_date(plan, items, alice):
    services.plan_update(plan=plan, user=alice, survey_report_date=dt.date(2025, 1, 15))
    for item, day in zip(items, [dt.date(2025, 2, 1), dt.date(2025, 3, 10), dt.date(2025, 4, 20)], strict=False):
        _sudah(item, alice, day)
    plan.refresh_from_db()
    p = selectors.plan_progress(plan=plan)
    # 15 Jan -> 20 Apr: three whole months and five days -> 4 months, PEKPPP bucket "within 6".
    assert p.months_to_realisation == 4
    assert p.speed_bucket == 6


def test_sudah_needs_a_description_but_no_date(plan, items, alice):
    with pytest.raises(ValidationError) as exc:
        services.realisation_save(item=items[0], user=alice, status="sudah")
    # The date is optional (issue 23: seeds 000, 002 and 003 report none).
    assert set(exc.value.message_dict) == {"description"}
    assert not Realisation.objects.exists()


def test_belum_with_reason_and_strategy(plan, items, alice):
    r = services.realisation_save(
        item=items[0],
        user=alice,
        status="belum",
        reason="Anggaran bukan kewenangan kelurahan",
        strategy="Usulkan lewat kecamatan",
        target_time="Triwulan I 2026",
        strategy_responsible="Lurah",
        stakeholders="Kecamatan Sidorejo",
    )
    assert r.status == "belum" and r.target_time == "Triwulan I 2026"
    assert selectors.plan_progress(plan=plan).realised == 0


def test_overdue_items(plan, items, alice):
    today = dt.date(2025, 7, 1)
    # 1.1 due 30 Jun 2025 (overdue), 1.2 due 2099, 2.1 due 30 Sep 2025.
    assert selectors.overdue_item_ids(plan=plan, today=today) == {items[0].pk}
    assert selectors.plan_progress(plan=plan, today=today).overdue == 1
    _sudah(items[0], alice)
    assert selectors.overdue_item_ids(plan=plan, today=today) == set()


def test_audit_records_field_changes(plan, items, alice):
    item = items[0]
    services.item_update(item=item, user=alice, responsible="Sekretaris Kelurahan", schedule=[[2025, 1], [2026, 1]])
    _sudah(item, alice)
    services.realisation_save(
        item=item, user=alice, status="sudah", realised_on=dt.date(2025, 5, 2), description="Rapat koordinasi"
    )
    log = list(selectors.changelog_for_item(item=item).order_by("id"))
    update = [e for e in log if e.action == "update" and e.object_type == "program / kegiatan RTL"][0]
    assert update.user == alice
    assert update.changes["penanggung jawab"] == ["Lurah", "Sekretaris Kelurahan"]
    assert update.changes["jadwal (tahun, triwulan)"] == ["2025 TW I, 2025 TW II", "2025 TW I, 2026 TW I"]
    last = log[-1]
    assert last.changes == {"deskripsi tindak lanjut": ["Dilaksanakan", "Rapat koordinasi"]}
    item.refresh_from_db()
    assert item.due_date == dt.date(2026, 3, 31)


def test_unchanged_save_logs_nothing(plan, items, alice):
    _sudah(items[0], alice)
    before = ChangeLog.objects.count()
    _sudah(items[0], alice)
    assert ChangeLog.objects.count() == before


def test_finalise_blocks_edits_until_reopened(plan, items, alice):
    explain_unrealised(plan, alice)
    services.plan_finalise(plan=plan, user=alice)
    plan.refresh_from_db()
    assert plan.is_final and plan.finalised_by == alice
    with pytest.raises(ValidationError) as exc:
        _sudah(items[0], alice)
    assert "Buka kembali" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.item_update(item=items[0], user=alice, program="x")
    with pytest.raises(ValidationError):
        services.plan_unsur_add(plan=plan, user=alice, title="Topik")
    services.plan_reopen(plan=plan, user=alice, reason="Koreksi tanggal")
    _sudah(items[0], alice)
    actions = list(ChangeLog.objects.filter(plan=plan).order_by("id").values_list("action", flat=True))
    assert "finalise" in actions and "reopen" in actions
    reopen = ChangeLog.objects.get(plan=plan, action="reopen")
    assert reopen.changes["alasan"] == ["", "Koreksi tanggal"] and reopen.user == alice


def test_finalise_needs_reason_and_strategy_for_every_unrealised_item(plan, items, alice):
    _sudah(items[0], alice)
    services.realisation_save(
        item=items[1], user=alice, status="belum", reason="Anggaran belum tersedia", strategy="Usul ulang"
    )
    services.realisation_save(item=items[2], user=alice, status="belum", reason="Menunggu kecamatan", strategy="")
    with pytest.raises(ValidationError) as exc:
        services.plan_finalise(plan=plan, user=alice)
    message = exc.value.messages[0]
    assert "isi alasan dan strategi penyelesaian" in message
    # Item 2.1 (no strategy) is named; 1.1 (realised) and 1.2 (complete) are not.
    assert "2.1 Koordinasi SIDEKA" in message
    assert "1.1" not in message and "1.2" not in message
    plan.refresh_from_db()
    assert not plan.is_final
    services.realisation_save(
        item=items[2], user=alice, status="belum", reason="Menunggu kecamatan", strategy="Rapat koordinasi"
    )
    services.plan_finalise(plan=plan, user=alice)
    plan.refresh_from_db()
    assert plan.is_final


def test_finalise_names_items_without_any_realisation(plan, items, alice):
    with pytest.raises(ValidationError) as exc:
        services.plan_finalise(plan=plan, user=alice)
    message = exc.value.messages[0]
    assert "1.1 Pengadaan komputer" in message and "1.2 Rehab ruang tunggu" in message
    assert "2.1 Koordinasi SIDEKA" in message


def test_cannot_finalise_empty_plan(unit, period, alice):
    from followup.models import Plan

    empty = Plan.objects.create(unit=unit, period=period)
    with pytest.raises(ValidationError):
        services.plan_finalise(plan=empty, user=alice)


def test_priorities_add_remove_reorder(plan, items, alice):
    saran = services.plan_unsur_add(plan=plan, user=alice, title="Informasi alur pelayanan")
    assert saran.order == 3 and saran.from_saran
    services.plan_unsur_move(row=saran, user=alice, direction=-1)
    assert list(plan.unsur_rows.order_by("order").values_list("title", flat=True)) == [
        "Sarana dan Prasarana",
        "Informasi alur pelayanan",
        "Waktu Penyelesaian",
    ]
    items[2].refresh_from_db()
    assert items[2].number == "3.1"
    services.plan_unsur_remove(row=plan.unsur_rows.get(code="U9"), user=alice)
    assert list(plan.unsur_rows.order_by("order").values_list("order", "code")) == [(1, None), (2, "U3")]
    assert PlanItem.objects.filter(plan_unsur__plan=plan).count() == 1
    with pytest.raises(ValidationError):
        services.plan_unsur_add(plan=plan, user=alice, code="U3")  # already there


def test_item_delete_renumbers(plan, items, alice):
    deleted_pk = items[0].pk
    services.item_delete(item=items[0], user=alice)
    items[1].refresh_from_db()
    assert items[1].number == "1.1"
    assert ChangeLog.objects.filter(item_id_ref=deleted_pk, action="delete").exists()


# --- views -------------------------------------------------------------------


def test_realisation_view_flow(client, plan, items, alice):
    client.login(username="alice", password=PASSWORD)
    url = reverse("followup:realisation", args=[items[0].pk])
    bad = client.post(url, {"status": "sudah", "realised_on": "", "description": ""})
    assert bad.status_code == 400
    assert "Jelaskan tindak lanjut" in bad.content.decode()
    assert "Isi tanggal realisasi" not in bad.content.decode()
    ok = client.post(url, {"status": "sudah", "realised_on": "2025-05-02", "description": "Sudah rapat"}, follow=True)
    assert ok.status_code == 200
    assert "33,33 %" in ok.content.decode()
    assert Realisation.objects.get(item=items[0]).status == "sudah"


def test_photo_upload_view_and_serving(client, plan, items, alice):
    client.login(username="alice", password=PASSWORD)
    url = reverse("followup:photo_upload", args=[items[0].pk])
    r = client.post(url, {"caption": "Rapat", "image": upload("foto.jpg", image_bytes("PNG"))})
    assert r.status_code == 302
    photo = EvidencePhoto.objects.get()
    assert "rtl-privat/" in photo.image.name and photo.image.name.endswith(".jpg")
    served = client.get(reverse("followup:photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"
    bad = client.post(
        url,
        {"caption": "Vektor", "image": upload("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")},
    )
    assert bad.status_code == 400
    assert "JPEG atau PNG" in bad.content.decode()
    assert EvidencePhoto.objects.count() == 1
    assert ChangeLog.objects.filter(item_id_ref=items[0].pk, object_type="foto dokumentasi").count() == 1


def test_create_plan_view(client, unit, period, alice, reference_responses):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        reverse("followup:unit", args=[unit.code]),
        {"period": period.pk, "lowest_n": 3, "survey_report_date": "2025-01-15"},
    )
    assert r.status_code == 302
    plan = unit.rtl_plans.get()
    assert list(plan.unsur_rows.values_list("code", flat=True)) == ["U9", "U3", "U6"]
    page = client.get(r.url).content.decode()
    assert "Sarana dan Prasarana" in page and "3,12" in page
    bad = client.post(reverse("followup:unit", args=[unit.code]), {"period": period.pk, "lowest_n": 12})
    assert bad.status_code == 200 and unit.rtl_plans.count() == 1


def test_saran_shown_next_to_plan_paginated(client, plan, unit, period, alice):
    from surveys.tests.factories import ResponseFactory

    for n in range(12):
        ResponseFactory(unit=unit, period=period, suggestion=f"Saran nomor {n:02d}", number=n + 1)
    ResponseFactory(unit=unit, period=period, suggestion="", number=99)
    client.login(username="alice", password=PASSWORD)
    page1 = client.get(reverse("followup:plan", args=[plan.pk])).content.decode()
    assert "Saran nomor 00" in page1 and "Saran nomor 10" not in page1 and "1 / 2" in page1
    page2 = client.get(reverse("followup:plan", args=[plan.pk]) + "?saran=2").content.decode()
    assert "Saran nomor 11" in page2


def test_future_realisation_date_refused(plan, items, alice):
    future = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as exc:
        services.realisation_save(item=items[0], user=alice, status="sudah", realised_on=future, description="x")
    assert "masa depan" in exc.value.message_dict["realised_on"][0]


def test_plan_page_queries_do_not_grow_with_items(client, plan, items, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.login(username="alice", password=PASSWORD)
    url = reverse("followup:plan", args=[plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    row = plan.unsur_rows.order_by("order").first()
    for n in range(6):
        item = services.item_create(plan_unsur=row, user=alice, program=f"Tambahan {n}", schedule=[[2025, 2]])
        _sudah(item, alice)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert "1.8" in page.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


def test_photo_files_removed_when_photo_item_or_priority_deleted(
    plan, items, alice, django_capture_on_commit_callbacks
):
    def add(item):
        return services.photo_add(item=item, user=alice, upload=upload("a.png", image_bytes("PNG")), caption="Foto")

    p1, p2, p3 = add(items[0]), add(items[1]), add(items[2])
    storage = p1.image.storage
    assert all(storage.exists(p.image.name) for p in (p1, p2, p3))
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=p1, user=alice)
    assert not storage.exists(p1.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(item=items[1], user=alice)
    assert not storage.exists(p2.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_unsur_remove(row=items[2].plan_unsur, user=alice)
    assert not storage.exists(p3.image.name)


def test_saran_becomes_a_priority(client, plan, unit, period, alice):
    from surveys.tests.factories import ResponseFactory

    ResponseFactory(unit=unit, period=period, suggestion="Mohon disediakan ruang laktasi", number=1)
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("followup:plan", args=[plan.pk])).content.decode()
    assert "jadikan prioritas" in page
    client.post(reverse("followup:unsur_add", args=[plan.pk]), {"title": "Mohon disediakan ruang laktasi"})
    row = plan.unsur_rows.get(code__isnull=True)
    assert row.title == "Mohon disediakan ruang laktasi" and row.order == 3
