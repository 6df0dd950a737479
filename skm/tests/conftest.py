"""The ``site`` the page sweeps walk through: the reference survey of Kelurahan
Pulutan with a follow-up plan, photos, a change history, an export job, an
import batch and paper questionnaires, plus the cast (alice, bob, charlie, admin)."""

import datetime as dt

import pytest
from django.utils import timezone

from followup import services as followup_services
from reports.models import ExportJob
from reports.tests.conftest import build_plan
from surveys.models import ImportBatch, ImportJob, Response, SurveyRound
from surveys.tests.factories import (
    PeriodFactory,
    ResponseFactory,
    ServiceFactory,
    SurveyRoundFactory,
    UnitFactory,
    publish_round,
)


@pytest.fixture
def site(unit, period, reference_responses, alice, bob, charlie, admin_user):
    service = ServiceFactory(unit=unit, name="Surat Keterangan Domisili")
    # A closed earlier period with a few answers, and a unit whose survey is closed.
    earlier = PeriodFactory(code="2024-S1", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30))
    SurveyRoundFactory(unit=unit, period=earlier, status=SurveyRound.Status.CLOSED)
    # The round of the semester running today is open: the questionnaire shows its form.
    today = timezone.localdate()
    first_half = today.month <= 6
    current = PeriodFactory(
        code=f"{today.year}-S{1 if first_half else 2}",
        start_date=dt.date(today.year, 1 if first_half else 7, 1),
        end_date=dt.date(today.year, 6, 30) if first_half else dt.date(today.year, 12, 31),
    )
    SurveyRoundFactory(unit=unit, period=current)
    ResponseFactory(unit=unit, period=earlier, suggestion="Antrean terlalu panjang")
    publish_round(unit, earlier, user=admin_user)  # the public page has a published result and archive
    UnitFactory(code="tertutup", name="Kelurahan Tanpa Periode", parent=unit.parent)
    # The "Token API" page lists an active and a revoked token.
    from skm.api.services import api_token_create, api_token_revoke

    api_token_create(user=alice, name="Aplikasi kios pelayanan terpadu", scopes=["read-unit", "write-responses"])
    api_token_revoke(token=api_token_create(user=alice, name="Uji lama", scopes=["read-unit"])[0], user=alice)
    for number in (1, 2):
        ResponseFactory(
            unit=unit,
            period=period,
            channel=Response.Channel.PAPER,
            number=number,
            gender="P",
            age=41,
            education="SMA",
            occupation="SWASTA",
            service=service,
            suggestion="Mohon ruang tunggu diberi kipas angin dan papan informasi alur pelayanan yang jelas",
        )
    batch = ImportBatch.objects.create(
        unit=unit, period=period, filename="pulutan-2024-s2.csv", sha256="0" * 64, rows=50, created_by=alice
    )
    import_jobs = {
        "import_running": ImportJob.objects.create(
            unit=unit,
            period=period,
            filename="responden-2024-s2.xlsx",
            size=2_400_000,
            requested_by=alice,
            status=ImportJob.Status.RUNNING,
            percent=35,
            message="Memeriksa dan menyimpan baris",
            started_at=timezone.now(),
        ),
        "import_failed": ImportJob.objects.create(
            unit=unit,
            period=period,
            filename="responden-salah.csv",
            size=1200,
            requested_by=alice,
            status=ImportJob.Status.FAILED,
            message="Gagal",
            finished_at=timezone.now(),
            errors=[
                "baris 3, kolom U3: nilai '5' tidak valid (1-4 atau a-d)",
                "baris 9, kolom usia: usia '7' tidak valid (bilangan bulat 10-120)",
            ],
        ),
        "import_done": ImportJob.objects.create(
            unit=unit,
            period=period,
            filename="pulutan-2024-s2.csv",
            size=4100,
            requested_by=alice,
            batch=batch,
            status=ImportJob.Status.DONE,
            percent=100,
            message="Selesai",
            started_at=timezone.now(),
            finished_at=timezone.now(),
            created_services=["Surat Pindah"],
            warnings=["baris 12, kolom saran: saran 5.200 karakter dipotong menjadi 5.000 karakter"],
        ),
    }

    plan = build_plan(unit, period)
    row = plan.unsur_rows.order_by("order").first()
    # Belum and scheduled up to 2025-II: overdue, with the long "Terlambat" badge.
    overdue = plan.unsur_rows.order_by("order").last().items.order_by("order").first()
    followup_services.item_update(
        item=overdue,
        user=alice,
        program="Penyediaan ruang tunggu yang nyaman dengan kursi, kipas angin dan papan informasi alur pelayanan",
        cause="Ruang tunggu sempit dan panas pada siang hari",
    )
    followup_services.realisation_save(
        item=overdue, user=alice, status="belum", reason="Anggaran belum tersedia pada tahun berjalan"
    )
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.PDF_SURVEY,
        unit=unit,
        period=period,
        status=ExportJob.Status.RUNNING,
        percent=40,
        message="Membuat PDF",
        requested_by=alice,
        started_at=timezone.now(),
    )
    return {
        "plan": plan.pk,
        "row": row.pk,
        "item": overdue.pk,
        "job": job.pk,
        **{key: j.pk for key, j in import_jobs.items()},
        "service": service.pk,
        "unit_id": unit.pk,
        "response": reference_responses[0].pk,
    }
