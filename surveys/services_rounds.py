"""Writes for survey rounds: the lifecycle steps and publication.

A round is one unit's survey in one period. Staff open and close their own
unit's rounds; a supervisor over the unit (or an admin) publishes a closed
round, which freezes a snapshot of its result as a new ``RoundPublication``
version. Who may take a step is decided by the caller (``surveys.access``);
these functions take the step, record who and when, and refuse a step the
lifecycle does not allow (``skm.rules.rounds``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from skm.rules.ikm import UnsurTally, WeightMode, compute_ikm, krejcie_morgan, merge_tallies
from skm.rules.instrument import InstrumentError
from skm.rules.privacy import SMALL_GROUP
from skm.rules.rounds import CollectionRefusal, RoundAction, RoundStatus, collection_refusal, round_next_status

from .answers import instruments_clean, optional_instruments
from .instruments import error_message
from .models import (
    RESPONDENTS_ITEM,
    ItemTally,
    Period,
    RoundPublication,
    ServicePopulation,
    SurveyRound,
    Unit,
    WebhookEvent,
)
from .results import profile_tables_get, profile_tables_public
from .selectors import tally_totals
from .services_webhooks import round_closed_data, round_published_data, webhook_event_record

logger = logging.getLogger(__name__)

SNAPSHOT_SCHEMA = 1
NOTE_MAX_LENGTH = 1000


class RoundNotOpen(ValidationError):
    """The round does not accept new or changed responses now."""


class RoundStepRefused(ValidationError):
    """The lifecycle does not allow this step from the round's current status."""


def _attribute(instance, *, user, reason: str | None = None) -> None:
    instance.__dict__["_history_user"] = user
    instance.__dict__["_change_reason"] = reason


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def round_refusal_message(*, refusal: CollectionRefusal, unit: Unit, period: Period) -> str:
    if refusal is CollectionRefusal.BEFORE_PERIOD:
        return _("Periode %(period)s belum dimulai; survei dibuka mulai %(date)s.") % {
            "period": period.label,
            "date": formats.date_format(period.start_date, "j F Y"),
        }
    if refusal is CollectionRefusal.AFTER_PERIOD:
        return _("Periode %(period)s sudah berakhir pada %(date)s; survei tidak menerima jawaban lagi.") % {
            "period": period.label,
            "date": formats.date_format(period.end_date, "j F Y"),
        }
    return _("Survei %(unit)s periode %(period)s tidak sedang dibuka; tidak menerima jawaban baru atau perubahan.") % {
        "unit": unit.name,
        "period": period.label,
    }


def round_ensure_collecting(
    *, round: SurveyRound | None, unit: Unit, period: Period, public: bool, today: dt.date | None = None
) -> None:
    """Raise RoundNotOpen unless ``round`` accepts a response now.

    ``public``: the respondent's own channels (web, kiosk), which also need
    today inside the period's dates; staff channels (paper entry, import,
    corrections) may fill an open round of a past period."""
    refusal = collection_refusal(
        status=round.state if round is not None else None,
        public=public,
        today=today or timezone.localdate(),
        start=period.start_date,
        end=period.end_date,
    )
    if refusal is not None:
        raise RoundNotOpen(round_refusal_message(refusal=refusal, unit=unit, period=period), code=refusal.value)


def round_lock_for_write(*, unit: Unit, period: Period) -> SurveyRound | None:
    """The round row under a lock (``SELECT ... FOR UPDATE``), or None. Staff
    writes take it, so a close waits for them and they wait for a close; it
    also serialises paper numbers within the round."""
    return SurveyRound.objects.select_for_update().filter(unit_id=unit.pk, period_id=period.pk).first()


def round_ensure_writable(*, unit: Unit, period: Period) -> SurveyRound:
    """Lock the round of a staff write and check it is open (caller is atomic)."""
    rnd = round_lock_for_write(unit=unit, period=period)
    round_ensure_collecting(round=rnd, unit=unit, period=period, public=False)
    assert rnd is not None
    return rnd


