"""The province-scale comparison: one query per page, exact SQL IKM, grade
histogram, top/bottom N, search and pagination, charts by content."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from skm.rules.ikm import WeightMode
from surveys import chart_store
from surveys.models import Unit
from surveys.selectors_comparison import unit_comparison_all, unit_comparison_page
from surveys.services_standings import standings_refresh
from surveys.tests.factories import ResponseFactory, UnitFactory

pytestmark = pytest.mark.django_db

B_ANSWERS = dict(zip([f"U{i}" for i in range(1, 10)], [4, 4, 4, 4, 3, 3, 3, 3, 3], strict=True))


def answers(value: int) -> dict:
    return {f"U{i}": value for i in range(1, 10)}


@pytest.fixture
def graded(district, unit, period):
    """Hand-made IKMs under the district (bob supervises it):
    a-satu, a-dua: all 4 -> 100,00 (A); pulutan: four 4s and five 3s -> 31 x 25 / 9 = 86,11 (B);
    c-satu: all 3 -> 75,00 (C); d-satu: all 2 -> 50,00 (D); kosong: no answers (no IKM)."""
    units = {
        "a-satu": UnitFactory(code="a-satu", name="Kelurahan A Satu", parent=district),
        "a-dua": UnitFactory(code="a-dua", name="Kelurahan A Dua", parent=district),
        "c-satu": UnitFactory(code="c-satu", name="Kelurahan C Satu", parent=district),
        "d-satu": UnitFactory(code="d-satu", name="Kelurahan D Satu", parent=district),
        "kosong": UnitFactory(code="kosong", name="Kelurahan Kosong", parent=district),
    }
    ResponseFactory(unit=units["a-satu"], period=period, **answers(4))
    ResponseFactory(unit=units["a-dua"], period=period, **answers(4))
    ResponseFactory(unit=unit, period=period, **B_ANSWERS)
    ResponseFactory(unit=units["c-satu"], period=period, **answers(3))
    ResponseFactory(unit=units["d-satu"], period=period, **answers(2))
    return units


@pytest.fixture
def path():
    """The comparison has one implementation for every database (the same SQL on
    PostgreSQL and SQLite); the suite's SQLite pass runs these tests there."""
    return "orm"


def page_of(user, period, **kwargs):
    user._skm_unit_access = None
    return unit_comparison_page(user=user, period=period, weight_mode=WeightMode.EXACT, **kwargs)


def test_histogram_counts_units_per_grade_band(bob, period, graded, path):
    data = page_of(bob, period)
    assert data.bands == {"A": 2, "B": 1, "C": 1, "D": 1}
    assert (data.total, data.with_ikm) == (7, 5)  # + kosong and the district itself, without IKM


def test_rows_ranked_with_engine_values(bob, period, graded, path):
    data = page_of(bob, period)
    got = [(r.unit.code, r.rank, r.ikm, r.grade) for r in data.rows]
    assert got == [
        ("a-dua", 1, Decimal("100.00"), "A"),  # ties by name: "A Dua" before "A Satu"
        ("a-satu", 2, Decimal("100.00"), "A"),
        ("pulutan", 3, Decimal("86.11"), "B"),
        ("c-satu", 4, Decimal("75.00"), "C"),
        ("d-satu", 5, Decimal("50.00"), "D"),
        ("sidorejo", None, None, None),  # without IKM: last, unranked, by name
        ("kosong", None, None, None),
    ]
    assert [r.parent_name for r in data.rows[:1]] == ["Kecamatan Sidorejo"]


def test_top_and_bottom_n(bob, period, graded, path):
    data = page_of(bob, period, extremes=2)
    assert [(r.unit.code, r.ikm) for r in data.top] == [("a-dua", Decimal("100.00")), ("a-satu", Decimal("100.00"))]
    # Worst first.
    assert [(r.unit.code, r.ikm) for r in data.bottom] == [("d-satu", Decimal("50.00")), ("c-satu", Decimal("75.00"))]


