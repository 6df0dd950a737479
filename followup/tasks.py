"""Celery tasks of the follow-up app: thin wrappers around followup.services_notifications."""

from celery import shared_task

from surveys.tasks import notification_result

from .services_notifications import rtl_overdue_digest_send
from .webhooks import rtl_overdue_webhooks_record


@shared_task(
    bind=True,
    name="followup.tasks.send_rtl_overdue_digest",
    max_retries=3,
    soft_time_limit=30 * 60,
    time_limit=30 * 60 + 30,
)
def send_rtl_overdue_digest(self) -> dict:
    """Weekly: one mail per staff member and supervisor listing the overdue RTL items."""
    return notification_result(self, rtl_overdue_digest_send())


@shared_task(name="followup.tasks.record_rtl_overdue_webhooks", soft_time_limit=10 * 60, time_limit=10 * 60 + 30)
def record_rtl_overdue_webhooks() -> int:
    """Daily: a webhook event for each RTL item that became overdue."""
    return rtl_overdue_webhooks_record()
