import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from skm.api.models import ApiToken
from skm.api.services import TokenRefused, api_token_authenticate, api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_create_stores_only_the_hash_of_the_secret(alice):
    token, full = api_token_create(user=alice, name="Kios", scopes=["read-unit"], created_by=alice)
    _skm, prefix, secret = full.split("_", 2)
    assert prefix == token.prefix
    row = ApiToken.objects.get(pk=token.pk)
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values_list()))
    assert row.created_by == alice
    assert row.expires_at > timezone.now() + dt.timedelta(days=89)


def test_authenticate_accepts_the_token_and_records_its_use(alice):
    token, full = api_token_create(user=alice, name="Kios", scopes=["read-unit"])
    assert api_token_authenticate(raw=full).pk == token.pk
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("mangle", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "x" + t, lambda t: ""])
def test_authenticate_refuses_a_wrong_token(alice, mangle):
    _token, full = api_token_create(user=alice, name="Kios", scopes=["read-unit"])
    with pytest.raises(TokenRefused) as exc:
        api_token_authenticate(raw=mangle(full))
    assert exc.value.code == "token_invalid"


def test_authenticate_refuses_revoked_and_expired_tokens(alice):
    revoked, full_revoked = api_token_create(user=alice, name="A", scopes=["read-unit"])
    api_token_revoke(token=revoked, user=alice)
    with pytest.raises(TokenRefused) as exc:
        api_token_authenticate(raw=full_revoked)
    assert exc.value.code == "token_revoked"
    _expired, full_expired = api_token_create(user=alice, name="B", scopes=["read-unit"], days=1)
    with pytest.raises(TokenRefused) as exc:
        api_token_authenticate(raw=full_expired, now=timezone.now() + dt.timedelta(days=2))
    assert exc.value.code == "token_expired"


def test_create_refuses_unknown_scopes_and_no_name(alice):
    with pytest.raises(ValidationError):
        api_token_create(user=alice, name="A", scopes=["admin"])
    with pytest.raises(ValidationError):
        api_token_create(user=alice, name=" ", scopes=["read-unit"])
    with pytest.raises(ValidationError):
        api_token_create(user=alice, name="A", scopes=["read-unit"], days=0)


def test_command_create_prints_the_token_alone_on_its_last_line(alice):
    out = StringIO()
    call_command(
        "skm_token", "create", "--user", "alice", "--scope", "read-unit", "--scope", "write-responses", stdout=out
    )
    last = out.getvalue().strip().splitlines()[-1]
    token = api_token_authenticate(raw=last)
    assert token.user == alice
    assert token.scopes == ["read-unit", "write-responses"]


def test_command_revoke_and_list(alice):
    token, full = api_token_create(user=alice, name="Kios", scopes=["read-unit"])
    call_command("skm_token", "revoke", token.prefix, stdout=StringIO())
    with pytest.raises(TokenRefused):
        api_token_authenticate(raw=full)
    out = StringIO()
    call_command("skm_token", "list", stdout=out)
    assert token.prefix in out.getvalue() and "dicabut" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("skm_token", "create", "--user", "nobody", "--scope", "read-unit", stdout=StringIO())
