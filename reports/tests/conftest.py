"""Fixtures of the report tests: the reference survey with an RTL and its realisation."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from followup.models import EvidencePhoto, Plan, PlanItem, PlanUnsur, Realisation, evidence_upload_to


def jpeg_bytes(color=(40, 110, 180), size=(320, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def build_plan(unit, period, *, items_per_unsur=(2, 1, 1), photos=2, realised=3):
    """Plan over U9, U3, U6 (the reference survey's lowest three) with numbered items;
    the first ``realised`` items are Sudah, the rest Belum with a reason and strategy."""
    plan = Plan.objects.create(unit=unit, period=period, lowest_n=3, survey_report_date=dt.date(2024, 11, 4))
    # Sums and counts of the reference survey (expected file): 156/50 = 3,12; 166/50 = 3,32.
    rows = [
        ("U9", "Sarana dan Prasarana", 156, 50),
        ("U3", "Waktu Penyelesaian", 166, 50),
        ("U6", "Kompetensi Pelaksana", 166, 50),
    ]
    n = 0
    for order, ((code, title, total, answered), count) in enumerate(zip(rows, items_per_unsur, strict=False), start=1):
        row = PlanUnsur.objects.create(
            plan=plan, code=code, title=title, nrr_total=total, nrr_answered=answered, order=order
        )
        for i in range(1, count + 1):
            item = PlanItem.objects.create(
                plan_unsur=row,
                order=i,
                program=f"Program {title} nomor {i}",
                responsible="Sekretaris Kelurahan; Kasi. Pemerintahan",
                schedule=[[2024, 4], [2025, 1], [2025, 2]],
            )
            n += 1
            if n <= realised:
                Realisation.objects.create(
                    item=item,
                    status=Realisation.Status.SUDAH,
                    realised_on=dt.date(2025, 2, 10 + n),
                    description=f"Kegiatan {n} telah dilaksanakan",
                    challenges="Anggaran terbatas",
                )
            else:
                Realisation.objects.create(
                    item=item,
                    status=Realisation.Status.BELUM,
                    reason="Terkendala pengalokasian anggaran",
                    strategy="Diusulkan kembali pada perubahan anggaran",
                    target_time="Triwulan I 2026",
                    strategy_responsible="Lurah",
                    stakeholders="Kecamatan Sidorejo; DPU PR",
                )
            if n == 1:
                for p in range(photos):
                    photo = EvidencePhoto(item=item, caption=f"Dokumentasi kegiatan {p + 1}", order=p)
                    name = default_storage.save(evidence_upload_to(photo, "foto.jpg"), ContentFile(jpeg_bytes()))
                    photo.image.name = name
                    photo.width, photo.height = 320, 200
                    photo.save()
    return plan


@pytest.fixture
def report_plan(unit, period, reference_responses):
    return build_plan(unit, period)


def reset_celery_pools():
    """Drop Celery's cached broker connections and producers (after changing broker_url)."""
    from kombu import pools

    from skm.celery import app

    # kombu keeps a global pool per broker URL; reset() closes AND forgets them,
    # so the next use opens fresh connections to the current broker_url.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