def _step(rnd: SurveyRound, action: RoundAction) -> RoundStatus:
    target = round_next_status(action, rnd.state)
    if target is None and action is RoundAction.PUBLISH and rnd.state is RoundStatus.PUBLISHED:
        # Typically the loser of two simultaneous publishes: it waited on the row
        # lock and now reads the winner's result.
        version = rnd.publications.aggregate(v=Max("version"))["v"] or 1
        raise RoundStepRefused(
            _(
                "Putaran %(round)s sudah dipublikasikan (versi %(version)s); tidak perlu dipublikasikan lagi. "
                "Muat ulang halaman untuk melihat hasilnya."
            )
            % {"round": str(rnd), "version": version},
            code="already_published",
        )
    if target is None:
        messages = {
            RoundAction.OPEN: _("Putaran %(round)s sudah dibuka."),
            RoundAction.CLOSE: _("Putaran %(round)s tidak sedang dibuka, jadi tidak dapat ditutup."),
            RoundAction.PUBLISH: _("Putaran %(round)s harus ditutup dahulu sebelum dipublikasikan."),
        }
        raise RoundStepRefused(messages[action] % {"round": str(rnd)}, code=f"{action.value}_refused")
    return target


@transaction.atomic
def round_get_or_create(*, unit: Unit, period: Period, user=None) -> tuple[SurveyRound, bool]:
    """The unit's round for the period, created as a draft when missing."""
    rnd = SurveyRound.objects.filter(unit=unit, period=period).first()
    if rnd is not None:
        return rnd, False
    rnd = SurveyRound(unit=unit, period=period, created_by=_actor(user))
    _attribute(rnd, user=_actor(user))
    rnd.save()
    return rnd, True


@transaction.atomic
def round_open(
    *, unit: Unit, period: Period, user, reason: str = "", instruments: Sequence[str] | None = None
) -> SurveyRound:
    """Open the unit's round (creating it): from a draft, to reopen a closed
    round for late paper forms, or to correct a published one. Opens nothing
    for any other unit. ``instruments``: the codes asked (the SKM always; e.g.
    SPAK added), else the round keeps the ones it has."""
    codes = None if instruments is None else _instruments(instruments, unit_id=unit.pk)
    rnd, _created = round_get_or_create(unit=unit, period=period, user=user)
    rnd = SurveyRound.objects.select_for_update().get(pk=rnd.pk)
    rnd.status = _step(rnd, RoundAction.OPEN).value
    rnd.opened_at, rnd.opened_by = timezone.now(), _actor(user)
    fields = ["status", "opened_at", "opened_by"]
    if codes is not None:
        _check_instruments_removable(rnd, codes)
        rnd.instruments = codes
        fields.append("instruments")
    _attribute(rnd, user=_actor(user), reason=(reason or "").strip()[:NOTE_MAX_LENGTH] or None)
    rnd.save(update_fields=fields)
    logger.info("round opened unit=%s period=%s user=%s", unit.code, period.code, getattr(user, "pk", None))
    return rnd


def _instruments(codes: Sequence[str], *, unit_id: int) -> list[str]:
    try:
        cleaned = instruments_clean(codes)
    except InstrumentError as exc:
        raise ValidationError(error_message(exc), code=exc.code.value) from None
    # A unit's own copy of a template is asked by that unit only.
    own = {i.code for i in optional_instruments(unit_id=unit_id)}
    foreign = [c for c in cleaned[1:] if c not in own]
    if foreign:
        raise ValidationError(
            _("Instrumen %(codes)s milik unit lain dan tidak dapat dipakai di putaran ini.")
            % {"codes": ", ".join(foreign)},
            code="foreign_instrument",
        )
    return cleaned


def _check_instruments_removable(rnd: SurveyRound, codes: list[str]) -> None:
    """An instrument that already has answers in the round stays (its answers would vanish from the results)."""
    dropped = [c for c in rnd.instrument_codes if c not in codes]
    answered = set(
        ItemTally.objects.filter(
            unit_id=rnd.unit_id, period_id=rnd.period_id, instrument__in=dropped, item=RESPONDENTS_ITEM, answered__gt=0
        ).values_list("instrument", flat=True)
    )
    if answered:
        raise ValidationError(
            _("Instrumen %(codes)s sudah memiliki jawaban pada putaran ini dan tidak dapat dihapus.")
            % {"codes": ", ".join(sorted(answered))},
            code="instrument_has_answers",
        )


