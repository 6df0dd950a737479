"""Writes for the surveys app."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from skm.rules.periods import parse_period_code
from skm.rules.privacy import min_age, retention_cutoff
from skm.rules.unsur import UNSUR_CODES

from .importing import MAX_ERRORS, ImportFileError, ParsedRow, RowError, file_sha256, iter_parsed
from .models import ImportBatch, Period, Response, RetentionRun, Service, Unit
from .throttle import throttle_hit

IMPORT_BATCH_SIZE = 2000
logger = logging.getLogger(__name__)


@transaction.atomic
def period_get_or_create(*, code: str, is_open: bool = True) -> tuple[Period, bool]:
    """Create a period from its code; dates follow the code grammar."""
    spec = parse_period_code(code)
    return Period.objects.get_or_create(
        code=spec.code,
        defaults={"kind": spec.kind, "start_date": spec.start, "end_date": spec.end, "is_open": is_open},
    )


@transaction.atomic
def period_create(*, code: str, is_open: bool, user) -> Period:
    """A new period; kind and dates follow from the code grammar."""
    spec = parse_period_code(code)
    if Period.objects.filter(code=spec.code).exists():
        raise ValidationError(_("Periode %(code)s sudah ada.") % {"code": spec.code}, code="exists")
    period = Period(code=spec.code, kind=spec.kind, start_date=spec.start, end_date=spec.end, is_open=is_open)
    period.full_clean()
    period.save()
    logger.info("period created code=%s open=%s user=%s", period.code, is_open, getattr(user, "pk", None))
    return period


@transaction.atomic
def period_set_open(*, period: Period, is_open: bool, user) -> Period:
    """Open or close a period; a closed period accepts no new or changed responses."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_open != is_open:
        period.is_open = is_open
        period.save(update_fields=["is_open"])
        logger.info(
            "period %s code=%s user=%s", "opened" if is_open else "closed", period.code, getattr(user, "pk", None)
        )
    return period


class PeriodClosed(ValidationError):
    pass


class RateLimited(Exception):
    """The client sent too many submissions in the current window."""


class DuplicateSubmission(Exception):
    """The one-time form token was already used: nothing new is stored."""


def _ensure_open(period: Period) -> None:
    if not period.is_open:
        raise PeriodClosed(
            _("Periode %(period)s sudah ditutup; tidak menerima jawaban baru atau perubahan.")
            % {"period": period.label}
        )


def _ensure_age_allowed(unit: Unit, age: int | None, *, consent: bool | None) -> None:
    """UU 27/2022: adults only unless the unit accepts minors with a guardian's consent
    (``consent=None``: paper channels, where the signed paper form carries it)."""
    from .forms import age_rule_error

    error = age_rule_error(age, allow_minors=unit.allow_minors, consent=consent)
    if error:
        raise ValidationError(error)


def _answer_fields(answers: dict[str, int | None] | Iterable[int | None]) -> dict[str, int | None]:
    if isinstance(answers, dict):
        return {code.lower(): answers.get(code) for code in UNSUR_CODES}
    return {code.lower(): value for code, value in zip(UNSUR_CODES, answers, strict=True)}


def response_create_web(
    *,
    unit: Unit,
    period: Period,
    service: Service | None,
    client_token: uuid.UUID,
    answers: dict[str, int | None],
    gender: str = "",
    age: int | None = None,
    education: str = "",
    occupation: str = "",
    disability: str = "",
    guardian_consent: bool = False,
    suggestion: str = "",
    throttle_key: str | None = None,
) -> Response:
    """Store one questionnaire; a reused token raises DuplicateSubmission.

    The unique client_token makes a replayed POST (double click, back button,
    a script) fail in the database itself, so no duplicate can slip through
    even across gunicorn workers. With ``throttle_key`` the rate-limit count
    and the insert share one transaction (one commit per submission)."""
    _ensure_open(period)
    _ensure_age_allowed(unit, age, consent=guardian_consent)
    try:
        with transaction.atomic():
            # The count is committed even when the limit is exceeded.
            if throttle_key is None or throttle_hit(key=throttle_key):
                return Response.objects.create(
                    unit=unit,
                    period=period,
                    service=service,
                    channel=Response.Channel.WEB,
                    gender=gender,
                    age=age,
                    education=education,
                    occupation=occupation,
                    disability=disability,
                    guardian_consent=guardian_consent,
                    suggestion=suggestion.strip(),
                    submitted_at=timezone.now(),
                    service_date=timezone.localdate(),
                    client_token=client_token,
                    **_answer_fields(answers),
                )
    except IntegrityError as exc:
        # No savepoint on the hot path: the whole transaction rolls back.
        if Response.objects.filter(client_token=client_token).exists():
            raise DuplicateSubmission from exc
        raise
    raise RateLimited


