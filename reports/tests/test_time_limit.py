"""Export jobs get a time limit that grows with their rows (issue 13, item 7)."""

import datetime as dt

import pytest
from django.utils import timezone

from reports import services
from reports.models import ExportJob
from reports.services import export_jobs_sweep, export_time_limit
from skm.rules.ikm import WeightMode
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.SKM_EXPORT_TIME_LIMIT = 600
    settings.SKM_EXPORT_SECONDS_PER_ROW = 0.002
    settings.SKM_EXPORT_TIME_LIMIT_MAX = 7200
    return settings


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (0, 600),  # the floor
        (-5, 600),
        (1_000, 602),  # 600 + 1 000 x 0.002
        (100_000, 800),  # 600 + 200
        (1_000_000, 2600),  # 600 + 2 000: the XLSX that took 730 s now has 2 600 s
        (3_300_000, 7200),  # 600 + 6 600 = 7 200, exactly the cap
        (10_000_000, 7200),  # 600 + 20 000, capped
    ],
)
def test_time_limit_grows_with_rows_between_floor_and_cap(limits, rows, expected):
    assert export_time_limit(rows=rows) == expected


def test_cap_below_floor_keeps_the_floor(limits):
    limits.SKM_EXPORT_TIME_LIMIT_MAX = 100
    assert export_time_limit(rows=1_000_000) == 600


class FakeTask:
    def __init__(self):
        self.calls = []

    def apply_async(self, **kwargs):
        self.calls.append(kwargs)


def test_job_is_enqueued_with_the_limit_of_its_rows(
    unit, period, alice, limits, monkeypatch, django_capture_on_commit_callbacks
):
    import reports.tasks

    ResponseFactory.create_batch(5, unit=unit, period=period)
    limits.SKM_EXPORT_SECONDS_PER_ROW = 30  # 5 rows x 30 s = 150 s above the floor
    fake = FakeTask()
    monkeypatch.setattr(reports.tasks, "run_export_job", fake)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_create(
            user=alice, unit=unit, period=period, kind="xlsx", weight_mode=WeightMode.EXACT
        )
    assert job.time_limit == 750
    assert fake.calls == [
        {"args": [job.pk, 1], "queue": "exports", "retry": False, "soft_time_limit": 750, "time_limit": 780},
    ]
    # A retry is enqueued with the limit stored on the job.
    ExportJob.objects.filter(pk=job.pk).update(status="failed")
    with django_capture_on_commit_callbacks(execute=True):
        services.export_job_retry(job=ExportJob.objects.get(pk=job.pk))
    assert fake.calls[-1] == {
        "args": [job.pk, 2],
        "queue": "exports",
        "retry": False,
        "soft_time_limit": 750,
        "time_limit": 780,
    }


def test_sweeper_uses_each_jobs_own_limit(unit, period, limits):
    now = timezone.now()
    started = now - dt.timedelta(seconds=1000)  # past the 600 s floor
    big = ExportJob.objects.create(
        kind="xlsx", unit=unit, period=period, status="running", started_at=started, time_limit=2600
    )
    small = ExportJob.objects.create(
        kind="raw_xlsx", unit=unit, period=period, status="running", started_at=started, time_limit=900
    )
    old = ExportJob.objects.create(kind="raw_csv", unit=unit, period=period, status="running", started_at=started)
    assert export_jobs_sweep(now=now)["stuck"] == 2
    big.refresh_from_db(), small.refresh_from_db(), old.refresh_from_db()
    assert big.status == "running"  # 1 000 s of its 2 600
    assert small.status == "failed" and old.status == "failed"  # 900 s, and the 600 s default
