"""Plan generation from the reference survey and plan editing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from followup import services
from followup.demo import load_demo
from followup.models import ChangeLog, Plan
from followup.selectors import plan_get_for_report, plan_public_summary

pytestmark = pytest.mark.django_db


def test_lowest_three_from_reference_survey(unit, period, alice, reference_responses, reference_expected):
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice)
    rows = list(plan.unsur_rows.order_by("order"))
    # Seed 004 / expected file: U9 is lowest (3.12), then U3 and U6 tie at 3.32 -> code order.
    assert [r.code for r in rows] == ["U9", "U3", "U6"]
    assert [r.order for r in rows] == [1, 2, 3]
    assert rows[0].title == "Sarana dan Prasarana"
    # The exact NRR is kept: 156/50 and 166/50 (expected file: totals 156, 166, 166 of 50).
    assert (rows[0].nrr_total, rows[0].nrr_answered) == (156, 50)
    assert rows[0].nrr == Decimal("3.12")
    assert rows[1].nrr == Decimal("3.32") and rows[2].nrr == Decimal("3.32")
    expected = {u["code"]: u for u in reference_expected["unsur"]}
    for row in rows:
        assert row.converted == Decimal(str(expected[row.code]["converted"]))
        assert row.grade == expected[row.code]["grade"]
    assert plan.status == Plan.Status.DRAFT
    assert ChangeLog.objects.filter(plan=plan, action="create").count() == 1


def test_lowest_n_is_per_plan(unit, period, alice, reference_responses):
    plan = services.plan_create_from_ikm(unit=unit, period=period, user=alice, lowest_n=5)
    assert list(plan.unsur_rows.order_by("order").values_list("code", flat=True))[:3] == ["U9", "U3", "U6"]
    assert plan.unsur_rows.count() == 5


def test_plan_needs_responses_and_is_unique(unit, period, alice, reference_responses):
    services.plan_create_from_ikm(unit=unit, period=period, user=alice)
    with pytest.raises(ValidationError):
        services.plan_create_from_ikm(unit=unit, period=period, user=alice)


def test_no_responses_is_a_clear_error(unit, period, alice):
    with pytest.raises(ValidationError) as exc:
        services.plan_create_from_ikm(unit=unit, period=period, user=alice)
    assert "Belum ada jawaban survei" in exc.value.messages[0]
    assert not Plan.objects.exists()


def test_demo_is_idempotent_and_readable_for_reports(unit, period, alice, reference_responses):
    plan = load_demo(unit=unit, period=period, user=alice)
    again = load_demo(unit=unit, period=period, user=alice)
    assert plan.pk == again.pk
    report = plan_get_for_report(unit=unit, period=period)
    rows = list(report.unsur_rows.all())
    assert [r.code for r in rows[:3]] == ["U9", "U3", "U6"]
    numbers = [i.number for r in rows for i in r.items.all()]
    assert numbers[:3] == ["1.1", "1.2", "2.1"]
    summary = plan_public_summary(unit=unit, period=period)
    assert summary.total == 6
    assert isinstance(summary.percent, Decimal)
