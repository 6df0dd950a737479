"""Writes for the RTL tracker. Every change is recorded in ChangeLog."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from skm.rules import progress
from skm.rules.ikm import IkmResult, parse_weight_mode
from skm.rules.instrument import Instrument
from skm.rules.unsur import DEFAULT_BY_CODE, UNSUR_CODES
from surveys.answers import SKM_CODE
from surveys.models import Period, SurveyRound, Unit
from surveys.results_instruments import instrument_results_get
from surveys.selectors import ikm_for

from .images import process_photo
from .models import ChangeLog, EvidencePhoto, Plan, PlanItem, PlanUnsur, Realisation
from .webhooks import plan_finalised_record

# --- audit ---------------------------------------------------------------
# The log is stored in Indonesian (LANGUAGE_CODE) whatever language the writer
# uses, so entries stay consistent; templates translate labels on display.


def _display(obj, field: str):
    with translation.override(settings.LANGUAGE_CODE):
        return _display_value(obj, field)


def _display_value(obj, field: str):
    value = getattr(obj, field)
    if field == "schedule":
        return format_schedule(value)
    getter = getattr(obj, f"get_{field}_display", None)
    if getter is not None:
        return str(getter())
    if value is None:
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return date_format(value, "j F Y")
    return str(value)


def _snapshot(obj, fields) -> dict:
    return {f: _display(obj, f) for f in fields}


def _diff(obj, fields, before: dict) -> dict:
    changes = {}
    for f in fields:
        new = _display(obj, f)
        if before.get(f, "") != new:
            with translation.override(settings.LANGUAGE_CODE):
                label = str(obj._meta.get_field(f).verbose_name)
            changes[label] = [before.get(f, ""), new]
    return changes


def _log(*, plan: Plan, user, action: str, obj, changes: dict | None = None, item: PlanItem | None = None) -> ChangeLog:
    with translation.override(settings.LANGUAGE_CODE):
        object_type, object_repr = str(obj._meta.verbose_name), str(obj)[:300]
    return ChangeLog.objects.create(
        plan=plan,
        item_id_ref=item.pk if item is not None else None,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_repr=object_repr,
        changes=changes or {},
    )


def format_schedule(ticks) -> str:
    return ", ".join(f"{y} {progress.QUARTER_LABELS[q]}" for y, q in progress.normalise_schedule(ticks))


def _ensure_editable(plan: Plan) -> None:
    if plan.is_final:
        raise ValidationError(_("RTL sudah final. Buka kembali RTL terlebih dahulu untuk mengubahnya."), code="final")


def _lock_plan(plan: Plan) -> Plan:
    """Re-read the plan under a row lock so concurrent edits serialise."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    _ensure_editable(locked)
    return locked


# --- plan ---------------------------------------------------------------

PLAN_FIELDS = ("lowest_n", "survey_report_date", "notes")


def _unsur_snapshot(ikm: IkmResult, code: str) -> dict:
    u = ikm.by_code(code)
    return {"title": DEFAULT_BY_CODE[code].name, "nrr_total": u.total, "nrr_answered": u.answered}


@transaction.atomic
def plan_create_from_ikm(
    *,
    unit: Unit,
    period: Period,
    user,
    lowest_n: int = 3,
    survey_report_date: dt.date | None = None,
) -> Plan:
    """A draft plan whose priorities are the ``lowest_n`` unsur by NRR (ties by code)."""
    if not 1 <= lowest_n <= 9:
        raise ValidationError(_("Jumlah unsur terendah harus antara 1 dan 9."), code="lowest_n")
    if Plan.objects.filter(unit=unit, period=period).exists():
        raise ValidationError(_("RTL untuk unit dan periode ini sudah ada."), code="exists")
    ikm = ikm_for(unit=unit, period=period, weight_mode=settings.SKM_WEIGHT_MODE)
    if not ikm.respondents:
        raise ValidationError(
            _("Belum ada jawaban survei untuk %(unit)s pada %(period)s; RTL disusun dari hasil IKM.")
            % {"unit": unit.name, "period": period.label},
            code="no_responses",
        )
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                unit=unit,
                period=period,
                lowest_n=lowest_n,
                survey_report_date=survey_report_date,
                ikm=ikm.ikm,
                weight_mode=str(ikm.weight_mode),
                created_by=user if getattr(user, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise ValidationError(_("RTL untuk unit dan periode ini sudah ada."), code="exists") from None
    answered = [code for code in ikm.priority if ikm.by_code(code).nrr_exact is not None]
    for order, code in enumerate(answered[:lowest_n], start=1):
        PlanUnsur.objects.create(plan=plan, code=code, order=order, **_unsur_snapshot(ikm, code))
    _log(
        plan=plan,
        user=user,
        action=ChangeLog.Action.CREATE,
        obj=plan,
        changes={gettext_noop("prioritas"): ["", ", ".join(answered[:lowest_n])]},
    )
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, user, **fields) -> Plan:
    plan = _lock_plan(plan)
    before = _snapshot(plan, PLAN_FIELDS)
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            raise TypeError(f"unknown plan field {name}")
        setattr(plan, name, value)
    plan.full_clean(exclude=["unit", "period", "created_by", "finalised_by"])
    plan.save()
    changes = _diff(plan, PLAN_FIELDS, before)
    if changes:
        _log(plan=plan, user=user, action=ChangeLog.Action.UPDATE, obj=plan, changes=changes)
    return plan


