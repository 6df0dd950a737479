"""Results pages: access matrix, content against the reference file, weights, empty states, comparison."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from surveys.tests.factories import PeriodFactory, ResponseFactory, ServiceFactory, UnitFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def chart_svgs(client, html):
    """Every chart <img> of a page, fetched: the SVG texts (each must answer 200 as SVG)."""
    svgs = []
    for src in re.findall(r'<img src="(/grafik/[^"]+\.svg)" alt="[^"]+"', html):
        response = client.get(src.replace("&amp;", "&"))
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        svgs.append(response.content.decode())
    return svgs


def results_url(code="pulutan", period="2024-S2", **params):
    url = reverse("surveys:results", args=[code, period])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("bob", 200), ("admin_user", 200), ("charlie", 403), (None, 302)],
)
def test_results_access_matrix(request, client, unit, period, reference_responses, who, status):
    user = request.getfixturevalue(who) if who else None
    response = login(client, user).get(results_url())
    assert response.status_code == status
    if status == 302:
        assert reverse("login") in response["Location"]
    if status == 403:
        assert "Anda tidak memiliki akses ke unit ini." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("bob", 200), ("charlie", 403), (None, 302)],
)
def test_worksheet_download_access(request, client, unit, period, reference_responses, who, status):
    user = request.getfixturevalue(who) if who else None
    response = login(client, user).get(
        reverse("surveys:results_worksheet", args=["pulutan", "2024-S2"]) + "?bobot=0.111"
    )
    assert response.status_code == status
    if status == 200:
        wb = load_workbook(io.BytesIO(response.content))
        ikm_row = next(r for r in wb["Data responden"].iter_rows(values_only=True) if r[0] == "IKM Unit Layanan")
        assert ikm_row[2] == 86.03


def test_unknown_unit_and_period_are_404(client, alice, unit, period):
    login(client, alice)
    assert client.get(results_url(code="tidak-ada")).status_code == 404
    response = client.get(results_url(period="2031-S1"))
    assert response.status_code == 404
    assert "Periode tidak ditemukan." in response.content.decode()


def test_reference_results_page(client, alice, unit, period, reference_responses, django_assert_max_num_queries):
    login(client, alice)
    with django_assert_max_num_queries(20):
        response = client.get(results_url(bobot="0.111"))
    html = response.content.decode()
    # Seed 004, Tabel III.15: IKM 86,03 with weight 0,111; U9 3,12 the lowest, then U3/U6 (3,32).
    assert 'data-testid="ikm">86,03<' in html
    assert "bobot 0,111 (pembulatan lembar kerja)" in html
    assert "3,1200" in html and "78,00" in html
    table = re.search(r'id="tabel-ikm".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    assert body.count("<tr>") == 9
    assert re.search(r'id="prioritas">\s*<li>Sarana dan Prasarana \(U9\)', html)
    assert "U9, U3, U6, U1, U5, U2, U7, U8, U4" in html
    assert "<svg" not in html  # charts are <img> of cached SVGs: the page never draws
    assert len(chart_svgs(client, html)) >= 3  # per-unsur bars, trend, profile charts
    # Interval table in Indonesian notation, as the regulation prints it.
    assert "3,5324 – 4,00" in html and "88,31 – 100,00" in html
    # Distribution table of U9 (seed 004 Tabel III.13): 7 "Cukup" = 14,00 %.
    assert "2. Cukup" in html and "14,00" in html


@pytest.mark.parametrize(("mode", "ikm"), [("exact", "86,11"), ("0.111", "86,03"), ("0.11", "85,25")])
def test_weight_selector(client, bob, unit, period, reference_responses, mode, ikm):
    html = login(client, bob).get(results_url(bobot=mode)).content.decode()
    assert f'data-testid="ikm">{ikm}<' in html
    assert f'<option value="{mode}" selected>' in html


def test_default_weight_from_settings(settings, client, alice, unit, period, reference_responses):
    settings.SKM_WEIGHT_MODE = "0.11"
    html = login(client, alice).get(results_url()).content.decode()
    assert 'data-testid="ikm">85,25<' in html


def test_bad_weight_gives_indonesian_message_not_500(client, alice, unit, period, reference_responses):
    response = login(client, alice).get(results_url(bobot="0.5"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bobot &#x27;0.5&#x27; tidak dikenal" in html
    assert 'data-testid="ikm">86,11<' in html  # fell back to the default (exact)


def test_empty_period_shows_empty_state(client, alice, unit, period):
    html = login(client, alice).get(results_url()).content.decode()
    assert "Belum ada jawaban responden pada periode ini." in html
    assert "<svg" not in html


def test_latest_redirects_to_period_with_responses(client, alice, unit, period, reference_responses):
    PeriodFactory(code="2025-S1", start_date="2025-01-01", end_date="2025-06-30")
    response = login(client, alice).get(reverse("surveys:results_latest", args=["pulutan"]))
    assert response.status_code == 302
    assert response["Location"] == results_url()


def test_services_matrix_and_labelled_mean(client, alice, unit, period):
    # Loket A: 1 x all 4 -> 100,00; Loket B: 3 x all 2 -> 50,00; pooled NRR 2,5 -> 62,50; mean 75,00.
    a = ServiceFactory(unit=unit, name="Loket A")
    b = ServiceFactory(unit=unit, name="Loket B")
    ResponseFactory(unit=unit, period=period, service=a, **{f"U{i}": 4 for i in range(1, 10)})
    for _ in range(3):
        ResponseFactory(unit=unit, period=period, service=b, **{f"U{i}": 2 for i in range(1, 10)})
    html = login(client, alice).get(results_url(bobot="exact")).content.decode()
    assert 'data-testid="ikm">62,50<' in html
    matrix = re.search(r'id="tabel-layanan".*?</table>', html, re.S).group(0)
    assert "Loket A" in matrix and "100,00" in matrix and "50,00" in matrix
    assert "Rata-rata IKM per jenis layanan (tidak tertimbang)" in matrix
    assert 'data-testid="rerata-layanan">75,00<' in matrix


def test_sample_adequacy_flags(client, alice, unit, period):
    from surveys.models import ServicePopulation

    a = ServiceFactory(unit=unit, name="Loket A")
    b = ServiceFactory(unit=unit, name="Loket B")
    ServiceFactory(unit=unit, name="Loket C")
    ServicePopulation.objects.create(service=a, period=period, population=1)  # K&M: 1 -> 1
    ServicePopulation.objects.create(service=b, period=period, population=100)  # K&M: 100 -> 80
    ResponseFactory(unit=unit, period=period, service=a)
    ResponseFactory(unit=unit, period=period, service=b)
    html = login(client, alice).get(results_url()).content.decode()
    table = re.search(r'id="tabel-sampel".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr><td[^>]*>(Loket .)</td>.*?</tr>", table, re.S)
    assert rows == ["Loket A", "Loket B", "Loket C"]
    assert re.search(r"Loket A.*?>1<.*?>1<.*?cukup", table, re.S)
    assert re.search(r"Loket B.*?>100<.*?>80<.*?>1<.*?belum cukup", table, re.S)
    assert "populasi belum diisi" in table


def test_trend_lists_each_period(client, alice, unit, period, reference_responses):
    earlier = PeriodFactory(code="2024-S1", start_date="2024-01-01", end_date="2024-06-30")
    ResponseFactory(unit=unit, period=earlier, **{f"U{i}": 3 for i in range(1, 10)})  # 3 x 25 = 75,00
    html = login(client, alice).get(results_url()).content.decode()
    trend = re.search(r'id="tabel-tren".*?</table>', html, re.S).group(0)
    assert trend.index("Semester I Tahun 2024") < trend.index("Semester II Tahun 2024")
    assert "75,00" in trend and "86,11" in trend


# --- comparison ---------------------------------------------------------------


@pytest.fixture
def sibling(district):
    return UnitFactory(code="blotongan", name="Kelurahan Blotongan", parent=district)


@pytest.fixture
def compared(unit, sibling, other_unit, period):
    # pulutan all 3 -> 75,00 (C); blotongan all 4 -> 100,00 (A) with 2 respondents; other tree all 2.
    ResponseFactory(unit=unit, period=period)
    for _ in range(2):
        ResponseFactory(unit=sibling, period=period, **{f"U{i}": 4 for i in range(1, 10)})
    ResponseFactory(unit=other_unit, period=period, **{f"U{i}": 2 for i in range(1, 10)})


def ranking(html):
    table = re.search(r'id="tabel-peringkat".*?</table>', html, re.S).group(0)
    return re.findall(r'href="/hasil/([\w-]+)/2024-S2/', table)


def test_comparison_for_supervisor_ranks_subtree_only(client, bob, compared):
    response = login(client, bob).get(reverse("surveys:results_compare") + "?periode=2024-S2")
    assert response.status_code == 200
    html = response.content.decode()
    assert ranking(html) == ["blotongan", "pulutan", "sidorejo"]  # district itself has no data: unranked, last
    assert "kpu-tangerang" not in html
    assert len(chart_svgs(client, html)) == 2  # grade histogram, best/worst units


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mutu=A", ["blotongan"]),
        ("mutu=C", ["pulutan"]),
        ("min=2", ["blotongan"]),
        ("induk=sidorejo", ["blotongan", "pulutan", "sidorejo"]),
    ],
)
def test_comparison_filters(client, bob, compared, query, expected):
    html = login(client, bob).get(reverse("surveys:results_compare") + "?periode=2024-S2&" + query).content.decode()
    assert ranking(html) == expected


def test_comparison_bad_filters_give_messages(client, bob, compared):
    html = (
        login(client, bob)
        .get(reverse("surveys:results_compare") + "?periode=2024-S2&min=abc&mutu=Z&induk=kpu-tangerang&bobot=x")
        .content.decode()
    )
    assert "Minimal responden harus bilangan bulat" in html
    assert "Mutu harus A, B, C atau D" in html
    assert "filter induk diabaikan" in html
    assert "tidak dikenal" in html
    assert ranking(html) == ["blotongan", "pulutan", "sidorejo"]


def test_comparison_for_outsider_and_anonymous(client, charlie, compared):
    assert client.get(reverse("surveys:results_compare")).status_code == 302
    html = login(client, charlie).get(reverse("surveys:results_compare") + "?periode=2024-S2").content.decode()
    assert ranking(html) == ["kpu-tangerang"]
    assert "pulutan" not in html


def test_comparison_unknown_period_404(client, bob, compared):
    assert login(client, bob).get(reverse("surveys:results_compare") + "?periode=1999-S1").status_code == 404


def test_comparison_admin_sees_all(client, admin_user, compared):
    html = login(client, admin_user).get(reverse("surveys:results_compare") + "?periode=2024-S2").content.decode()
    assert ranking(html)[:3] == ["blotongan", "pulutan", "kpu-tangerang"]


def test_comparison_defaults_to_latest_period_with_data(client, bob, compared):
    PeriodFactory(code="2025-S1", start_date="2025-01-01", end_date="2025-06-30")  # newer, but empty
    html = login(client, bob).get(reverse("surveys:results_compare")).content.decode()
    assert "Semester II Tahun 2024 ·" in html
    assert ranking(html) == ["blotongan", "pulutan", "sidorejo"]


@pytest.mark.parametrize("name", ["$x$", "$\\frac{$"])
def test_dollar_signs_in_unit_and_service_names_do_not_break_the_pages(
    client, bob, alice, compared, sibling, unit, name
):
    # A $...$ pair used to go to matplotlib's mathtext: "$\frac{$" raised, the comparison page was a 500.
    sibling.name = name
    sibling.save()
    service = ServiceFactory(unit=unit, name=name)
    ResponseFactory(unit=unit, period=PeriodFactory(), service=service)
    response = login(client, bob).get(reverse("surveys:results_compare") + "?periode=2024-S2")
    assert response.status_code == 200
    html = response.content.decode()
    assert name in html and all("<svg" in svg for svg in chart_svgs(client, html))
    client.logout()
    response = login(client, alice).get(results_url())
    assert response.status_code == 200
    assert name in response.content.decode()


def test_results_page_reads_the_tallies_not_the_responses(client, alice, unit, period, reference_responses):
    """Pinned query count; the IKM, the per-service rows and the trend come from
    ItemTally and the profile from ProfileTally, so no query reads the responses
    (issue 21 point 5: the page costs the same at 10 million responses)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, alice)
    client.get(results_url(bobot="0.111"))  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(results_url(bobot="0.111"))
    assert 'data-testid="ikm">86,03<' in response.content.decode()
    response_table = '"surveys_response"'
    scans = [q["sql"] for q in ctx.captured_queries if response_table in q["sql"]]
    assert scans == []
    assert any('"surveys_itemtally"' in q["sql"] for q in ctx.captured_queries)
    assert any('"surveys_profiletally"' in q["sql"] for q in ctx.captured_queries)
    assert "Laki-laki" in response.content.decode()  # the profile table is on the page
    assert len(ctx.captured_queries) == PINNED_RESULTS_QUERIES


# session, user, unit, roles, period, the round's status, wording, tallies per service,
# profile, services, populations, tallies per period (trend), trend periods, period
# menu, unit menu.
PINNED_RESULTS_QUERIES = 15
