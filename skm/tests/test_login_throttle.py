"""Login throttling (django-axes) on /masuk/ and /admin/login/, the admin unlock,
the working-day session and skm_demo's refusal of the published password."""

import io

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_indonesian():
    # ChosenLanguageMiddleware leaves the last request's language active in this
    # thread; an English request must not leak into later tests.
    yield
    translation.activate(settings.LANGUAGE_CODE)


LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def axes_on(settings):
    # Test settings switch axes off (Client.login() has no request); these tests need it.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.SKM_LOGIN_ADDRESS_FAILURE_LIMIT = 20


def attempt(client, url, username, password, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(("url", "who"), [(LOGIN, "alice"), (ADMIN_LOGIN, "admin_user")])
def test_fifty_wrong_passwords_lock_the_account(client, request, url, who):
    user = request.getfixturevalue(who)
    statuses = [attempt(client, url, user.username, f"salah-{i}").status_code for i in range(50)]
    # Before: 50 × 200 (form re-shown) and the right password still worked.
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429] * 46
    locked = attempt(client, url, user.username, PASSWORD)
    assert locked.status_code == 429 and not logged_in(client)
    html = locked.content.decode()
    assert "Terlalu banyak percobaan masuk" in html
    assert "5 kali gagal masuk" in html and "30 menit" in html and "administrator" in html
    # Locked at that address only: the right password from another address works
    # (skm/tests/test_login_lockout.py has the rest of the rules).
    assert attempt(client, url, user.username, PASSWORD, address="10.9.9.9").status_code == 302
    assert logged_in(client)


def test_locked_by_address_for_every_user_name(client, alice, bob):
    # SKM_LOGIN_ADDRESS_FAILURE_LIMIT (20) failures from one address, any user names.
    for i in range(20):
        attempt(client, LOGIN, f"tebakan{i}", "salah", address="10.0.0.7")
    assert attempt(client, LOGIN, "bob", PASSWORD, address="10.0.0.7").status_code == 429
    # Another address is not affected.
    response = attempt(client, LOGIN, "bob", PASSWORD, address="10.0.0.8")
    assert response.status_code == 302 and logged_in(client)


def test_failure_limit_is_a_setting_and_success_resets(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    attempt(client, LOGIN, "alice", "salah")
    attempt(client, LOGIN, "alice", "salah")
    assert attempt(client, LOGIN, "alice", PASSWORD).status_code == 302
    client.logout()
    # The success reset the count: two more failures do not lock, the third does.
    assert attempt(client, LOGIN, "alice", "salah").status_code == 200
    assert attempt(client, LOGIN, "alice", "salah").status_code == 200
    assert attempt(client, LOGIN, "alice", "salah").status_code == 429


def test_admin_unlocks_a_locked_user(client, alice, admin_user):
    for i in range(5):
        attempt(client, LOGIN, "alice", f"salah-{i}")
    assert attempt(client, LOGIN, "alice", PASSWORD).status_code == 429
    lock = AccessAttempt.objects.get(username="alice")

    admin = type(client)()
    admin.force_login(admin_user)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "alice" in listing.content.decode()
    deleted = admin.post(reverse("admin:axes_accessattempt_delete", args=[lock.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()

    assert attempt(client, LOGIN, "alice", PASSWORD).status_code == 302 and logged_in(client)


def test_lockout_page_in_english(client, alice):
    client.cookies["django_language"] = "en"
    for i in range(5):
        attempt(client, LOGIN, "alice", f"salah-{i}")
    html = attempt(client, LOGIN, "alice", PASSWORD).content.decode()
    assert "Too many login attempts" in html


def test_session_lasts_a_working_day(client, alice, settings):
    assert settings.SESSION_COOKIE_AGE == 9 * 3600  # SKM_SESSION_HOURS default
    response = attempt(client, LOGIN, "alice", PASSWORD)
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 9 * 3600
    assert client.session.get_expiry_age() == 9 * 3600


# --- skm_demo and the published default password -----------------------------


def test_demo_refuses_the_published_password_when_debug_is_off(settings, monkeypatch):
    from django.contrib.auth import get_user_model

    from surveys.demo import DEFAULT_PASSWORD

    settings.DEBUG = False
    monkeypatch.delenv("SKM_DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="kata sandi bawaan"):
        call_command("skm_demo", stdout=io.StringIO())
    monkeypatch.setenv("SKM_DEMO_PASSWORD", DEFAULT_PASSWORD)
    with pytest.raises(CommandError, match="kata sandi bawaan"):
        call_command("skm_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username__in=["admin", "staf", "supervisor"]).exists()


def test_demo_with_a_given_password_when_debug_is_off(settings, monkeypatch):
    from django.contrib.auth import get_user_model

    settings.DEBUG = False
    monkeypatch.delenv("SKM_DEMO_PASSWORD", raising=False)
    call_command("skm_demo", "--password", "sandi-server-yang-panjang", stdout=io.StringIO())
    assert get_user_model().objects.get(username="staf").check_password("sandi-server-yang-panjang")
