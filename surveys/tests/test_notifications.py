"""E-mail notifications of survey rounds (issue 19 item 12): a round closed and
waiting for publication goes to the supervisors over the unit, a period ending
in 7 days with the round still open to the unit's staff; each event once, in
Bahasa Indonesia, with absolute links; a failing mail server is retried."""

import datetime as dt
import smtplib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from surveys.models import NotificationKind, NotificationLog, NotificationOptOut, SurveyRound, UnitRole
from surveys.services_notifications import notification_preferences_set, round_notifications_send
from surveys.services_rounds import round_close, round_open
from surveys.tasks import send_round_notifications
from surveys.tests.factories import UnitRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

JKT = ZoneInfo("Asia/Jakarta")
SITE = "https://skm.example.go.id"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SKM_SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def cast(alice, bob, charlie, city):
    """alice (staff), bob (supervisor of the kecamatan), dina (supervisor of the
    city above it), charlie (staff elsewhere): all with an e-mail address."""
    dina = UserFactory(username="dina", first_name="Dina")
    UnitRoleFactory(user=dina, unit=city, role=UnitRole.Role.SUPERVISOR)
    for user in (alice, bob, charlie, dina):
        user.email = f"{user.username}@example.go.id"
        user.save(update_fields=["email"])
    return {"alice": alice, "bob": bob, "charlie": charlie, "dina": dina}


def _to(messages) -> list[str]:
    return sorted(address for m in messages for address in m.to)


def test_a_closed_round_is_mailed_once_to_each_supervisor_over_the_unit(cast, survey_round):
    round_close(round=survey_round, user=cast["alice"])

    report = round_notifications_send()

    assert report.sent == 2
    assert _to(mail.outbox) == ["bob@example.go.id", "dina@example.go.id"]
    message = next(m for m in mail.outbox if m.to == ["bob@example.go.id"])
    assert message.subject == "[SKM] Putaran survei Kelurahan Pulutan Semester II Tahun 2024 menunggu publikasi"
    assert "Yth. Bob," in message.body
    assert "oleh Alice" in message.body
    assert f"{SITE}/unit/pulutan/putaran/" in message.body
    assert f"{SITE}/hasil/pulutan/2024-S2/" in message.body
    assert f"{SITE}/notifikasi/" in message.body  # where to turn it off

    # Beat running again (or a retry) never sends the same event twice.
    assert round_notifications_send().sent == 0
    assert len(mail.outbox) == 2
    assert NotificationLog.objects.filter(kind=NotificationKind.ROUND_CLOSED, sent_at__isnull=False).count() == 2


def test_closing_again_after_a_reopen_is_a_new_event(cast, survey_round):
    round_close(round=survey_round, user=cast["alice"])
    round_notifications_send()
    with time_machine.travel(dt.timedelta(hours=2)):
        rnd = round_open(unit=survey_round.unit, period=survey_round.period, user=cast["alice"])
        round_close(round=rnd, user=cast["alice"])
        round_notifications_send()
    assert _to(mail.outbox) == ["bob@example.go.id"] * 2 + ["dina@example.go.id"] * 2


def test_staff_of_the_unit_who_also_supervise_it_are_not_asked_to_publish(cast, survey_round, district):
    # Staff never publish their own unit's round, even with a supervisor role over it.
    UnitRoleFactory(user=cast["alice"], unit=district, role=UnitRole.Role.SUPERVISOR)
    round_close(round=survey_round, user=cast["alice"])
    round_notifications_send()
    assert "alice@example.go.id" not in _to(mail.outbox)
    assert "charlie@example.go.id" not in _to(mail.outbox)


def test_a_user_who_turned_the_kind_off_gets_nothing(cast, survey_round):
    notification_preferences_set(user=cast["bob"], enabled={NotificationKind.ROUND_CLOSED.value: False})
    round_close(round=survey_round, user=cast["alice"])
    round_notifications_send()
    assert _to(mail.outbox) == ["dina@example.go.id"]


def test_users_without_an_address_or_inactive_get_nothing(cast, survey_round):
    cast["bob"].email = ""
    cast["bob"].save(update_fields=["email"])
    cast["dina"].is_active = False
    cast["dina"].save(update_fields=["is_active"])
    round_close(round=survey_round, user=cast["alice"])
    round_notifications_send()
    assert mail.outbox == []


def test_rounds_closed_long_ago_are_not_announced(cast, survey_round):
    with time_machine.travel(dt.timedelta(days=-20)):
        round_close(round=survey_round, user=cast["alice"])
    round_notifications_send()
    assert mail.outbox == []


def _travel_to(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=JKT), tick=False)


def test_a_period_ending_in_7_days_with_the_round_open_is_mailed_to_the_units_staff(cast, survey_round):
    with _travel_to(dt.date(2024, 12, 23)):  # 8 days before 31 December: not yet
        round_notifications_send()
    assert mail.outbox == []

    with _travel_to(dt.date(2024, 12, 24)):
        round_notifications_send()
    assert _to(mail.outbox) == ["alice@example.go.id"]
    message = mail.outbox[0]
    assert message.subject == (
        "[SKM] Periode Semester II Tahun 2024 berakhir 31 Desember 2024; putaran survei Kelurahan Pulutan masih dibuka"
    )
    assert "berakhir dalam 7 hari, pada 31 Desember 2024" in message.body
    assert f"{SITE}/unit/pulutan/putaran/" in message.body

    with _travel_to(dt.date(2024, 12, 25)):  # the next day's run: already sent
        round_notifications_send()
    assert len(mail.outbox) == 1


