"""The login page with and without SSO, and "SSO required for staff": a staff
member's password login is refused with the message, an admin's still works."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from skm.sso.services import sso_policy_set

pytestmark = pytest.mark.django_db

REFUSED = "Admin mewajibkan staf masuk dengan SSO"


@pytest.fixture
def sso_on(settings):
    """SSO configured (no provider needed: these pages never reach it)."""
    settings.SKM_SSO_ENABLED = True
    settings.SKM_SSO_PROVIDER_NAME = "Portal Pemda"
    settings.ROOT_URLCONF = "skm.tests.sso.urls"
    return settings


def test_without_sso_the_login_page_has_no_button_and_no_sso_urls(client):
    page = client.get("/masuk/")
    assert page.status_code == 200
    assert "Masuk dengan" not in page.content.decode()
    assert client.get("/sso/masuk/").status_code == 404
    assert client.get("/sso/callback/?code=x&state=y").status_code == 404


def test_with_sso_the_login_page_has_the_button(client, sso_on):
    page = client.get("/masuk/?next=/hasil/")
    assert page.status_code == 200
    assert 'href="/sso/masuk/?next=/hasil/"' in page.content.decode()
    assert "Masuk dengan Portal Pemda" in page.content.decode()


def _login(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_password_login_works_while_sso_is_not_required(client, sso_on, alice):
    assert _login(client, "alice").status_code == 302


def test_staff_password_login_is_refused_when_sso_is_required(client, sso_on, alice, admin_user):
    sso_policy_set(require_for_staff=True, user=admin_user)
    page = _login(client, "alice")
    assert page.status_code == 200
    assert REFUSED in page.content.decode() and "Masuk dengan Portal Pemda" in page.content.decode()
    assert "_auth_user_id" not in client.session
    # The admin keeps password login, so nobody is locked out.
    assert _login(client, "admin").status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_the_admin_login_refuses_staff_too(client, sso_on, alice, admin_user):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    sso_policy_set(require_for_staff=True, user=admin_user)
    page = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})
    assert REFUSED in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_switch_has_no_effect_without_sso(client, alice, admin_user):
    sso_policy_set(require_for_staff=True, user=admin_user)
    assert _login(client, "alice").status_code == 302


def test_an_admin_flips_the_switch_in_the_admin(client, admin_user, alice):
    client.force_login(admin_user)
    page = client.post("/admin/sso/ssopolicy/add/", {"require_for_staff": "on"})
    assert page.status_code == 302
    from skm.sso.models import SsoPolicy

    policy = SsoPolicy.objects.get()
    assert (policy.require_for_staff, policy.updated_by) == (True, admin_user)
    client.force_login(alice)
    assert client.get("/admin/sso/ssopolicy/").status_code in (302, 403)


def test_the_button_and_refusal_in_english(client, sso_on, alice, admin_user):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Log in with Portal Pemda" in client.get("/masuk/").content.decode()
    sso_policy_set(require_for_staff=True, user=admin_user)
    assert "The admin requires staff to log in with SSO" in _login(client, "alice").content.decode()