def _items_missing_reason_or_strategy(plan: Plan) -> list[str]:
    """'2.1 Program …' of every item not realised whose reason or strategy is blank."""
    missing = []
    items = (
        PlanItem.objects.filter(plan_unsur__plan=plan)
        .select_related("plan_unsur", "realisation")
        .order_by("plan_unsur__order", "order")
    )
    for item in items:
        real = getattr(item, "realisation", None)
        if real is not None and real.is_done:
            continue
        if real is None or not real.reason.strip() or not real.strategy.strip():
            missing.append(f"{item.number} {item.program}")
    return missing


@transaction.atomic
def plan_finalise(*, plan: Plan, user) -> Plan:
    plan = _lock_plan(plan)
    if not PlanItem.objects.filter(plan_unsur__plan=plan).exists():
        raise ValidationError(_("RTL belum memiliki program/kegiatan; tambahkan sebelum difinalkan."), code="empty")
    missing = _items_missing_reason_or_strategy(plan)
    if missing:
        raise ValidationError(
            _(
                "RTL belum dapat difinalkan: isi alasan dan strategi penyelesaian untuk setiap kegiatan yang "
                "belum terealisasi: %(items)s."
            )
            % {"items": "; ".join(missing)},
            code="unrealised_incomplete",
        )
    plan.status = Plan.Status.FINAL
    plan.finalised_at = timezone.now()
    plan.finalised_by = user
    plan.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    _log(
        plan=plan,
        user=user,
        action=ChangeLog.Action.FINALISE,
        obj=plan,
        changes={gettext_noop("status"): ["Draf", "Final"]},
    )
    plan_finalised_record(plan=plan)
    return plan


@transaction.atomic
def plan_reopen(*, plan: Plan, user, reason: str = "") -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_final:
        raise ValidationError(_("RTL belum final, tidak perlu dibuka kembali."), code="not_final")
    plan.status = Plan.Status.DRAFT
    plan.finalised_at = None
    plan.finalised_by = None
    plan.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    changes = {gettext_noop("status"): ["Final", "Draf"]}
    if reason:
        changes[gettext_noop("alasan")] = ["", reason]
    _log(plan=plan, user=user, action=ChangeLog.Action.REOPEN, obj=plan, changes=changes)
    return plan


# --- priority rows ---------------------------------------------------------


def _renumber_rows(plan: Plan) -> None:
    for order, row in enumerate(plan.unsur_rows.order_by("order", "id"), start=1):
        if row.order != order:
            PlanUnsur.objects.filter(pk=row.pk).update(order=order)


@transaction.atomic
def plan_instruments(*, plan: Plan) -> tuple[Instrument, ...]:
    """The instruments besides the SKM whose items the plan may take as priorities:
    those the unit's round of the plan's period asks (SPKP, SPAK)."""
    rnd = SurveyRound.objects.filter(unit_id=plan.unit_id, period_id=plan.period_id).first()
    return rnd.other_instruments if rnd is not None else ()


def _item_snapshot(plan: Plan, code: str) -> tuple[str, dict]:
    """The instrument of an item code of the plan's round and the item's exact NRR now."""
    for instrument in plan_instruments(plan=plan):
        if code in {item.code for item in instrument.items}:
            result = instrument_results_get(unit=plan.unit, period=plan.period, instrument=instrument.code).pooled
            item = result.by_code(code)
            name = instrument.item(code).name.get()
            return instrument.code, {"title": name, "nrr_total": item.total, "nrr_answered": item.answered}
    raise ValidationError(_("Kode unsur tidak dikenal."), code="bad_code")


