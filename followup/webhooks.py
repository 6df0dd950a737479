"""The RTL webhook events: a plan finalised (recorded by ``plan_finalise``) and
the items that became overdue (a daily scan, the one "terlambat" rule of
``followup.selectors.overdue_q``). Payloads name the plan, the priorities and the
activities, never who is responsible or who finalised."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from surveys.models import WebhookEndpoint, WebhookEvent
from surveys.services_notifications import absolute_url
from surveys.services_webhooks import webhook_event_record

from .models import Plan, PlanItem
from .selectors import overdue_q

# Items overdue for longer than this are not announced (a first deployment, or
# beat down for weeks, must not flood the receivers with old items).
OVERDUE_LOOKBACK_DAYS = 14


def plan_finalised_data(*, plan: Plan) -> dict:
    items = list(
        PlanItem.objects.filter(plan_unsur__plan=plan)
        .select_related("plan_unsur", "realisation")
        .order_by("plan_unsur__order", "order", "id")
    )
    return {
        "plan_id": plan.pk,
        "period": {"code": plan.period.code, "label": plan.period.label},
        "finalised_at": plan.finalised_at.isoformat() if plan.finalised_at else None,
        "ikm": str(plan.ikm) if plan.ikm is not None else None,
        "items": [
            {
                "number": item.number,
                "unsur": item.plan_unsur.code or None,
                "program": item.program,
                "due_date": item.due_date.isoformat() if item.due_date else None,
                "realised": getattr(getattr(item, "realisation", None), "status", None),
            }
            for item in items
        ],
        "url": absolute_url(reverse("followup:plan", args=[plan.pk])),
    }


def plan_finalised_record(*, plan: Plan) -> None:
    """Called by ``plan_finalise`` inside its transaction."""
    stamp = plan.finalised_at.isoformat() if plan.finalised_at else ""
    webhook_event_record(
        unit=plan.unit,
        event=WebhookEvent.RTL_PLAN_FINALISED,
        key=f"rtl-plan:{plan.pk}:final:{stamp}",
        data=plan_finalised_data(plan=plan),
    )


def rtl_overdue_webhooks_record(*, today: dt.date | None = None) -> int:
    """One event per item that became overdue in the last ``OVERDUE_LOOKBACK_DAYS``
    days (once per item and due date), for the units with an endpoint for it."""
    today = today or timezone.localdate()
    if not any(WebhookEvent.RTL_ITEM_OVERDUE.value in (e.events or []) for e in WebhookEndpoint.objects.all()):
        return 0
    items = (
        PlanItem.objects.filter(overdue_q(today=today), due_date__gte=today - dt.timedelta(days=OVERDUE_LOOKBACK_DAYS))
        .select_related("plan_unsur__plan__unit", "plan_unsur__plan__period")
        .order_by("id")
    )
    recorded = 0
    for item in items:
        plan = item.plan_unsur.plan
        assert item.due_date is not None
        recorded += len(
            webhook_event_record(
                unit=plan.unit,
                event=WebhookEvent.RTL_ITEM_OVERDUE,
                key=f"rtl-item:{item.pk}:overdue:{item.due_date.isoformat()}",
                data={
                    "plan_id": plan.pk,
                    "period": {"code": plan.period.code, "label": plan.period.label},
                    "item": {
                        "id": item.pk,
                        "number": item.number,
                        "unsur": item.plan_unsur.code or None,
                        "program": item.program,
                        "due_date": item.due_date.isoformat(),
                    },
                    "url": absolute_url(reverse("followup:item", args=[item.pk])),
                },
            )
        )
    return recorded
