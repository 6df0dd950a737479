"""Dashboard: collection links per unit follow the user's access."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "writes"), [("alice", True), ("bob", False), ("admin_user", True)])
def test_dashboard_links(request, client, unit, period, who, writes):
    ResponseFactory(unit=unit, period=period)
    ResponseFactory(unit=unit, period=period)
    client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    html = client.get(reverse("surveys:dashboard")).content.decode()
    assert reverse("surveys:unit_links", args=["pulutan"]) in html
    assert (reverse("surveys:paper_entry", args=["pulutan"]) in html) is writes
    assert (reverse("surveys:import_upload", args=["pulutan"]) in html) is writes
    assert "Semester II Tahun 2024" in html and '<td class="table-num">2</td>' in html


def test_dashboard_outsider_and_anonymous(client, unit, period, charlie):
    assert client.get(reverse("surveys:dashboard")).status_code == 302
    client.login(username="charlie", password=PASSWORD)
    html = client.get(reverse("surveys:dashboard")).content.decode()
    assert "pulutan" not in html