def plan_unsur_add(*, plan: Plan, user, code: str | None = None, title: str = "") -> PlanUnsur:
    """Add an unsur (snapshot of its current IKM figures), an item of another
    instrument the round asks (e.g. SPAK's AK3, with its NRR), or a topic from saran."""
    plan = _lock_plan(plan)
    next_order = (plan.unsur_rows.aggregate(m=Max("order"))["m"] or 0) + 1
    if code:
        if plan.unsur_rows.filter(code=code).exists():
            raise ValidationError(_("Unsur %(code)s sudah ada di RTL ini.") % {"code": code}, code="duplicate")
        if code in UNSUR_CODES:
            ikm = ikm_for(unit=plan.unit, period=plan.period, weight_mode=parse_weight_mode(plan.weight_mode))
            snapshot = _unsur_snapshot(ikm, code)
            instrument = SKM_CODE
        else:
            instrument, snapshot = _item_snapshot(plan, code)
        row = PlanUnsur.objects.create(plan=plan, code=code, instrument=instrument, order=next_order, **snapshot)
    else:
        title = (title or "").strip()
        if not title:
            raise ValidationError(_("Isi judul prioritas dari saran responden."), code="title")
        row = PlanUnsur.objects.create(plan=plan, code=None, title=title[:200], order=next_order)
    _log(
        plan=plan,
        user=user,
        action=ChangeLog.Action.CREATE,
        obj=row,
        changes={gettext_noop("prioritas"): ["", str(row)]},
    )
    return row


PRIORITY_TITLE_MAX: int = PlanUnsur._meta.get_field("title").max_length or 200


@transaction.atomic
def plan_unsur_rename(*, row: PlanUnsur, user, title: str) -> PlanUnsur:
    """Set a priority's title in the unit's own words (seed 003: "Waktu Pelayanan").

    The unsur code and its NRR snapshot are kept; only the printed title changes."""
    plan = _lock_plan(row.plan)
    row = PlanUnsur.objects.select_for_update().get(pk=row.pk, plan=plan)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Isi judul prioritas.")}, code="title")
    if len(title) > PRIORITY_TITLE_MAX:
        raise ValidationError(
            {"title": _("Judul prioritas maksimal %(max)s karakter.") % {"max": PRIORITY_TITLE_MAX}},
            code="title_length",
        )
    before = _snapshot(row, ("title",))
    row.title = title
    changes = _diff(row, ("title",), before)
    if changes:
        row.save(update_fields=["title"])
        _log(plan=plan, user=user, action=ChangeLog.Action.UPDATE, obj=row, changes=changes)
    return row


@transaction.atomic
def plan_unsur_remove(*, row: PlanUnsur, user) -> None:
    plan = _lock_plan(row.plan)
    items = list(row.items.values_list("id", flat=True))
    label = str(row)
    row.delete()
    _renumber_rows(plan)
    _log(
        plan=plan,
        user=user,
        action=ChangeLog.Action.DELETE,
        obj=row,
        changes={
            gettext_noop("prioritas"): [label, ""],
            gettext_noop("program/kegiatan ikut dihapus"): [str(len(items)), ""],
        },
    )


@transaction.atomic
def plan_unsur_move(*, row: PlanUnsur, user, direction: int) -> None:
    """Swap a priority with its neighbour (direction -1 = up, +1 = down)."""
    plan = _lock_plan(row.plan)
    _renumber_rows(plan)
    rows = list(plan.unsur_rows.order_by("order", "id"))
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(rows):
        return
    a, b = rows[index], rows[other]
    PlanUnsur.objects.filter(pk=a.pk).update(order=b.order)
    PlanUnsur.objects.filter(pk=b.pk).update(order=a.order)
    _log(
        plan=plan,
        user=user,
        action=ChangeLog.Action.UPDATE,
        obj=a,
        changes={gettext_noop("urutan prioritas"): [str(a.order), str(b.order)]},
    )


# --- items ---------------------------------------------------------------

ITEM_FIELDS = ("program", "cause", "responsible", "schedule")


def _renumber_items(row: PlanUnsur) -> None:
    for order, item in enumerate(row.items.order_by("order", "id"), start=1):
        if item.order != order:
            PlanItem.objects.filter(pk=item.pk).update(order=order)


