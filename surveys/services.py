"""Writes for the surveys app."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any, Literal, cast

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    ProgrammingError,
    connection,
    connections,
    transaction,
)
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from skm.rules.instrument import InstrumentError
from skm.rules.periods import parse_period_code
from skm.rules.privacy import min_age, retention_cutoff
from skm.rules.rounds import CollectionRefusal

from .answers import SKM_CODE, instrument_get, scores_json, scores_pack, scores_unpack, scores_with
from .extra import definitions
from .importing import (
    MAX_ERRORS,
    MAX_WARNINGS,
    ImportFileError,
    ParsedRow,
    RowError,
    answer_columns_for,
    file_sha256,
    iter_parsed,
)
from .instruments import error_message
from .models import (
    ExtraQuestion,
    ImportBatch,
    ImportJob,
    Period,
    Response,
    RetentionRun,
    Service,
    SurveyRound,
    Unit,
)
from .services_rounds import (
    RoundNotOpen,
    round_ensure_collecting,
    round_ensure_writable,
    round_lock_for_write,
    round_open,
    round_refusal_message,
)
from .services_standings import stale_mark_sql
from .services_tallies import (
    TallyCounter,
    profile_aggregate_sql,
    profile_apply_query,
    profile_of,
    profile_upsert_tail,
    response_state,
    tally_aggregate_sql,
    tally_apply,
    tally_apply_query,
    tally_upsert_tail,
)
from .throttle import throttle_cleanup, throttle_hit, throttle_upsert_sql, throttle_window
from .translatable import gettext as _
from .translatable import to_data

IMPORT_BATCH_SIZE = 2000
logger = logging.getLogger(__name__)


@transaction.atomic
def period_get_or_create(*, code: str) -> tuple[Period, bool]:
    """Create a period from its code; dates follow the code grammar."""
    spec = parse_period_code(code)
    return Period.objects.get_or_create(
        code=spec.code, defaults={"kind": spec.kind, "start_date": spec.start, "end_date": spec.end}
    )


@transaction.atomic
def period_create(*, code: str, user) -> Period:
    """A new period (the calendar only); kind and dates follow from the code grammar."""
    spec = parse_period_code(code)
    if Period.objects.filter(code=spec.code).exists():
        raise ValidationError(_("Periode %(code)s sudah ada.") % {"code": spec.code}, code="exists")
    period = Period(code=spec.code, kind=spec.kind, start_date=spec.start, end_date=spec.end)
    period.full_clean()
    _attribute(period, user=user)
    period.save()
    logger.info("period created code=%s user=%s", period.code, getattr(user, "pk", None))
    return period


class RateLimited(Exception):
    """The client sent too many submissions in the current window."""


class DuplicateSubmission(Exception):
    """The one-time form token was already used: nothing new is stored."""


def _ensure_open(response: Response | ImportBatch) -> None:
    """Staff changes to an existing row need its round open (row locked)."""
    round_ensure_writable(unit=response.unit, period=response.period)


def _ensure_age_allowed(unit: Unit, age: int | None, *, consent: bool | None) -> None:
    """UU 27/2022: adults only unless the unit accepts minors with a guardian's consent
    (``consent=None``: paper channels, where the signed paper form carries it)."""
    from .forms import age_rule_error

    error = age_rule_error(age, allow_minors=unit.allow_minors, consent=consent)
    if error:
        raise ValidationError(error)


def _answer_fields(
    answers: Mapping[str, int | None] | Iterable[int | None],
    instrument: str = SKM_CODE,
    more: Mapping[str, Mapping[str, int | None]] | None = None,
) -> dict[str, dict[str, list[int | None]]]:
    """The ``scores`` of a new row: one instrument's answers (the SKM's by default)
    and ``more`` instruments' ({instrument code: {item code: score or None}})."""
    scores = {instrument: scores_pack(answers=answers, instrument=instrument)}
    for code, values in (more or {}).items():
        scores[code] = scores_pack(answers=values, instrument=code)
    return {"scores": scores}


def _create_web_row(**values) -> Response:
    """Insert a web answer without an audit record: the row itself carries its
    time and token, and the hot path stays one INSERT. Later changes to it
    (a delete, a restore) are recorded."""
    response = Response(**values)
    _skip_history(response)
    response.save(force_insert=True)
    _skip_history(response, False)
    _tally_add(response)
    return response


def _tally_add(response: Response, sign: int = 1) -> None:
    tally_apply(changes=[(*response_state(response), sign)])


def response_create_web(
    *,
    unit: Unit,
    period: Period,
    service: Service | None,
    client_token: uuid.UUID,
    answers: dict[str, int | None],
    more: Mapping[str, Mapping[str, int | None]] | None = None,
    gender: str = "",
    age: int | None = None,
    education: str = "",
    occupation: str = "",
    disability: str = "",
    guardian_consent: bool = False,
    suggestion: str = "",
    extra: dict | None = None,
    throttle_key: str | None = None,
    round: SurveyRound | None = None,
    created_by=None,
) -> Response:
    """Store one questionnaire; a reused token raises DuplicateSubmission.

    The unique client_token makes a replayed POST (double click, back button,
    a script) fail in the database itself, so no duplicate can slip through
    even across gunicorn workers. With ``throttle_key`` the rate-limit count
    and the insert share one transaction (one commit per submission).
    ``round`` is the unit's round as the questionnaire already read it (else
    it is read here); it must be open and today inside the period (a close
    racing a submission may let that one answer in: a close waits for no web
    insert)."""
    if round is None:
        round = SurveyRound.objects.filter(unit=unit, period=period).first()
    round_ensure_collecting(round=round, unit=unit, period=period, public=True)
    _ensure_age_allowed(unit, age, consent=guardian_consent)
    values = {
        "unit": unit,
        "period": period,
        "service": service,
        "channel": Response.Channel.WEB,
        "gender": gender,
        "age": age,
        "education": education,
        "occupation": occupation,
        "disability": disability,
        "guardian_consent": guardian_consent,
        "suggestion": suggestion.strip(),
        "extra": dict(extra or {}),
        "submitted_at": timezone.now(),
        "service_date": timezone.localdate(),
        "client_token": client_token,
        # The API's token user (skm.api): who submitted it; None for the public form.
        "created_by": created_by,
        **_answer_fields(answers, more=more),
    }
    if connection.vendor == "postgresql":
        assert round is not None  # round_ensure_collecting refused a missing round
        return _insert_web_row_one_statement(Response(**values), round=round, throttle_key=throttle_key)
    try:
        with transaction.atomic():
            # The count is committed even when the limit is exceeded.
            if throttle_key is None or throttle_hit(key=throttle_key):
                return _create_web_row(**values)
    except IntegrityError as exc:
        # No savepoint on the hot path: the whole transaction rolls back.
        if Response.all_objects.filter(client_token=client_token).exists():
            raise DuplicateSubmission from exc
        raise
    raise RateLimited


