"""Single sign-on against a real OpenID provider (oidc-provider, see conftest.py),
in Chromium: login, logout, a refused token, an unknown user."""

import os
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from skm.sso.models import SsoIdentity
from skm.tests.test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 20_000
ALICE_EMAIL = "alice@pulutan.example.go.id"
UNKNOWN = "Akun SSO Anda tidak terdaftar di SKM"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID")
    # The provider's development pages import a web font: no network here.
    context.route(re.compile(r"https://fonts\.(googleapis|gstatic)\.com/.*"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


@pytest.fixture
def alice_sso(alice):
    alice.email = ALICE_EMAIL.upper()  # matched case-insensitively
    alice.save(update_fields=["email"])
    return alice


def _screenshot(page, name: str) -> None:
    if folder := os.environ.get("SKM_SCREENSHOT_DIR"):
        page.screenshot(path=f"{folder}/sso-{name}.png", full_page=True)


def _sso_login(page, live_server, account: str) -> None:
    page.goto(f"{live_server.url}/masuk/")
    _screenshot(page, "login")
    page.get_by_role("link", name="Masuk dengan Portal Pemda").click()
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/interaction/.*"))
    page.locator("input[name=login]").fill(account)
    page.locator("input[name=password]").fill("apa-saja")
    page.locator("button[type=submit]").first.click()


def _logout(page):
    page.get_by_role("button", name="Keluar").click()


@pytest.mark.parametrize("axes", [False, True], ids=["", "axes-on"])
def test_login_matches_verified_email_then_subject(live_server, sso_settings, page, alice_sso, axes):
    sso_settings.AXES_ENABLED = axes  # login throttling (django-axes) is on in production
    _sso_login(page, live_server, "alice-sub")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Unit layanan Anda")).to_be_visible()
    identity = SsoIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (alice_sso, sso_settings.SKM_OIDC_ISSUER, "alice-sub")
    assert identity.last_login_at is not None

    # The e-mail changes in the product: the stored subject still matches.
    _logout(page)
    page.wait_for_url(f"{live_server.url}/masuk/")
    alice_sso.email = "alice.baru@pulutan.example.go.id"
    alice_sso.save(update_fields=["email"])
    _sso_login(page, live_server, "alice-sub")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Unit layanan Anda")).to_be_visible()
    assert SsoIdentity.objects.count() == 1

    # Deactivated by an admin: the session ends at the next page.
    alice_sso.is_active = False
    alice_sso.save(update_fields=["is_active"])
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r".*/masuk/\?next=/$"))


def test_logout_ends_the_product_and_provider_sessions(live_server, sso_settings, oidc_provider, page, alice_sso):
    _sso_login(page, live_server, "alice-sub")
    page.wait_for_url(f"{live_server.url}/")
    ended_before = oidc_provider.events().count("end_session.success")

    _logout(page)
    page.wait_for_url(f"{live_server.url}/masuk/")
    assert oidc_provider.events().count("end_session.success") == ended_before + 1
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r".*/masuk/\?next=/$"))
    # The provider's session ended too: SSO asks for the login again.
    page.get_by_role("link", name="Masuk dengan Portal Pemda").click()
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/interaction/.*"))
    expect(page.locator("input[name=login]")).to_be_visible()


def test_a_token_signed_by_another_key_is_refused(live_server, sso_settings, oidc_provider, page, alice_sso):
    # The provider's ID token is checked against another key under the same kid.
    sso_settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.url("/test/other-jwks")
    _sso_login(page, live_server, "alice-sub")
    page.wait_for_url(f"{live_server.url}/masuk/")
    expect(page.get_by_role("alert")).to_contain_text("tidak dapat diverifikasi")
    assert not SsoIdentity.objects.exists()
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r".*/masuk/\?next=/$"))


@pytest.mark.parametrize("started", [False, True])
def test_a_callback_this_browser_did_not_start_is_refused(live_server, sso_settings, page, alice_sso, started):
    if started:  # a login under way in this browser, its state tampered with
        page.goto(f"{live_server.url}/sso/masuk/")
        page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/interaction/.*"))
    page.goto(f"{live_server.url}/sso/callback/?code=forged&state=forged")
    page.wait_for_url(f"{live_server.url}/masuk/")
    expect(page.get_by_role("alert")).to_contain_text("permintaan tidak dikenal")
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r".*/masuk/\?next=/$"))


@pytest.mark.parametrize("account", ["stranger-sub", "unverified-sub"])
def test_an_unknown_user_is_refused_and_not_created(live_server, sso_settings, page, alice_sso, account):
    users = get_user_model().objects.count()
    _sso_login(page, live_server, account)
    page.wait_for_url(f"{live_server.url}/masuk/")
    expect(page.get_by_role("alert")).to_contain_text(UNKNOWN)
    expect(page.get_by_role("alert")).to_contain_text("minta admin")
    _screenshot(page, f"refused-{account}")
    # The login page with the SSO button and the refusal: no serious accessibility violation.
    assert blocking_violations(page) == []
    assert get_user_model().objects.count() == users
    assert not SsoIdentity.objects.exists()
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r".*/masuk/\?next=/$"))