@transaction.atomic
def item_create(
    *, plan_unsur: PlanUnsur, user, program: str, cause: str = "", responsible: str = "", schedule=()
) -> PlanItem:
    _lock_plan(plan_unsur.plan)
    program = (program or "").strip()
    if not program:
        raise ValidationError(_("Isi program/kegiatan."), code="program")
    try:
        schedule = progress.normalise_schedule(schedule)
    except ValueError as exc:
        raise ValidationError(str(exc), code="schedule") from None
    order = (plan_unsur.items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = PlanItem.objects.create(
        plan_unsur=plan_unsur,
        order=order,
        program=program,
        cause=cause.strip(),
        responsible=responsible.strip(),
        schedule=schedule,
    )
    _log(
        plan=plan_unsur.plan,
        user=user,
        action=ChangeLog.Action.CREATE,
        obj=item,
        item=item,
        changes=_diff(item, ITEM_FIELDS, {}),
    )
    return item


@transaction.atomic
def item_update(*, item: PlanItem, user, **fields) -> PlanItem:
    _lock_plan(item.plan_unsur.plan)
    item = PlanItem.objects.select_related("plan_unsur__plan").get(pk=item.pk)
    before = _snapshot(item, ITEM_FIELDS)
    for name, value in fields.items():
        if name not in ITEM_FIELDS:
            raise TypeError(f"unknown item field {name}")
        if name == "schedule":
            try:
                value = progress.normalise_schedule(value)
            except ValueError as exc:
                raise ValidationError(str(exc), code="schedule") from None
        elif isinstance(value, str):
            value = value.strip()
        setattr(item, name, value)
    if not item.program:
        raise ValidationError(_("Isi program/kegiatan."), code="program")
    item.save()
    changes = _diff(item, ITEM_FIELDS, before)
    if changes:
        _log(plan=item.plan_unsur.plan, user=user, action=ChangeLog.Action.UPDATE, obj=item, item=item, changes=changes)
    return item


@transaction.atomic
def item_delete(*, item: PlanItem, user) -> None:
    row = item.plan_unsur
    plan = _lock_plan(row.plan)
    label = str(item)
    item_pk = item.pk
    item.delete()
    _renumber_items(row)
    with translation.override(settings.LANGUAGE_CODE):
        object_type = str(PlanItem._meta.verbose_name)
    ChangeLog.objects.create(
        plan=plan,
        item_id_ref=item_pk,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=ChangeLog.Action.DELETE,
        object_type=object_type,
        object_repr=label[:300],
        changes={gettext_noop("program/kegiatan"): [label, ""]},
    )


def _delete_files(names) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


# --- realisation -----------------------------------------------------------

REALISATION_FIELDS = (
    "status",
    "realised_on",
    "description",
    "challenges",
    "reason",
    "strategy",
    "target_time",
    "strategy_responsible",
    "stakeholders",
)


@transaction.atomic
def realisation_save(*, item: PlanItem, user, **fields) -> Realisation:
    """Create or update the item's realisation. Sudah needs a description; its date is
    optional (many units report none) but never in the future."""
    _lock_plan(item.plan_unsur.plan)
    realisation = Realisation.objects.select_for_update().filter(item=item).first()
    created = realisation is None
    if realisation is None:
        realisation = Realisation(item=item)
    before = {} if created else _snapshot(realisation, REALISATION_FIELDS)
    for name, value in fields.items():
        if name not in REALISATION_FIELDS:
            raise TypeError(f"unknown realisation field {name}")
        if isinstance(value, str):
            value = value.strip()
        setattr(realisation, name, value)
    errors = {}
    if realisation.status == Realisation.Status.SUDAH:
        if realisation.realised_on is not None and realisation.realised_on > timezone.localdate():
            errors["realised_on"] = _("Tanggal realisasi tidak boleh di masa depan.")
        if not realisation.description:
            errors["description"] = _("Jelaskan tindak lanjut yang sudah dilaksanakan.")
    if errors:
        raise ValidationError(errors)
    realisation.updated_by = user if getattr(user, "is_authenticated", False) else None
    realisation.save()
    changes = _diff(realisation, REALISATION_FIELDS, before)
    if changes:
        _log(
            plan=item.plan_unsur.plan,
            user=user,
            action=ChangeLog.Action.CREATE if created else ChangeLog.Action.UPDATE,
            obj=realisation,
            item=item,
            changes=changes,
        )
    return realisation


@transaction.atomic
def photo_add(*, item: PlanItem, user, upload, caption: str) -> EvidencePhoto:
    caption = (caption or "").strip()
    if not caption:
        raise ValidationError({"caption": _("Isi keterangan foto.")})
    _lock_plan(item.plan_unsur.plan)
    content = process_photo(upload)
    order = (item.photos.aggregate(m=Max("order"))["m"] or 0) + 1
    photo = EvidencePhoto(item=item, caption=caption[:300], order=order, uploaded_by=user)
    photo.image.save(content.name, content, save=False)
    name = photo.image.name
    # The file is written before the row; remove it if the row cannot be saved.
    try:
        photo.save()
    except Exception:
        _delete_files([name])
        raise
    _log(
        plan=item.plan_unsur.plan,
        user=user,
        action=ChangeLog.Action.CREATE,
        obj=photo,
        item=item,
        changes={gettext_noop("foto"): ["", caption]},
    )
    return photo


@transaction.atomic
def photo_delete(*, photo: EvidencePhoto, user) -> None:
    item = photo.item
    _lock_plan(item.plan_unsur.plan)
    caption = photo.caption
    photo.delete()  # the file goes on commit (post_delete receiver in models)
    _log(
        plan=item.plan_unsur.plan,
        user=user,
        action=ChangeLog.Action.DELETE,
        obj=photo,
        item=item,
        changes={gettext_noop("foto"): [caption, ""]},
    )
