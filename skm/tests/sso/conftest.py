"""A real OpenID provider for the SSO tests: panva's oidc-provider (Node), from
op/ beside this file, started on a free port of 127.0.0.1 for the session.

Node >= 20.19 is needed (oidc-provider 9); with an older or no ``node`` the
provider tests are skipped with that reason. ``scripts/test.sh`` installs the
provider's packages (``npm ci``); a direct pytest run does it when missing."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

OP_DIR = Path(__file__).resolve().parent / "op"
CLIENT_ID = "skm-test-client"
CLIENT_SECRET = "skm-test-client-secret-7f3a"
NODE_MIN = (20, 19)


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("the SSO tests need Node.js >= 20.19 for the OpenID provider (oidc-provider 9); no `node` found")
    found = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    match = re.match(r"v(\d+)\.(\d+)", found)
    if match is None or (int(match[1]), int(match[2])) < NODE_MIN:
        pytest.skip(f"the SSO tests need Node.js >= 20.19 for oidc-provider 9; this machine has {found}")
    return node


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    def __init__(self, issuer: str):
        self.issuer = issuer

    def url(self, path: str) -> str:
        return f"{self.issuer}{path}"

    def events(self) -> list[str]:
        import json

        with urlopen(self.url("/test/events"), timeout=10) as answer:
            return [row["event"] for row in json.load(answer)]


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    node = _node()
    if not (OP_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            ["npm", "ci", "--prefix", str(OP_DIR), "--no-audit", "--no-fund", "--loglevel=error"], check=True
        )
    port = _free_port()
    env = {
        **os.environ,
        "OP_PORT": str(port),
        "OP_CLIENT_ID": CLIENT_ID,
        "OP_CLIENT_SECRET": CLIENT_SECRET,
        "OP_REDIRECT_URI": f"{live_server.url}/sso/callback/",
        "OP_POST_LOGOUT_URI": f"{live_server.url}/masuk/",
    }
    # SKM_OP_LOG=/path/to/file keeps the provider's messages (its warnings, errors).
    log = open(os.environ["SKM_OP_LOG"], "w") if os.environ.get("SKM_OP_LOG") else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [node, str(OP_DIR / "server.mjs")], env=env, stdout=subprocess.PIPE, stderr=log, text=True
    )
    try:
        line = process.stdout.readline()
        deadline = time.monotonic() + 30
        while not line.startswith("ready") and time.monotonic() < deadline and process.poll() is None:
            line = process.stdout.readline()
        if not line.startswith("ready"):
            raise RuntimeError(f"the OpenID provider did not start (exit {process.poll()})")
        yield Provider(line.split()[1])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()


@pytest.fixture
def sso_settings(settings, oidc_provider):
    """SSO configured against the test provider, as the environment would (skm/settings/base.py)."""
    from skm.settings.base import AUTHENTICATION_BACKENDS, CONTENT_SECURITY_POLICY, sso_form_action

    settings.SKM_SSO_ENABLED = True
    settings.SKM_SSO_PROVIDER_NAME = "Portal Pemda"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.url("/auth")
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.url("/token")
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.url("/me")
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.url("/jwks")
    settings.SKM_OIDC_END_SESSION_ENDPOINT = oidc_provider.url("/session/end")
    settings.SKM_OIDC_ISSUER = oidc_provider.issuer
    settings.AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "skm.sso.backends.SkmOidcBackend"]
    settings.CONTENT_SECURITY_POLICY = sso_form_action(CONTENT_SECURITY_POLICY, settings.SKM_OIDC_END_SESSION_ENDPOINT)
    settings.ROOT_URLCONF = "skm.tests.sso.urls"
    return settings