@transaction.atomic
def round_set_instruments(*, round: SurveyRound, user, instruments: Sequence[str]) -> SurveyRound:
    """Change the instruments a round asks (not once published: reopen it first)."""
    rnd = SurveyRound.objects.select_for_update().get(pk=round.pk)
    if rnd.state is RoundStatus.PUBLISHED:
        raise RoundStepRefused(
            _("Putaran ini sudah dipublikasikan; buka kembali untuk mengubah instrumennya."), code="published"
        )
    codes = _instruments(instruments, unit_id=rnd.unit_id)
    _check_instruments_removable(rnd, codes)
    if codes != list(rnd.instrument_codes):
        rnd.instruments = codes
        _attribute(rnd, user=_actor(user))
        rnd.save(update_fields=["instruments"])
    return rnd


@transaction.atomic
def round_close(*, round: SurveyRound, user) -> SurveyRound:
    rnd = SurveyRound.objects.select_for_update().select_related("unit", "period").get(pk=round.pk)
    rnd.status = _step(rnd, RoundAction.CLOSE).value
    rnd.closed_at, rnd.closed_by = timezone.now(), _actor(user)
    _attribute(rnd, user=_actor(user))
    rnd.save(update_fields=["status", "closed_at", "closed_by"])
    webhook_event_record(
        unit=rnd.unit,
        event=WebhookEvent.ROUND_CLOSED,
        key=f"round:{rnd.pk}:closed:{rnd.closed_at.isoformat()}",
        data=round_closed_data(rnd=rnd),
    )
    logger.info("round closed unit=%s period=%s user=%s", rnd.unit.code, rnd.period.code, getattr(user, "pk", None))
    return rnd


@transaction.atomic
def round_set_report_details(
    *, round: SurveyRound, user, report_date: dt.date | None, report_place: str
) -> SurveyRound:
    """The report's own date and place; locked once published (reopen to correct)."""
    rnd = SurveyRound.objects.select_for_update().get(pk=round.pk)
    if rnd.state is RoundStatus.PUBLISHED:
        raise RoundStepRefused(
            _("Putaran ini sudah dipublikasikan; buka kembali untuk mengoreksi laporannya."), code="published"
        )
    if report_date is not None and report_date < rnd.period.start_date:
        raise ValidationError(
            _("Tanggal laporan tidak boleh sebelum awal periode (%(date)s).")
            % {"date": formats.date_format(rnd.period.start_date, "j F Y")},
            code="report_date_early",
        )
    if report_date is not None and rnd.collection_start is not None and report_date < rnd.collection_start:
        raise ValidationError(
            _("Tanggal laporan tidak boleh sebelum awal pengumpulan data (%(date)s).")
            % {"date": formats.date_format(rnd.collection_start, "j F Y")},
            code="report_date_before_collection",
        )
    rnd.report_date = report_date
    rnd.report_place = (report_place or "").strip()[:100]
    _attribute(rnd, user=_actor(user))
    rnd.save(update_fields=["report_date", "report_place"])
    return rnd


SCHEDULE_ACTIVITY_MAX_LENGTH = 200
SCHEDULE_MAX_ROWS = 12
# How far before the period's start and after its end a schedule row may lie (a typo guard).
SCHEDULE_MARGIN = dt.timedelta(days=366)


