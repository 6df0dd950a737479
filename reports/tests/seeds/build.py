"""Build a seed's case through the product's own services, as the unit would.

``build_case("000")`` creates the unit (with its parents), the period and round, the
responses (bulk-created from the seed's answer distributions, then the tallies rebuilt
as the ``reference_responses`` fixture does), the report's date and place, the unit's
LHTL layout (``report_layout_save``), the unit's own section texts (``section_save``),
the plan with its priorities in the seed's order and titled in the unit's words
(``plan_unsur_rename``), the items (penanggung jawab and quarter ticks only where the
seed has them), the realisations (a date only where the seed gives one) and photos.

Where today's product still cannot hold what the seed says, the seed's value is tried
first and a stand-in is used only if the product refuses it; each such place is marked
``# product gap: ...`` and recorded in ``Case.gaps``.
"""

from __future__ import annotations

import importlib
import io
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from .spec import Seed

SEEDS = ("000", "001", "002", "003")


@dataclass
class Case:
    seed: Seed
    module: ModuleType
    unit: Any
    period: Any
    round: Any
    plan: Any
    user: Any
    gaps: list[str]  # what the loader had to fill in for the product, this run


def seed_module(seed: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.seed_{seed}")


def seed_elements(seed: str, *, include_doubtful: bool = False) -> list[str]:
    """The ordered strings the seed's rendered LHTL must contain."""
    return seed_module(seed).seed_elements(include_doubtful=include_doubtful)


def _jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 200), (90, 120, 160)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _attempt(fn, gaps: list[str], gap: str, fallback):
    """Call ``fn()`` with the seed's value; if the product refuses it, record the gap
    and call ``fallback()`` with what the product currently requires."""
    try:
        with transaction.atomic():
            return fn()
    except ValidationError:
        gaps.append(gap)
        return fallback()


def _unit(seed: Seed):
    from surveys.models import Unit

    parent = None
    for i, name in enumerate(seed.unit.parents):
        parent, _ = Unit.objects.get_or_create(
            code=f"{seed.unit.code}-p{i}", defaults={"name": name, "parent": parent, "city": seed.unit.city}
        )
    # The product has no service to create a unit (admins do it); tests create them directly.
    # The cover's and the body's names are layout options (Seed.layout: cover_name, short_name).
    unit = Unit.objects.create(
        code=seed.unit.code,
        name=seed.unit.name,
        parent=parent,
        city=seed.unit.city,
        signatory_title=seed.unit.signatory_title,
        signatory_name=seed.unit.signatory_name,
        signatory_rank=seed.unit.signatory_rank,
        signatory_nip=seed.unit.signatory_nip,
    )
    return unit


def _responses(seed: Seed, unit, period) -> None:
    """One row per respondent: respondent i answers 1..4 by walking each unsur's counts."""
    from surveys.answers import scores_pack
    from surveys.models import Response, Service
    from surveys.services_tallies import tally_rebuild

    rows = []
    number = 0
    for sample in seed.samples:
        service = Service.objects.create(unit=unit, name=sample.service) if sample.service else None
        columns = {}
        for code, counts in sample.counts.items():
            columns[code] = [score for score, n in zip((1, 2, 3, 4), counts, strict=True) for _ in range(n)]
        for i in range(sample.respondents):
            number += 1
            answers = {"scores": {"SKM": scores_pack(answers={code: col[i] for code, col in columns.items()})}}
            rows.append(
                Response(
                    unit=unit,
                    period=period,
                    service=service,
                    channel=Response.Channel.IMPORT,
                    number=number,
                    submitted_at=timezone.now(),
                    **answers,
                )
            )
    Response.objects.bulk_create(rows, batch_size=2000)
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)  # bulk_create bypasses the services


def _layout(seed: Seed, unit, user) -> None:
    """The unit's LHTL layout, chosen on its 'Tata letak laporan' page."""
    from reports.layout import layout_from_values
    from reports.services import report_layout_save

    if seed.layout:
        report_layout_save(unit=unit, layout=layout_from_values(seed.layout), user=user)


