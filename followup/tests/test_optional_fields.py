"""Issue 23, "nothing invented": the realisation date, the penanggung jawab and
the quarter ticks are optional, and whatever depends on them says what it
cannot compute instead of making a value up."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import PASSWORD
from followup import selectors, services
from followup.models import PlanItem, Realisation
from skm.rules import progress

pytestmark = pytest.mark.django_db


def _sudah(item, user, day=None):
    return services.realisation_save(item=item, user=user, status="sudah", realised_on=day, description="Dilaksanakan")


def test_sudah_without_a_date_is_saved_and_logged(plan, items, alice):
    r = _sudah(items[0], alice)
    r.refresh_from_db()
    assert r.status == "sudah" and r.realised_on is None
    log = selectors.changelog_for_item(item=items[0]).get(object_type="realisasi RTL")
    # The log keeps the empty date as empty, not as a made-up one.
    assert "tanggal realisasi" not in log.changes
    assert log.changes["status"] == ["", "Sudah"]


def test_database_accepts_sudah_without_a_date(plan, items):
    # The CheckConstraint rtl_realisation_sudah_has_date is dropped (migration 0003).
    Realisation.objects.create(item=items[0], status=Realisation.Status.SUDAH, description="x")
    assert Realisation.objects.filter(realised_on__isnull=True, status="sudah").count() == 1


def test_a_future_date_is_still_refused(plan, items, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        _sudah(items[0], alice, dt.date.today() + dt.timedelta(days=3))
    assert "masa depan" in exc.value.message_dict["realised_on"][0]


def test_speed_is_not_computed_from_the_dated_items_only(plan, items, alice):
    services.plan_update(plan=plan, user=alice, survey_report_date=dt.date(2025, 1, 15))
    _sudah(items[0], alice, dt.date(2025, 2, 1))
    _sudah(items[1], alice, dt.date(2025, 3, 10))
    _sudah(items[2], alice)  # realised, date not reported: it may be the last one
    plan.refresh_from_db()
    p = selectors.plan_progress(plan=plan)
    assert (p.realised, p.total, p.realised_undated) == (3, 3, 1)
    assert p.all_realised
    # Before the change: 2 months (15 Jan -> 10 Mar), "dalam 3 bulan", from the two dated items.
    assert p.months_to_realisation is None
    assert p.speed_bucket is None
    assert p.speed_label == progress.SPEED_UNDATED
    # The report's fetch gives the same answer.
    report = selectors.plan_get_for_report(unit=plan.unit, period=plan.period)
    assert report.progress.months_to_realisation is None
    # Once the date is given, the speed is computed again.
    _sudah(items[2], alice, dt.date(2025, 4, 20))
    p = selectors.plan_progress(plan=plan)
    assert (p.realised_undated, p.months_to_realisation, p.speed_label) == (0, 4, "dalam 6 bulan")


def test_speed_without_a_report_date_says_so(plan, items, alice):
    for item in items:
        _sudah(item, alice, dt.date(2025, 2, 1))
    p = selectors.plan_progress(plan=plan)
    assert p.months_to_realisation is None
    # Before the change: "belum ada realisasi", although every item was realised.
    assert p.speed_label == progress.SPEED_NO_REPORT_DATE


def test_unit_page_progress_counts_undated(client, plan, items, alice):
    _sudah(items[0], alice)
    plans = list(selectors.plan_list_for_unit(unit=plan.unit))
    assert plans[0].n_realised_undated == 1
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("followup:unit", args=[plan.unit.code])).status_code == 200


def test_item_without_pj_and_quarters_through_the_form(client, plan, alice):
    client.login(username="alice", password=PASSWORD)
    row = plan.unsur_rows.order_by("order").first()
    r = client.post(reverse("followup:item_create", args=[row.pk]), {"program": "Sosialisasi alur layanan"})
    assert r.status_code == 302, r.content.decode()[:2000]
    item = PlanItem.objects.get(program="Sosialisasi alur layanan")
    assert (item.responsible, item.schedule, item.due_date) == ("", [], None)
    # An item without quarters is never overdue.
    assert item.pk not in selectors.overdue_item_ids(plan=plan, today=dt.date(2100, 1, 1))
    # Editing may also clear what was given.
    first = PlanItem.objects.get(program="Pengadaan komputer")
    r = client.post(reverse("followup:item_edit", args=[first.pk]), {"program": "Pengadaan komputer"})
    assert r.status_code == 302
    first.refresh_from_db()
    assert (first.responsible, first.schedule, first.due_date) == ("", [], None)
    log = selectors.changelog_for_item(item=first).filter(action="update").get()
    assert log.changes["penanggung jawab"] == ["Lurah", ""]
    assert log.changes["jadwal (tahun, triwulan)"] == ["2025 TW I, 2025 TW II", ""]


def test_item_form_still_refuses_bad_quarters(client, plan, alice):
    client.login(username="alice", password=PASSWORD)
    row = plan.unsur_rows.order_by("order").first()
    r = client.post(reverse("followup:item_create", args=[row.pk]), {"program": "x", "schedule": ["2025-7"]})
    assert r.status_code == 200
    assert "tidak valid" in r.content.decode()


def test_realisation_without_date_through_the_form(client, plan, items, alice):
    client.login(username="alice", password=PASSWORD)
    url = reverse("followup:realisation", args=[items[0].pk])
    r = client.post(url, {"status": "sudah", "realised_on": "", "description": "Sudah rapat"})
    assert r.status_code == 302
    assert Realisation.objects.get(item=items[0]).realised_on is None


def test_staff_pages_show_an_honest_empty_state(client, plan, items, alice, bob):
    services.item_update(item=items[0], user=alice, responsible="", schedule=[])
    _sudah(items[0], alice)
    assert client.login(username="bob", password=PASSWORD)  # a supervisor sees the read-only pages
    item_page = client.get(reverse("followup:item", args=[items[0].pk])).content.decode()
    assert item_page.count("Tidak diisi") >= 2  # penanggung jawab and tanggal realisasi
    assert ">–<" not in item_page
    plan_page = client.get(reverse("followup:plan", args=[plan.pk])).content.decode()
    assert "Tidak diisi" in plan_page  # the empty PJ cell and the missing SKM report date
    assert "belum dijadwalkan" in plan_page
    assert ">–<" not in plan_page
    assert "Belum dapat dihitung: tanggal laporan SKM belum diisi." in plan_page