def _web_insert_sql(*, throttled: bool) -> tuple[str, list[str]]:
    """One statement for a web answer (PostgreSQL): the throttle upsert, the
    INSERT (only while the limit holds and the round is still open in the
    database), the tally and profile upserts fed by the inserted row and the
    league table's stale mark, as data-modifying CTEs. Returns the SQL and the inserted column names (in parameter order)."""
    fields = [f for f in Response._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    qn = connection.ops.quote_name
    values = ", ".join(f"%s::{f.cast_db_type(connection)}" for f in fields)  # type: ignore[attr-defined]
    round_table = qn(SurveyRound._meta.db_table)
    if throttled:
        head = f"WITH t AS ({throttle_upsert_sql()}), "
        source, gate, count = "FROM t WHERE t.count <= %s AND", "", "(SELECT count FROM t)"
    else:
        head, source, gate, count = "WITH ", "WHERE", "", "0"
    sql = (
        f"{head}r AS (INSERT INTO {qn(Response._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"SELECT {values} {source} EXISTS (SELECT 1 FROM {round_table} WHERE id = %s AND status = %s){gate} "
        f"RETURNING id, unit_id, period_id, service_id, scores, gender, age, education, occupation, disability), "
        f"g AS ({tally_aggregate_sql(source='r')[0]} {tally_upsert_tail()}), "
        f"p AS ({profile_aggregate_sql(source='r')[0]} {profile_upsert_tail()}), "
        f"l AS ({stale_mark_sql(source='r')}) "
        f"SELECT {count}, (SELECT id FROM r)"
    )
    return sql, [f.attname for f in fields]


# Per throttling: the statement, its row fields, and its function's name, CREATE and call.
_WEB_SQL: dict[bool, tuple[str, list[Any], str, str, str]] = {}


def _prepared_cursor():
    """A Django cursor (query logging and execute wrappers included) whose
    ``execute`` runs a server-side prepared statement (PostgreSQL, psycopg 3).

    Django binds parameters on the client: the server would receive the web
    insert (~7 000 characters, 34 literals, three data-modifying CTEs) as new
    text on every POST and parse, analyse and plan it each time, ~3 ms of
    database CPU on the 2-core machine against ~1 ms for the bare ORM INSERT
    (bench/README.md). Prepared once per database connection, each POST only
    binds its values. Only this statement is prepared; everything else keeps
    Django's client-side binding (``SKM_PREPARED_WEB_INSERT=False`` turns this
    off too, e.g. behind a transaction-pooling PgBouncer older than 1.21)."""
    if not _PREPARING_CURSOR:
        # psycopg 3's server-side binding cursor with Django's callproc (not in django-stubs).
        from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

        class PreparingCursor(ServerBindingCursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                return super().execute(query, params, prepare=True, binary=binary)

            def _send_query_prepared(self, name, pgq, **kwargs):
                # psycopg keeps the query text only for unprepared statements; Django's
                # query log (last_executed_query: DEBUG, CaptureQueriesContext) reads it.
                self._query = pgq
                return super()._send_query_prepared(name, pgq, **kwargs)

        _PREPARING_CURSOR.append(PreparingCursor)
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    pg = connection.connection
    if pg.prepare_threshold is None:
        # Django turns psycopg's prepared statements off (None) for connection
        # poolers; psycopg then ignores prepare=True. Django's own cursors bind on
        # the client and never prepare, so a threshold no query reaches only lets
        # this cursor's explicit prepare=True through.
        pg.prepare_threshold = 2**31
    with connection.wrap_database_errors:
        # What connection.cursor() does with its own cursor: the query-log or plain wrapper.
        return connection._prepare_cursor(_PREPARING_CURSOR[0](pg))  # type: ignore[attr-defined]


_PREPARING_CURSOR: list[type] = []


def _web_function_sql(sql: str, types: list[str]) -> tuple[str, str]:
    """The web insert as a PL/pgSQL function: its name and CREATE statement.

    Behind a transaction-pooling PgBouncer (1.18 keeps no prepared statement
    across transactions) the statement would be parsed and planned on every
    POST. PL/pgSQL prepares the static query of a function once per server
    connection and keeps its plan, and the pooler keeps those connections, so
    each POST sends a short call instead. The name carries a hash of the
    definition: a changed statement is a new function, never a stale one."""
    body, n = sql, 0
    while "%s" in body:
        n += 1
        body = body.replace("%s", f"${n}", 1)
    args = ", ".join(types)
    digest = hashlib.sha256(f"{args}|{body}".encode()).hexdigest()[:16]
    name = f"skm_web_insert_{digest}"
    create = (
        f"CREATE OR REPLACE FUNCTION {name}({args}) RETURNS TABLE (o_count integer, o_id bigint) "
        f"LANGUAGE plpgsql AS $skm$ BEGIN RETURN QUERY {body}; END $skm$"
    )
    return name, create


_WEB_FUNCTIONS: dict[str, bool] = {}  # name -> installed, per process


def _web_function_ready(name: str, create: str) -> bool:
    """Whether the function exists, installing it on first use (idempotent; a
    concurrent install by another process is harmless). False: use the plain
    statement."""
    if _WEB_FUNCTIONS.get(name):
        return True
    try:
        guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
        with guard, connection.cursor() as cursor:
            cursor.execute("SELECT to_regproc(%s) IS NOT NULL", [name])
            if not cursor.fetchone()[0]:
                cursor.execute(create)
    except DatabaseError:
        logger.warning("web insert function %s not installed; using the plain statement", name, exc_info=True)
        return False
    _WEB_FUNCTIONS[name] = True
    return True


def _insert_web_row_one_statement(row: Response, *, round: SurveyRound, throttle_key: str | None) -> Response:
    """Store a web answer in one round trip (autocommit) on PostgreSQL: the
    throttle count, the row and its tally change in one statement, so they
    commit together or not at all. Raises RateLimited, RoundNotOpen (closed
    meanwhile) or DuplicateSubmission (token reused)."""
    window = throttle_window() if throttle_key is not None else None
    throttled = window is not None
    if throttled not in _WEB_SQL:
        sql, attnames = _web_insert_sql(throttled=throttled)
        fields_of = [Response._meta.get_field(a) for a in attnames]
        # The parameters' types, in order: throttle key and window, the row, the limit, the round.
        types = (
            (["varchar", "timestamptz"] if throttled else [])
            + [cast(Any, f).cast_db_type(connection) for f in fields_of]
            + (["integer"] if throttled else [])
            + ["bigint", "varchar"]
        )
        name, create = _web_function_sql(sql, types)
        call = f"SELECT * FROM {name}({', '.join(f'%s::{t}' for t in types)})"
        _WEB_SQL[throttled] = (sql, fields_of, name, create, call)
    sql, fields, function_name, function_create, function_call = _WEB_SQL[throttled]
    params: list = [throttle_key, window[0]] if window is not None else []
    params += [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
    if window is not None:
        params.append(window[1])
    params += [round.pk, SurveyRound.Status.OPEN.value]
    # Inside a transaction (tests, callers' atomic blocks) a savepoint keeps a
    # duplicate token from breaking it; on the request path it is autocommit.
    new_cursor = _prepared_cursor if settings.SKM_PREPARED_WEB_INSERT else connection.cursor

    def run(statement: str) -> tuple:
        guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
        with guard, new_cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchone()

    as_function = not settings.SKM_PREPARED_WEB_INSERT and settings.SKM_WEB_INSERT_FUNCTION
    try:
        if as_function and _web_function_ready(function_name, function_create):
            try:
                count, pk = run(function_call)
            except ProgrammingError as exc:
                if getattr(exc.__cause__, "sqlstate", None) != "42883":  # undefined_function
                    raise
                # Dropped, or rolled back with the transaction that installed it: once more.
                _WEB_FUNCTIONS.pop(function_name, None)
                count, pk = run(function_call if _web_function_ready(function_name, function_create) else sql)
        else:
            count, pk = run(sql)
    except IntegrityError as exc:
        if Response.all_objects.filter(client_token=row.client_token).exists():
            raise DuplicateSubmission from exc
        raise
    if window is not None:
        throttle_cleanup(start=window[0])
    if pk is None:
        if window is not None and count > window[1]:
            raise RateLimited
        fresh = SurveyRound.objects.filter(pk=round.pk).select_related("unit", "period").first()
        round_ensure_collecting(round=fresh, unit=row.unit, period=row.period, public=True)
        # Reopened again meanwhile: still, this answer was not stored.
        refusal = CollectionRefusal.NOT_OPEN
        message = round_refusal_message(refusal=refusal, unit=row.unit, period=row.period)
        raise RoundNotOpen(message, code=refusal.value)
    row.pk = pk
    row._state.adding = False
    row._state.db = DEFAULT_DB_ALIAS
    return row


class DuplicateNumber(ValidationError):
    """A paper questionnaire number already used in the round; saving it again
    needs the staff's explicit confirmation (``allow_duplicate_number``)."""


def _paper_numbers(*, unit: Unit, period: Period):
    return Response.objects.filter(unit=unit, period=period, channel=Response.Channel.PAPER)


def _check_paper_number(*, unit: Unit, period: Period, number: int, exclude_pk: int | None = None) -> None:
    taken = _paper_numbers(unit=unit, period=period).filter(number=number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DuplicateNumber(
            _("Nomor kuesioner %(n)s sudah dipakai pada periode ini. Simpan lagi untuk tetap memakainya.")
            % {"n": number},
            code="duplicate_number",
        )


def _check_service(*, unit: Unit, service: Service | None) -> None:
    if service is not None and service.unit_id != unit.id:
        raise ValidationError(_("Jenis layanan bukan milik unit ini."))


@transaction.atomic
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
    allow_duplicate_number: bool = False,
    extra: dict | None = None,
    more: Mapping[str, Mapping[str, int | None]] | None = None,
) -> Response:
    """One paper questionnaire typed in by unit staff; blanks stay NULL.
    ``more``: the answers to the round's other instruments (SPKP, SPAK).

    Without a number the next free one is taken (under a lock). A number that
    is already used in the round raises DuplicateNumber unless
    ``allow_duplicate_number`` (the staff confirmed it)."""
    # The round row lock serialises paper numbers: two staff saving at once
    # cannot take the same automatic number (SQLite serialises writers itself).
    round_ensure_writable(unit=unit, period=period)
    _ensure_age_allowed(unit, age, consent=None)
    _check_service(unit=unit, service=service)
    if number is None:
        last = _paper_numbers(unit=unit, period=period).order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    elif not allow_duplicate_number:
        _check_paper_number(unit=unit, period=period, number=number)
    response = Response(
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
        extra=dict(extra or {}),
        submitted_at=timezone.now(),
        service_date=service_date,
        created_by=user,
        **_answer_fields(answers, more=more),
    )
    _attribute(response, user=user)
    response.save()
    _tally_add(response)
    return response


def response_delete_paper(*, response: Response, user=None, reason: str = "") -> None:
    """Staff remove a mistyped paper row while the period is open (a soft delete)."""
    if response.channel != Response.Channel.PAPER:
        raise ValidationError(_("Hanya jawaban entri kertas yang dapat dihapus di sini."))
    response_delete(response=response, user=user, reason=reason)


# --- managing responses (staff) ---------------------------------------------

REASON_MAX_LENGTH = 500
RESPONSE_EDITABLE_FIELDS = (
    "service",
    "number",
    "gender",
    "age",
    "education",
    "occupation",
    "disability",
    "suggestion",
    "service_date",
    "extra",
    "answers",  # {item code: score or None} of the SKM, the ones to change
)


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(_("Alasan wajib diisi."), code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Alasan paling banyak %(n)d karakter.") % {"n": REASON_MAX_LENGTH}, code="reason_too_long"
        )
    return reason


def _attribute(instance, *, user, reason: str | None = None) -> None:
    """Tell django-simple-history who makes the next save of ``instance`` and why."""
    instance.__dict__["_history_user"] = user
    instance.__dict__["_change_reason"] = reason


def _skip_history(instance, skip: bool = True) -> None:
    """Save ``instance`` without an audit record (django-simple-history's per-instance switch)."""
    if skip:
        instance.__dict__["skip_history_when_saving"] = True
    else:
        instance.__dict__.pop("skip_history_when_saving", None)


def _ensure_baseline(response: Response) -> None:
    """Rows written without an audit record (web answers, COPY imports, bulk loads)
    get one with their state before the first change, dated when the row was
    written, so the trail shows that change's "before"."""
    if response.history.exists():
        return
    batch = response.import_batch
    written = batch.created_at if batch is not None else response.submitted_at
    Response.history.bulk_history_create([response], default_user=response.created_by, default_date=written)


def _save_with_history(instance, *, user, reason: str, update_fields: list[str]) -> None:
    _attribute(instance, user=user, reason=reason or None)
    instance.save(update_fields=update_fields)


@transaction.atomic
def response_update(
    *, response: Response, user, reason: str = "", allow_duplicate_number: bool = False, **changes
) -> Response:
    """Correct a paper or imported row (never a respondent's own web answer).

    ``changes`` holds any of RESPONSE_EDITABLE_FIELDS (``answers``: the SKM's
    items to change, {item code: score or None}).
    The row is re-read under a lock; the audit trail records the user, the
    before/after values and the optional reason."""
    locked = Response.all_objects.select_for_update(of=("self",)).select_related("unit", "period").get(pk=response.pk)
    _ensure_open(locked)
    if locked.is_deleted:
        raise ValidationError(_("Jawaban ini sudah dihapus; pulihkan dahulu sebelum mengubahnya."))
    if not locked.is_editable_channel:
        raise ValidationError(_("Jawaban dari kuesioner web tidak dapat diubah; hanya dapat dihapus."))
    unknown = set(changes) - set(RESPONSE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "answers" in changes:
        answers = {**locked.answers(), **changes.pop("answers")}
        changes["scores"] = scores_with(scores=locked.scores, answers=answers)
    if all(value is None for value in scores_unpack(scores=changes.get("scores", locked.scores)).values()):
        raise ValidationError(_("Isi minimal satu jawaban U1-U9."))
    service = changes.get("service", locked.service)
    _check_service(unit=locked.unit, service=service)
    if changes.get("age", locked.age) != locked.age:
        _ensure_age_allowed(locked.unit, changes["age"], consent=None)
    number = changes.get("number", locked.number)
    if (
        locked.channel == Response.Channel.PAPER
        and number is not None
        and number != locked.number
        and not allow_duplicate_number
    ):
        _check_paper_number(unit=locked.unit, period=locked.period, number=number, exclude_pk=locked.pk)
    if "suggestion" in changes:
        changes["suggestion"] = (changes["suggestion"] or "").strip()
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    _ensure_baseline(locked)
    before = response_state(locked)
    for name in changed:
        setattr(locked, name, changes[name])
    _save_with_history(locked, user=user, reason=_clean_reason(reason, required=False), update_fields=changed)
    after = response_state(locked)
    if before != after:
        tally_apply(changes=[(*before, -1), (*after, 1)])
    return locked


@transaction.atomic
def response_delete(*, response: Response, user, reason: str) -> Response:
    """Soft-delete any row (web, paper, import) with a required reason. The row
    leaves every result at once and can be restored with response_restore."""
    reason = _clean_reason(reason, required=True)
    locked = Response.all_objects.select_for_update(of=("self",)).select_related("unit", "period").get(pk=response.pk)
    _ensure_open(locked)
    if locked.is_deleted:
        return locked
    _ensure_baseline(locked)
    locked.deleted_at = timezone.now()
    locked.deleted_by = user if getattr(user, "is_authenticated", False) else None
    locked.delete_reason = reason
    _save_with_history(locked, user=user, reason=reason, update_fields=["deleted_at", "deleted_by", "delete_reason"])
    _tally_add(locked, -1)
    return locked


@transaction.atomic
def response_restore(*, response: Response, user, reason: str = "") -> Response:
    """Bring a soft-deleted row back into the results."""
    locked = (
        Response.all_objects.select_for_update(of=("self",))
        .select_related("unit", "period", "import_batch")
        .get(pk=response.pk)
    )
    _ensure_open(locked)
    if not locked.is_deleted:
        return locked
    if locked.import_batch is not None and locked.import_batch.undone_at is not None:
        raise ValidationError(_("Impor asal jawaban ini sudah dibatalkan; pulihkan impornya."))
    _ensure_baseline(locked)
    locked.deleted_at = None
    locked.deleted_by = None
    locked.delete_reason = ""
    _save_with_history(
        locked,
        user=user,
        reason=_clean_reason(reason, required=False) or _("Dipulihkan"),
        update_fields=["deleted_at", "deleted_by", "delete_reason"],
    )
    _tally_add(locked)
    return locked


@transaction.atomic
def import_batch_undo(*, batch: ImportBatch, user, reason: str) -> int:
    """Undo a whole import: soft-delete every row of the batch still in the
    results, with the reason. One audit record on the batch (who, when, why,
    how many rows) rather than one per row, so undoing 100 000 rows stays one
    UPDATE. Restorable with import_batch_restore. Returns the rows removed."""
    reason = _clean_reason(reason, required=True)
    locked = ImportBatch.objects.select_for_update(of=("self",)).select_related("unit", "period").get(pk=batch.pk)
    _ensure_open(locked)
    if locked.undone_at is not None:
        raise ValidationError(_("Impor ini sudah dibatalkan."))
    now = timezone.now()
    tally_apply_query(where="import_batch_id = %s AND deleted_at IS NULL", params=[locked.pk], sign=-1)
    removed = Response.objects.filter(import_batch=locked).update(
        deleted_at=now,
        deleted_by=user if getattr(user, "is_authenticated", False) else None,
        delete_reason=reason,
    )
    locked.undone_at = now
    locked.undone_by = user if getattr(user, "is_authenticated", False) else None
    locked.undo_reason = reason
    _save_with_history(locked, user=user, reason=reason, update_fields=["undone_at", "undone_by", "undo_reason"])
    return removed


@transaction.atomic
def import_batch_restore(*, batch: ImportBatch, user, reason: str = "") -> int:
    """Bring back the rows an undo removed (rows deleted one by one before the
    undo stay deleted). Refused while another live import of the same file
    exists for the round, which would count the respondents twice."""
    locked = ImportBatch.objects.select_for_update(of=("self",)).select_related("unit", "period").get(pk=batch.pk)
    _ensure_open(locked)
    if locked.undone_at is None:
        raise ValidationError(_("Impor ini tidak dalam keadaan dibatalkan."))
    twin = (
        ImportBatch.objects.filter(unit_id=locked.unit_id, period_id=locked.period_id, sha256=locked.sha256)
        .exclude(pk=locked.pk)
        .filter(undone_at__isnull=True)
    )
    if twin.exists():
        raise ValidationError(_("Berkas yang sama sudah diimpor ulang; batalkan impor itu dahulu."))
    tally_apply_query(
        where="import_batch_id = %s AND deleted_at = %s",
        params=[locked.pk, connection.ops.adapt_datetimefield_value(locked.undone_at)],
        sign=1,
    )
    restored = Response.all_objects.filter(import_batch=locked, deleted_at=locked.undone_at).update(
        deleted_at=None, deleted_by=None, delete_reason=""
    )
    locked.undone_at = None
    locked.undone_by = None
    locked.undo_reason = ""
    try:
        with transaction.atomic():
            _save_with_history(
                locked,
                user=user,
                reason=_clean_reason(reason, required=False) or _("Dipulihkan"),
                update_fields=["undone_at", "undone_by", "undo_reason"],
            )
    except IntegrityError:  # a live import of the same file committed meanwhile
        raise ValidationError(_("Berkas yang sama sudah diimpor ulang; batalkan impor itu dahulu.")) from None
    return restored


# --- import ------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    batch: ImportBatch
    created_unit: bool = False
    created_period: bool = False
    created_services: tuple[str, ...] = ()
    # Rows imported with a change worth knowing (e.g. a saran shortened).
    warnings: tuple[str, ...] = ()


def _resolve_target(
    *, unit_code: str, period_code: str, create: bool, unit_name: str = ""
) -> tuple[Unit, Period, bool, bool]:
    errors: list[str] = []
    unit = Unit.objects.filter(code=unit_code).first()
    created_unit = created_period = False
    if unit is None and not create:
        errors.append(_("unit '%(code)s' tidak ditemukan") % {"code": unit_code})
    try:
        spec = parse_period_code(period_code)
    except ValueError as exc:
        errors.append(str(exc))
        spec = None
    period = Period.objects.filter(code=spec.code).first() if spec else None
    if spec and period is None and not create:
        errors.append(_("periode '%(code)s' tidak ditemukan") % {"code": spec.code})
    if errors:
        raise ImportFileError(errors, hints=frozenset({ImportFileError.HINT_CREATE}))
    if unit is None:
        unit = Unit.objects.create(code=unit_code, name=unit_name or unit_code)
        created_unit = True
    if period is None:
        assert spec is not None  # a missing period code was reported above
        period, created_period = period_get_or_create(code=spec.code)
    return unit, period, created_unit, created_period


def _duplicate_error(*, unit: Unit, period: Period, previous: ImportBatch | None) -> ImportFileError:
    if previous is None:  # the other import has not committed yet
        return ImportFileError(
            [
                _(
                    "berkas yang sama persis sedang diimpor untuk %(unit)s periode %(period)s; "
                    "tunggu sampai selesai, lalu periksa riwayat impor"
                )
                % {"unit": unit.name, "period": period.code}
            ]
        )
    when = timezone.localtime(previous.created_at).strftime("%d/%m/%Y %H:%M")
    return ImportFileError(
        [
            _(
                "berkas yang sama persis sudah diimpor untuk %(unit)s periode %(period)s "
                "pada %(when)s ('%(filename)s', %(rows)s baris)"
            )
            % {
                "unit": unit.name,
                "period": period.code,
                "when": when,
                "filename": previous.filename,
                "rows": previous.rows,
            }
        ],
        hints=frozenset({ImportFileError.HINT_FORCE}),
    )


def _batch_create(*, unit: Unit, period: Period, filename: str, sha: str, force: bool, user) -> ImportBatch:
    """The batch row, created first: for an unforced batch the partial unique
    constraint on (unit, period, sha256) makes a concurrent import of the same
    file wait for this transaction, then fail here (nothing of it is written)."""
    live = ImportBatch.objects.filter(unit=unit, period=period, sha256=sha, undone_at__isnull=True)
    if not force:
        previous = live.first()
        if previous is not None:
            raise _duplicate_error(unit=unit, period=period, previous=previous)
    batch = ImportBatch(
        unit=unit, period=period, filename=filename[:255], sha256=sha, rows=0, created_by=user, forced=force
    )
    _skip_history(batch)  # one "+" record with the final row count, written by the caller
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        raise _duplicate_error(unit=unit, period=period, previous=live.first()) from None
    return batch


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
    progress: Callable[[float], None] | None = None,
    instrument: str = SKM_CODE,
) -> ImportResult:
    """Import a CSV/XLSX of respondents, all or nothing.

    Either pass unit/period objects (web UI) or codes (command; ``create``
    makes a missing unit, period and jenis layanan). Raises ImportFileError
    listing every problem (row and column, Indonesian); then nothing is saved.
    The file is streamed and written with COPY in batches inside one
    transaction, so memory stays flat for 100 000 rows. ``progress`` receives
    the fraction of the file read (the import job's progress bar)."""
    if create_services is None:
        create_services = create
    try:
        answer_columns = answer_columns_for(instrument)
    except InstrumentError as exc:
        raise ImportFileError([error_message(exc)]) from None
    sha = file_sha256(fh)
    with transaction.atomic():
        created_unit = created_period = False
        if unit is None or period is None:
            unit, period, created_unit, created_period = _resolve_target(
                unit_code=unit_code, period_code=period_code, create=create
            )
        rnd = round_lock_for_write(unit=unit, period=period)
        if rnd is None and create:
            # ``create`` also opens the unit's round when it has none yet (a
            # closed or published round is never reopened silently).
            round_open(unit=unit, period=period, user=user, instruments=[answer_columns.instrument])
            rnd = round_lock_for_write(unit=unit, period=period)
        if rnd is None or not rnd.is_open:
            raise ImportFileError(
                [
                    _("survei %(unit)s periode %(code)s (%(label)s) tidak sedang dibuka; impor ditolak")
                    % {"unit": unit.name, "code": period.code, "label": period.label}
                ],
                hints=frozenset({ImportFileError.HINT_OPEN_ROUND}),
            )
        if answer_columns.instrument not in rnd.instrument_codes:
            raise ImportFileError(
                [
                    _(
                        "instrumen %(code)s tidak ditanyakan pada putaran %(unit)s periode %(period)s (instrumen: %(codes)s)"
                    )
                    % {
                        "code": answer_columns.instrument,
                        "unit": unit.name,
                        "period": period.code,
                        "codes": ", ".join(rnd.instrument_codes),
                    }
                ]
            )
        batch = _batch_create(unit=unit, period=period, filename=filename, sha=sha, force=force, user=user)
        writer = _ImportWriter(
            unit=unit,
            period=period,
            batch=batch,
            user=user,
            create_services=create_services,
            instrument=answer_columns.instrument,
        )
        items = iter_parsed(
            fh,
            period_start=period.start_date,
            period_end=period.end_date,
            min_age=min_age(allow_minors=unit.allow_minors),
            progress=progress,
            extra=definitions(ExtraQuestion.objects.filter(unit=unit, active=True).order_by("order", "id")),
            answer_columns=answer_columns,
        )
        for item in items:
            if not writer.take(item):
                break
        if writer.errors:
            transaction.set_rollback(True)
            raise ImportFileError(writer.errors, hints=writer.hints)
        writer.flush()
        # The tallies of the rows just written, counted while they were read (one upsert).
        writer.tally.apply(unit_id=unit.pk, period_id=period.pk)
        batch.rows = writer.count
        batch.save(update_fields=["rows"])
        _skip_history(batch, False)
        _attribute(batch, user=user)
        ImportBatch.history.bulk_history_create([batch], default_user=user)
    return ImportResult(
        batch, created_unit, created_period, tuple(writer.created_services), tuple(writer.warning_list())
    )


# What the web import page advises, naming its own tick boxes (stored as msgids,
# translated on display); the command says --create / --force instead.
WEB_IMPORT_HINTS = {
    ImportFileError.HINT_CREATE: gettext_noop(
        "Centang \"Buat jenis layanan baru bila nama di kolom 'layanan' belum terdaftar\" lalu unggah ulang, "
        "atau perbaiki nama jenis layanan di berkas."
    ),
    ImportFileError.HINT_FORCE: gettext_noop(
        'Bila impor ulang memang disengaja, centang "Impor ulang meskipun berkas yang sama sudah pernah '
        'diimpor" lalu unggah ulang.'
    ),
    ImportFileError.HINT_OPEN_ROUND: gettext_noop(
        'Buka putaran survei periode ini dahulu (halaman "Putaran survei", tombol "Buka putaran"), lalu unggah ulang.'
    ),
}


def web_import_hints(exc: ImportFileError) -> list[str]:
    return [WEB_IMPORT_HINTS[hint] for hint in sorted(exc.hints)]


class _ImportWriter:
    """Collects errors and warnings of the parsed rows and buffers the good ones
    (writing stops at the first error; checking goes on up to MAX_ERRORS)."""

    def __init__(self, *, unit: Unit, period: Period, batch: ImportBatch, user, create_services: bool, instrument: str):
        self.unit, self.period, self.batch, self.user = unit, period, batch, user
        self.instrument = instrument
        self.tally = TallyCounter(instrument=instrument, items=len(instrument_get(instrument).items))
        self.create_services = create_services
        self.services = {s.name.strip().lower(): s for s in Service.objects.filter(unit=unit)}
        self.created_services: list[str] = []
        self.errors: list[str] = []
        self.hints: frozenset[str] = frozenset()
        self.warnings: list[str] = []
        self.more_warnings = 0
        self.rows = _ResponseWriter()
        self.count = 0
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()

    def take(self, item: ParsedRow | list[RowError]) -> bool:
        """Handle one parsed row; False once there are too many errors to go on."""
        if isinstance(item, list):
            self.errors.extend(str(e) for e in item)
            if len(self.errors) >= MAX_ERRORS:
                self.errors.append(_("pemeriksaan dihentikan setelah %(count)s kesalahan") % {"count": MAX_ERRORS})
                return False
            return True
        service = self._service(item)
        if service is False or self.errors:
            return True  # keep checking, stop writing
        for note in item.notes:
            if len(self.warnings) < MAX_WARNINGS:
                self.warnings.append(note)
            else:
                self.more_warnings += 1
        self.count += 1
        self.tally.add(service_id=service.pk if service else None, scores=item.answers, profile=profile_of(item))
        self.rows.add(
            _row_values(
                item, self.unit, self.period, service, self.batch, self.user, self.now, self.tz, self.instrument
            )
        )
        return True

    def _service(self, item: ParsedRow) -> Service | None | Literal[False]:
        if not item.service_name:
            return None
        key = item.service_name.lower()
        service = self.services.get(key)
        if service is not None:
            return service
        if not self.create_services:
            self.hints = frozenset({ImportFileError.HINT_CREATE})
            self.errors.append(
                str(
                    RowError(
                        item.line,
                        "layanan",
                        _("jenis layanan '%(name)s' tidak dikenal untuk unit %(unit)s")
                        % {"name": item.service_name, "unit": self.unit.code},
                    )
                )
            )
            return False
        service = Service.objects.create(unit=self.unit, name=item.service_name[:200])
        self.services[key] = service
        self.created_services.append(service.name)
        return service

    def flush(self) -> None:
        self.rows.flush()

    def warning_list(self) -> list[str]:
        if self.more_warnings:
            return [*self.warnings, _("dan %(count)s peringatan lain") % {"count": self.more_warnings}]
        return list(self.warnings)


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
    "scores",
    "submitted_at",
    "service_date",
    "import_batch_id",
    "created_by_id",
    "extra",
)


def _row_values(item: ParsedRow, unit, period, service, batch, user, now, tz, instrument: str = SKM_CODE) -> tuple:
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
        {instrument: list(item.answers)},
        submitted,
        item.service_date,
        batch.pk,
        user.pk if user else None,
        item.extra or {},
    )


_SCORES = IMPORT_COLUMNS.index("scores")
assert IMPORT_COLUMNS[-1] == "extra"


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
            with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in self.rows:
                    # The two JSON columns as text: scores (small, written by hand) and extra.
                    copy.write_row(
                        (*row[:_SCORES], scores_json(row[_SCORES]), *row[_SCORES + 1 : -1], json.dumps(row[-1]))
                    )
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
    # The answers to the unit's extra questions may be personal (free text, dates): erased too.
    "extra": {},
}


