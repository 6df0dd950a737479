"""Reads for managing the responses of a round (unit x period): the staff list
with filters, saran, import batches and the audit trail of the round.

A "round" is one unit in one period; its open/closed state is the period's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from skm.rules.unsur import UNSUR_CODES

from .access import unit_get_for_user
from .answers import answer_lookup, scores_changes
from .models import ImportBatch, Period, Response, Service, SurveyRound, Unit, UnitRole, UnsurWording
from .selectors import period_get


@dataclass(frozen=True)
class Round:
    unit: Unit
    period: Period
    can_write: bool
    survey_round: SurveyRound | None = None

    @property
    def is_open(self) -> bool:
        return self.survey_round is not None and self.survey_round.is_open

    @property
    def other_instruments(self) -> tuple:
        """The round's instruments besides the SKM (none without a round)."""
        return self.survey_round.other_instruments if self.survey_round is not None else ()

    @property
    def can_change(self) -> bool:
        """The user may write to the unit and the unit's round still accepts changes."""
        return self.can_write and self.is_open


def round_get_for_user(*, user, unit_code: str, period_code: str) -> Round:
    """The round, 404 for an unknown unit or period, 403 for a unit the user cannot read."""
    unit, can_write = unit_get_for_user(user=user, code=unit_code)
    period = period_get(code=period_code)
    return Round(unit, period, can_write, SurveyRound.objects.filter(unit=unit, period=period).first())


# --- responses ----------------------------------------------------------------


@dataclass(frozen=True)
class ResponseFilters:
    """The list's filters, parsed leniently from the query string (bad values are ignored)."""

    channel: str = ""
    service_id: int | None = None
    no_service: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unsur: str = ""
    unsur_state: str = ""  # "terisi" (answered) or "kosong" (blank)
    search: str = ""
    deleted: bool = False

    @classmethod
    def from_query(cls, query) -> ResponseFilters:
        channel = query.get("kanal", "")
        service = query.get("layanan", "")
        unsur = query.get("unsur", "").upper()
        state = query.get("isi", "")
        return cls(
            channel=channel if channel in Response.Channel.values else "",
            service_id=int(service) if service.isdigit() else None,
            no_service=service == "tanpa",
            date_from=_parse_date(query.get("dari", "")),
            date_to=_parse_date(query.get("sampai", "")),
            unsur=unsur if unsur in UNSUR_CODES else "",
            unsur_state=state if state in ("terisi", "kosong") else "",
            search=query.get("q", "").strip()[:200],
            deleted=query.get("status") == "dihapus",
        )

    @property
    def is_active(self) -> bool:
        return self != ResponseFilters(deleted=self.deleted)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def response_list_for_round(*, unit: Unit, period: Period, filters: ResponseFilters) -> QuerySet[Response]:
    """Every response of the round (all channels) matching the filters; with
    ``filters.deleted`` the soft-deleted ones instead. The date is the service
    date, or the day of submission when the row has none."""
    manager = Response.all_objects if filters.deleted else Response.objects
    qs = manager.filter(unit=unit, period=period, deleted_at__isnull=not filters.deleted)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.service_id is not None:
        qs = qs.filter(service_id=filters.service_id)
    elif filters.no_service:
        qs = qs.filter(service__isnull=True)
    if filters.date_from or filters.date_to:
        qs = qs.annotate(day=Coalesce("service_date", TruncDate("submitted_at")))
        if filters.date_from:
            qs = qs.filter(day__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(day__lte=filters.date_to)
    if filters.unsur and filters.unsur_state:
        # A blank is stored as JSON null (``surveys.answers``).
        blank = Q(**{answer_lookup(filters.unsur): None})
        qs = qs.filter(blank if filters.unsur_state == "kosong" else ~blank)
    if filters.search:
        qs = qs.filter(suggestion__icontains=filters.search)
    return qs.select_related("service", "created_by", "deleted_by", "import_batch").order_by("-submitted_at", "-id")


def response_get_for_round(*, unit: Unit, period: Period, pk: int) -> Response:
    """One response of the round, deleted or not; 404 when it belongs elsewhere."""
    response = (
        Response.all_objects.select_related("service", "created_by", "deleted_by", "import_batch", "period", "unit")
        .filter(pk=pk, unit=unit, period=period)
        .first()
    )
    if response is None:
        raise Http404(_("Jawaban tidak ditemukan."))
    return response


def paper_number_taken(*, unit: Unit, period: Period, number: int, exclude_pk: int | None = None) -> list[Response]:
    """Paper rows of the round already using ``number`` (for the entry screen's warning)."""
    qs = Response.objects.filter(unit=unit, period=period, channel=Response.Channel.PAPER, number=number)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.order_by("id")[:5])


def saran_list_for_round(*, unit: Unit, period: Period, search: str = "") -> QuerySet[Response]:
    qs = Response.objects.filter(unit=unit, period=period).exclude(suggestion="")
    if search:
        qs = qs.filter(suggestion__icontains=search)
    return qs.select_related("service").order_by("submitted_at", "id")


def import_batch_list_for_round(*, unit: Unit, period: Period) -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.filter(unit=unit, period=period)
        .select_related("created_by", "undone_by")
        .order_by("-created_at", "-id")
    )


def import_batch_get_for_round(*, unit: Unit, period: Period, pk: int) -> ImportBatch:
    batch = ImportBatch.objects.select_related("period").filter(pk=pk, unit=unit, period=period).first()
    if batch is None:
        raise Http404(_("Impor tidak ditemukan."))
    return batch


# --- audit trail ---------------------------------------------------------------

