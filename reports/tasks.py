"""Celery tasks: thin wrappers around reports.services."""

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError

from surveys.tasks import notification_result

from . import services, services_notifications, services_published


@shared_task(
    bind=True,
    name="reports.tasks.run_export_job",
    # Acknowledged after the job, and re-queued if the worker process dies: the
    # redelivered message is harmless (the job is claimed by a conditional UPDATE
    # of its attempt), and a job whose worker died is failed at once through its
    # heartbeat, so it can be retried instead of looping on a job that kills its worker.
    acks_late=True,
    reject_on_worker_lost=True,
    # A database hiccup before the job is claimed is worth another try; the
    # attempt number makes a repeated delivery harmless.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=settings.SKM_EXPORT_TIME_LIMIT,
    time_limit=settings.SKM_EXPORT_TIME_LIMIT + 30,
)
def run_export_job(self, job_id: int, attempt: int) -> str:
    worker = "" if self.request.is_eager else (self.request.hostname or "celery")
    return str(services.export_job_run(job_id=job_id, attempt=attempt, worker=worker))


@shared_task(name="reports.tasks.sweep_export_jobs")
def sweep_export_jobs() -> dict:
    # Also re-sends published reports whose message was lost (broker down at publication).
    return {**services.export_jobs_sweep(), "published_requeued": services_published.published_reports_requeue()}


@shared_task(
    bind=True,
    name="reports.tasks.build_published_report",
    # Redelivered after a worker death; the row is claimed by a conditional UPDATE,
    # so a repeated message never builds a published file twice.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    max_retries=3,
    # The enqueue sets limits scaled with the respondents; these are the defaults.
    soft_time_limit=settings.SKM_EXPORT_TIME_LIMIT,
    time_limit=settings.SKM_EXPORT_TIME_LIMIT + 30,
)
def build_published_report(self, report_id: int) -> str:
    last = self.request.retries >= self.max_retries
    return str(services_published.published_report_build(report_id=report_id, last_attempt=last))


@shared_task(name="reports.tasks.fail_lost_export_jobs")
def fail_lost_export_jobs() -> int:
    return services.export_jobs_fail_lost()


@worker_ready.connect
def _fail_jobs_of_the_previous_run(sender=None, **kwargs):
    """A restarted worker: whatever it was running before was killed with it."""
    hostname = getattr(sender, "hostname", None)
    if hostname:
        services.worker_started(worker=hostname)


@shared_task(
    bind=True,
    name="reports.tasks.send_export_failed_notifications",
    # Beat runs it every 5 minutes: the next run is the retry.
    max_retries=0,
    soft_time_limit=10 * 60,
    time_limit=10 * 60 + 30,
)
def send_export_failed_notifications(self) -> dict:
    """Every few minutes: an e-mail to the requester of each export job that failed."""
    return notification_result(self, services_notifications.export_failed_notifications_send())
