"""Matching a provider's account to a user, the policy and the token checks,
without the provider."""

import datetime as dt

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from skm.sso.backends import SkmOidcBackend
from skm.sso.models import SsoIdentity, SsoPolicy
from skm.sso.selectors import sso_password_login_allowed, sso_policy_get
from skm.sso.services import SsoRefusal, provider_logout_url, sso_policy_set, sso_user_match
from surveys.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://sso.example.go.id"
EMAIL = "alice@pulutan.example.go.id"


@pytest.fixture
def alice_mail(alice):
    alice.email = EMAIL
    alice.save(update_fields=["email"])
    return alice


def match(subject="sub-1", email=EMAIL, verified=True):
    return sso_user_match(issuer=ISSUER, subject=subject, email=email, email_verified=verified)


def test_verified_email_matches_case_insensitively_and_stores_the_subject(alice_mail):
    result = match(email="  Alice@Pulutan.EXAMPLE.go.id ")
    assert (result.user, result.via, result.refusal) == (alice_mail, "email", None)
    identity = SsoIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (alice_mail, ISSUER, "sub-1")
    assert identity.last_login_at is not None


def test_the_stored_subject_matches_after_the_email_changed(alice_mail):
    match()
    alice_mail.email = "baru@pulutan.example.go.id"
    alice_mail.save(update_fields=["email"])
    result = match(email="lain@example.org", verified=False)
    assert (result.user, result.via) == (alice_mail, "subject")
    assert SsoIdentity.objects.count() == 1


def test_the_subject_is_per_issuer(alice_mail):
    match()
    other = sso_user_match(issuer="https://other.example", subject="sub-1", email=None, email_verified=False)
    assert other.refusal == SsoRefusal.UNKNOWN


def test_an_unverified_email_is_refused(alice_mail):
    result = match(verified=False)
    assert (result.user, result.refusal) == (None, SsoRefusal.UNVERIFIED_EMAIL)
    assert "tidak terdaftar" in result.message
    assert not SsoIdentity.objects.exists()


@pytest.mark.parametrize("email", ["orang.lain@example.org", "", None])
def test_an_unknown_user_is_refused_and_never_created(alice_mail, email):
    users = get_user_model().objects.count()
    result = match(email=email)
    assert (result.user, result.refusal) == (None, SsoRefusal.UNKNOWN)
    assert "minta admin" in result.message
    assert get_user_model().objects.count() == users
    assert not SsoIdentity.objects.exists()


def test_an_email_of_two_active_users_is_refused(alice_mail):
    UserFactory(username="alice2", email=EMAIL.upper())
    assert match().refusal == SsoRefusal.AMBIGUOUS_EMAIL
    assert not SsoIdentity.objects.exists()


def test_an_inactive_twin_does_not_make_the_email_ambiguous(alice_mail):
    UserFactory(username="alice-lama", email=EMAIL, is_active=False)
    assert match().user == alice_mail


def test_inactive_users_are_refused_by_email_and_by_subject(alice_mail):
    match()
    alice_mail.is_active = False
    alice_mail.save(update_fields=["is_active"])
    by_subject = match()
    by_email = match(subject="sub-2")
    assert by_subject.refusal == by_email.refusal == SsoRefusal.INACTIVE
    assert "tidak aktif" in by_subject.message


def test_an_account_linked_to_another_subject_is_not_taken_over_by_email(alice_mail):
    match(subject="sub-1")
    result = match(subject="sub-2")  # the provider gave the e-mail to someone else
    assert (result.user, result.refusal) == (None, SsoRefusal.OTHER_SUBJECT)
    assert SsoIdentity.objects.get().subject == "sub-1"


def test_refusals_log_no_personal_data(alice_mail, caplog):
    with caplog.at_level("INFO", logger="skm.sso"):
        match(email="orang.lain@example.org")
        match()
    text = caplog.text
    assert "reason=unknown" in text and f"user={alice_mail.pk} via=email" in text
    assert "example.org" not in text and "sub-1" not in text and EMAIL not in text


