"""Demo RTL for the demo unit (Kelurahan Pulutan), modelled on seed 004.

Idempotent: a second call returns the existing plan untouched. Photos are
drawn with Pillow here (no files from the internet) and go through the same
upload pipeline as real ones.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from skm.rules.unsur import DEFAULT_BY_CODE
from surveys.models import Period, Unit

from . import services
from .models import Plan, PlanUnsur


def _demo_photo(title: str, colour: tuple[int, int, int], name: str) -> SimpleUploadedFile:
    """A simple drawn 'meeting room' picture with a caption band."""
    img = Image.new("RGB", (960, 640), (236, 240, 244))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 420, 960, 640), fill=(196, 170, 140))  # floor
    d.rectangle((60, 60, 420, 300), fill=(255, 255, 255), outline=(90, 90, 90), width=6)  # banner/screen
    d.rectangle((80, 90, 400, 140), fill=colour)
    for i in range(4):
        d.line((90, 180 + i * 28, 390, 180 + i * 28), fill=(150, 150, 150), width=6)
    d.rectangle((480, 330, 900, 380), fill=(120, 80, 50))  # table
    for i, x in enumerate(range(500, 900, 90)):
        d.ellipse((x, 220, x + 50, 270), fill=(60 + i * 30, 90, 120))  # heads
        d.rectangle((x - 5, 270, x + 55, 340), fill=colour)
    d.rectangle((0, 580, 960, 640), fill=(30, 60, 90))
    d.text((20, 600), title, fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@transaction.atomic
def load_demo(*, unit: Unit, period: Period, user) -> Plan:
    existing = Plan.objects.filter(unit=unit, period=period).first()
    if existing is not None:
        return existing

    base = period.end_date.year + 1
    plan = _demo_plan(unit=unit, period=period, user=user)
    rows = list(plan.unsur_rows.order_by("order"))

    plans_by_row = {
        0: [
            {
                "program": "Pengadaan sarana perkantoran (komputer, printer dan meja layanan) diusulkan melalui Kecamatan Sidorejo",
                "cause": "Komputer dan printer terbatas dan sering rusak; meja pengisian formulir kurang memadai.",
                "responsible": "Lurah; Sekretaris Kelurahan; Kasi. Ekobang",
                "schedule": [[base, 2], [base, 3], [base, 4], [base + 1, 1]],
            },
            {
                "program": "Penataan ruang tunggu dan penyediaan pojok laktasi sederhana",
                "cause": "Ruang tunggu sempit; belum ada ruang laktasi.",
                "responsible": "Sekretaris Kelurahan",
                "schedule": [[base, 1], [base, 2]],
            },
        ],
        1: [
            {
                "program": "Koordinasi dengan DISDUKCAPIL terkait integrasi data kependudukan dan aplikasi SIDEKA",
                "responsible": "Sekretaris Kelurahan; Kasi. Pemtrantibum",
                "schedule": [[base, 1], [base, 2], [base, 3], [base, 4]],
            },
        ],
        2: [
            {
                "program": "Bimbingan teknis pelayanan prima bagi petugas loket",
                "responsible": "Lurah; Sekretaris Kelurahan",
                "schedule": [[base, 3]],
            },
            {
                "program": "Pelatihan penggunaan aplikasi SIDEKA bagi seluruh petugas",
                "responsible": "Kasi. Pemtrantibum",
                "schedule": [[base + 1, 1], [base + 1, 2]],
            },
        ],
    }
    items = []
    for index, specs in plans_by_row.items():
        if index >= len(rows):
            break
        for spec in specs:
            items.append(services.item_create(plan_unsur=rows[index], user=user, **spec))

    saran_row = services.plan_unsur_add(plan=plan, user=user, title="Saran responden: informasi alur pelayanan")
    items.append(
        services.item_create(
            plan_unsur=saran_row,
            user=user,
            program="Pemasangan papan informasi alur dan persyaratan pelayanan di ruang tunggu",
            responsible="Sekretaris Kelurahan",
            schedule=[[base, 2]],
        )
    )

    _demo_realise(items=items, user=user, base=base)
    return plan


def _demo_plan(*, unit: Unit, period: Period, user) -> Plan:
    """The plan from the survey, or the seed's priorities without figures when there are no responses."""
    report_date = period.end_date + dt.timedelta(days=15)
    try:
        return services.plan_create_from_ikm(
            unit=unit, period=period, user=user, lowest_n=3, survey_report_date=report_date
        )
    except ValidationError:
        plan = Plan.objects.create(unit=unit, period=period, survey_report_date=report_date, created_by=user)
        for order, code in enumerate(("U9", "U3", "U6"), start=1):
            PlanUnsur.objects.create(plan=plan, code=code, title=DEFAULT_BY_CODE[code].name, order=order)
        return plan


def _demo_realise(*, items, user, base: int) -> None:
    """Realisations and photos, only for dates that have already passed."""
    today = dt.date.today()

    def past(d: dt.date) -> dt.date:
        return min(d, today)

    by_program = {i.program: i for i in items}

    def item(prefix: str):
        return next(i for p, i in by_program.items() if p.startswith(prefix))

    services.realisation_save(
        item=item("Pengadaan sarana"),
        user=user,
        status="belum",
        challenges="Kewenangan pengalokasian anggaran pengadaan barang ada pada Kecamatan Sidorejo.",
        reason="Pengalokasian anggaran pengadaan barang dan rehab gedung bukan kewenangan Kelurahan.",
        strategy="Usulan dimasukkan kembali dalam rencana kebutuhan barang Kecamatan Sidorejo tahun berikutnya",
        target_time=f"Triwulan I {base + 1}",
        strategy_responsible="Lurah, Sekretaris Kelurahan",
        stakeholders="Kecamatan Sidorejo, DPU PR",
    )
    done = [
        (
            "Penataan ruang tunggu",
            dt.date(base, 5, 20),
            "Kursi ruang tunggu ditata ulang dan disediakan sudut laktasi bersekat.",
            "",
        ),
        (
            "Koordinasi dengan DISDUKCAPIL",
            dt.date(base, 3, 14),
            "Rapat koordinasi dengan DISDUKCAPIL dan DISKOMINFO tentang integrasi data ke aplikasi SIDEKA.",
            "Penyesuaian dengan aplikasi baru",
        ),
        (
            "Bimbingan teknis",
            dt.date(base, 8, 12),
            "Bimtek pelayanan prima diikuti seluruh petugas loket (12 orang).",
            "",
        ),
        (
            "Pemasangan papan informasi",
            dt.date(base, 6, 3),
            "Papan alur dan persyaratan layanan dipasang di ruang tunggu dan diunggah ke media sosial.",
            "",
        ),
    ]
    for prefix, when, description, challenges in done:
        if when > today:
            continue
        services.realisation_save(
            item=item(prefix),
            user=user,
            status="sudah",
            realised_on=past(when),
            description=description,
            challenges=challenges,
        )
    if dt.date(base, 8, 12) <= today:
        services.photo_add(
            item=item("Bimbingan teknis"),
            user=user,
            upload=_demo_photo("Bimtek pelayanan prima", (40, 110, 160), "bimtek.png"),
            caption="Bimbingan teknis pelayanan prima bagi petugas loket",
        )
    if dt.date(base, 5, 20) <= today:
        services.photo_add(
            item=item("Penataan ruang tunggu"),
            user=user,
            upload=_demo_photo("Penataan ruang tunggu", (170, 90, 60), "ruang-tunggu.png"),
            caption="Ruang tunggu setelah ditata ulang",
        )
