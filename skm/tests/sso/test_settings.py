"""SSO is configured from the environment and fails closed in production: a
client id without its secret or an endpoint, or an endpoint over plain http,
stops start-up."""

import pytest

from skm.tests.test_settings import GOOD, _run

SSO = {
    "SKM_OIDC_CLIENT_ID": "skm",
    "SKM_OIDC_CLIENT_SECRET": "rahasia",
    "SKM_OIDC_AUTHORIZATION_ENDPOINT": "https://sso.example.go.id/auth",
    "SKM_OIDC_TOKEN_ENDPOINT": "https://sso.example.go.id/token",
    "SKM_OIDC_USERINFO_ENDPOINT": "https://sso.example.go.id/userinfo",
    "SKM_OIDC_JWKS_ENDPOINT": "https://sso.example.go.id/jwks",
}
PRINT = (
    "import django; django.setup(); from django.conf import settings as s; from django.urls import reverse; "
    "print(s.SKM_SSO_ENABLED, s.AUTHENTICATION_BACKENDS[-1], reverse('oidc_authentication_callback'), "
    "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
)


def test_sso_is_off_without_a_client_id():
    result = _run("skm.settings.production", GOOD, code=PRINT.replace("reverse('oidc_authentication_callback')", "0"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False django.contrib.auth.backends.ModelBackend 0")


def test_production_starts_with_sso_configured():
    env = {**GOOD, **SSO, "SKM_OIDC_END_SESSION_ENDPOINT": "https://sso.example.go.id/logout"}
    result = _run("skm.settings.production", env, code=PRINT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 3)[:3] == ["True", "skm.sso.backends.SkmOidcBackend", "/sso/callback/"]
    assert "https://sso.example.go.id" in result.stdout


@pytest.mark.parametrize("missing", sorted(set(SSO) - {"SKM_OIDC_CLIENT_ID"}))
def test_production_refuses_sso_without(missing):
    result = _run("skm.settings.production", {**GOOD, **{k: v for k, v in SSO.items() if k != missing}})
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_plain_http_endpoints():
    result = _run("skm.settings.production", {**GOOD, **SSO, "SKM_OIDC_TOKEN_ENDPOINT": "http://sso.example.go.id/t"})
    assert result.returncode != 0
    assert "SKM_OIDC_TOKEN_ENDPOINT" in result.stderr
