"""Issue 8: every page prints the same NRR, from one exact value, rounded once.

101 responses with U1 = 51 x 4 + 50 x 3: NRR = 354 / 101 = 3,504950... -> "3,50"
(hand arithmetic: 354 / 101 = 3.50495; half-up to 2 decimals is 3.50).
The plan used to keep a 4-decimal copy rounded half-even (3.5050), which was
rounded again for print as "3,51" on the RTL page and in Tabel IV.1.
The other unsur are all 4, so U1 is the lowest and becomes the plan's priority.
"""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from followup import services as followup_services
from reports.models import ExportJob
from reports.services import report_html
from skm.rules.ikm import WeightMode
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db

ALL_FOURS = {f"U{i}": 4 for i in range(2, 10)}


@pytest.fixture
def plan_354_of_101(unit, period, alice):
    ResponseFactory.create_batch(51, unit=unit, period=period, U1=4, **ALL_FOURS)
    ResponseFactory.create_batch(50, unit=unit, period=period, U1=3, **ALL_FOURS)
    return followup_services.plan_create_from_ikm(unit=unit, period=period, user=alice, lowest_n=1)


def test_plan_keeps_the_exact_sum_and_count(plan_354_of_101):
    row = plan_354_of_101.unsur_rows.get()
    assert (row.code, row.nrr_total, row.nrr_answered) == ("U1", 354, 101)


def test_results_page_plan_page_and_laporan_skm_agree(client, unit, period, alice, plan_354_of_101):
    client.login(username="alice", password=PASSWORD)
    results = client.get(reverse("surveys:results", args=[unit.code, period.code])).content.decode()
    plan_page = client.get(reverse("followup:plan", args=[plan_354_of_101.pk])).content.decode()
    survey = report_html(kind=ExportJob.Kind.PDF_SURVEY, unit=unit, period=period, weight_mode=WeightMode.EXACT)
    followup = report_html(kind=ExportJob.Kind.PDF_FOLLOWUP, unit=unit, period=period, weight_mode=WeightMode.EXACT)
    for name, html in {"results": results, "plan": plan_page, "survey": survey, "followup": followup}.items():
        assert "3,50" in html, name
        assert "3,51" not in html, name
    assert "NRR 3,50" in plan_page
