"""Celery tasks of the surveys app: thin wrappers around surveys.services
(scheduled jobs run by celery beat, and the web import jobs)."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services, services_webhooks
from .services import personal_data_erase_expired
from .services_notifications import round_notifications_send
from .services_standings import standings_refresh

SYSTEM_ACTOR = "system"


@shared_task(name="surveys.tasks.erase_expired_personal_data")
def erase_expired_personal_data() -> int:
    """UU 27/2022: erase saran and profiles past SKM_RETENTION_MONTHS; runs as "system"."""
    return personal_data_erase_expired(actor=SYSTEM_ACTOR).total


@shared_task(
    name="surveys.tasks.run_import_job",
    acks_late=True,
    # A database hiccup before the job is claimed is worth another try; the
    # attempt number makes a repeated delivery harmless.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=settings.SKM_IMPORT_TIME_LIMIT,
    time_limit=settings.SKM_IMPORT_TIME_LIMIT + 30,
)
def run_import_job(job_id: int, attempt: int) -> str:
    return str(services.import_job_run(job_id=job_id, attempt=attempt))


@shared_task(name="surveys.tasks.refresh_standings", soft_time_limit=300, time_limit=330)
def refresh_standings() -> int:
    """The league table catches up with the tallies written since the last run
    (the comparison also does it before it reads, so this keeps its wait short)."""
    return standings_refresh()


@shared_task(name="surveys.tasks.sweep_import_jobs")
def sweep_import_jobs() -> dict:
    return services.import_jobs_sweep()


# E-mail notifications (surveys.services_notifications): each event is sent once
# (NotificationLog), so a repeated run or a retry is harmless. A mail server that
# refuses or is unreachable is logged; the task retries a few times with a
# growing delay and then leaves the rest to the next beat run.
NOTIFICATION_RETRY_SECONDS = 10 * 60


def notification_result(task, report) -> dict:
    """Retry the task while some mails were left unsent, then give up until the next run."""
    if (report.failed or report.deferred) and task.request.retries < task.max_retries:
        raise task.retry(countdown=NOTIFICATION_RETRY_SECONDS * (2**task.request.retries))
    return report.as_dict()


@shared_task(
    bind=True,
    name="surveys.tasks.send_round_notifications",
    max_retries=3,
    soft_time_limit=30 * 60,
    time_limit=30 * 60 + 30,
)
def send_round_notifications(self) -> dict:
    """Daily: rounds closed and waiting for publication, periods ending in 7 days."""
    return notification_result(self, round_notifications_send())


# Webhooks (surveys.services_webhooks): one task per delivery, enqueued on commit
# by the service that recorded the event. A failed call is tried again 1, 10 and
# 100 minutes later (the task schedules itself; the minute tick also sends any
# due delivery whose message was lost). The claim makes a repeated message harmless.
@shared_task(
    name="surveys.tasks.send_webhook_delivery",
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def send_webhook_delivery(delivery_id: int) -> str:
    outcome = services_webhooks.webhook_delivery_send(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        send_webhook_delivery.apply_async((delivery_id,), countdown=outcome.retry_in.total_seconds())
    return outcome.state


@shared_task(name="surveys.tasks.webhooks_tick", soft_time_limit=50, time_limit=60)
def webhooks_tick() -> dict:
    """Every minute: batch the new responses per unit, enqueue the due retries."""
    recorded = services_webhooks.webhook_responses_batch()
    due = services_webhooks.webhook_deliveries_due()
    for delivery_id in due:
        send_webhook_delivery.delay(delivery_id)
    return {"responses_events": recorded, "due": len(due)}