def _has_personal_data() -> Q:
    q = Q(age__isnull=False) | Q(guardian_consent=True) | ~Q(extra={})
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
    # all_objects: soft-deleted rows keep no personal data past the retention either.
    expired = Response.all_objects.filter(period_id__in=period_ids).filter(_has_personal_data())
    with transaction.atomic():
        rows = expired.values("period__code").annotate(n=Count("id")).order_by("period__code")
        per_period = {row["period__code"]: row["n"] for row in rows}
        if dry_run:
            return RetentionResult(months, cutoff, per_period, dry_run)
        # The profile tallies follow the erased rows ("not filled in" from now on, as
        # a recount gives): their live rows out before, back in after.
        where = f"period_id IN ({', '.join(['%s'] * len(period_ids))}) AND deleted_at IS NULL"
        if period_ids:
            profile_apply_query(where=where, params=period_ids, sign=-1)
        erased = expired.update(**PERSONAL_FIELDS)
        if period_ids:
            profile_apply_query(where=where, params=period_ids, sign=1)
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


# --- import jobs (web upload -> Celery worker) ---------------------------------

# Job messages are stored as Indonesian msgids (gettext_noop) and translated on
# display: the worker has no request language (as reports.ExportJob).
IMPORT_QUEUE_UNAVAILABLE = gettext_noop(
    "Layanan antrean impor sedang tidak tersedia. Silakan unggah ulang beberapa saat lagi."
)
IMPORT_TIMED_OUT = gettext_noop(
    "Impor melewati batas waktu (pekerja berhenti atau macet); tidak ada data yang disimpan. Silakan unggah ulang."
)
IMPORT_SYSTEM_ERROR = gettext_noop(
    "Impor gagal karena kesalahan sistem; tidak ada data yang disimpan. Silakan unggah ulang atau hubungi admin."
)


