import pytest

from skm.api.models import Scope
from skm.api.services import api_token_create

ALL_SCOPES = list(Scope.values)


@pytest.fixture
def make_token():
    """make_token(user, scopes=...) -> the full token (the Authorization header's value after Bearer)."""

    def make(user, scopes=None, days=30):
        _token, secret = api_token_create(user=user, name="Uji", scopes=scopes or ALL_SCOPES, days=days)
        return secret

    return make


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