def test_pagination_keeps_global_rank_and_search_finds_any_page(bob, period, graded, path):
    second = page_of(bob, period, per_page=2, page_number=2)
    assert [(r.unit.code, r.rank) for r in second.rows] == [("pulutan", 3), ("c-satu", 4)]
    assert (second.page.number, second.page.paginator.num_pages) == (2, 4)
    found = page_of(bob, period, query="d-sat")
    assert [(r.unit.code, r.rank) for r in found.rows] == [("d-satu", 5)]
    assert found.matched == 1 and found.bands == {"A": 2, "B": 1, "C": 1, "D": 1}  # the chart is the scope's
    past = page_of(bob, period, per_page=2, page_number=99)
    assert past.page.number == 4 and len(past.rows) == 1


def test_filters_min_and_grade_keep_rank(bob, period, graded, path):
    only_c = page_of(bob, period, grade="C")
    assert [(r.unit.code, r.rank) for r in only_c.rows] == [("c-satu", 4)]
    assert only_c.bands == {"A": 0, "B": 0, "C": 1, "D": 0}


def test_charlie_and_alice_see_only_their_unit(charlie, alice, period, graded, other_unit, path):
    ResponseFactory(unit=other_unit, period=period, **answers(4))
    assert [r.unit.code for r in page_of(charlie, period).rows] == ["kpu-tangerang"]
    assert [r.unit.code for r in page_of(alice, period).rows] == ["pulutan"]


def test_sql_ikm_equals_the_engine_on_many_tallies(bob, district, period):
    """The SQL ranking value (exact integer arithmetic) and compute_ikm agree to the cent,
    for every weight, on uneven answered counts (blanks) where float would drift."""
    rng = random.Random(13)
    for n in range(25):
        u = UnitFactory(code=f"acak-{n}", name=f"Acak {n}", parent=district)
        for _ in range(rng.randint(1, 7)):
            ResponseFactory(
                unit=u, period=period, **{f"U{i}": rng.choice([1, 2, 3, 4, 4, 3, None]) for i in range(1, 10)}
            )
    for mode in WeightMode:
        bob._skm_unit_access = None
        rows = list(unit_comparison_all(user=bob, period=period, weight_mode=mode))
        with_ikm = [r for r in rows if r.ikm is not None]
        assert len(with_ikm) >= 10
        for r in rows:
            assert r.ikm100 == (None if r.ikm is None else int(r.ikm * 100)), (mode, r.unit.code)
        ikms = [r.ikm for r in with_ikm]
        assert ikms == sorted(ikms, reverse=True)


@pytest.mark.postgres(reason="pins the PostgreSQL statements (SET LOCAL and the index-ordered reads)")
def test_one_statement_per_page_whatever_the_tree_size(bob, district, period, graded):
    bob._skm_unit_access = None

    def statements():
        bob._skm_unit_access = None
        with CaptureQueriesContext(connection) as ctx:
            unit_comparison_page(user=bob, period=period, weight_mode=WeightMode.EXACT, query="kel")
        return ctx.captured_queries

    standings_refresh()  # the league table is up to date (the refresh has its own tests)
    before = statements()
    for n in range(30):
        UnitFactory(code=f"tambahan-{n}", name=f"Tambahan {n}", parent=district)
    standings_refresh()  # the new units' rows
    after = statements()
    # the league table's stale check, bob's roles, SET LOCAL (index order, jit), the totals and bands,
    # the page, the best, the worst; then the tallies and labels of the rows shown
    assert len(before) == len(after) == 9
    assert "standingstale" in before[0]["sql"] and before[2]["sql"].startswith("SET LOCAL")
    league = [q["sql"] for q in after[3:7]]
    assert all('FROM "surveys_standing"' in sql for sql in league)
    # The subtree is a path prefix, never a list of ids: the league statements do not grow with the tree.
    assert [len(sql) for sql in league] == [len(q["sql"]) for q in before[3:7]]


