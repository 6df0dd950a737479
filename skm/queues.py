"""The Celery queues, by the weight of their jobs (issue 21 point 2).

Each queue has its own worker unit in ``deploy/systemd`` with its own
concurrency and memory limits, so a 20 000-respondent report or a 300 000-row
import never holds up a small export, a notification e-mail or a webhook:

- ``celery`` (Celery's default): the small and periodic jobs (sweepers,
  notifications, webhooks, the retention erasure);
- ``exports``: spreadsheet and CSV exports;
- ``reports``: report documents (PDF and DOCX), on demand and at publication;
- ``imports``: import files uploaded on the web.
"""

from enum import StrEnum


class Queue(StrEnum):
    SMALL = "celery"
    EXPORTS = "exports"
    REPORTS = "reports"
    IMPORTS = "imports"


ALL_QUEUES: tuple[str, ...] = tuple(q.value for q in Queue)