def import_job_create(
    *,
    user,
    unit: Unit,
    period: Period,
    upload,
    create_services: bool = False,
    force: bool = False,
    instrument: str = SKM_CODE,
) -> ImportJob:
    """Store the upload and queue its import once the transaction commits.

    Returns the job; if the queue is unreachable the job is already failed with
    IMPORT_QUEUE_UNAVAILABLE (callers re-read ``job.status``)."""
    with transaction.atomic():
        job = ImportJob(
            unit=unit,
            period=period,
            filename=(upload.name or "berkas").replace("\x00", "")[:255],
            size=upload.size or 0,
            create_services=create_services,
            force=force,
            instrument=instrument,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            attempt=1,
            message=gettext_noop("Menunggu giliran di antrean"),
        )
        job.upload.save("upload", upload, save=False)
        job.save()
        transaction.on_commit(lambda: import_job_enqueue(job=job))
    job.refresh_from_db()
    return job


def import_job_enqueue(*, job: ImportJob) -> bool:
    """Send the job to Celery; on a broker error fail it instead of raising."""
    from .tasks import run_import_job

    try:
        run_import_job.apply_async(args=[job.pk, job.attempt], retry=False)
    except Exception as exc:  # kombu OperationalError, redis ConnectionError, socket errors
        logger.warning("import job %s: queue unavailable: %s", job.pk, exc)
        _import_job_finish(job.pk, job.attempt, ImportJob.Status.QUEUED, errors=[IMPORT_QUEUE_UNAVAILABLE])
        return False
    return True


