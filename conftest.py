"""Shared fixtures.

The cast follows healthchecks' BaseTestCase: ``alice`` is staff of
``unit`` (the owner), ``bob`` supervises the kecamatan above it (read-only),
``charlie`` is staff of an unrelated unit (the outsider).
"""

import csv
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from surveys.models import SurveyRound, UnitRole
from surveys.tests.factories import PeriodFactory, SurveyRoundFactory, UnitFactory, UnitRoleFactory, UserFactory

# Copies of ../shared/reference kept in the repository (see surveys/tests/data/README.md).
REFERENCE = Path(__file__).resolve().parent / "surveys" / "tests" / "data"
PASSWORD = "rahasia-uji-123"


def pytest_runtest_setup(item):
    """``@pytest.mark.postgres(reason=...)``: the test pins what only PostgreSQL
    does (one statement, row locks); the SQLite pass skips it with that reason."""
    marker = item.get_closest_marker("postgres")
    if marker is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(marker.kwargs.get("reason", "needs PostgreSQL"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test database; through PgBouncer (SKM_DB_POOLER, the slice of
    scripts/test.sh) PgBouncer first closes its pooled server connections to it, which
    would otherwise keep the DROP DATABASE at the end from running."""
    yield
    from django.conf import settings
    from django.db import connection

    if settings.SKM_TRANSACTION_POOLING:
        from skm.tests.pgscale import pgbouncer_admin

        name = connection.settings_dict["NAME"]
        pgbouncer_admin(f"KILL {name}", f"RESUME {name}")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the local-memory cache outlives a test)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (as a worker or a command does):
    the language middleware leaves the last request's language active in the
    thread, so an English request would otherwise leak into the next test."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def city(db):
    return UnitFactory(code="salatiga", name="Pemerintah Kota Salatiga", city="Salatiga")


@pytest.fixture
def district(city):
    return UnitFactory(code="sidorejo", name="Kecamatan Sidorejo", parent=city, city="Salatiga")


@pytest.fixture
def unit(district):
    return UnitFactory(
        code="pulutan",
        name="Kelurahan Pulutan",
        parent=district,
        city="Salatiga",
        address="Jl. Argowiyoto No. 1, Pulutan",
        signatory_name="Budi Santoso, S.STP",
        signatory_title="Lurah Pulutan",
        signatory_rank="Penata Tk. I (III/d)",
        signatory_nip="198001012005011001",
    )


@pytest.fixture
def other_unit(db):
    other_city = UnitFactory(code="tangerang", name="Kabupaten Tangerang")
    return UnitFactory(code="kpu-tangerang", name="KPU Kabupaten Tangerang", parent=other_city)


@pytest.fixture
def period(db):
    return PeriodFactory(code="2024-S2")


@pytest.fixture(autouse=True)
def _cast_round_open(request):
    """Part of the cast: whenever a test uses both ``unit`` and ``period``, the
    unit's round for that period is open (as its staff would have opened it).
    Tests of other states close or publish it through the services."""
    if {"unit", "period"} <= set(request.fixturenames):
        SurveyRoundFactory(unit=request.getfixturevalue("unit"), period=request.getfixturevalue("period"))


# Inside 2024-S2 (the cast's ``period``): the public questionnaire takes answers
# only while today is inside the period's dates.
DURING_PERIOD = dt.datetime(2024, 10, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def during_period():
    """The clock inside the cast's period (the clock keeps ticking from there)."""
    with time_machine.travel(DURING_PERIOD, tick=True) as traveller:
        yield traveller


@pytest.fixture
def current_period(unit):
    """The semester running today, with the unit's round open: for browser
    tests, whose cookies follow the real clock (no time travel there)."""
    today = timezone.localdate()
    first_half = today.month <= 6
    period = PeriodFactory(
        code=f"{today.year}-S{1 if first_half else 2}",
        start_date=dt.date(today.year, 1 if first_half else 7, 1),
        end_date=dt.date(today.year, 6, 30) if first_half else dt.date(today.year, 12, 31),
    )
    SurveyRoundFactory(unit=unit, period=period)
    return period


@pytest.fixture
def survey_round(unit, period):
    return SurveyRound.objects.get(unit=unit, period=period)


@pytest.fixture
def alice(unit):
    user = UserFactory(username="alice", first_name="Alice")
    UnitRoleFactory(user=user, unit=unit, role=UnitRole.Role.STAFF)
    return user


@pytest.fixture
def bob(district):
    user = UserFactory(username="bob", first_name="Bob")
    UnitRoleFactory(user=user, unit=district, role=UnitRole.Role.SUPERVISOR)
    return user


@pytest.fixture
def charlie(other_unit):
    user = UserFactory(username="charlie", first_name="Charlie")
    UnitRoleFactory(user=user, unit=other_unit, role=UnitRole.Role.STAFF)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def reference_csv() -> Path:
    return REFERENCE / "pulutan-2024-s2.csv"


@pytest.fixture
def reference_xlsx() -> Path:
    return REFERENCE / "pulutan-2024-s2.xlsx"


@pytest.fixture
def reference_expected() -> dict:
    return json.loads((REFERENCE / "pulutan-2024-s2.expected.json").read_text())


@pytest.fixture
def reference_rows(reference_csv) -> list[dict]:
    with reference_csv.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def reference_responses(unit, period, reference_rows):
    """The Pulutan reference survey stored as 50 responses (without the import code)."""
    from django.utils import timezone

    from surveys.models import Response
    from surveys.services_tallies import tally_rebuild

    objs = []
    for row in reference_rows:
        answers = {"scores": {"SKM": [int(row[f"U{i}"]) if row[f"U{i}"] else None for i in range(1, 10)]}}
        objs.append(
            Response(
                unit=unit,
                period=period,
                channel=Response.Channel.IMPORT,
                number=int(row["no"]),
                gender=row["jenis_kelamin"],
                age=int(row["usia"]),
                submitted_at=timezone.now(),
                **answers,
            )
        )
    rows = Response.objects.bulk_create(objs)
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)  # bulk_create bypasses the services
    return rows


# Browser tests: Debian's Chromium, driven by Playwright (no browser download here).
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# --- an S3-compatible object store (issue 21, README "Files") ----------------------
# moto's S3 server runs in a thread on 127.0.0.1 and answers real HTTP, so boto3 and
# django-storages go through their own code paths (signing, uploads, errors).


@pytest.fixture(scope="session")
def s3_server():
    """The base URL of moto's S3-compatible server, on a free port of this machine."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one INFO line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


S3_TEST_KEYS = {"access_key": "skm-test-access", "secret_key": "skm-test-secret"}


@pytest.fixture
def s3_client(s3_server):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=S3_TEST_KEYS["access_key"],
        aws_secret_access_key=S3_TEST_KEYS["secret_key"],
    )


@pytest.fixture
def s3_storage(settings, s3_server, s3_client):
    """``STORAGES["default"]`` switched to a fresh private bucket on the moto server,
    configured exactly as production builds it (``skm.settings.base.s3_storage``).
    Yields the bucket name; the storage is the filesystem again after the test."""
    import uuid

    from django.core.files.storage import default_storage
    from storages.backends.s3 import S3Storage

    from skm.settings.base import s3_storage as s3_entry

    bucket = f"skm-test-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_entry(bucket=bucket, endpoint_url=s3_server, region="us-east-1", prefix="media", **S3_TEST_KEYS),
    }
    # Django caches the default storage; the setting_changed signal must have dropped it.
    assert isinstance(default_storage, S3Storage)
    yield bucket
    objects = s3_client.list_objects_v2(Bucket=bucket).get("Contents", [])
    for obj in objects:
        s3_client.delete_object(Bucket=bucket, Key=obj["Key"])
    s3_client.delete_bucket(Bucket=bucket)


@pytest.fixture
def s3_worker_env(s3_storage, s3_server, tmp_path):
    """The environment that points a worker process started by the test at the same
    bucket, with a MEDIA_ROOT of its own (another machine: no disk in common)."""
    return {
        "SKM_TEST_S3": "true",
        "SKM_S3_BUCKET": s3_storage,
        "SKM_S3_ENDPOINT_URL": s3_server,
        "SKM_S3_ACCESS_KEY_ID": S3_TEST_KEYS["access_key"],
        "SKM_S3_SECRET_ACCESS_KEY": S3_TEST_KEYS["secret_key"],
        "SKM_S3_REGION": "us-east-1",
        "SKM_S3_PREFIX": "media",
        "MEDIA_ROOT": str(tmp_path / "worker-media"),
    }
