"""Demo data for a fresh installation (``python manage.py skm_demo``).

Idempotent: running it again changes nothing that already exists. The
Pulutan Semester II 2024 survey is the reference file shipped in
``surveys/demo_data/``; every other response is synthetic (seeded random) so
that supervisors have units to compare and a trend to look at. Names of
signatories are invented.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from skm.rules.unsur import DEFAULT_BY_CODE, UNSUR_CODES

from .answers import SKM_CODE
from .models import Period, Response, Service, ServicePopulation, SurveyRound, Unit, UnitRole, UnsurWording
from .services import import_batch_create, period_get_or_create
from .services_rounds import round_close, round_open, round_publish, round_set_report_details
from .services_tallies import tally_rebuild

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
REFERENCE_CSV = DEMO_DATA / "pulutan-2024-s2.csv"
DEFAULT_PASSWORD = "skm-demo-2024"

UNITS = [
    # code, name, parent code, address, signatory (name, title, rank, nip)
    (
        "salatiga",
        "Pemerintah Kota Salatiga",
        None,
        "Jl. Letjend Sukowati No. 51, Salatiga",
        ("Dr. Hendra Wijaya, M.Si", "Sekretaris Daerah", "Pembina Utama Madya (IV/d)", "197001011995031001"),
    ),
    (
        "sidorejo",
        "Kecamatan Sidorejo",
        "salatiga",
        "Jl. Osamaliki No. 44, Salatiga",
        ("Agus Prasetyo, S.STP, M.Si", "Camat Sidorejo", "Pembina (IV/a)", "197805122000121002"),
    ),
    (
        "pulutan",
        "Kelurahan Pulutan",
        "sidorejo",
        "Jl. Siwelut No. 1, Salatiga 50716",
        ("Sri Wahyuni, S.Sos", "Lurah Pulutan", "Penata Tk. I (III/d)", "197201182006042001"),
    ),
    (
        "blotongan",
        "Kelurahan Blotongan",
        "sidorejo",
        "Jl. Fatmawati No. 10, Salatiga",
        ("Dwi Lestari, S.E.", "Lurah Blotongan", "Penata (III/c)", "198003152008012003"),
    ),
    (
        "sidorejo-lor",
        "Kelurahan Sidorejo Lor",
        "sidorejo",
        "Jl. Kemiri No. 2, Salatiga",
        ("Rudi Hartono, S.IP", "Lurah Sidorejo Lor", "Penata Tk. I (III/d)", "197609202005011004"),
    ),
    (
        "bugel",
        "Kelurahan Bugel",
        "sidorejo",
        "Jl. Bugel Raya No. 5, Salatiga",
        ("Yohanes Setiawan, S.H.", "Lurah Bugel", "Penata (III/c)", "198207072010011005"),
    ),
]

# Sidorejo Lor offers several jenis layanan with unequal sample sizes.
SERVICES = {"sidorejo-lor": [("Administrasi Kependudukan", 34), ("Surat Keterangan Usaha", 14), ("Pengantar Nikah", 8)]}
# Service users in the previous semester, for Krejcie & Morgan in 2024-S2:
# 38 -> 35 needed (34 answered: short), 14 -> 14, 8 -> 8.
POPULATIONS = {
    ("sidorejo-lor", "Administrasi Kependudukan"): 38,
    ("sidorejo-lor", "Surat Keterangan Usaha"): 14,
    ("sidorejo-lor", "Pengantar Nikah"): 8,
}

# Mean answer per unit (shifts the synthetic distributions) for S1 / S2 2024.
SYNTHETIC = {
    ("pulutan", "2024-S1"): (3.30, 50),
    ("blotongan", "2024-S1"): (3.05, 40),
    ("blotongan", "2024-S2"): (3.20, 45),
    ("sidorejo-lor", "2024-S1"): (2.95, 56),
    ("sidorejo-lor", "2024-S2"): (3.15, 56),
    ("bugel", "2024-S2"): (3.55, 38),
}


@dataclass
class DemoResult:
    admin: object
    staff: object
    supervisor: object
    password: str
    unit: Unit
    period: Period
    current: Period


def _units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for code, name, parent, address, (sig_name, sig_title, sig_rank, sig_nip) in UNITS:
        unit, _ = Unit.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": units.get(parent),
                "address": address,
                "city": "Salatiga",
                "signatory_name": sig_name,
                "signatory_title": sig_title,
                "signatory_rank": sig_rank,
                "signatory_nip": sig_nip,
            },
        )
        units[code] = unit
    for code, services in SERVICES.items():
        for name, _size in services:
            Service.objects.get_or_create(unit=units[code], name=name)
    # Seed 004 labels U8 "Tidak baik ... Sangat baik".
    complaints = DEFAULT_BY_CODE["U8"]
    UnsurWording.objects.get_or_create(
        unit=units["pulutan"],
        code="U8",
        defaults={
            "question": complaints.question,
            "label_1": "Tidak baik",
            "label_2": "Kurang baik",
            "label_3": "Baik",
            "label_4": "Sangat baik",
        },
    )
    return units


def _answer(rng: random.Random, mean: float, bias: float) -> int | None:
    if rng.random() < 0.02:
        return None  # a few blanks, as on real paper forms
    value = round(rng.gauss(mean + bias, 0.55))
    return min(4, max(1, value))


def _synthetic(unit: Unit, period: Period, mean: float, size: int) -> None:
    if Response.objects.filter(unit=unit, period=period).exists():
        return
    rng = random.Random(f"{unit.code}-{period.code}")
    services = list(unit.services.order_by("name"))
    plan = SERVICES.get(unit.code)
    assigned: list[Service | None]
    if plan:
        by_name = {s.name: s for s in services}
        assigned = [by_name[name] for name, n in plan for _ in range(n)]
    else:
        assigned = [None] * size
    biases = {code: rng.uniform(-0.35, 0.25) for code in UNSUR_CODES}
    span = (period.end_date - period.start_date).days
    objs = []
    for number, service in enumerate(assigned, start=1):
        day = period.start_date + dt.timedelta(days=rng.randint(0, span))
        objs.append(
            Response(
                unit=unit,
                period=period,
                service=service,
                channel=rng.choice([Response.Channel.PAPER, Response.Channel.PAPER, Response.Channel.WEB]),
                number=number,
                gender=rng.choice("LP"),
                age=rng.randint(18, 70),
                education=rng.choice(["SD", "SMP", "SMA", "SMA", "DIPLOMA", "STRATA"]),
                occupation=rng.choice(["PELAJAR", "SWASTA", "PNS", "WIRAUSAHA", "BURUH", "LAINNYA"]),
                submitted_at=dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone()),
                service_date=day,
                scores={SKM_CODE: [_answer(rng, mean, biases[code]) for code in UNSUR_CODES]},
            )
        )
    Response.objects.bulk_create(objs)
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)  # bulk_create bypasses the services


def _user(username: str, password: str, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=extra)
    if created:
        user.set_password(password)
        user.save()
    return user


@transaction.atomic
def load_demo(*, password: str | None = None) -> DemoResult:
    password = password or os.environ.get("SKM_DEMO_PASSWORD") or DEFAULT_PASSWORD
    units = _units()
    s1, _ = period_get_or_create(code="2024-S1")
    s2, _ = period_get_or_create(code="2024-S2")
    current_code = _current_semester_code(timezone.localdate())
    current, _ = period_get_or_create(code=current_code)

    pulutan = units["pulutan"]
    system = None  # the demo loader acts as the system, not as a person
    if not Response.objects.filter(unit=pulutan, period=s2).exists():
        _round_open(pulutan, s2)
        with REFERENCE_CSV.open("rb") as fh:
            import_batch_create(fh=fh, filename=REFERENCE_CSV.name, unit=pulutan, period=s2)
    for (code, period_code), (mean, size) in SYNTHETIC.items():
        period = s1 if period_code == "2024-S1" else s2
        _round_open(units[code], period)
        _synthetic(units[code], period, mean, size)
    for (code, name), population in POPULATIONS.items():
        service = Service.objects.get(unit=units[code], name=name)
        ServicePopulation.objects.get_or_create(service=service, period=s2, defaults={"population": population})
    # Past semesters are closed and published (the public pages show them);
    # the current semester is open for every unit.
    for rnd in SurveyRound.objects.filter(period__in=[s1, s2], status=SurveyRound.Status.OPEN):
        round_close(round=rnd, user=system)
        report_date = rnd.period.end_date + dt.timedelta(days=15)
        round_set_report_details(round=rnd, user=system, report_date=report_date, report_place=rnd.unit.city)
        # Dated as a unit would have published it: two days after its report.
        published = dt.datetime.combine(
            report_date + dt.timedelta(days=2), dt.time(10), timezone.get_current_timezone()
        )
        round_publish(round=rnd, user=system, weight_mode=settings.SKM_WEIGHT_MODE, now=published)
    for unit in units.values():
        _round_open(unit, current)

    admin = _user("admin", password, is_superuser=True, is_staff=True, first_name="Admin")
    staff = _user("staf", password, first_name="Staf Pulutan")
    supervisor = _user("supervisor", password, first_name="Supervisor Sidorejo")
    UnitRole.objects.get_or_create(user=staff, unit=pulutan, role=UnitRole.Role.STAFF)
    UnitRole.objects.get_or_create(user=supervisor, unit=units["sidorejo"], role=UnitRole.Role.SUPERVISOR)

    s2.refresh_from_db()
    return DemoResult(admin, staff, supervisor, password, pulutan, s2, current)


def _round_open(unit: Unit, period: Period) -> None:
    rnd = SurveyRound.objects.filter(unit=unit, period=period).first()
    if rnd is None or rnd.status == SurveyRound.Status.DRAFT:
        round_open(unit=unit, period=period, user=None)


def _current_semester_code(today: dt.date) -> str:
    return f"{today.year}-S{1 if today.month <= 6 else 2}"
