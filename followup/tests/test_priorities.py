"""Issue 23: priorities in the unit's own words, and a prioritisation sentence
that stays true whatever the unit chose.

The reference survey (Pulutan 2024-S2, surveys/tests/data/…expected.json) ranks
the unsur, lowest NRR first and ties by code:
U9 3,12 · U3 3,32 · U6 3,32 · U1 3,34 · U5 3,34 · U2 3,42 · U7 3,52 · U8 3,62 · U4 4,00.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from followup import selectors, services
from followup.models import ChangeLog, PlanUnsur
from skm.rules.ikm import WeightMode
from surveys.selectors import ikm_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(unit, period, reference_responses):
    return ikm_for(unit=unit, period=period, weight_mode=WeightMode.EXACT)


def _codes(rows):
    return [r.code for r in rows]


def _basis(plan, result):
    plan = selectors.plan_get_for_report(unit=plan.unit, period=plan.period)
    return selectors.plan_priority_basis(plan=plan, result=result)


# --- the prioritisation sentence ---------------------------------------------------


def test_lowest_only(unit, period, alice, result):
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice, lowest_n=3)
    basis = _basis(plan, result)
    assert _codes(basis.lowest) == ["U9", "U3", "U6"]
    assert basis.added == () and basis.saran == ()
    assert basis.sentence == (
        "yang terdiri dari 3 (tiga) unsur dengan nilai terendah "
        "(Sarana dan Prasarana, Waktu Penyelesaian, dan Kompetensi Pelaksana)"
    )


def test_lowest_plus_added_ranking_fifth(unit, period, alice, result):
    # The case of issue 23: the RTL made from the 1 lowest unsur, two more added by
    # hand. The old report said "3 (tiga) unsur dengan nilai terendah".
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice, lowest_n=1)
    services.plan_unsur_add(plan=plan, user=alice, code="U5")
    services.plan_unsur_add(plan=plan, user=alice, code="U1")
    basis = _basis(plan, result)
    assert _codes(basis.lowest) == ["U9"]
    assert _codes(basis.added) == ["U5", "U1"]
    assert basis.ranks["U5"] == 5 and basis.ranks["U1"] == 4
    assert basis.sentence == (
        "yang terdiri dari 1 (satu) unsur dengan nilai terendah (Sarana dan Prasarana), ditambah "
        "2 (dua) unsur lain yang dipilih unit (Produk Spesifikasi Jenis Pelayanan dan Persyaratan)"
    )


def test_an_added_unsur_next_in_rank_joins_the_lowest(unit, period, alice, result):
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice, lowest_n=1)
    services.plan_unsur_add(plan=plan, user=alice, code="U6")  # rank 3: U3 is missing, a gap
    basis = _basis(plan, result)
    assert (_codes(basis.lowest), _codes(basis.added)) == (["U9"], ["U6"])
    services.plan_unsur_add(plan=plan, user=alice, code="U3")  # the gap closed: U9, U3, U6
    basis = _basis(plan, result)
    assert (_codes(basis.lowest), _codes(basis.added)) == (["U9", "U6", "U3"], [])
    assert basis.sentence == (
        "yang terdiri dari 3 (tiga) unsur dengan nilai terendah "
        "(Sarana dan Prasarana, Kompetensi Pelaksana, dan Waktu Penyelesaian)"
    )


def test_reordered_priorities_keep_the_plan_order(unit, period, alice, result):
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice, lowest_n=3)
    u6 = plan.unsur_rows.get(code="U6")
    services.plan_unsur_move(row=u6, user=alice, direction=-1)
    services.plan_unsur_move(row=u6, user=alice, direction=-1)
    services.plan_unsur_rename(row=plan.unsur_rows.get(code="U3"), user=alice, title="Waktu Pelayanan")
    services.plan_unsur_add(plan=plan, user=alice, code="U4")  # rank 9, the highest
    basis = _basis(plan, result)
    assert _codes(basis.lowest) == ["U6", "U9", "U3"]  # plan order, not rank order
    assert _codes(basis.added) == ["U4"]
    assert basis.sentence == (
        "yang terdiri dari 3 (tiga) unsur dengan nilai terendah "
        "(Kompetensi Pelaksana, Sarana dan Prasarana, dan Waktu Pelayanan), ditambah "
        "1 (satu) unsur lain yang dipilih unit (Biaya/Tarif)"
    )


def test_saran_only(unit, period, alice, result):
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice, lowest_n=1)
    services.plan_unsur_remove(row=plan.unsur_rows.get(code="U9"), user=alice)
    services.plan_unsur_add(plan=plan, user=alice, title="Informasi alur pelayanan")
    services.plan_unsur_add(plan=plan, user=alice, title="Ruang laktasi")
    basis = _basis(plan, result)
    assert basis.lowest == () and basis.added == ()
    assert [r.title for r in basis.saran] == ["Informasi alur pelayanan", "Ruang laktasi"]
    assert basis.sentence == "yang terdiri dari 2 (dua) prioritas dari saran dan masukan responden"


def test_lowest_added_and_saran(unit, period, alice, result):
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice, lowest_n=2)
    services.plan_unsur_add(plan=plan, user=alice, title="Ruang laktasi")
    services.plan_unsur_add(plan=plan, user=alice, code="U8")
    basis = _basis(plan, result)
    assert basis.sentence == (
        "yang terdiri dari 2 (dua) unsur dengan nilai terendah (Sarana dan Prasarana dan Waktu Penyelesaian), "
        "ditambah 1 (satu) unsur lain yang dipilih unit (Penanganan Pengaduan, Saran dan Masukan) "
        "dan 1 (satu) prioritas dari saran dan masukan responden"
    )


def test_without_answers_no_unsur_is_called_lowest(plan):
    # The fixture plan (U9, U3) belongs to a period without responses: nothing ranks.
    result = ikm_for(unit=plan.unit, period=plan.period, weight_mode=WeightMode.EXACT)
    basis = selectors.plan_priority_basis(plan=plan, result=result)
    assert basis.lowest == () and _codes(basis.added) == ["U9", "U3"] and basis.ranks == {}


def test_basis_costs_no_query_on_a_prefetched_plan(unit, period, alice, result, django_assert_num_queries):
    services.plan_create_from_ikm(unit=unit, period=period, user=alice)
    plan = selectors.plan_get_for_report(unit=unit, period=period)
    with django_assert_num_queries(0):
        assert _codes(selectors.plan_priority_basis(plan=plan, result=result).lowest) == ["U9", "U3", "U6"]


def test_plan_page_tells_lowest_from_added(client, unit, period, alice, result):
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice, lowest_n=1)
    services.plan_unsur_add(plan=plan, user=alice, code="U5")
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("followup:plan", args=[plan.pk])).content.decode()
    assert "1 unsur dengan nilai terendah, 1 unsur yang dipilih unit." in page
    assert "terendah ke-1" in page and "dipilih unit · peringkat ke-5" in page
    # Before: "Diprioritaskan 1 unsur dengan nilai terendah" whatever was added.
    assert "Diprioritaskan" not in page


# --- editable titles ---------------------------------------------------------------


def test_rename_keeps_code_and_nrr_and_is_logged(unit, period, alice, result):
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice)
    row = plan.unsur_rows.get(code="U3")
    assert row.title == "Waktu Penyelesaian"  # prefilled with the unsur's name
    services.plan_unsur_rename(row=row, user=alice, title="  Waktu   Pelayanan ")
    row.refresh_from_db()
    assert (row.title, row.code, row.nrr_total, row.nrr_answered) == ("Waktu Pelayanan", "U3", 166, 50)
    assert row.standard_name == "Waktu Penyelesaian"
    entry = ChangeLog.objects.filter(plan=plan, action="update").latest("id")
    assert entry.user == alice
    assert entry.changes == {"prioritas unsur / topik": ["Waktu Penyelesaian", "Waktu Pelayanan"]}
    before = ChangeLog.objects.count()
    services.plan_unsur_rename(row=row, user=alice, title="Waktu Pelayanan")
    assert ChangeLog.objects.count() == before  # unchanged: nothing logged


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Isi judul prioritas."), ("   ", "Isi judul prioritas."), ("x" * 201, "maksimal 200 karakter")],
)
def test_rename_validation(plan, alice, title, message):
    row = plan.unsur_rows.get(code="U9")
    with pytest.raises(ValidationError) as exc:
        services.plan_unsur_rename(row=row, user=alice, title=title)
    assert message in exc.value.message_dict["title"][0]
    row.refresh_from_db()
    assert row.title == "Sarana dan Prasarana"


def test_rename_refused_on_a_final_plan(plan, items, alice):
    from .conftest import explain_unrealised

    explain_unrealised(plan, alice)
    services.plan_finalise(plan=plan, user=alice)
    with pytest.raises(ValidationError) as exc:
        services.plan_unsur_rename(row=plan.unsur_rows.get(code="U9"), user=alice, title="Sarpras")
    assert "Buka kembali" in exc.value.messages[0]


def test_rename_view_and_page(client, plan, alice):
    row = plan.unsur_rows.get(code="U3")
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("followup:plan", args=[plan.pk])).content.decode()
    assert 'value="Waktu Penyelesaian"' in page  # the form is prefilled
    url = reverse("followup:unsur_title", args=[row.pk])
    r = client.post(url, {"title": "Waktu Pelayanan"}, follow=True)
    assert r.status_code == 200
    page = r.content.decode()
    assert "Judul prioritas disimpan." in page
    # The new title, with the unsur code and its standard name still shown beside it.
    assert "2. Waktu Pelayanan" in page and "(U3)" in page and "Unsur U3: Waktu Penyelesaian" in page
    for bad, message in (({"title": ""}, "Isi judul prioritas."), ({"title": "y" * 250}, "maksimal 200")):
        r = client.post(url, bad, follow=True)
        assert r.status_code == 200 and message in r.content.decode()
    assert client.post(url, {}).status_code == 302  # a missing field is an error message, not a 500
    row.refresh_from_db()
    assert row.title == "Waktu Pelayanan"
    assert client.get(url).status_code == 405


def test_rename_unknown_row_is_404(client, alice):
    client.login(username="alice", password=PASSWORD)
    assert client.post(reverse("followup:unsur_title", args=[999999]), {"title": "x"}).status_code == 404


def test_saran_topic_title_is_editable_too(plan, alice):
    topic = services.plan_unsur_add(plan=plan, user=alice, title="Informasi alur")
    services.plan_unsur_rename(row=topic, user=alice, title="Informasi alur pelayanan")
    assert PlanUnsur.objects.get(pk=topic.pk).title == "Informasi alur pelayanan"