def test_a_period_ending_with_the_round_already_closed_is_not_mailed(cast, survey_round):
    SurveyRound.objects.filter(pk=survey_round.pk).update(status=SurveyRound.Status.PUBLISHED)
    with _travel_to(dt.date(2024, 12, 24)):
        round_notifications_send()
    assert mail.outbox == []


def test_a_failing_mail_server_is_logged_and_retried_not_raised(cast, survey_round, monkeypatch, caplog):
    round_close(round=survey_round, user=cast["alice"])

    def refuse(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse)
        report = round_notifications_send()
    # The first mail failed; the server is down, so the second was not even tried.
    assert (report.sent, report.failed, report.deferred) == (0, 1, 1)
    assert mail.outbox == []
    failed = NotificationLog.objects.get()
    assert failed.sent_at is None and failed.claimed_until is None
    assert "Connection refused" in failed.last_error
    assert "notification not sent" in caplog.text

    report = round_notifications_send()  # the server is back
    assert report.sent == 2
    assert _to(mail.outbox) == ["bob@example.go.id", "dina@example.go.id"]


def test_a_refused_address_does_not_hold_up_the_others(cast, survey_round, monkeypatch):
    round_close(round=survey_round, user=cast["alice"])
    send = EmailBackend.send_messages

    def refuse_bob(self, messages):
        if messages[0].to == ["bob@example.go.id"]:
            raise smtplib.SMTPRecipientsRefused({"bob@example.go.id": (550, b"no such user")})
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_bob)
    report = round_notifications_send()
    assert (report.sent, report.failed, report.deferred) == (1, 1, 0)
    assert _to(mail.outbox) == ["dina@example.go.id"]


def test_a_notification_being_sent_by_another_run_is_not_sent_again(cast, survey_round):
    from django.utils import timezone

    round_close(round=survey_round, user=cast["alice"])
    survey_round.refresh_from_db()
    NotificationLog.objects.create(
        kind=NotificationKind.ROUND_CLOSED,
        recipient=cast["bob"],
        key=f"round:{survey_round.pk}:closed:{survey_round.closed_at.isoformat()}",
        claimed_until=timezone.now() + dt.timedelta(minutes=5),
        attempts=1,
    )
    round_notifications_send()
    assert _to(mail.outbox) == ["dina@example.go.id"]


def test_the_beat_task_sends_and_gives_up_after_its_retries(cast, survey_round, monkeypatch):
    round_close(round=survey_round, user=cast["alice"])

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse)
        result = send_round_notifications.apply().get()  # eager: the retries run at once
    assert result == {"sent": 0, "skipped": 0, "failed": 1, "deferred": 1}
    # Tried once per run (1 + 3 retries); an outage does not count towards giving the mail up.
    log = NotificationLog.objects.get()
    assert log.attempts == 0 and "SMTPServerDisconnected" in log.last_error

    assert send_round_notifications.apply().get()["sent"] == 2
    assert len(mail.outbox) == 2


# --- the "Notifikasi" page -----------------------------------------------------------------

URL = "/notifikasi/"


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_each_user_turns_their_own_kinds_off_and_on(client, cast, who):
    user = cast[who]
    client.force_login(user)
    html = client.get(URL).content.decode()
    for kind in NotificationKind:
        assert f'name="{kind.value}"' in html
    assert html.count("checked") == len(NotificationKind)  # on by default
    assert f"{user.username}@example.go.id" in html

    response = client.post(URL, {"round_closed": "on", "rtl_overdue": "on"})
    assert response.status_code == 302
    assert set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True)) == {
        "period_ending",
        "export_failed",
        "webhook_paused",
    }
    # Only their own preferences changed.
    assert not NotificationOptOut.objects.exclude(user=user).exists()
    html = client.get(URL).content.decode()
    assert html.count("checked") == 2

    client.post(URL, {kind.value: "on" for kind in NotificationKind})
    assert not NotificationOptOut.objects.filter(user=user).exists()


def test_the_user_menu_links_the_page(client, cast):
    client.force_login(cast["alice"])
    html = client.get(reverse("surveys:dashboard")).content.decode()
    assert f'href="{URL}"' in html
    assert ">Notifikasi<" in html


def test_the_page_speaks_english_when_chosen(client, cast):
    from django.conf import settings

    client.force_login(cast["bob"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(URL).content.decode()
    assert "A survey round is closed and waiting for publication" in html
    assert "Putaran survei ditutup" not in html


def test_the_admin_reads_the_notification_log_but_never_writes_it(admin_client, cast, survey_round):
    round_close(round=survey_round, user=cast["alice"])
    round_notifications_send()
    html = admin_client.get("/admin/surveys/notificationlog/").content.decode()
    assert "bob@example.go.id" in html
    assert admin_client.get("/admin/surveys/notificationlog/add/").status_code == 403


def test_a_mail_refused_again_and_again_is_given_up(cast, survey_round, monkeypatch):
    from surveys.services_notifications import MAX_ATTEMPTS

    round_close(round=survey_round, user=cast["alice"])
    send = EmailBackend.send_messages

    def refuse_bob(self, messages):
        if messages[0].to == ["bob@example.go.id"]:
            raise smtplib.SMTPRecipientsRefused({"bob@example.go.id": (550, b"no such user")})
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_bob)
    for _run in range(MAX_ATTEMPTS + 2):
        round_notifications_send()
    log = NotificationLog.objects.get(recipient=cast["bob"])
    assert log.attempts == MAX_ATTEMPTS and log.sent_at is None
    assert _to(mail.outbox) == ["dina@example.go.id"]
