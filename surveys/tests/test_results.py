"""Result view-models (surveys/results.py)."""

from decimal import Decimal

import pytest

from skm.rules.ikm import WeightMode
from surveys.models import ServicePopulation
from surveys.results import (
    MEAN_OF_SERVICES_LABEL,
    WeightModeError,
    profile_tables_get,
    public_results_get,
    service_breakdown_list,
    service_ikm_mean,
    unit_results_get,
    unit_trend_list,
    weight_mode_resolve,
)
from surveys.services_tallies import tally_rebuild
from surveys.tests.factories import PeriodFactory, ResponseFactory, ServiceFactory, UnitFactory, publish_round

pytestmark = pytest.mark.django_db


def test_weight_mode_resolve(settings):
    settings.SKM_WEIGHT_MODE = "0.111"
    assert weight_mode_resolve() == "0.111"
    assert weight_mode_resolve(value="exact") == "exact"
    assert weight_mode_resolve(value="0,11") == "0.11"  # Indonesian decimal comma accepted
    with pytest.raises(WeightModeError, match="Bobot 'x' tidak dikenal"):
        weight_mode_resolve(value="x")


def test_profile_tables_one_query(unit, period, django_assert_num_queries):
    ResponseFactory(unit=unit, period=period, gender="L", age=19, education="SD", occupation="PELAJAR")
    ResponseFactory(unit=unit, period=period, gender="P", age=20, education="STRATA", occupation="PNS")
    ResponseFactory(unit=unit, period=period, gender="P", age=61, education="", occupation="")
    ResponseFactory(unit=unit, period=period, gender="P", age=None)
    with django_assert_num_queries(1):
        tables = {t.key: t for t in profile_tables_get(unit=unit, period=period)}
    gender = {r.label: (r.count, r.percent) for r in tables["gender"].rows}
    assert gender == {"Laki-laki": (1, Decimal("25.00")), "Perempuan": (3, Decimal("75.00"))}  # no "Tidak diisi" row
    age = {r.label: r.count for r in tables["age"].rows}
    # Band edges: 19 -> "≤ 20", 20 -> "≤ 20", 61 -> "> 60"; one unknown.
    assert age == {"≤ 20": 2, "21 - 30": 0, "31 - 40": 0, "41 - 50": 0, "51 - 60": 0, "> 60": 1, "Tidak diisi": 1}
    education = {r.label: r.count for r in tables["education"].rows}
    assert education["SD"] == 1 and education["Strata (S1-S3)"] == 1 and education["Tidak diisi"] == 2


def test_reference_profile_matches_seed(unit, period, reference_responses):
    # Seed 004, Tabel III.1: 18 Laki-laki (36 %), 32 Perempuan (64 %).
    tables = {t.key: t for t in profile_tables_get(unit=unit, period=period)}
    assert [(r.label, r.count, r.percent) for r in tables["gender"].rows] == [
        ("Laki-laki", 18, Decimal("36.00")),
        ("Perempuan", 32, Decimal("64.00")),
    ]
    # Tabel III.2: 1 / 3 / 11 / 20 / 10 / 5 (the first band includes age 20).
    assert [(r.label, r.count) for r in tables["age"].rows] == [
        ("≤ 20", 1),
        ("21 - 30", 3),
        ("31 - 40", 11),
        ("41 - 50", 20),
        ("51 - 60", 10),
        ("> 60", 5),
    ]


def test_service_breakdown_one_group_by(unit, period, django_assert_num_queries):
    a = ServiceFactory(unit=unit, name="B layanan")
    b = ServiceFactory(unit=unit, name="A layanan")
    ResponseFactory(unit=unit, period=period, service=a, **{f"U{i}": 4 for i in range(1, 10)})
    ResponseFactory(unit=unit, period=period, service=b, **{f"U{i}": 2 for i in range(1, 10)})
    ResponseFactory(unit=unit, period=period, service=b, **{f"U{i}": 2 for i in range(1, 10)})
    ResponseFactory(unit=unit, period=period, service=None, **{f"U{i}": 3 for i in range(1, 10)})
    with django_assert_num_queries(2):  # the GROUP BY and the service names
        rows = service_breakdown_list(unit=unit, period=period, weight_mode=WeightMode.EXACT)
    assert [(r.name, r.result.respondents, r.result.ikm) for r in rows] == [
        ("A layanan", 2, Decimal("50.00")),
        ("B layanan", 1, Decimal("100.00")),
        ("Tanpa jenis layanan", 1, Decimal("75.00")),
    ]
    # The unweighted mean covers named services only: (50 + 100) / 2 = 75.00.
    assert service_ikm_mean(rows) == Decimal("75.00")
    assert MEAN_OF_SERVICES_LABEL == "Rata-rata IKM per jenis layanan (tidak tertimbang)"


def test_no_breakdown_without_services(unit, period, reference_responses):
    assert service_breakdown_list(unit=unit, period=period, weight_mode=WeightMode.EXACT) == []


def test_trend_one_group_by(unit, period, django_assert_num_queries):
    s1 = PeriodFactory(code="2024-S1", start_date="2024-01-01", end_date="2024-06-30")
    ResponseFactory(unit=unit, period=s1, **{f"U{i}": 4 for i in range(1, 10)})
    ResponseFactory(unit=unit, period=period, **{f"U{i}": 2 for i in range(1, 10)})
    with django_assert_num_queries(2):  # GROUP BY period and the periods
        points = unit_trend_list(unit=unit, weight_mode=WeightMode.EXACT)
    assert [(p.period_code, p.respondents, p.ikm, p.grade) for p in points] == [
        ("2024-S1", 1, Decimal("100.00"), "A"),
        ("2024-S2", 1, Decimal("50.00"), "D"),
    ]


