"""The weekly e-mail digest of overdue RTL items (issue 19 item 12): one mail per
staff member and supervisor listing the overdue items of their units, once per week."""

import datetime as dt

import pytest
from django.core import mail

from followup import services
from followup import services_notifications as digest
from followup.models import Plan, PlanUnsur, Realisation
from followup.tasks import send_rtl_overdue_digest
from surveys.models import NotificationKind, NotificationLog
from surveys.services_notifications import notification_preferences_set
from surveys.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

SITE = "https://skm.example.go.id"
MONDAY = dt.date(2025, 10, 6)  # 1.1 (due 30 June 2025) and 2.1 (30 September 2025) are overdue; 1.2 (2099) is not


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SKM_SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def people(alice, bob, charlie):
    for user in (alice, bob, charlie):
        user.email = f"{user.username}@example.go.id"
        user.save(update_fields=["email"])
    return alice, bob, charlie


def _mail_to(address):
    found = [m for m in mail.outbox if m.to == [address]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    return found[0]


def test_each_user_gets_one_mail_listing_the_overdue_items_of_their_units(plan, items, people, district, period):
    alice, bob, charlie = people
    # A sibling kelurahan under bob's kecamatan, with one overdue item of its own.
    sibling = UnitFactory(code="kauman", name="Kelurahan Kauman Kidul", parent=district)
    other = Plan.objects.create(unit=sibling, period=period)
    row = PlanUnsur.objects.create(plan=other, code="U5", title="Kompetensi Pelaksana", order=1)
    services.item_create(plan_unsur=row, user=None, program="Pelatihan petugas", schedule=[[2025, 2]])

    report = digest.rtl_overdue_digest_send(today=MONDAY)

    assert report.sent == 2
    assert sorted(a for m in mail.outbox for a in m.to) == ["alice@example.go.id", "bob@example.go.id"]
    to_alice = _mail_to("alice@example.go.id")
    assert to_alice.subject == "[SKM] 2 kegiatan RTL terlambat"
    assert "Yth. Alice," in to_alice.body
    assert "Per 6 Oktober 2025 ada 2 kegiatan" in to_alice.body
    assert "- 1.1 Pengadaan komputer (batas 30 Juni 2025)" in to_alice.body
    assert "- 2.1 Koordinasi SIDEKA (batas 30 September 2025)" in to_alice.body
    assert "Rehab ruang tunggu" not in to_alice.body  # due in 2099
    assert "Pelatihan petugas" not in to_alice.body  # not her unit
    assert f"{SITE}/tindak-lanjut/rtl/{plan.pk}/" in to_alice.body
    assert f"{SITE}/tindak-lanjut/kegiatan/{items[0].pk}/" in to_alice.body
    assert f"{SITE}/notifikasi/" in to_alice.body
    assert f"{SITE}/tindak-lanjut/\n" not in to_alice.body  # the overview is for supervisors

    to_bob = _mail_to("bob@example.go.id")
    assert to_bob.subject == "[SKM] 3 kegiatan RTL terlambat"
    assert "Kelurahan Kauman Kidul, RTL Semester II Tahun 2024" in to_bob.body
    assert "Pelatihan petugas" in to_bob.body and "Pengadaan komputer" in to_bob.body
    assert f"{SITE}/tindak-lanjut/\n" in to_bob.body

    # The same week again (beat twice, a retry): nothing more. The next week: again.
    assert digest.rtl_overdue_digest_send(today=MONDAY + dt.timedelta(days=2)).sent == 0
    assert len(mail.outbox) == 2
    assert digest.rtl_overdue_digest_send(today=MONDAY + dt.timedelta(days=7)).sent == 2
    assert len(mail.outbox) == 4
    assert set(NotificationLog.objects.values_list("key", flat=True)) == {"week:2025-W41", "week:2025-W42"}


def test_realised_items_are_not_listed_and_nobody_is_mailed_without_overdue_items(plan, items, people):
    services.realisation_save(item=items[0], user=people[0], status=Realisation.Status.SUDAH, description="Selesai")
    digest.rtl_overdue_digest_send(today=MONDAY)
    body = _mail_to("alice@example.go.id").body
    assert "Pengadaan komputer" not in body and "Koordinasi SIDEKA" in body

    mail.outbox.clear()
    digest.rtl_overdue_digest_send(today=dt.date(2025, 7, 7))  # only 1.1 was due, and it is realised
    assert mail.outbox == []


def test_a_long_list_is_cut_and_counts_the_rest(plan, items, people, monkeypatch):
    monkeypatch.setattr(digest, "DIGEST_MAX_ITEMS", 1)
    digest.rtl_overdue_digest_send(today=MONDAY)
    body = _mail_to("alice@example.go.id").body
    assert "ada 2 kegiatan" in body
    assert "Pengadaan komputer" in body and "Koordinasi SIDEKA" not in body
    assert "... dan 1 kegiatan lainnya." in body


def test_a_user_who_turned_the_digest_off_gets_nothing(plan, items, people):
    notification_preferences_set(user=people[1], enabled={NotificationKind.RTL_OVERDUE.value: False})
    digest.rtl_overdue_digest_send(today=MONDAY)
    assert [m.to for m in mail.outbox] == [["alice@example.go.id"]]


def test_the_beat_task_sends_the_digest(plan, items, people):
    assert send_rtl_overdue_digest.apply().get()["sent"] == 2  # today: both items are long overdue
    assert len(mail.outbox) == 2
