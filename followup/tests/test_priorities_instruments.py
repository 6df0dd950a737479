"""The RTL takes a priority from any instrument the round asks (issue 20 point 5):
an SPAK item with its exact NRR, its value on 0-100 (NRR x 100 / 6) and its grade.

SPAK answers of the round: AK3 = 2, 3 and (blank): NRR 5/2, value 5/2 x 100/6 = 41,666... -> 41,67, D.
"""

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from followup import services
from followup.models import Plan, PlanUnsur
from surveys.models import SurveyRound
from surveys.services import response_create_paper
from surveys.services_rounds import round_set_instruments

pytestmark = pytest.mark.django_db


@pytest.fixture
def spak_plan(unit, period, alice, during_period):
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPAK"])
    for ak3 in (2, 3, None):
        response_create_paper(
            unit=unit, period=period, user=alice, answers={"U1": 4}, more={"SPAK": {"AK1": 6, "AK3": ak3}}
        )
    return Plan.objects.create(unit=unit, period=period, created_by=alice)


def test_an_spak_item_becomes_a_priority_with_its_exact_nrr(spak_plan, alice):
    row = services.plan_unsur_add(plan=spak_plan, user=alice, code="AK3")
    row = PlanUnsur.objects.get(pk=row.pk)
    assert (row.instrument, row.code, row.title) == ("SPAK", "AK3", "Imbalan")
    assert (row.nrr_total, row.nrr_answered, row.nrr) == (5, 2, Fraction(5, 2))
    assert str(row.converted) == "41.67"
    assert (row.grade, row.grade_label) == ("D", "Tidak Baik")
    assert row.standard_name == "Imbalan"


def test_skm_priorities_keep_their_meaning(spak_plan, alice):
    row = services.plan_unsur_add(plan=spak_plan, user=alice, code="U1")
    # Three answers of 4: NRR 4, converted 4 x 25 = 100,00, A.
    assert (row.instrument, row.nrr, str(row.converted), row.grade) == ("SKM", 4, "100.00", "A")


def test_an_item_of_an_instrument_the_round_does_not_ask_is_refused(unit, period, alice):
    plan = Plan.objects.create(unit=unit, period=period, created_by=alice)
    with pytest.raises(ValidationError) as caught:
        services.plan_unsur_add(plan=plan, user=alice, code="AK3")
    assert caught.value.messages == ["Kode unsur tidak dikenal."]
    assert not plan.unsur_rows.exists()


def test_the_plan_page_offers_the_instrument_items(client, spak_plan, alice):
    client.login(username=alice.username, password=PASSWORD)
    html = client.get(reverse("followup:plan", args=[spak_plan.pk])).content.decode()
    assert '<optgroup label="SPAK — Survei Persepsi Anti Korupsi">' in html
    assert '<option value="AK3">AK3 Imbalan</option>' in html
    response = client.post(reverse("followup:unsur_add", args=[spak_plan.pk]), {"code": "AK3"})
    assert response.status_code == 302
    assert spak_plan.unsur_rows.get().code == "AK3"
    html = client.get(reverse("followup:plan", args=[spak_plan.pk])).content.decode()
    assert "NRR 2,50 · 41,67" in html
    # A code no instrument of the round has is a message, not a 500.
    response = client.post(reverse("followup:unsur_add", args=[spak_plan.pk]), {"code": "KP1"}, follow=True)
    assert response.status_code == 200
    assert "Pilih unsur yang belum ada di RTL." in response.content.decode()