class _ProgressWriter:
    """Progress of a running job, written on a second database connection: the
    import itself runs in one long transaction that others cannot see into."""

    def __init__(self, job_id: int, attempt: int):
        self.job_id, self.attempt = job_id, attempt
        # SQLite (the development default) would wait on the import's write lock.
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None
        self.last = -1
        self.sql = (
            f"UPDATE {connection.ops.quote_name(ImportJob._meta.db_table)} SET percent = %s, message = %s "
            "WHERE id = %s AND attempt = %s AND status = %s"
        )

    def __call__(self, fraction: float) -> None:
        percent = max(2, min(95, 2 + int(fraction * 93)))
        if percent == self.last or self.connection is None:
            return
        self.last = percent
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    self.sql,
                    [percent, IMPORT_CHECKING, self.job_id, self.attempt, ImportJob.Status.RUNNING.value],
                )
        except DatabaseError:  # the bar is best effort; the import goes on
            logger.warning("import job %s: progress not written", self.job_id, exc_info=True)
            self.close()
            self.connection = None
        delay = float(getattr(settings, "SKM_IMPORT_STEP_DELAY", 0) or 0)
        if delay:
            time.sleep(delay)  # test hook: a slow job, to watch its progress bar

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


IMPORT_CHECKING = gettext_noop("Memeriksa dan menyimpan baris")


