"""Staff change their own password and reset a forgotten one by e-mail
(Django's auth views, Indonesian templates under templates/registration/)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kelurahan-Pulutan-2025!"


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/kata-sandi/atur/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_change_password_needs_login(client):
    url = reverse("password_change")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_navbar_and_login_page_link_to_the_password_pages(client, alice):
    login_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in login_page
    assert "Lupa kata sandi?" in login_page

    client.force_login(alice)
    dashboard = client.get(reverse("surveys:dashboard")).content.decode()
    assert f'href="{reverse("password_change")}"' in dashboard
    assert "Ganti kata sandi" in dashboard


def test_staff_changes_own_password_and_stays_logged_in(client, alice):
    client.force_login(alice)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Ganti kata sandi" in page.content.decode()

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    done = client.get(response["Location"])
    assert "Kata sandi Anda sudah diganti" in done.content.decode()
    # The session survives the change (update_session_auth_hash).
    assert client.get(reverse("surveys:dashboard")).status_code == 200

    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert not alice.check_password(PASSWORD)


def test_wrong_old_password_is_refused_in_indonesian(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": "salah-sekali", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    # Django's own Indonesian catalogue.
    assert "Sandi lama Anda yang dimasukkan salah" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_weak_new_password_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_forgotten_password_is_reset_by_email(client, alice, settings):
    settings.DEFAULT_FROM_EMAIL = "SKM <noreply@skm.example.go.id>"
    alice.email = "alice@pulutan.example.go.id"
    alice.save(update_fields=["email"])

    form = client.get(reverse("password_reset"))
    assert form.status_code == 200
    assert "Lupa kata sandi" in form.content.decode()
    response = client.post(reverse("password_reset"), {"email": "ALICE@pulutan.example.go.id"})
    assert response["Location"] == reverse("password_reset_done")
    assert "Periksa email Anda" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@pulutan.example.go.id"]
    assert message.from_email == "SKM <noreply@skm.example.go.id>"
    assert message.subject == "Atur ulang kata sandi SKM"
    assert "Nama pengguna Anda: alice" in message.body

    link = _reset_link(message)
    # Django swaps the token in the URL for a session marker, then shows the form.
    landing = client.get(link)
    assert landing.status_code == 302
    form_url = landing["Location"]
    page = client.get(form_url)
    assert "Buat kata sandi baru" in page.content.decode()
    saved = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert saved["Location"] == reverse("password_reset_complete")
    assert "Kata sandi baru Anda sudah disimpan" in client.get(saved["Location"]).content.decode()

    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    client.logout()
    assert client.login(username="alice", password=NEW_PASSWORD)

    # The link works once only.
    client.logout()
    reused = client.get(link, follow=True)
    assert "Tautan tidak berlaku" in reused.content.decode()


def test_unknown_email_sends_nothing_and_reveals_nothing(client, alice):
    alice.email = "alice@pulutan.example.go.id"
    alice.save(update_fields=["email"])
    response = client.post(reverse("password_reset"), {"email": "orang@lain.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_inactive_user_gets_no_reset_mail(client, alice):
    get_user_model().objects.filter(pk=alice.pk).update(email="alice@pulutan.example.go.id", is_active=False)
    client.post(reverse("password_reset"), {"email": "alice@pulutan.example.go.id"})
    assert mail.outbox == []


def test_forged_reset_link_shows_a_polite_page(client, alice):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "set-password-bukan-token"]))
    assert response.status_code == 200
    assert "Tautan tidak berlaku" in response.content.decode()


def test_admin_login_offers_the_reset_link(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in page


def _mail_settings(**env) -> list[str]:
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"EMAIL_URL", "DEFAULT_FROM_EMAIL"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "skm.settings.base", **env},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.split()


def test_mail_goes_to_the_console_unless_email_url_is_set():
    assert _mail_settings()[0] == "django.core.mail.backends.console.EmailBackend"
    backend, host, port, user, tls, *sender = _mail_settings(
        EMAIL_URL="smtp+tls://skm%40kota.go.id:rahasia@smtp.kota.go.id:587",
        DEFAULT_FROM_EMAIL="SKM Kota <skm@kota.go.id>",
    )
    assert (backend, host, port, user, tls) == (
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.kota.go.id",
        "587",
        "skm@kota.go.id",
        "True",
    )
    assert " ".join(sender) == "SKM Kota <skm@kota.go.id>"


def test_password_pages_follow_the_chosen_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("password_reset")).content.decode()
    assert "Forgotten password" in page
    assert "Lupa kata sandi" not in page
    assert "Forgot your password?" in client.get(reverse("login")).content.decode()
