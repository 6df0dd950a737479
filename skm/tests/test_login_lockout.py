"""Login lockout (skm/login_lockout.py): a user name is locked at one address
only, one address has a slower ceiling over all user names (password spraying),
and the lockout page says which lock applies and when to try again."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
JAKARTA = ZoneInfo("Asia/Jakarta")
OFFICE = "10.0.0.7"  # one NAT address for a whole office
ATTACKER = "203.0.113.66"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.SKM_LOGIN_ADDRESS_FAILURE_LIMIT = 20
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def attempt(client, username, password, address, url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_attacker_elsewhere_does_not_lock_the_real_user_out(client, admin_user, url):
    for i in range(50):
        attempt(client, admin_user.username, f"tebakan-{i}", ATTACKER, url)
    # The attacker is locked (the pair and, past 20, the address) ...
    assert attempt(client, admin_user.username, PASSWORD, ATTACKER, url).status_code == 429
    assert not logged_in(client)
    # ... the real user at their office is not (before: 429 everywhere for 30 minutes).
    response = attempt(client, admin_user.username, PASSWORD, OFFICE, url)
    assert response.status_code == 302 and logged_in(client)


def test_colleagues_typos_behind_one_address_lock_nobody_else(client, alice, bob, charlie):
    # Seven failures from the office (before: the 5th locked every account there).
    for who, times in (("alice", 4), ("charlie", 3)):
        for i in range(times):
            assert attempt(client, who, f"salah-{i}", OFFICE).status_code == 200
    response = attempt(client, "bob", PASSWORD, OFFICE)
    assert response.status_code == 302 and logged_in(client)


def test_one_user_locked_at_the_office_leaves_the_others_in(client, alice, bob):
    for i in range(5):
        attempt(client, "alice", f"salah-{i}", OFFICE)
    assert attempt(client, "alice", PASSWORD, OFFICE).status_code == 429
    assert attempt(client, "bob", PASSWORD, OFFICE).status_code == 302


@pytest.mark.parametrize("guesses_per_name", [1, 2, 4])
def test_spraying_many_names_from_one_address_is_stopped(client, bob, guesses_per_name):
    names = 20 // guesses_per_name
    statuses = [
        attempt(client, f"pengguna{n}", f"Rahasia{g}!", ATTACKER).status_code
        for n in range(names)
        for g in range(guesses_per_name)
    ]
    assert statuses[:-1] == [200] * 19 and statuses[-1] == 429
    # Every further name, even a real user with the right password, is refused there.
    locked = attempt(client, "bob", PASSWORD, ATTACKER)
    assert locked.status_code == 429 and not logged_in(client)
    html = locked.content.decode()
    assert "alamat jaringan Anda dikunci sementara untuk semua akun" in html and "20 kali gagal masuk" in html
    # Bob from his own address is not affected.
    assert attempt(client, "bob", PASSWORD, OFFICE).status_code == 302


def test_a_success_forgives_only_the_users_own_failures(client, alice, bob):
    for name, times in (("tebakan0", 4), ("tebakan1", 4), ("tebakan2", 4), ("tebakan3", 4), ("alice", 3)):
        for _ in range(times):
            attempt(client, name, "salah", OFFICE)  # 19 failures from the office, 3 of them alice's
    assert attempt(client, "alice", PASSWORD, OFFICE).status_code == 302  # forgives alice's 3
    client.logout()
    for _ in range(3):
        assert attempt(client, "bob", "salah", OFFICE).status_code == 200  # 16 + 3 = 19
    assert attempt(client, "bob", "salah", OFFICE).status_code == 429  # the 20th


def test_the_locked_user_is_told_when_to_retry_and_the_time_holds(client, alice):
    start = dt.datetime(2025, 9, 12, 10, 0, tzinfo=JAKARTA)
    with time_machine.travel(start, tick=False) as clock:
        for i in range(5):
            attempt(client, "alice", f"salah-{i}", OFFICE)
        clock.move_to(start + dt.timedelta(minutes=10))
        html = attempt(client, "alice", PASSWORD, OFFICE).content.decode()
        assert "Terlalu banyak percobaan masuk" in html
        assert "akun ini dikunci sementara di alamat jaringan Anda setelah 5 kali gagal masuk" in html
        assert "coba lagi mulai pukul 10.30 WIB (sekitar 20 menit lagi)" in html
        # Trying again during the lock does not push the time back.
        for i in range(5):
            attempt(client, "alice", f"lagi-{i}", OFFICE)
        clock.move_to(start + dt.timedelta(minutes=29))
        html = attempt(client, "alice", PASSWORD, OFFICE).content.decode()
        assert "pukul 10.30 WIB (sekitar 1 menit lagi)" in html
        clock.move_to(start + dt.timedelta(minutes=30, seconds=1))
        assert attempt(client, "alice", PASSWORD, OFFICE).status_code == 302


def test_the_address_lock_ends_when_enough_failures_expire(client, bob):
    start = dt.datetime(2025, 9, 12, 23, 50, tzinfo=JAKARTA)
    with time_machine.travel(start, tick=False) as clock:
        for n in range(10):
            attempt(client, f"pengguna{n}", "salah", ATTACKER)
        clock.move_to(start + dt.timedelta(minutes=5))
        for n in range(10, 20):
            attempt(client, f"pengguna{n}", "salah", ATTACKER)
        html = attempt(client, "bob", PASSWORD, ATTACKER).content.decode()
        # The first ten expire at 00.20 the next day: then 10 < 20 remain.
        assert "coba lagi mulai pukul 13 September 2025, 00.20 WIB (sekitar 25 menit lagi)" in html
        clock.move_to(start + dt.timedelta(minutes=30, seconds=1))
        assert attempt(client, "bob", PASSWORD, ATTACKER).status_code == 302


def test_without_cool_off_the_admin_unlocks(client, alice, settings):
    settings.AXES_COOLOFF_TIME = None
    for i in range(5):
        attempt(client, "alice", f"salah-{i}", OFFICE)
    html = attempt(client, "alice", PASSWORD, OFFICE).content.decode()
    assert "Minta administrator membuka kuncinya." in html and "coba lagi" not in html


def test_the_address_ceiling_can_be_switched_off(client, bob, settings):
    settings.SKM_LOGIN_ADDRESS_FAILURE_LIMIT = 0
    for n in range(40):
        attempt(client, f"pengguna{n}", "salah", ATTACKER)
    assert attempt(client, "bob", PASSWORD, ATTACKER).status_code == 302


def test_lockout_time_in_english(client, alice):
    client.cookies["django_language"] = "en"
    start = dt.datetime(2025, 9, 12, 10, 0, tzinfo=JAKARTA)
    with time_machine.travel(start, tick=False):
        for i in range(5):
            attempt(client, "alice", f"salah-{i}", OFFICE)
        html = attempt(client, "alice", PASSWORD, OFFICE).content.decode()
    assert "Too many login attempts" in html
    assert "Try again from 10.30 WIB (in about 30 minutes)" in html


def test_settings_lock_the_pair_and_keep_the_ceiling():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_HANDLER == "skm.login_lockout.LoginLockoutHandler"