def import_job_run(*, job_id: int, attempt: int) -> str:
    """Run one attempt: queued -> running -> done | failed. Returns the final status.

    Claiming is a conditional UPDATE, so a redelivered or stale message does
    nothing. The import is all or nothing (``import_batch_create``); its row
    and column errors are kept on the job. The stored upload is deleted."""
    claimed = ImportJob.objects.filter(pk=job_id, attempt=attempt, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), percent=1, message=IMPORT_CHECKING
    )
    if not claimed:
        job = ImportJob.objects.filter(pk=job_id).first()
        return job.status if job else "missing"
    job = ImportJob.objects.select_related("unit", "period", "requested_by").get(pk=job_id)
    progress = _ProgressWriter(job_id, attempt)
    try:
        # Stored in Indonesian whoever runs it (an eager run sits in an English request).
        with job.upload.open("rb") as fh, translation.override(settings.LANGUAGE_CODE):
            result = import_batch_create(
                fh=fh,
                filename=job.filename,
                unit=job.unit,
                period=job.period,
                create_services=job.create_services,
                force=job.force,
                user=job.requested_by,
                progress=progress,
                instrument=job.instrument,
            )
    except ImportFileError as exc:
        errors = exc.errors + web_import_hints(exc)
        return _import_job_finish(
            job_id, attempt, ImportJob.Status.RUNNING, errors=errors, error_data=[to_data(e) for e in errors]
        )
    except SoftTimeLimitExceeded:
        return _import_job_finish(job_id, attempt, ImportJob.Status.RUNNING, errors=[IMPORT_TIMED_OUT])
    except Exception:
        logger.exception("import job %s failed", job_id)
        return _import_job_finish(job_id, attempt, ImportJob.Status.RUNNING, errors=[IMPORT_SYSTEM_ERROR])
    finally:
        progress.close()
    return _import_job_finish(
        job_id,
        attempt,
        ImportJob.Status.RUNNING,
        batch=result.batch,
        warnings=list(result.warnings),
        warning_data=[to_data(w) for w in result.warnings],
        created_services=list(result.created_services),
    )