def test_unit_results_bounded_queries(unit, period, reference_responses, django_assert_max_num_queries):
    ServicePopulation.objects.create(service=ServiceFactory(unit=unit, name="KTP"), period=period, population=1000)
    with django_assert_max_num_queries(9):
        data = unit_results_get(unit=unit, period=period, weight_mode=WeightMode.W0111)
    assert data.result.ikm == Decimal("86.03")
    assert data.weight_description.startswith("bobot 0,111")
    # Krejcie & Morgan: population 1 000 -> 278; nobody answered for KTP -> belum cukup.
    assert [(a.service, a.required, a.respondents, a.flag) for a in data.adequacy] == [("KTP", 278, 0, "belum cukup")]
    u9 = next(t for t in data.distributions if t.code == "U9")
    assert [(r.label, r.count, r.percent) for r in u9.rows] == [
        ("Buruk", 0, Decimal("0.00")),
        ("Cukup", 7, Decimal("14.00")),
        ("Baik", 30, Decimal("60.00")),
        ("Sangat Baik", 13, Decimal("26.00")),
    ]


def test_distribution_labels_follow_unit_wording(unit, period):
    from surveys.models import UnsurWording

    UnsurWording.objects.create(
        unit=unit,
        code="U8",
        question="Penanganan pengaduan?",
        label_1="Tidak baik",
        label_2="Kurang baik",
        label_3="Baik",
        label_4="Sangat baik",
    )
    ResponseFactory(unit=unit, period=period, U8=4)
    data = unit_results_get(unit=unit, period=period, weight_mode=WeightMode.EXACT)
    u8 = next(t for t in data.distributions if t.code == "U8")
    assert [r.label for r in u8.rows] == ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"]


def test_comparison_one_query_and_scope(bob, unit, district, other_unit, period, django_assert_num_queries):
    from django.db import connection

    from surveys.selectors_comparison import unit_comparison_page
    from surveys.services_standings import standings_refresh

    sibling = UnitFactory(code="blotongan", name="Kelurahan Blotongan", parent=district)
    ResponseFactory(unit=unit, period=period)  # 75.00
    ResponseFactory(unit=sibling, period=period, **{f"U{i}": 4 for i in range(1, 10)})  # 100.00
    ResponseFactory(unit=other_unit, period=period)
    bob.refresh_from_db()
    standings_refresh()  # the league table is up to date (surveys/tests/test_standings.py)
    # the stale check, bob's roles, SET LOCAL (PostgreSQL), totals, page, best, worst, the rows' tallies and labels
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 8):
        data = unit_comparison_page(user=bob, period=period, weight_mode=WeightMode.EXACT)
    assert [(r.unit.code, r.rank, r.ikm) for r in data.rows] == [
        ("blotongan", 1, Decimal("100.00")),
        ("pulutan", 2, Decimal("75.00")),
        ("sidorejo", None, None),
    ]


def test_public_results_uses_default_weight(settings, unit, period, reference_responses):
    settings.SKM_WEIGHT_MODE = WeightMode.W0111
    publish_round(unit, period)
    data = public_results_get(unit=unit)
    assert (data.period, data.result.ikm) == (period, Decimal("86.03"))


def test_unit_ikm_breakdown_pools_in_one_query(unit, period, reference_responses, django_assert_num_queries):
    from surveys.results import unit_ikm_breakdown

    a = ServiceFactory(unit=unit, name="KTP")
    # Move 20 of the 50 reference rows to a service: the pooled unit result must not change.
    from surveys.models import Response

    ids = list(Response.objects.filter(unit=unit).order_by("id").values_list("id", flat=True)[:20])
    Response.objects.filter(id__in=ids).update(service=a)
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)  # a raw UPDATE bypasses the services
    with django_assert_num_queries(2):  # the tally rows and the service names
        pooled, rows = unit_ikm_breakdown(unit=unit, period=period, weight_mode=WeightMode.W0111)
    assert (pooled.respondents, pooled.ikm) == (50, Decimal("86.03"))
    assert [u.total for u in pooled.unsur] == [167, 171, 166, 200, 167, 166, 176, 181, 156]
    assert [(r.name, r.result.respondents) for r in rows] == [("KTP", 20), ("Tanpa jenis layanan", 30)]


def test_profile_rows_add_up_with_legacy_values(unit, period):
    from surveys.models import Response

    ResponseFactory(unit=unit, period=period, education="SMA")
    r = ResponseFactory(unit=unit, period=period, education="SMA")
    Response.objects.filter(pk=r.pk).update(education="S1")  # not a current choice
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)  # a raw UPDATE bypasses the services
    tables = {t.key: t for t in profile_tables_get(unit=unit, period=period)}
    rows = {row.label: row.count for row in tables["education"].rows}
    assert rows["SMA"] == 1 and rows["Tidak diisi"] == 1
    assert sum(rows.values()) == 2


def test_age_bands_in_sql_agree_with_the_rule(unit, period):
    """The SQL CASE and skm.rules.ikm.age_band_index are built from the same
    AGE_BANDS rows; every age from 0 to 100 (and unknown) lands in the same band."""
    from skm.rules.ikm import age_band_index
    from surveys.models import Response
    from surveys.results import age_band_expression

    ResponseFactory.create_batch(1, unit=unit, period=period, age=None)
    for age in range(0, 101):
        ResponseFactory(unit=unit, period=period, age=age)
    rows = Response.objects.annotate(band=age_band_expression()).values_list("age", "band")
    assert len(rows) == 102
    for age, band in rows:
        assert band == age_band_index(age), age
