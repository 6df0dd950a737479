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
    assert "Semester II Tahun 2024" in html and '<td class="table-num" data-label="Jawaban periode ini">2</td>' in html


def test_dashboard_outsider_and_anonymous(client, unit, period, charlie):
    assert client.get(reverse("surveys:dashboard")).status_code == 302
    client.login(username="charlie", password=PASSWORD)
    html = client.get(reverse("surveys:dashboard")).content.decode()
    assert "pulutan" not in html


def test_dashboard_paginates_and_searches_a_supervisors_subtree(client, bob, district):
    from surveys.tests.factories import UnitFactory

    for i in range(60):
        UnitFactory(code=f"kel-{i:02d}", name=f"Kelurahan Uji {i:02d}", parent=district)
    client.force_login(bob)
    first = client.get(reverse("surveys:dashboard")).content.decode()
    assert "Halaman 1 dari 2" in first
    assert "Kelurahan Uji 00" in first and "Kelurahan Uji 59" not in first
    second = client.get(reverse("surveys:dashboard"), {"hal": "2"}).content.decode()
    assert "Kelurahan Uji 59" in second
    found = client.get(reverse("surveys:dashboard"), {"q": "uji 07"}).content.decode()
    assert "Kelurahan Uji 07" in found and "Kelurahan Uji 08" not in found
    none = client.get(reverse("surveys:dashboard"), {"q": "tidak-ada"}).content.decode()
    assert "Tidak ada unit yang cocok" in none


def test_dashboard_page_is_one_query_whatever_the_tree(client, bob, district, period, django_assert_num_queries):
    from surveys.tests.factories import UnitFactory

    client.force_login(bob)
    client.get(reverse("surveys:dashboard"))
    # session, user, roles, parent options, open period (2), COUNT, the page (units + response counts)
    with django_assert_num_queries(8):
        client.get(reverse("surveys:dashboard"))
    units = [UnitFactory(code=f"kel-{i:02d}", name=f"Kelurahan Uji {i:02d}", parent=district) for i in range(60)]
    ResponseFactory(unit=units[3], period=period)
    ResponseFactory(unit=units[3], period=period)
    with django_assert_num_queries(8):
        html = client.get(reverse("surveys:dashboard"), {"q": "uji 03"}).content.decode()
    assert '<td class="table-num" data-label="Jawaban periode ini">2</td>' in html


def test_dashboard_filters_by_parent_and_level(client, bob, district, unit):
    from surveys.tests.factories import UnitFactory

    UnitFactory(code="rw-01", name="RW Satu", parent=unit)
    client.force_login(bob)
    under = client.get(reverse("surveys:dashboard"), {"induk": "pulutan"}).content.decode()
    assert "RW Satu" in under and "Kecamatan Sidorejo</strong>" not in under
    level = client.get(reverse("surveys:dashboard"), {"tingkat": "3"}).content.decode()
    assert "Kelurahan Pulutan" in level and "RW Satu" not in level
    bad = client.get(reverse("surveys:dashboard"), {"induk": "kpu-tangerang"}).content.decode()
    assert "filter induk diabaikan" in bad