def _import_job_finish(
    job_id: int, attempt: int, current: str, *, errors: list[str] | None = None, batch=None, **fields
) -> str:
    status = ImportJob.Status.FAILED if errors else ImportJob.Status.DONE
    fields.setdefault("error_data", [])  # only messages kept with their msgids are re-rendered
    with transaction.atomic():
        # Locked, so that nobody sees the job finished while its upload still exists;
        # only the attempt that owns the job finishes it and deletes the upload.
        job = ImportJob.objects.select_for_update().filter(pk=job_id, attempt=attempt, status=current).first()
        if job is None:
            return status
        if job.upload:
            job.upload.delete(save=False)
        ImportJob.objects.filter(pk=job_id).update(
            status=status,
            errors=errors or [],
            batch=batch,
            percent=100 if batch else 0,
            message=gettext_noop("Selesai") if batch else gettext_noop("Gagal"),
            finished_at=timezone.now(),
            upload="",
            **fields,
        )
    return status


def import_jobs_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Fail jobs stuck past the time limit (their transaction died with the worker,
    so nothing was saved) and delete their uploads. Run by celery beat."""
    now = now or timezone.now()
    limit = dt.timedelta(seconds=settings.SKM_IMPORT_TIME_LIMIT)
    stuck = list(
        ImportJob.objects.filter(
            Q(status=ImportJob.Status.RUNNING, started_at__lt=now - limit)
            | Q(status=ImportJob.Status.QUEUED, queued_at__lt=now - 2 * limit)
        ).values_list("pk", "attempt", "status")
    )
    for pk, attempt, status in stuck:
        _import_job_finish(pk, attempt, status, errors=[IMPORT_TIMED_OUT])
    return {"stuck": len(stuck)}
