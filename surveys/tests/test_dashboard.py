"""The dashboard's first-run checklist: administrators see what is still to set
up, ticked from the data; other users never see it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from surveys.models import Unit
from surveys.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

URL = reverse("surveys:dashboard")
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _steps(html: str) -> dict[str, bool]:
    return {key: done == "1" for key, done in re.findall(r'data-step="(\w+)" data-done="([01])"', html)}


def test_a_fresh_admin_gets_the_checklist_not_ask_the_admin(client, admin_user):
    client.force_login(admin_user)
    html = client.get(URL).content.decode()
    assert _steps(html) == dict.fromkeys(["units", "services", "users", "roles", "round", "email"], False)
    assert "Hubungi admin" not in html and "0 dari 6 langkah selesai" in html
    for name in ("surveys_unit", "surveys_service", "auth_user", "surveys_unitrole"):
        assert f'href="{reverse(f"admin:{name}_changelist")}"' in html
    assert f'href="{reverse("password_reset")}"' in html


def test_steps_are_ticked_from_the_data(client, admin_user, unit, alice):
    """Pulutan (with its tree) exists, alice has a role but no e-mail, no jenis layanan, no round."""
    client.force_login(admin_user)
    steps = _steps(html := client.get(URL).content.decode())
    assert steps == {"units": True, "services": False, "users": False, "roles": True, "round": False, "email": False}
    assert "3 unit belum memiliki jenis layanan." in html
    assert "1 akun belum memiliki alamat e-mail" in html
    assert f'href="{reverse("surveys:round_manage", args=["salatiga"])}"' in html  # the top of the tree


def test_checklist_disappears_when_everything_is_set_up(client, settings, admin_user, unit, period, alice, bob):
    settings.EMAIL_BACKEND = SMTP
    settings.DEFAULT_FROM_EMAIL = "SKM <skm@salatiga.go.id>"
    for u in Unit.objects.all():
        ServiceFactory(unit=u, name="Administrasi")
    get_user_model().objects.filter(is_superuser=False).update(email="staf@salatiga.go.id")
    client.force_login(admin_user)
    html = client.get(URL).content.decode()
    assert 'id="persiapan"' not in html and "Kelurahan Pulutan" in html


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_other_users_never_see_the_checklist(client, request, who):
    client.force_login(request.getfixturevalue(who))
    html = client.get(URL).content.decode()
    assert 'id="persiapan"' not in html
    if who == "charlie":  # an outsider still sees only their own unit
        assert "Kelurahan Pulutan" not in html
