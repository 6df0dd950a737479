"""Scheduled jobs of the surveys app (celery beat)."""

from celery import shared_task

from .services import personal_data_erase_expired

SYSTEM_ACTOR = "system"


@shared_task(name="surveys.tasks.erase_expired_personal_data")
def erase_expired_personal_data() -> int:
    """UU 27/2022: erase saran and profiles past SKM_RETENTION_MONTHS; runs as "system"."""
    return personal_data_erase_expired(actor=SYSTEM_ACTOR).total
