"""The "Token API" page: create (the token shown once), revoke, who sees what."""

import pytest
from django.urls import reverse

from skm.api.models import ApiToken
from skm.api.services import api_token_authenticate, api_token_create
from surveys.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_create_a_token_shown_once(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("api_tokens"),
        {"action": "create", "name": "Kios", "scopes": ["read-unit", "write-responses"], "days": 30},
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = api_token_authenticate(raw=secret)
    assert (token.user, token.created_by, token.scopes) == (alice, alice, ["read-unit", "write-responses"])
    listing = client.get(reverse("api_tokens")).content.decode()
    assert token.prefix in listing and secret not in listing


def test_staff_revoke_their_token_not_anothers(client, alice, charlie):
    own, _ = api_token_create(user=alice, name="A", scopes=["read-unit"])
    other, _ = api_token_create(user=charlie, name="C", scopes=["read-unit"])
    client.force_login(alice)
    page = client.get(reverse("api_tokens")).content.decode()
    assert own.prefix in page and other.prefix not in page
    client.post(reverse("api_tokens"), {"action": "revoke", "prefix": other.prefix})
    client.post(reverse("api_tokens"), {"action": "revoke", "prefix": own.prefix})
    own.refresh_from_db(), other.refresh_from_db()
    assert own.revoked_at is not None and own.revoked_by == alice
    assert other.revoked_at is None


def test_admins_see_and_revoke_every_token(client, admin_user, charlie):
    other, _ = api_token_create(user=charlie, name="C", scopes=["read-unit"])
    client.force_login(admin_user)
    assert other.prefix in client.get(reverse("api_tokens")).content.decode()
    client.post(reverse("api_tokens"), {"action": "revoke", "prefix": other.prefix})
    assert ApiToken.objects.get(pk=other.pk).revoked_by == admin_user


def test_users_without_a_unit_and_anonymous_visitors_get_no_page(client):
    assert client.get(reverse("api_tokens")).status_code == 302
    client.force_login(UserFactory(username="tamu"))
    assert client.get(reverse("api_tokens")).status_code == 403


def test_invalid_form_creates_nothing(client, alice):
    client.force_login(alice)
    response = client.post(reverse("api_tokens"), {"action": "create", "name": "", "scopes": ["root"], "days": 0})
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_admin_lists_tokens_read_only_without_the_hash(client, admin_user, alice):
    token, _ = api_token_create(user=alice, name="Kios", scopes=["read-unit"])
    client.force_login(admin_user)
    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    detail = client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert token.secret_hash not in detail
    assert client.get("/admin/api/apitoken/add/").status_code == 403


def test_the_menu_links_the_page_for_those_who_may_use_it(client, alice):
    client.force_login(alice)
    assert 'href="/akun/token-api/"' in client.get("/notifikasi/").content.decode()
    client.force_login(UserFactory(username="tamu"))
    assert 'href="/akun/token-api/"' not in client.get("/notifikasi/").content.decode()
