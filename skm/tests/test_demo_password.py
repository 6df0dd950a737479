"""skm_demo applies Django's password validators to the password it is given
(--password or SKM_DEMO_PASSWORD): a weak one is refused in Indonesian, with
exit status 1 from the command line, and no demo user is created."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DEMO_USERS = ["admin", "staf", "supervisor"]


def no_demo_users() -> bool:
    return not get_user_model().objects.filter(username__in=DEMO_USERS).exists()


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("1", "terlalu pendek"),
        ("90817263544", "seluruhnya terdiri dari angka"),
        ("password123", "terlalu umum"),
        ("supervisor1", "terlalu mirip"),
    ],
)
def test_a_weak_given_password_is_refused(settings, monkeypatch, debug, weak, reason):
    settings.DEBUG = debug
    monkeypatch.delenv("SKM_DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="Kata sandi demo ditolak") as refused:
        call_command("skm_demo", "--password", weak, stdout=io.StringIO())
    assert reason in str(refused.value)
    assert no_demo_users()


def test_a_weak_password_from_the_environment_is_refused(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("SKM_DEMO_PASSWORD", "1")
    with pytest.raises(CommandError, match="Kata sandi demo ditolak.*SKM_DEMO_PASSWORD"):
        call_command("skm_demo", stdout=io.StringIO())
    assert no_demo_users()


def test_a_strong_password_is_accepted(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("SKM_DEMO_PASSWORD", "sandi-server-yang-panjang")
    call_command("skm_demo", stdout=io.StringIO())
    assert get_user_model().objects.get(username="admin").check_password("sandi-server-yang-panjang")


def test_command_line_exits_with_status_1(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "skm.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DEBUG": "False",
    }
    env.pop("SKM_DEMO_PASSWORD", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "skm_demo", "--password", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Kata sandi demo ditolak" in done.stderr and "terlalu pendek" in done.stderr