def _schedule_rows_clean(rows: Sequence[Mapping], *, period: Period) -> list[dict[str, str]]:
    """The rows as stored (activity, ISO start and end), or ValidationError listing every bad row."""
    if len(rows) > SCHEDULE_MAX_ROWS:
        raise ValidationError(
            _("Jadwal berisi paling banyak %(n)s kegiatan.") % {"n": SCHEDULE_MAX_ROWS}, code="schedule_too_long"
        )
    lowest, highest = period.start_date - SCHEDULE_MARGIN, period.end_date + SCHEDULE_MARGIN
    errors: list[ValidationError] = []
    cleaned: list[dict[str, str]] = []
    for number, row in enumerate(rows, start=1):
        activity = " ".join(str(row.get("activity") or "").split())
        start, end = row.get("start"), row.get("end")
        where = {"n": number}
        if not activity:
            errors.append(ValidationError(_("Baris %(n)s: nama kegiatan wajib diisi.") % where, code="activity"))
        elif len(activity) > SCHEDULE_ACTIVITY_MAX_LENGTH:
            errors.append(
                ValidationError(
                    _("Baris %(n)s: nama kegiatan paling panjang %(max)s karakter.")
                    % {**where, "max": SCHEDULE_ACTIVITY_MAX_LENGTH},
                    code="activity",
                )
            )
        if not isinstance(start, dt.date) or not isinstance(end, dt.date):
            errors.append(
                ValidationError(_("Baris %(n)s: isi tanggal mulai dan tanggal selesai.") % where, code="dates")
            )
            continue
        if end < start:
            errors.append(
                ValidationError(
                    _("Baris %(n)s: tanggal selesai tidak boleh sebelum tanggal mulai.") % where, code="order"
                )
            )
        if start < lowest or end > highest:
            errors.append(
                ValidationError(
                    _("Baris %(n)s: tanggal harus antara %(low)s dan %(high)s.")
                    % {
                        **where,
                        "low": formats.date_format(lowest, "j F Y"),
                        "high": formats.date_format(highest, "j F Y"),
                    },
                    code="range",
                )
            )
        cleaned.append({"activity": activity, "start": start.isoformat(), "end": end.isoformat()})
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def round_set_schedule(
    *,
    round: SurveyRound,
    rows: Sequence[Mapping],
    collection_start: dt.date | None,
    collection_end: dt.date | None,
    user,
) -> SurveyRound:
    """Tabel II.1 as the unit writes it, and the round's own collection window.

    ``rows``: mappings with ``activity`` (text), ``start`` and ``end`` (dates); an empty list goes back
    to the rows prefilled from the round's dates. Both window dates or neither (the whole period),
    inside the period, and not after the report date. All or nothing; locked once published."""
    rnd = SurveyRound.objects.select_for_update().select_related("period").get(pk=round.pk)
    if rnd.state is RoundStatus.PUBLISHED:
        raise RoundStepRefused(
            _("Putaran ini sudah dipublikasikan; buka kembali untuk mengoreksi laporannya."), code="published"
        )
    cleaned = _schedule_rows_clean(rows, period=rnd.period)
    rnd.collection_start, rnd.collection_end = collection_start, collection_end
    rnd.clean()
    report_date = rnd.effective_report_date
    if collection_start is not None and report_date is not None and report_date < collection_start:
        raise ValidationError(
            {
                "collection_start": _(
                    "Tanggal laporan (%(report)s) sebelum awal pengumpulan data (%(start)s); ubah tanggal laporan "
                    "atau awal pengumpulan data."
                )
                % {
                    "report": formats.date_format(report_date, "j F Y"),
                    "start": formats.date_format(collection_start, "j F Y"),
                }
            },
            code="report_date_before_collection",
        )
    rnd.schedule = cleaned
    _attribute(rnd, user=_actor(user))
    rnd.save(update_fields=["collection_start", "collection_end", "schedule"])
    return rnd


def _tallies_json(tallies: list[UnsurTally]) -> list[dict]:
    return [
        {
            "code": t.code,
            "total": t.total,
            "answered": t.answered,
            "distribution": {str(k): int(v) for k, v in sorted(t.distribution.items())},
        }
        for t in tallies
    ]