def test_policy_requires_sso_for_staff_not_admins(settings, alice, admin_user):
    settings.SKM_SSO_ENABLED = True
    assert sso_policy_get().require_for_staff is False
    assert sso_password_login_allowed(user=alice)
    policy = sso_policy_set(require_for_staff=True, user=admin_user)
    assert (policy.pk, policy.updated_by, policy.require_for_staff) == (SsoPolicy.SINGLETON_PK, admin_user, True)
    assert policy.updated_at is not None
    assert not sso_password_login_allowed(user=alice)
    assert sso_password_login_allowed(user=admin_user)
    # Without SSO configured the switch cannot lock anybody out.
    settings.SKM_SSO_ENABLED = False
    assert sso_password_login_allowed(user=alice)
    sso_policy_set(require_for_staff=False, user=admin_user)
    assert SsoPolicy.objects.count() == 1


def test_provider_logout_url(settings, rf):
    settings.OIDC_RP_CLIENT_ID = "skm"
    settings.SKM_OIDC_END_SESSION_ENDPOINT = "https://sso.example.go.id/logout"
    request = rf.get("/keluar/")
    request.session = {"oidc_id_token": "header.payload.sig"}
    url = provider_logout_url(request)
    assert url.startswith("https://sso.example.go.id/logout?id_token_hint=header.payload.sig&")
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Fmasuk%2F" in url and "client_id=skm" in url
    request.session = {}
    assert provider_logout_url(request) == "/masuk/"
    settings.SKM_OIDC_END_SESSION_ENDPOINT = ""
    request.session = {"oidc_id_token": "header.payload.sig"}
    assert provider_logout_url(request) == "/masuk/"


# The ID token checks of the backend (signature, audience, issuer, expiry).


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _token(key, **claims):
    now = dt.datetime.now(dt.UTC)
    body = {"iss": ISSUER, "aud": "skm", "sub": "sub-1", "iat": now, "exp": now + dt.timedelta(minutes=5), **claims}
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": "k1"})


@pytest.fixture
def backend(settings):
    settings.OIDC_RP_CLIENT_ID = "skm"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sso.example.go.id/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://sso.example.go.id/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://sso.example.go.id/jwks"
    settings.SKM_OIDC_ISSUER = ISSUER
    return SkmOidcBackend()


def test_a_good_token_verifies(backend):
    key = _key()
    assert backend._verify_jws(_token(key), _pem(key))["sub"] == "sub-1"


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-client"},
        {"iss": "https://evil.example"},
        {"exp": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
        {"sub": None},
        {"aud": ["skm", "another-client"]},  # several audiences and no azp
    ],
    ids=["audience", "issuer", "expired", "no-subject", "no-azp"],
)
def test_tokens_with_wrong_claims_are_refused(backend, claims):
    key = _key()
    with pytest.raises(SuspiciousOperation):
        backend._verify_jws(_token(key, **claims), _pem(key))


def test_a_token_signed_by_another_key_is_refused(backend):
    with pytest.raises(SuspiciousOperation):
        backend._verify_jws(_token(_key()), _pem(_key()))


def test_an_unsigned_or_hmac_token_is_refused(backend):
    unsigned = jwt.encode({"iss": ISSUER, "aud": "skm", "sub": "x"}, None, algorithm="none")
    hmac = jwt.encode({"iss": ISSUER, "aud": "skm", "sub": "x"}, "s" * 32, algorithm="HS256")
    for token in (unsigned, hmac):
        with pytest.raises(SuspiciousOperation):
            backend._verify_jws(token, _pem(_key()))


def test_the_backend_ignores_password_logins(backend):
    request = RequestFactory().post("/masuk/?code=x&state=y")
    assert backend.authenticate(request, username="alice", password="x") is None
