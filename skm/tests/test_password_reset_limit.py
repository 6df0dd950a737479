"""Password reset requests are limited per e-mail address and per client
address (skm/password_reset.py), on /kata-sandi/lupa/ and the admin's
/admin/lupa-kata-sandi/ alike; over a limit no mail goes out and the answer is
exactly the one every other request gets."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from surveys.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
ADMIN_RESET = reverse("admin_password_reset")
DONE = reverse("password_reset_done")
ALICE_MAIL = "alice@pulutan.example.go.id"
BOB_MAIL = "bob@sidorejo.example.go.id"


@pytest.fixture(autouse=True)
def limits(settings, alice, bob):
    settings.SKM_PASSWORD_RESET_PER_EMAIL = 5
    settings.SKM_PASSWORD_RESET_PER_ADDRESS = 20
    for user, email in ((alice, ALICE_MAIL), (bob, BOB_MAIL)):
        user.email = email
        user.save(update_fields=["email"])


def ask(client, email, address="10.0.0.1", url=RESET):
    return client.post(url, {"email": email}, REMOTE_ADDR=address)


def answer(response, client) -> tuple[int, str, str]:
    """What the requester sees: status, where it leads, and that page (the CSRF
    token is masked afresh on every render)."""
    page = client.get(response["Location"]).content.decode()
    return response.status_code, response["Location"], re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)


def test_the_sixth_request_for_one_email_sends_nothing_and_answers_the_same(client):
    answers = [answer(ask(client, ALICE_MAIL), client) for _ in range(6)]
    # Before: 6 mails (30 requests in 6.5 s sent 30).
    assert len(mail.outbox) == 5
    assert all(a == answers[0] for a in answers) and answers[0][:2] == (302, DONE)
    assert "Periksa email Anda" in answers[0][2]
    # The same as for an address nobody has.
    assert answer(ask(client, "orang@lain.example", "10.0.0.2"), client) == answers[0]
    # From another address too: the limit is the e-mail's.
    ask(client, ALICE_MAIL, "10.0.0.3")
    assert len(mail.outbox) == 5


def test_another_email_from_another_address_still_gets_its_mail(client):
    for _ in range(8):
        ask(client, ALICE_MAIL)
    assert len(mail.outbox) == 5
    response = ask(client, BOB_MAIL, "10.0.0.9")
    assert (response.status_code, response["Location"]) == (302, DONE)
    assert len(mail.outbox) == 6 and mail.outbox[-1].to == [BOB_MAIL]


def test_one_address_asking_for_many_emails_is_limited(client):
    users = [UserFactory(username=f"pegawai{n}", email=f"pegawai{n}@pulutan.example.go.id") for n in range(25)]
    for user in users:
        response = ask(client, user.email, "10.0.0.66")
        assert (response.status_code, response["Location"]) == (302, DONE)
    assert len(mail.outbox) == 20
    # Alice from her own address is not affected.
    ask(client, ALICE_MAIL, "10.0.0.1")
    assert len(mail.outbox) == 21 and mail.outbox[-1].to == [ALICE_MAIL]


def test_the_admin_reset_view_shares_the_limit(client):
    for _ in range(3):
        ask(client, ALICE_MAIL, url=RESET)
    for _ in range(4):
        response = ask(client, ALICE_MAIL, url=ADMIN_RESET)
        assert (response.status_code, response["Location"]) == (302, DONE)
    assert len(mail.outbox) == 5


def test_the_email_is_counted_whatever_its_case(client):
    for email in (ALICE_MAIL, ALICE_MAIL.upper(), " Alice@Pulutan.example.go.id ", ALICE_MAIL, ALICE_MAIL, ALICE_MAIL):
        ask(client, email)
    assert len(mail.outbox) == 5


def test_the_limit_lasts_an_hour(client):
    start = dt.datetime(2025, 9, 12, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(6):
            ask(client, ALICE_MAIL)
        assert len(mail.outbox) == 5
        clock.move_to(start + dt.timedelta(minutes=59))
        ask(client, ALICE_MAIL)
        assert len(mail.outbox) == 5
        clock.move_to(start + dt.timedelta(hours=1, minutes=1))
        ask(client, ALICE_MAIL)
        assert len(mail.outbox) == 6


def test_zero_switches_a_limit_off(client, settings):
    settings.SKM_PASSWORD_RESET_PER_EMAIL = 0
    for _ in range(8):
        ask(client, ALICE_MAIL)
    assert len(mail.outbox) == 8


def test_a_failing_cache_lets_the_reset_through_and_logs_it(client, monkeypatch, caplog):
    from skm import password_reset

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(password_reset.cache, "add", down)
    response = ask(client, ALICE_MAIL)
    assert (response.status_code, response["Location"]) == (302, DONE)
    assert len(mail.outbox) == 1
    assert "the cache failed" in caplog.text