def round_snapshot_build(*, round: SurveyRound, weight_mode: WeightMode) -> dict:
    """The exact integers of the round's result as of now: pooled and per jenis
    layanan tallies, the public (small-group merged) profile and the population."""
    unit, period = round.unit, round.period
    grouped = tally_totals(unit=unit, period=period, group_by="service_id")
    respondents, pooled = merge_tallies(grouped.values())
    service_ids = [int(str(k)) for k in grouped if k is not None]
    names: dict[int, str] = dict(unit.services.filter(id__in=service_ids).values_list("id", "name"))
    services = sorted(
        (
            {"name": names.get(int(str(key))) or "", "respondents": n, "unsur": _tallies_json(tallies)}
            for key, (n, tallies) in grouped.items()
            if key is not None
        ),
        key=lambda s: str(s["name"]).lower(),
    )
    profile = []
    if respondents >= SMALL_GROUP:
        for table in profile_tables_public(profile_tables_get(unit=unit, period=period)):
            profile.append(
                {
                    "key": table.key,
                    "title": str(table.title),
                    "total": table.total,
                    "rows": [{"label": str(r.label), "count": r.count, "merged": list(r.merged)} for r in table.rows],
                }
            )
    population = ServicePopulation.objects.filter(period=period, service__unit=unit).aggregate(n=Sum("population"))["n"]
    # The round's other instruments (SPKP, SPAK): their exact integers too, each read
    # back by the published page and the open data as the SKM's are.
    instruments = []
    for instrument in round.other_instruments:
        per_service = tally_totals(unit=unit, period=period, group_by="service_id", instrument=instrument.code)
        n, pooled_items = merge_tallies(
            per_service.values(), codes=[i.code for i in instrument.items], scores=instrument.scale.scores
        )
        instruments.append(
            {
                "code": instrument.code,
                "respondents": n,
                "items": _tallies_json(pooled_items),
                "services": sorted(
                    (
                        {"name": names.get(int(str(key))) or "", "respondents": m, "items": _tallies_json(t)}
                        for key, (m, t) in per_service.items()
                        if key is not None and names.get(int(str(key)))
                    ),
                    key=lambda s: str(s["name"]).lower(),
                ),
            }
        )
    return {
        "schema": SNAPSHOT_SCHEMA,
        "weight_mode": weight_mode.value,
        "respondents": respondents,
        "unsur": _tallies_json(pooled),
        "services": services,
        "profile": profile,
        "population": int(population) if population else None,
        "required_sample": krejcie_morgan(int(population)) if population else None,
        "instruments": instruments,
    }


@transaction.atomic
def round_publish(
    *,
    round: SurveyRound,
    user,
    weight_mode: WeightMode,
    note: str = "",
    narrative: Mapping[str, object] | None = None,
    now: dt.datetime | None = None,
) -> RoundPublication:
    """Publish a closed round: freeze its result as the next version.

    The first publication needs no note; a re-publication after a correction
    must say what changed. ``narrative`` (the report text, from the reports
    layer) is frozen with the numbers."""
    rnd = SurveyRound.objects.select_for_update().select_related("unit", "period").get(pk=round.pk)
    target = _step(rnd, RoundAction.PUBLISH)
    note = (note or "").strip()
    previous = rnd.publications.aggregate(v=Max("version"))["v"] or 0
    if previous and not note:
        raise ValidationError(
            _("Tuliskan apa yang dikoreksi: versi %(v)s sudah dipublikasikan sebelumnya.") % {"v": previous},
            code="note_required",
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("Catatan paling banyak %(n)d karakter.") % {"n": NOTE_MAX_LENGTH}, code="note_long")
    snapshot = round_snapshot_build(round=rnd, weight_mode=weight_mode)
    if snapshot["respondents"] == 0:
        raise ValidationError(_("Putaran ini belum memiliki responden; tidak ada hasil untuk dipublikasikan."))
    if narrative:
        snapshot["narrative"] = dict(narrative)
    tallies = [UnsurTally(u["code"], u["total"], u["answered"]) for u in snapshot["unsur"]]
    result = compute_ikm(tallies, respondents=snapshot["respondents"], weight_mode=weight_mode)
    now = now or timezone.now()
    publication = RoundPublication.objects.create(
        round=rnd,
        version=previous + 1,
        published_at=now,
        published_by=_actor(user),
        report_date=rnd.effective_report_date or timezone.localdate(now),
        weight_mode=weight_mode.value,
        respondents=snapshot["respondents"],
        ikm=result.ikm,
        grade=result.grade or "",
        note=note,
        snapshot=snapshot,
    )
    rnd.status = target.value
    rnd.published_at, rnd.published_by = now, _actor(user)
    _attribute(rnd, user=_actor(user), reason=note or None)
    rnd.save(update_fields=["status", "published_at", "published_by"])
    webhook_event_record(
        unit=rnd.unit,
        event=WebhookEvent.ROUND_PUBLISHED,
        key=f"round:{rnd.pk}:published:{publication.version}",
        data=round_published_data(publication=publication),
        now=now,
    )
    logger.info(
        "round published unit=%s period=%s version=%s ikm=%s user=%s",
        rnd.unit.code,
        rnd.period.code,
        publication.version,
        publication.ikm,
        getattr(user, "pk", None),
    )
    return publication
