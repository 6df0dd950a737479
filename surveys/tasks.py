"""Celery tasks of the surveys app: thin wrappers around surveys.services
(scheduled jobs run by celery beat, and the web import jobs)."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services
from .services import personal_data_erase_expired

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


@shared_task(name="surveys.tasks.sweep_import_jobs")
def sweep_import_jobs() -> dict:
    return services.import_jobs_sweep()
