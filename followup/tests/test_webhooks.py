"""RTL webhook events: a plan finalised (recorded by the service, in its
transaction) and the items that became overdue (daily, once per item)."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from followup import services
from followup.models import PlanItem, Realisation
from followup.tasks import record_rtl_overdue_webhooks
from followup.tests.conftest import explain_unrealised
from followup.webhooks import rtl_overdue_webhooks_record
from surveys.models import WebhookDelivery, WebhookEvent
from surveys.services_webhooks import webhook_endpoint_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _allow(settings):
    settings.SKM_WEBHOOK_ALLOW_PRIVATE = True


def _endpoint(unit, user, events):
    return webhook_endpoint_create(unit=unit, user=user, url="https://hooks.example.test/skm", events=events)[0]


def test_finalising_a_plan_records_one_event_without_who_is_responsible(plan, items, alice):
    _endpoint(plan.unit, alice, [WebhookEvent.RTL_PLAN_FINALISED])
    explain_unrealised(plan, alice)
    services.plan_finalise(plan=plan, user=alice)
    delivery = WebhookDelivery.objects.get()
    data = delivery.payload["data"]
    assert delivery.event == "rtl.plan_finalised" and data["plan_id"] == plan.pk
    assert [i["number"] for i in data["items"]] == ["1.1", "1.2", "2.1"]
    assert data["items"][0] == {
        "number": "1.1",
        "unsur": "U9",
        "program": "Pengadaan komputer",
        "due_date": "2025-06-30",
        "realised": "belum",
    }
    text = json.dumps(delivery.payload)
    assert "Lurah" not in text and "Sekretaris" not in text and "alice" not in text.lower()


def test_a_refused_finalise_records_nothing(plan, alice):
    _endpoint(plan.unit, alice, [WebhookEvent.RTL_PLAN_FINALISED])
    with pytest.raises(ValidationError):
        services.plan_finalise(plan=plan, user=alice)  # reasons and strategies missing
    assert not WebhookDelivery.objects.exists()


def test_an_overdue_item_is_announced_once(plan, items, alice):
    _endpoint(plan.unit, alice, [WebhookEvent.RTL_ITEM_OVERDUE])
    # Due 2025-06-30 and 2025-09-30; the third is due in 2099.
    assert rtl_overdue_webhooks_record(today=dt.date(2025, 7, 1)) == 1
    assert rtl_overdue_webhooks_record(today=dt.date(2025, 7, 2)) == 0
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.payload["data"]["item"]["number"] == "1.1"
    assert delivery.payload["data"]["item"]["due_date"] == "2025-06-30"
    assert "responsible" not in delivery.payload["data"]["item"]
    # Realised items are not overdue; long-overdue ones (past the lookback) are not announced.
    services.realisation_save(item=items[2], user=alice, status=Realisation.Status.SUDAH, description="Selesai")
    assert rtl_overdue_webhooks_record(today=dt.date(2025, 10, 1)) == 0
    assert PlanItem.objects.filter(pk=items[2].pk, realisation__status="sudah").exists()


def test_the_daily_task_records_nothing_without_an_endpoint(plan, items):
    assert record_rtl_overdue_webhooks.apply().get() == 0
    assert not WebhookDelivery.objects.exists()
