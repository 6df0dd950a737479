"""Supervisor overview and the selectors other apps use."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup import selectors, services
from followup.models import Plan, PlanUnsur
from surveys.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _plan_for(unit, period, user, done: int, total: int, due=(2025, 1)):
    plan = Plan.objects.create(unit=unit, period=period)
    row = PlanUnsur.objects.create(plan=plan, code="U9", title="Sarana dan Prasarana", order=1)
    for n in range(total):
        item = services.item_create(plan_unsur=row, user=user, program=f"Kegiatan {n}", schedule=[list(due)])
        if n < done:
            services.realisation_save(
                item=item, user=user, status="sudah", realised_on=dt.date(2025, 2, 1), description="ok"
            )
    return plan


def test_overview_rows_sorting_and_query_count(district, unit, period, bob, alice, django_assert_max_num_queries):
    siblings = [
        UnitFactory(code=f"kel-{n}", name=f"Kelurahan {name}", parent=district)
        for n, name in enumerate(["Bugel", "Kauman", "Ledok"])
    ]
    _plan_for(unit, period, alice, done=4, total=5)  # 80 %
    _plan_for(siblings[0], period, alice, done=1, total=3)  # 33.33 %, 2 overdue
    _plan_for(siblings[1], period, alice, done=2, total=2, due=(2099, 4))  # 100 %
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.plan_overview(user=bob, period=period, sort="persen", descending=True)
    # roles + subtree walk + units + one GROUP BY over plans - not one query per unit.
    assert len(ctx.captured_queries) <= 6
    by_code = {r.unit.code: r for r in rows}
    assert by_code["pulutan"].percent == Decimal("80.00") and by_code["pulutan"].band_label == "30 - 80%"
    assert by_code["kel-0"].percent == Decimal("33.33") and by_code["kel-0"].overdue == 2
    assert by_code["kel-1"].percent == Decimal("100.00") and by_code["kel-1"].overdue == 0
    assert by_code["kel-2"].plan_id is None and by_code["kel-2"].percent is None
    assert [r.unit.code for r in rows[:3]] == ["kel-1", "pulutan", "kel-0"]
    assert {r.unit.code for r in rows} == {"sidorejo", "pulutan", "kel-0", "kel-1", "kel-2"}
    by_overdue = selectors.plan_overview(user=bob, period=period, sort="terlambat", descending=True)
    assert by_overdue[0].unit.code == "kel-0"


def test_query_count_does_not_grow_with_units(district, period, bob, alice):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.plan_overview(user=bob, period=period)
        return len(ctx.captured_queries)

    first = count()
    for n in range(5):
        u = UnitFactory(code=f"x-{n}", name=f"Unit {n}", parent=district)
        _plan_for(u, period, alice, 1, 2)
    bob._skm_unit_access = None
    assert count() == first


def test_public_summary(unit, period, alice):
    assert selectors.plan_public_summary(unit=unit, period=period) is None
    _plan_for(unit, period, alice, done=1, total=3)
    s = selectors.plan_public_summary(unit=unit, period=period)
    assert (s.percent, s.band_label, s.realised, s.total) == (Decimal("33.33"), "30 - 80%", 1, 3)


def test_report_selector_prefetches(unit, period, alice, django_assert_max_num_queries):
    plan = _plan_for(unit, period, alice, done=2, total=3)
    with django_assert_max_num_queries(7):
        p = selectors.plan_get_for_report(unit=unit, period=period)
        lines = []
        for row in p.unsur_rows.all():
            for item in row.items.all():
                r = getattr(item, "realisation", None)
                lines.append(
                    (item.number, item.schedule_rows, r.status if r else None, [ph.caption for ph in item.photos.all()])
                )
    assert [line[0] for line in lines] == ["1.1", "1.2", "1.3"]
    assert lines[0][1] == [(2025, (True, False, False, False))]
    assert [line[2] for line in lines] == ["sudah", "sudah", None]
    assert p.progress.percent == Decimal("66.67")
    assert plan.pk == p.pk


def test_overview_page_sorting_links(client, bob, unit, period, alice):
    from conftest import PASSWORD

    _plan_for(unit, period, alice, done=1, total=2)
    client.login(username="bob", password=PASSWORD)
    page = client.get("/tindak-lanjut/?urut=persen&arah=turun").content.decode()
    assert "50,00 %" in page and "Semester II Tahun 2024" in page
    assert client.get("/tindak-lanjut/?urut=ngawur").status_code == 200


def test_overview_page_paginates_searches_and_pins_queries(
    client, bob, alice, district, unit, period, django_assert_num_queries
):
    from conftest import PASSWORD

    for n in range(55):
        UnitFactory(code=f"kel-{n:02d}", name=f"Kelurahan Nomor {n:02d}", parent=district)
    _plan_for(unit, period, alice, done=1, total=2)
    client.login(username="bob", password=PASSWORD)
    client.get("/tindak-lanjut/")
    # session, user, roles, periods with plans, parent options, plan totals, unit COUNT, the page
    with django_assert_num_queries(8):
        html = client.get("/tindak-lanjut/?halaman=2").content.decode()
    rows = re.findall(r'<tr data-unit="([\w-]+)"', html)
    assert len(rows) == 7 and "Halaman 2 dari 2" in html  # 57 units (district, pulutan, 55), 50 a page
    assert "1 dari 57 unit memiliki RTL" in html
    found = client.get("/tindak-lanjut/?q=nomor 07").content.decode()
    assert re.findall(r'<tr data-unit="([\w-]+)"', found) == ["kel-07"]
    pulutan = client.get("/tindak-lanjut/?q=PULUTAN").content.decode()
    assert re.findall(r'<tr data-unit="([\w-]+)"', pulutan) == ["pulutan"] and "50,00 %" in pulutan
    by_parent = client.get("/tindak-lanjut/?induk=sidorejo&tingkat=2").content.decode()
    assert re.findall(r'<tr data-unit="([\w-]+)"', by_parent) == ["sidorejo"]


@pytest.mark.parametrize(("who", "codes"), [("alice", {"pulutan"}), ("charlie", set())])
def test_overview_page_scope(client, request, bob, alice, charlie, unit, period, other_unit, who, codes):
    from conftest import PASSWORD

    _plan_for(unit, period, alice, done=1, total=2)
    _plan_for(other_unit, period, alice, done=1, total=2)
    user = request.getfixturevalue(who)
    client.login(username=user.username, password=PASSWORD)
    html = client.get(f"/tindak-lanjut/?periode={period.code}").content.decode()
    assert set(re.findall(r'<tr data-unit="([\w-]+)"', html)) == (codes or {"kpu-tangerang"})
