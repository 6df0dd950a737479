"""Celery tasks: thin wrappers around reports.services."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    name="reports.tasks.run_export_job",
    acks_late=True,
    # A database hiccup before the job is claimed is worth another try; the
    # attempt number makes a repeated delivery harmless.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=settings.SKM_EXPORT_TIME_LIMIT,
    time_limit=settings.SKM_EXPORT_TIME_LIMIT + 30,
)
def run_export_job(job_id: int, attempt: int) -> str:
    return str(services.export_job_run(job_id=job_id, attempt=attempt))


@shared_task(name="reports.tasks.sweep_export_jobs")
def sweep_export_jobs() -> dict:
    return services.export_jobs_sweep()