def _sections(seed: Seed, rnd, user) -> None:
    """The unit's own words for the report's editable sections (reports.sections)."""
    from reports.services import section_save

    for key, text in seed.sections.items():
        section_save(round=rnd, key=key, text=text, user=user)


def _priorities(seed: Seed, plan, user) -> list:
    """The plan's rows in the seed's order, each with the unit's own title."""
    from followup import services

    rows = {r.code: r for r in plan.unsur_rows.all()}
    for p in seed.priorities:
        if p.code not in rows:
            rows[p.code] = services.plan_unsur_add(plan=plan, user=user, code=p.code)
    for code, row in list(rows.items()):
        if code not in {p.code for p in seed.priorities}:
            services.plan_unsur_remove(row=row, user=user)
    for target, p in enumerate(seed.priorities, start=1):
        row = plan.unsur_rows.get(code=p.code)
        while row.order > target:
            services.plan_unsur_move(row=row, user=user, direction=-1)
            row.refresh_from_db()
    ordered = list(plan.unsur_rows.order_by("order"))
    for row, p in zip(ordered, seed.priorities, strict=True):
        if row.title != p.title:
            services.plan_unsur_rename(row=row, user=user, title=p.title)
    return ordered


def _items(seed: Seed, rows, user, gaps: list[str]) -> None:
    from followup import services
    from followup.models import Realisation

    for row, p in zip(rows, seed.priorities, strict=True):
        for spec in p.items:
            item = services.item_create(
                plan_unsur=row,
                user=user,
                program=spec.program,
                responsible=spec.responsible,
                schedule=[list(q) for q in spec.quarters],
            )
            # product gap: BAB III prints Tabel 2's program text (spec.realisation_program is not held).
            services.realisation_save(
                item=item,
                user=user,
                status=Realisation.Status.SUDAH if spec.realised else Realisation.Status.BELUM,
                realised_on=spec.realised_on,
                description=spec.description,
                challenges=spec.challenges,
            )
            for caption in spec.photo_captions:
                _photo(item, user, caption, gaps)


def _photo(item, user, caption: str, gaps: list[str]) -> None:
    from followup import services

    def add(text: str):
        upload = SimpleUploadedFile("foto.jpg", _jpeg(), content_type="image/jpeg")
        return services.photo_add(item=item, user=user, upload=upload, caption=text)

    _attempt(
        lambda: add(caption),
        gaps,
        "photo without caption",
        # product gap: a photo needs a caption; the seed's column header stands in.
        lambda: add("Dokumentasi Kegiatan"),
    )


def build_case(seed: str) -> Case:
    """Create the seed's unit, period, responses, report texts and RTL through the services."""
    from django.contrib.auth import get_user_model

    from followup import services as followup_services
    from surveys.services import period_get_or_create
    from surveys.services_rounds import round_open, round_set_report_details

    module = seed_module(seed)
    spec: Seed = module.SEED
    gaps: list[str] = []
    user, _ = get_user_model().objects.get_or_create(username=f"seed-{seed}")
    unit = _unit(spec)
    period, _ = period_get_or_create(code=spec.period)
    rnd = round_open(unit=unit, period=period, user=user)
    _responses(spec, unit, period)
    if spec.report_date is not None or spec.report_place:
        rnd = round_set_report_details(
            round=rnd, user=user, report_date=spec.report_date, report_place=spec.report_place
        )
    _layout(spec, unit, user)
    _sections(spec, rnd, user)
    plan = followup_services.plan_create_from_ikm(unit=unit, period=period, user=user, lowest_n=spec.lowest_n)
    rows = _priorities(spec, plan, user)
    _items(spec, rows, user, gaps)
    return Case(spec, module, unit, period, rnd, plan, user, gaps)