def test_subtree_scope_via_parent_filter(bob, district, period, graded, path):
    child = UnitFactory(code="anak", name="Anak C Satu", parent=graded["c-satu"])
    ResponseFactory(unit=child, period=period, **answers(1))
    data = page_of(bob, period, scope_q=Q(path__startswith=graded["c-satu"].path))
    assert [(r.unit.code, r.ikm) for r in data.rows] == [("c-satu", Decimal("75.00")), ("anak", Decimal("25.00"))]


# --- the page -----------------------------------------------------------------


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def compare_url(**params):
    query = "&".join(f"{k}={v}" for k, v in {"periode": "2024-S2", **params}.items())
    return reverse("surveys:results_compare") + "?" + query


@pytest.mark.parametrize(("who", "codes"), [("alice", ["pulutan"]), ("charlie", ["kpu-tangerang"]), ("bob", None)])
def test_page_access(client, request, graded, who, codes):
    html = login(client, request.getfixturevalue(who)).get(compare_url()).content.decode()
    ranked = re.findall(r'<tr data-unit="([\w-]+)"', html)
    if codes is None:
        assert ranked[:5] == ["a-dua", "a-satu", "pulutan", "c-satu", "d-satu"]
    else:
        assert ranked == codes


def test_page_anonymous_redirects(client):
    assert client.get(compare_url()).status_code == 302


def test_user_without_units_gets_an_empty_page(client, period, graded):
    from surveys.tests.factories import UserFactory

    nobody = UserFactory(username="tanpa-unit")
    response = login(client, nobody).get(compare_url())
    assert response.status_code == 200 and "Tidak ada unit yang cocok" in response.content.decode()


def test_page_shows_histogram_table_and_paginates(client, bob, graded, django_assert_max_num_queries):
    login(client, bob)
    html = client.get(compare_url(q="kelurahan")).content.decode()
    counts = dict(re.findall(r'data-band="([ABCD])">(\d+)<', html))
    assert counts == {"A": "2", "B": "1", "C": "1", "D": "1"}
    assert 'alt="Grafik sebaran unit menurut mutu pelayanan"' in html
    assert "<svg" not in html and html.count('src="/grafik/') == 2
    # Search by code lands on the unit, whatever page it would be on.
    html = client.get(compare_url(q="D-SATU")).content.decode()
    assert re.findall(r'<tr data-unit="([\w-]+)"', html) == ["d-satu"]


def test_page_query_count_is_pinned(client, bob, graded, district, django_assert_num_queries):
    login(client, bob)
    client.get(compare_url())  # session and user warm
    # session, user, roles, parent options, the period,
    # the other instruments' stale check and league rows (none here), the SKM's stale check (none
    # stale), SET LOCAL (PostgreSQL), the totals and bands, the page, the best, the worst, the tallies
    # and labels of the rows shown, the export's default unit, the period list
    queries = 17 if connection.vendor == "postgresql" else 16
    with django_assert_num_queries(queries):
        client.get(compare_url())
    for n in range(60):
        UnitFactory(code=f"lagi-{n}", name=f"Lagi {n}", parent=district)
    standings_refresh()  # the new units' league rows (counted in the refresh's own tests)
    with django_assert_num_queries(queries):
        html = client.get(compare_url(hal=2)).content.decode()
    assert "Halaman 2 dari 2" in html


def test_bad_page_and_level_give_messages_not_500(client, bob, graded):
    login(client, bob)
    response = client.get(compare_url(hal="abc", tingkat="x"))
    assert response.status_code == 200
    assert "Tingkat harus bilangan bulat" in response.content.decode()
    level3 = client.get(compare_url(tingkat=3)).content.decode()
    assert set(re.findall(r'<tr data-unit="([\w-]+)"', level3)) == {
        "a-dua",
        "a-satu",
        "pulutan",
        "c-satu",
        "d-satu",
        "kosong",
    }


# --- charts by content ------------------------------------------------------------