# (key, model, filter on the historical table for a round)
_HISTORY_SOURCES = (
    ("response", Response, lambda u, p: Q(unit_id=u.id, period_id=p.id)),
    ("importbatch", ImportBatch, lambda u, p: Q(unit_id=u.id, period_id=p.id)),
    ("round", SurveyRound, lambda u, p: Q(unit_id=u.id, period_id=p.id)),
    ("unsurwording", UnsurWording, lambda u, p: Q(unit_id=u.id)),
    ("unit", Unit, lambda u, p: Q(id=u.id)),
    ("unitrole", UnitRole, lambda u, p: Q(unit_id=u.id)),
)
# Bookkeeping columns that say nothing to a reader of the trail.
_HIDDEN_FIELDS = {"client_token", "sha256"}


def round_history_index(*, unit: Unit, period: Period) -> QuerySet:
    """(kind, history_id, history_date) of every audit record that concerns the
    round, newest first, as ONE union query that a Paginator can count and slice."""
    parts = [
        model.history.filter(condition(unit, period))
        .annotate(audit_source=Value(key))
        .values_list("audit_source", "history_id", "history_date")
        .order_by()
        for key, model, condition in _HISTORY_SOURCES
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    user: str
    subject: str
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    kind: str = ""
    object_id: int | None = None


def _subject(kind: str, record) -> str:
    if kind == "response":
        number = f" no. {record.number}" if record.number else ""
        return _("Jawaban #%(id)s%(number)s (%(channel)s)") % {
            "id": record.id,
            "number": number,
            "channel": Response.Channel(record.channel).label if record.channel in Response.Channel.values else "",
        }
    if kind == "importbatch":
        return _("Impor '%(f)s' (%(n)s baris)") % {"f": record.filename, "n": record.rows}
    if kind == "round":
        return _("Putaran survei")
    if kind == "unsurwording":
        return _("Redaksi unsur %(c)s") % {"c": record.code}
    if kind == "unit":
        return _("Unit %(u)s") % {"u": record.name}
    return _("Peran %(r)s") % {"r": record.get_role_display()}


def _action(kind: str, record, prev) -> str:
    if record.history_type == "+":
        return _("dibuat")
    if record.history_type == "-":
        return _("dihapus permanen")
    flag = {"response": "deleted_at", "importbatch": "undone_at"}.get(kind)
    if flag and prev is not None:
        before, after = getattr(prev, flag), getattr(record, flag)
        if before is None and after is not None:
            return _("dihapus") if kind == "response" else _("impor dibatalkan")
        if before is not None and after is None:
            return _("dipulihkan")
    return _("diubah")


def _display(model, name: str, value, names: dict) -> str:
    if value is None or value == "":
        return "–"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return str(value)


def _field_changes(model, change, names: dict) -> list[FieldChange]:
    """A change as the trail lists it: the answers (``scores``) item by item
    ("U1: 2 -> 4"), any other field as one line."""
    if change.field == "scores":
        return [
            FieldChange(code, _display(model, "number", old, names), _display(model, "number", new, names))
            for code, old, new in scores_changes(before=change.old, after=change.new)
        ]
    return [
        FieldChange(
            str(model._meta.get_field(change.field).verbose_name),
            _display(model, change.field, change.old, names),
            _display(model, change.field, change.new, names),
        )
    ]


def user_label(user) -> str:
    """ "Full Name (username)", or the username alone: the trail names an account."""
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def _related_names(pairs: set[tuple[type, object]]) -> dict:
    """Readable names of the users and services that the changes point to, in two queries."""
    user_model = get_user_model()
    names: dict = {}
    user_ids = {pk for model, pk in pairs if model is user_model}
    for user in user_model.objects.filter(pk__in=user_ids):
        names[(user_model, user.pk)] = user_label(user)
    service_ids = {pk for model, pk in pairs if model is Service}
    for pk, name in Service.objects.filter(pk__in=service_ids).values_list("pk", "name"):
        names[(Service, pk)] = name
    return names


def round_history_entries(*, rows) -> list[HistoryEntry]:
    """The audit records of one page of ``round_history_index``, with each
    record's changes against the record before it (field, before, after)."""
    by_kind: dict[str, list[int]] = {}
    for kind, history_id, _date in rows:
        by_kind.setdefault(kind, []).append(history_id)
    models = {key: model for key, model, _c in _HISTORY_SOURCES}
    records = {}
    for kind, ids in by_kind.items():
        for record in models[kind].history.filter(history_id__in=ids).select_related("history_user"):
            records[(kind, record.history_id)] = record
    pending = []
    pairs: set[tuple[type, object]] = set()
    for kind, history_id, _date in rows:
        record = records[(kind, history_id)]
        prev = record.prev_record if record.history_type == "~" else None
        delta = []
        if prev is not None:
            for change in record.diff_against(prev).changes:
                if change.field in _HIDDEN_FIELDS:
                    continue
                delta.append(change)
                f = models[kind]._meta.get_field(change.field)
                if f.is_relation:
                    pairs.update({(f.related_model, change.old), (f.related_model, change.new)})
        pending.append((kind, record, prev, delta))
    names = _related_names(pairs)
    entries = []
    for kind, record, prev, delta in pending:
        model = models[kind]
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=user_label(user) if user else _("sistem"),
                subject=_subject(kind, record),
                action=_action(kind, record, prev),
                reason=record.history_change_reason or "",
                changes=[change for c in delta for change in _field_changes(model, c, names)],
                kind=kind,
                object_id=record.id,
            )
        )
    return entries
