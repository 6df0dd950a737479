import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from followup import services
from followup.models import Plan, PlanUnsur


def image_bytes(fmt: str = "PNG", size=(64, 48), colour=(200, 30, 30), **save_kwargs) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format=fmt, **save_kwargs)
    return buf.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def plan(unit, period, alice):
    """A draft plan with two priorities and three items (no survey needed)."""
    p = Plan.objects.create(unit=unit, period=period, created_by=alice)
    u9 = PlanUnsur.objects.create(plan=p, code="U9", title="Sarana dan Prasarana", order=1)
    u3 = PlanUnsur.objects.create(plan=p, code="U3", title="Waktu Penyelesaian", order=2)
    services.item_create(
        plan_unsur=u9, user=alice, program="Pengadaan komputer", responsible="Lurah", schedule=[[2025, 1], [2025, 2]]
    )
    services.item_create(
        plan_unsur=u9, user=alice, program="Rehab ruang tunggu", responsible="Sekretaris", schedule=[[2099, 4]]
    )
    services.item_create(
        plan_unsur=u3, user=alice, program="Koordinasi SIDEKA", responsible="Kasi", schedule=[[2025, 3]]
    )
    return p


@pytest.fixture
def items(plan):
    return list(plan.unsur_rows.order_by("order").first().items.order_by("order")) + list(
        plan.unsur_rows.order_by("order")[1].items.order_by("order")
    )


def explain_unrealised(plan, user):
    """Give every item a Belum realisation with a reason and a strategy, as finalising requires."""
    from followup.models import PlanItem, Realisation

    for item in PlanItem.objects.filter(plan_unsur__plan=plan):
        services.realisation_save(
            item=item,
            user=user,
            status=Realisation.Status.BELUM,
            reason="Anggaran belum tersedia",
            strategy="Diusulkan pada perubahan anggaran",
        )