def test_chart_url_is_the_content_and_renders_once(client, bob, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    calls = []
    original = chart_store.BUILDERS["histogram"]
    monkeypatch.setitem(chart_store.BUILDERS, "histogram", lambda p: calls.append(p) or original(p))
    url = chart_store.chart_url("histogram", chart_store.histogram_payload({"A": 3, "B": 1, "C": 0, "D": 2}))
    same = chart_store.chart_url("histogram", chart_store.histogram_payload({"A": 3, "B": 1, "C": 0, "D": 2}))
    other = chart_store.chart_url("histogram", chart_store.histogram_payload({"A": 4, "B": 1, "C": 0, "D": 2}))
    assert url == same != other
    assert client.get(url).status_code == 302  # anonymous: login first
    login(client, bob)
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "image/svg+xml"
    assert "immutable" in first["Cache-Control"]
    assert client.get(url).content == first.content
    assert len(calls) == 1  # the second request came from the cache


def test_forged_chart_token_is_404(client, bob):
    login(client, bob)
    url = chart_store.chart_url("histogram", chart_store.histogram_payload({"A": 1}))
    token = url.split("/grafik/")[1][:-4]
    forged = reverse("surveys:chart", args=[token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")])
    assert client.get(forged).status_code == 404
    assert client.get(reverse("surveys:chart", args=["bukan-token"])).status_code == 404


def test_zona_integritas_indices_ranked_per_unit(client, bob, alice, unit, period, graded, during_period):
    """Units that asked the SPAK are ranked by their IPAK beside the IKM ranking
    (by hand: a-satu all 6 -> 100,00; pulutan all 3 -> 3 x 100/6 = 50,00; a-dua AK1 blank -> no index).
    Pulutan also asked the SPKP (all 4 -> 4 x 100/6 = 66,67): first in that ranking of its own."""
    from surveys.models import SurveyRound
    from surveys.services import response_create_paper
    from surveys.services_rounds import round_set_instruments

    for code, spak in (
        ("a-satu", dict.fromkeys(["AK1", "AK2", "AK3", "AK4", "AK5"], 6)),
        ("pulutan", dict.fromkeys(["AK1", "AK2", "AK3", "AK4", "AK5"], 3)),
        ("a-dua", {"AK2": 5}),
    ):
        rnd = SurveyRound.objects.get_or_create(
            unit=Unit.objects.get(code=code), period=period, defaults={"status": "open"}
        )[0]
        both = code == "pulutan"
        round_set_instruments(round=rnd, user=None, instruments=["SPKP", "SPAK"] if both else ["SPAK"])
        more = {"SPAK": spak, **({"SPKP": {f"KP{i}": 4 for i in range(1, 9)}} if both else {})}
        response_create_paper(unit=rnd.unit, period=period, user=None, answers={"U1": 4}, more=more)
    login(client, bob)
    html = client.get(compare_url()).content.decode()
    section = html[html.index('id="peringkat-spak"') :]
    assert "Survei Persepsi Anti Korupsi: IPAK per unit" in section
    rows = re.findall(r"<tr><td[^>]*>([^<]*)</td><td class=\"stack-head\">([^<]+) <span", section)
    assert rows[:3] == [("1", "Kelurahan A Satu"), ("2", "Kelurahan Pulutan"), ("–", "Kelurahan A Dua")]
    assert "100,00" in section and "50,00" in section
    # The grades of the whole ranking, beside it: a-satu A, pulutan D, a-dua none.
    table = section[section.index('id="sebaran-spak"') : section.index("</table>", section.index('id="sebaran-spak"'))]
    assert re.findall(r'data-band="([A-D])">(\d+)<', table) == [("A", "1"), ("B", "0"), ("C", "0"), ("D", "1")]
    chart = re.search(r'<img src="([^"]+)" alt="Grafik sebaran unit menurut mutu IPAK"', section).group(1)
    svg = client.get(chart)
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    spkp = html[html.index('id="peringkat-spkp"') : html.index('id="peringkat-spak"')]
    assert re.findall(r"<tr><td[^>]*>([^<]*)</td><td class=\"stack-head\">([^<]+) <span", spkp) == [
        ("1", "Kelurahan Pulutan")
    ]
    assert "66,67" in spkp
