"""Public results page: open to everyone, aggregates only, follow-up status."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import Response
from surveys.tests.factories import PeriodFactory, ResponseFactory, SurveyRoundFactory, UnitFactory, publish_round

pytestmark = pytest.mark.django_db

URL = "/publik/pulutan/hasil/"


def test_url_name():
    assert reverse("public_results", args=["pulutan"]) == URL


@pytest.mark.parametrize("who", [None, "alice", "bob", "charlie"])
def test_public_page_open_to_everyone(request, client, unit, period, reference_responses, who):
    publish_round(unit, period)
    if who:
        client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    # Default weight is exact: 86,11 (B, Baik); 50 respondents; the rule is named.
    assert 'data-testid="ikm">86,11<' in html
    assert "Baik" in html and ">50<" in html and "n = 50 responden" in html
    assert "bobot 1/9" in html
    assert "<svg" in html


def test_no_personal_data_or_saran(client, unit, period):
    ResponseFactory(unit=unit, period=period, suggestion="Saran rahasia: loket 3 lambat", gender="P", age=37, number=77)
    publish_round(unit, period)
    html = client.get(URL).content.decode()
    assert "Saran rahasia" not in html
    assert "loket 3" not in html
    text = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)  # chart coordinates are numbers too
    assert "Perempuan" not in text and ">37<" not in text and "77" not in text


def test_only_published_rounds_are_public_newest_first_with_an_archive(client, unit, period, reference_responses):
    """The issue's case: one test answer in a new period must not replace a
    published 120-respondent result. An open or unpublished round is never public."""
    assert "Hasil survei belum tersedia." in client.get(URL).content.decode()  # open, not published
    publish_round(unit, period)
    later = PeriodFactory(code="2025-S1", start_date="2025-01-01", end_date="2025-06-30")
    SurveyRoundFactory(unit=unit, period=later)
    ResponseFactory(unit=unit, period=later, **{f"U{i}": 4 for i in range(1, 10)})
    html = client.get(URL).content.decode()
    assert 'data-testid="ikm">86,11<' in html and "Semester I Tahun 2025" not in html
    assert client.get("/publik/pulutan/hasil/2025-S1/").status_code == 404

    publish_round(unit, later)
    html = client.get(URL).content.decode()
    assert 'data-testid="ikm">100,00<' in html and "n = 1 responden" in html
    archive = html[html.index('id="arsip"') :]
    assert archive.index("Semester I Tahun 2025") < archive.index("Semester II Tahun 2024")
    assert "n = 50" in archive and "n = 1" in archive
    earlier = client.get("/publik/pulutan/hasil/2024-S2/").content.decode()
    assert 'data-testid="ikm">86,11<' in earlier


def test_bad_version_or_period_is_a_polite_404(client, unit, period, reference_responses):
    publish_round(unit, period)
    for path in (URL + "?versi=abc", URL + "?versi=7", "/publik/pulutan/hasil/2099-S1/", "/publik/pulutan/hasil/xx/"):
        response = client.get(path)
        assert response.status_code == 404, path


def test_empty_and_unknown(client, unit, period):
    assert "Hasil survei belum tersedia." in client.get(URL).content.decode()
    assert client.get("/publik/tidak-ada/hasil/").status_code == 404
    unit.is_active = False
    unit.save()
    assert client.get(URL).status_code == 404


def test_followup_status_without_plan(client, unit, period, reference_responses):
    publish_round(unit, period)
    assert "Rencana tindak lanjut belum disusun." in client.get(URL).content.decode()


def test_followup_status_with_plan(client, unit, period, reference_responses, monkeypatch):
    seen = {}

    def fake_summary(*, unit, period):
        seen["args"] = (unit.code, period.code)
        return SimpleNamespace(percent=Decimal("66.67"), band_label="30% - 80%", realised=2, total=3)

    monkeypatch.setattr("reports.views_public.plan_public_summary", fake_summary)
    publish_round(unit, period)
    html = client.get(URL).content.decode()
    assert seen["args"] == ("pulutan", "2024-S2")
    assert "66,67% terealisasi (2 dari 3 rencana)" in html
    assert "30% - 80%" in html


def test_followup_status_with_a_real_plan(client, unit, period, reference_responses):
    from followup.models import Plan

    publish_round(unit, period)
    Plan.objects.create(unit=unit, period=period)
    html = client.get(URL).content.decode()
    assert "Rencana tindak lanjut belum disusun." not in html
    assert 'data-testid="rtl"' in html


def test_query_count_is_bounded(client, unit, period, reference_responses, django_assert_max_num_queries):
    Response.objects.filter(unit=unit).update(suggestion="x")
    publish_round(unit, period)
    # 8 for the page, plus one for the unit's published Laporan SKM files (their state is
    # part of the cache key and their links are on the page).
    with django_assert_max_num_queries(9):
        client.get(URL)


@pytest.mark.parametrize("who", [None, "alice", "bob", "charlie"])
def test_parent_page_lists_the_published_units_below_it(request, client, city, district, unit, period, who):
    """Kecamatan Sidorejo has no result of its own: its page lists Pulutan's
    latest published index, as wilayah.json has it; an unpublished sibling is not listed."""
    for i in range(3):
        ResponseFactory(unit=unit, period=period, **{f"U{k}": 3 + (i + k) % 2 for k in range(1, 10)})
    publish_round(unit, period)
    sibling = UnitFactory(code="kauman", name="Kelurahan Kauman Kidul", parent=district)
    SurveyRoundFactory(unit=sibling, period=period)
    ResponseFactory(unit=sibling, period=period)
    if who:
        client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    html = client.get(reverse("public_results", args=["sidorejo"])).content.decode()
    assert "Hasil survei belum tersedia." in html  # the district's own result
    listed = html[html.index('id="unit-di-bawah"') :]
    (row,) = client.get(reverse("public_subtree_json", args=["sidorejo"])).json()["results"]
    ikm = Decimal(row["ikm"]).quantize(Decimal("0.01"))
    assert f'href="{URL}">Kelurahan Pulutan</a>' in listed and "Semester II Tahun 2024" in listed
    assert str(ikm).replace(".", ",") in listed and ">3<" in listed
    assert "Kauman" not in listed
    # The city's page lists it too (the whole subtree); a unit without children shows no list.
    assert "Kelurahan Pulutan" in client.get(reverse("public_results", args=["salatiga"])).content.decode()
    assert 'id="unit-di-bawah"' not in client.get(URL).content.decode()