def response_create_paper(
    *,
    unit: Unit,
    period: Period,
    user,
    answers: dict[str, int | None],
    service: Service | None = None,
    number: int | None = None,
    gender: str = "",
    age: int | None = None,
    education: str = "",
    occupation: str = "",
    disability: str = "",
    suggestion: str = "",
    service_date: dt.date | None = None,
) -> Response:
    """One paper questionnaire typed in by unit staff; blanks stay NULL."""
    _ensure_open(period)
    _ensure_age_allowed(unit, age, consent=None)
    if service is not None and service.unit_id != unit.id:
        raise ValidationError(_("Jenis layanan bukan milik unit ini."))
    if number is None:
        last = (
            Response.objects.filter(unit=unit, period=period, channel=Response.Channel.PAPER)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        number = (last or 0) + 1
    return Response.objects.create(
        unit=unit,
        period=period,
        service=service,
        channel=Response.Channel.PAPER,
        number=number,
        gender=gender,
        age=age,
        education=education,
        occupation=occupation,
        disability=disability,
        suggestion=suggestion.strip(),
        submitted_at=timezone.now(),
        service_date=service_date,
        created_by=user,
        **_answer_fields(answers),
    )


def response_delete_paper(*, response: Response) -> None:
    """Staff may remove a mistyped paper row while the period is open."""
    _ensure_open(response.period)
    if response.channel != Response.Channel.PAPER:
        raise ValidationError(_("Hanya jawaban entri kertas yang dapat dihapus di sini."))
    response.delete()


# --- import ------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    batch: ImportBatch
    created_unit: bool = False
    created_period: bool = False
    created_services: tuple[str, ...] = ()


def _resolve_target(
    *, unit_code: str, period_code: str, create: bool, unit_name: str = ""
) -> tuple[Unit, Period, bool, bool]:
    errors = []
    unit = Unit.objects.filter(code=unit_code).first()
    created_unit = created_period = False
    if unit is None and not create:
        errors.append(f"unit '{unit_code}' tidak ditemukan (gunakan --create untuk membuatnya)")
    try:
        spec = parse_period_code(period_code)
    except ValueError as exc:
        errors.append(str(exc))
        spec = None
    period = Period.objects.filter(code=spec.code).first() if spec else None
    if spec and period is None and not create:
        errors.append(f"periode '{spec.code}' tidak ditemukan (gunakan --create untuk membuatnya)")
    if errors:
        raise ImportFileError(errors)
    if unit is None:
        unit = Unit.objects.create(code=unit_code, name=unit_name or unit_code)
        created_unit = True
    if period is None:
        assert spec is not None  # a missing period code was reported above
        period, created_period = period_get_or_create(code=spec.code)
    return unit, period, created_unit, created_period


def import_batch_create(
    *,
    fh: IO[bytes],
    filename: str,
    unit: Unit | None = None,
    period: Period | None = None,
    unit_code: str = "",
    period_code: str = "",
    create: bool = False,
    create_services: bool | None = None,
    force: bool = False,
    user=None,
) -> ImportResult:
    """Import a CSV/XLSX of respondents, all or nothing.

    Either pass unit/period objects (web UI) or codes (command; ``create``
    makes a missing unit, period and jenis layanan). Raises ImportFileError
    listing every problem (row and column, Indonesian); then nothing is saved.
    The file is streamed and written with bulk_create in batches inside one
    transaction, so memory stays flat for 100 000 rows."""
    if create_services is None:
        create_services = create
    sha = file_sha256(fh)
    with transaction.atomic():
        created_unit = created_period = False
        if unit is None or period is None:
            unit, period, created_unit, created_period = _resolve_target(
                unit_code=unit_code, period_code=period_code, create=create
            )
        if not period.is_open:
            raise ImportFileError([f"periode {period.code} ({period.label}) sudah ditutup; impor ditolak"])
        previous = ImportBatch.objects.filter(unit=unit, period=period, sha256=sha).first()
        if previous is not None and not force:
            when = timezone.localtime(previous.created_at).strftime("%d/%m/%Y %H:%M")
            raise ImportFileError(
                [
                    f"berkas yang sama persis sudah diimpor untuk {unit.name} periode {period.code} "
                    f"pada {when} ('{previous.filename}', {previous.rows} baris); "
                    "gunakan --force (atau centang 'impor ulang') bila memang disengaja"
                ]
            )
        batch = ImportBatch.objects.create(
            unit=unit, period=period, filename=filename[:255], sha256=sha, rows=0, created_by=user
        )
        services = {s.name.strip().lower(): s for s in Service.objects.filter(unit=unit)}
        created_services: list[str] = []
        errors: list[str] = []
        writer = _ResponseWriter()
        count = 0
        now = timezone.now()
        tz = timezone.get_current_timezone()
        for item in iter_parsed(
            fh,
            period_start=period.start_date,
            period_end=period.end_date,
            min_age=min_age(allow_minors=unit.allow_minors),
        ):
            if isinstance(item, list):
                errors.extend(str(e) for e in item)
                if len(errors) >= MAX_ERRORS:
                    errors.append(f"pemeriksaan dihentikan setelah {MAX_ERRORS} kesalahan")
                    break
                continue
            service = None
            if item.service_name:
                key = item.service_name.lower()
                service = services.get(key)
                if service is None:
                    if create_services:
                        service = Service.objects.create(unit=unit, name=item.service_name[:200])
                        services[key] = service
                        created_services.append(service.name)
                    else:
                        errors.append(
                            str(
                                RowError(
                                    item.line,
                                    "layanan",
                                    f"jenis layanan '{item.service_name}' tidak dikenal untuk unit {unit.code} "
                                    "(gunakan --create untuk membuatnya)",
                                )
                            )
                        )
                        continue
            if errors:
                continue  # keep checking, stop writing
            count += 1
            writer.add(_row_values(item, unit, period, service, batch, user, now, tz))
        if errors:
            transaction.set_rollback(True)
            raise ImportFileError(errors)
        writer.flush()
        batch.rows = count
        batch.save(update_fields=["rows"])
    return ImportResult(batch, created_unit, created_period, tuple(created_services))


IMPORT_COLUMNS = (
    "unit_id",
    "period_id",
    "service_id",
    "channel",
    "number",
    "gender",
    "age",
    "education",
    "occupation",
    "disability",
    "suggestion",
    "u1",
    "u2",
    "u3",
    "u4",
    "u5",
    "u6",
    "u7",
    "u8",
    "u9",
    "submitted_at",
    "service_date",
    "import_batch_id",
    "created_by_id",
)


def _row_values(item: ParsedRow, unit, period, service, batch, user, now, tz) -> tuple:
    submitted = now
    if item.service_date is not None:
        submitted = dt.datetime.combine(item.service_date, dt.time(12, 0), tzinfo=tz)
    return (
        unit.pk,
        period.pk,
        service.pk if service else None,
        Response.Channel.IMPORT.value,
        item.number,
        item.gender,
        item.age,
        item.education,
        item.occupation,
        item.disability,
        item.suggestion,
        *item.answers,
        submitted,
        item.service_date,
        batch.pk,
        user.pk if user else None,
    )


class _ResponseWriter:
    """Buffers imported rows and writes them in batches: PostgreSQL COPY (several
    times faster than INSERT for 100 000 rows), bulk_create elsewhere (SQLite)."""

    def __init__(self):
        self.rows: list[tuple] = []
        self.copy = connection.vendor == "postgresql"

    def add(self, values: tuple) -> None:
        self.rows.append(values)
        if len(self.rows) >= IMPORT_BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.copy:
            table = connection.ops.quote_name(Response._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(c) for c in IMPORT_COLUMNS)
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
        else:
            Response.objects.bulk_create(Response(**dict(zip(IMPORT_COLUMNS, row, strict=True))) for row in self.rows)
        self.rows = []


# --- retention of personal data (UU 27/2022) ---------------------------------

# Saran and profile: what a respondent tells about themself. The answers stay,
# so every IKM, NRR and distribution is the same after the erasure.
PERSONAL_FIELDS: dict[str, object] = {
    "gender": "",
    "age": None,
    "education": "",
    "occupation": "",
    "disability": "",
    "guardian_consent": False,
    "suggestion": "",
}


def _has_personal_data() -> Q:
    q = Q(age__isnull=False) | Q(guardian_consent=True)
    for name, empty in PERSONAL_FIELDS.items():
        if empty == "":
            q |= ~Q(**{name: ""})
    return q


@dataclass(frozen=True)
class RetentionResult:
    months: int
    cutoff: dt.date | None
    per_period: dict[str, int]
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(self.per_period.values())


def personal_data_erase_expired(
    *, actor: str, months: int | None = None, today: dt.date | None = None, dry_run: bool = False
) -> RetentionResult:
    """Erase saran and profile of every response whose period ended more than
    ``months`` (default SKM_RETENTION_MONTHS; 0 = keep forever) before today.

    Every real run is recorded in RetentionRun with ``actor`` (a user name, or
    "system" for the scheduled task). Historical copies of the rows, if a
    history table exists, are scrubbed in the same transaction."""
    months = settings.SKM_RETENTION_MONTHS if months is None else months
    if months <= 0:
        return RetentionResult(months, None, {}, dry_run)
    cutoff = retention_cutoff(today=today or timezone.localdate(), months=months)
    period_ids = list(Period.objects.filter(end_date__lt=cutoff).values_list("id", flat=True))
    expired = Response.objects.filter(period_id__in=period_ids).filter(_has_personal_data())
    with transaction.atomic():
        rows = expired.values("period__code").annotate(n=Count("id")).order_by("period__code")
        per_period = {row["period__code"]: row["n"] for row in rows}
        if dry_run:
            return RetentionResult(months, cutoff, per_period, dry_run)
        erased = expired.update(**PERSONAL_FIELDS)
        history = getattr(Response, "history", None)
        if history is not None:  # django-simple-history keeps copies of old values
            history.model.objects.filter(period_id__in=period_ids).update(**PERSONAL_FIELDS)
        RetentionRun.objects.create(
            actor=actor[:150],
            months=months,
            cutoff=cutoff,
            periods=", ".join(f"{code} ({n})" for code, n in per_period.items()),
            responses=erased,
        )
    logger.info("retention: %s erased saran/profile of %d responses (cutoff %s)", actor, erased, cutoff)
    return RetentionResult(months, cutoff, per_period, dry_run)
