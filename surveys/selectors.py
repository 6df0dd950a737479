"""Raw reads of the surveys app: periods, units, responses and their one-query aggregates."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Func, IntegerField, OuterRef, Q, QuerySet, Sum
from django.db.models.lookups import Exact
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils import timezone

from skm.rules.ikm import (
    IkmResult,
    UnsurTally,
    WeightMode,
    compute_ikm,
    distribution_from,
)
from skm.rules.periods import parse_period_code, period_display_order
from skm.rules.unsur import DEFAULT_UNSUR, UnsurDefinition

from .access import user_unit_access
from .answers import SKM_CODE, answer_lookups, instrument_get, item_codes
from .extra import ExtraDef, definitions
from .models import (
    PATH_STEP,
    PATH_WIDTH,
    RESPONDENTS_ITEM,
    TALLY_COUNT_COLUMNS,
    ExtraQuestion,
    ImportBatch,
    ImportJob,
    ItemTally,
    Period,
    Response,
    Service,
    SurveyRound,
    Unit,
    UnitRole,
    UnsurWording,
)


def period_get(*, code: str) -> Period:
    try:
        spec = parse_period_code(code)
    except ValueError:
        raise Http404("Kode periode tidak valid.") from None
    period = Period.objects.filter(code=spec.code).first()
    if period is None:
        raise Http404("Periode tidak ditemukan.")
    return period


def period_latest_with_responses(*, unit: Unit) -> Period | None:
    # Joins bypass the default manager: leave soft-deleted responses out by hand.
    return (
        Period.objects.filter(responses__unit=unit, responses__deleted_at__isnull=True)
        .order_by("-start_date")
        .distinct()
        .first()
    )


def period_latest_for_user(*, user) -> Period | None:
    """Latest period with responses in a unit the user may read (else the latest period)."""
    access = user_unit_access(user=user)
    qs = Period.objects.order_by("-start_date")
    readable = Response.objects.filter(access.unit_q("unit__"))
    with_data = qs.filter(Exists(readable.filter(period_id=OuterRef("pk"))))
    return with_data.first() or qs.first()


def response_count(*, unit: Unit, period: Period) -> int:
    return Response.objects.filter(unit=unit, period=period).count()


def service_list(*, unit: Unit, active_only: bool = True) -> QuerySet[Service]:
    qs = unit.services.all()
    return qs.filter(is_active=True) if active_only else qs


def unit_wording(*, unit: Unit) -> list[UnsurDefinition]:
    """The unit's questionnaire: its own wording where set, Permenpan defaults elsewhere."""
    overrides = {w.code: w for w in UnsurWording.objects.filter(unit=unit)}
    result = []
    for default in DEFAULT_UNSUR:
        w = overrides.get(default.code)
        if w is None:
            result.append(default)
        else:
            result.append(
                UnsurDefinition(default.code, default.name, w.question, (w.label_1, w.label_2, w.label_3, w.label_4))
            )
    return result


class AnswerValue(Func):
    """One stored answer as an integer, NULL for a blank: ``scores -> instrument ->> i``.

    Django's key transforms read a JSON null as the text 'null' on SQLite (cast to 0
    there), so the SQL is written per backend."""

    output_field = IntegerField()

    def __init__(self, instrument: str, index: int):
        self.instrument, self.index = instrument, int(index)
        super().__init__()

    def as_sql(self, compiler, connection, **extra_context):
        column = compiler.quote_name_unless_alias("scores")
        table = compiler.quote_name_unless_alias(Response._meta.db_table)
        if connection.vendor == "postgresql":
            return f"(({table}.{column} -> %s ->> %s)::integer)", [self.instrument, self.index]
        return f"JSON_EXTRACT({table}.{column}, %s)", [f'$."{self.instrument}"[{self.index}]']


def _answer_value(lookup: str) -> AnswerValue:
    _scores, instrument, index = lookup.split("__")
    return AnswerValue(instrument, int(index))


def _tally_aggregates(*, instrument: str, distribution: bool = True) -> dict:
    # SUM, COUNT and the counts of 1s and 2s per unsur; the 3s and 4s follow
    # exactly (ikm.distribution_from).
    aggregates: dict = {"respondents": Count("*")}
    for lookup, code in answer_lookups(instrument).items():
        value = _answer_value(lookup)
        aggregates[f"{code}_total"] = Sum(value)
        aggregates[f"{code}_answered"] = Count(value)
        if distribution:
            for score in (1, 2):
                aggregates[f"{code}_n{score}"] = Count("id", filter=Q(Exact(value, score)))
    return aggregates


def _row_to_tallies(row: dict, *, instrument: str) -> tuple[int, list[UnsurTally]]:
    tallies = []
    for code in item_codes(instrument):
        total, answered = int(row[f"{code}_total"] or 0), int(row[f"{code}_answered"] or 0)
        if f"{code}_n1" in row:
            distribution = distribution_from(total, answered, int(row[f"{code}_n1"] or 0), int(row[f"{code}_n2"] or 0))
        else:
            distribution = {}
        tallies.append(UnsurTally(code, total, answered, distribution))
    return int(row["respondents"] or 0), tallies


def response_tallies(
    *,
    filters: Q | None = None,
    group_by: str | None = None,
    distribution: bool = True,
    instrument: str = SKM_CODE,
) -> dict[object, tuple[int, list[UnsurTally]]]:
    """Totals, answered counts and the 1-4 distribution of all nine unsur in one
    aggregate query over the responses, optionally grouped by one column (e.g.
    "service_id"). ``distribution=False`` skips the answer counts (enough for an
    IKM: trend, ranking). Reads the raw rows: for filters the tallies lack."""
    qs = Response.objects.filter(scores__has_key=instrument)
    if filters is not None:
        qs = qs.filter(filters)
    aggregates = _tally_aggregates(instrument=instrument, distribution=distribution)
    if group_by is None:
        return {None: _row_to_tallies(qs.aggregate(**aggregates), instrument=instrument)}
    rows = qs.order_by().values(group_by).annotate(**aggregates)
    return {row[group_by]: _row_to_tallies(row, instrument=instrument) for row in rows}


def tally_totals(
    *,
    unit: Unit | int | None = None,
    period: Period | int | None = None,
    filters: Q | None = None,
    group_by: str | None = None,
    instrument: str = SKM_CODE,
) -> dict[object, tuple[int, list[UnsurTally]]]:
    """What ``response_tallies`` returns, read from the pre-aggregated
    ``ItemTally`` rows (a few per unit and period) instead of the responses.
    ``group_by`` is an ItemTally column ("service_id", "period_id", "unit_id");
    groups without a live respondent are left out, as a GROUP BY would."""
    qs = ItemTally.objects.filter(instrument=instrument)
    if unit is not None:
        qs = qs.filter(unit_id=getattr(unit, "pk", unit))
    if period is not None:
        qs = qs.filter(period_id=getattr(period, "pk", period))
    if filters is not None:
        qs = qs.filter(filters)
    sums = {c: Sum(c) for c in ("answered", "total", *TALLY_COUNT_COLUMNS)}
    keys = ["item"] if group_by is None else [group_by, "item"]
    codes = item_codes(instrument)
    points = range(1, instrument_get(instrument).scale.points + 1)
    groups: dict[object, dict[int, dict]] = {}
    for row in qs.order_by().values(*keys).annotate(**sums):
        groups.setdefault(row[group_by] if group_by else None, {})[row["item"]] = row
    out: dict[object, tuple[int, list[UnsurTally]]] = {}
    for group, items in groups.items():
        respondents = int((items.get(RESPONDENTS_ITEM) or {}).get("answered") or 0)
        if not respondents and group_by is not None:
            continue
        tallies = []
        for position, code in enumerate(codes, start=1):
            row = items.get(position) or {}
            distribution = {p: int(row.get(f"n{p}") or 0) for p in points}
            tallies.append(UnsurTally(code, int(row.get("total") or 0), int(row.get("answered") or 0), distribution))
        out[group] = (respondents, tallies)
    if group_by is None and None not in out:
        out[None] = (0, [UnsurTally(code, 0, 0, dict.fromkeys(points, 0)) for code in codes])
    return out


def ikm_for(
    *,
    unit: Unit,
    period: Period,
    service: Service | None = None,
    weight_mode: WeightMode = WeightMode.EXACT,
) -> IkmResult:
    """Unit IKM pooling all respondents (or one jenis layanan's) of a period."""
    filters = Q(service=service) if service is not None else None
    respondents, tallies = tally_totals(unit=unit, period=period, filters=filters)[None]
    names = {u.code: u.name for u in DEFAULT_UNSUR}
    return compute_ikm(tallies, respondents=respondents, weight_mode=weight_mode, names=names)


def unit_list_public() -> QuerySet[Unit]:
    """The units with a public page (active ones), defined once: the public
    pages, the open data and the API's unit list start from here."""
    return Unit.objects.filter(is_active=True)


def unit_get_public(*, code: str) -> Unit:
    unit = unit_list_public().filter(code=code).first()
    if unit is None:
        raise Http404("Unit tidak ditemukan.")
    return unit


def unit_ancestor_names(*, units) -> dict[int, list[str]]:
    """The names of each unit's ancestors, nearest first (the parent, its parent,
    ...), read from the materialised paths in ONE query for all the units,
    instead of a query per ``Unit.ancestors()`` step."""
    chains: dict[int, list[int]] = {}
    for unit in units:
        ids = [int(unit.path[i : i + PATH_WIDTH]) for i in range(0, len(unit.path) - 1, PATH_STEP)]
        chains[unit.pk] = [i for i in reversed(ids) if i != unit.pk]
    wanted = {i for chain in chains.values() for i in chain}
    names = dict(Unit.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    return {pk: [names[i] for i in chain if i in names] for pk, chain in chains.items()}


def period_current(*, today: dt.date | None = None) -> Period | None:
    """The period containing today (shortest first: a triwulan beats its
    semester), else the latest period that has started."""
    today = today or timezone.localdate()
    containing = sorted(
        Period.objects.filter(start_date__lte=today, end_date__gte=today),
        key=lambda p: (p.end_date - p.start_date, p.code),
    )
    if containing:
        return containing[0]
    return Period.objects.filter(start_date__lte=today).order_by("-start_date", "code").first()


def round_get(*, unit: Unit, period: Period) -> SurveyRound | None:
    return SurveyRound.objects.filter(unit=unit, period=period).first()


def round_list_open(*, unit: Unit, today: dt.date | None = None) -> list[SurveyRound]:
    """The unit's open rounds: those whose period contains today first (the
    shortest period first), then the ended ones newest first (reopened for paper
    forms), then those whose period has not started."""
    today = today or timezone.localdate()
    rounds = list(SurveyRound.objects.filter(unit=unit, status=SurveyRound.Status.OPEN).select_related("period"))
    rounds.sort(
        key=lambda r: (
            *period_display_order(start=r.period.start_date, end=r.period.end_date, today=today),
            r.period.code,
        )
    )
    return rounds


def round_current_open(*, unit: Unit, today: dt.date | None = None) -> SurveyRound | None:
    """The unit's open round whose period contains today (shortest period
    first), else its newest open round of an ended period (e.g. reopened for
    paper), else the soonest one that has not started."""
    rounds = round_list_open(unit=unit, today=today)
    return rounds[0] if rounds else None


def round_for_collection(*, unit: Unit, code: str | None) -> tuple[Period | None, SurveyRound | None]:
    """The period named by ?periode=CODE and the unit's round for it (either
    may be None), or the unit's current open round."""
    if code:
        period = Period.objects.filter(code=code.strip().upper()).first()
        return period, (round_get(unit=unit, period=period) if period else None)
    rnd = round_current_open(unit=unit)
    return (rnd.period, rnd) if rnd else (None, None)


def service_get_public(*, unit: Unit, service_id: int) -> Service:
    service = Service.objects.filter(unit=unit, pk=service_id, is_active=True).first()
    if service is None:
        raise Http404("Jenis layanan tidak ditemukan.")
    return service


def response_list_paper(*, unit: Unit, period: Period) -> QuerySet[Response]:
    return (
        Response.objects.filter(unit=unit, period=period, channel=Response.Channel.PAPER)
        .select_related("service", "created_by")
        .order_by("-number", "-id")
    )


def response_channel_counts(*, unit: Unit, period: Period) -> dict[str, int]:
    from django.db.models import Count

    rows = Response.objects.filter(unit=unit, period=period).values("channel").annotate(n=Count("id")).order_by()
    counts = {c.value: 0 for c in Response.Channel}
    counts.update({r["channel"]: r["n"] for r in rows})
    return counts


def import_batch_list(*, unit: Unit) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(unit=unit).select_related("period", "created_by").order_by("-created_at")


def import_job_list(*, unit: Unit) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(unit=unit).select_related("period", "requested_by").order_by("-created_at", "-id")


def import_job_get(*, unit: Unit, job_id: int) -> ImportJob:
    """A job of this unit (the caller has checked the user may write to it), or 404."""
    job = ImportJob.objects.filter(unit=unit, pk=job_id).select_related("period", "batch", "requested_by").first()
    if job is None:
        raise Http404("Tugas impor tidak ditemukan.")
    return job


def period_list_for_entry(*, unit: Unit) -> QuerySet[Period]:
    """Periods of the unit's paper entry: its open rounds and every period with
    its responses (read-only once the round is closed)."""
    # Joins bypass the default manager: leave soft-deleted responses out by hand.
    return (
        Period.objects.filter(
            Q(rounds__unit=unit, rounds__status=SurveyRound.Status.OPEN)
            | Q(responses__unit=unit, responses__deleted_at__isnull=True)
        )
        .distinct()
        .annotate(
            unit_round_open=Exists(
                SurveyRound.objects.filter(unit=unit, period=OuterRef("pk"), status=SurveyRound.Status.OPEN)
            )
        )
        .order_by("-start_date")
    )


QUESTIONNAIRE_TTL = 10.0


_questionnaire_cache: dict[str, tuple[float, QuestionnaireContext]] = {}


@dataclass(frozen=True)
class QuestionnaireContext:
    unit: Unit
    services: tuple[Service, ...]
    unsur: tuple[UnsurDefinition, ...]
    # The unit's active extra questions, in order (surveys.extra): part of the cached pages' context.
    extra: tuple[ExtraDef, ...] = ()
    # The rendered empty questionnaire pages of this context (surveys.views.questionnaire),
    # dropped with it when the unit, its services or wording change.
    pages: dict = field(default_factory=dict, compare=False, repr=False)


def questionnaire_context(*, code: str) -> QuestionnaireContext:
    """Unit (404 if unknown or inactive), its active services and wording."""
    now = time.monotonic()
    hit = _questionnaire_cache.get(code)
    if hit is not None and now - hit[0] < QUESTIONNAIRE_TTL:
        return hit[1]
    unit = unit_get_public(code=code)
    context = QuestionnaireContext(
        unit=unit,
        services=tuple(Service.objects.filter(unit=unit, is_active=True).order_by("name")),
        unsur=tuple(unit_wording(unit=unit)),
        extra=definitions(extra_question_list(unit=unit, active_only=True)),
    )
    if len(_questionnaire_cache) > 1000:
        _questionnaire_cache.clear()
    _questionnaire_cache[code] = (now, context)
    return context


def questionnaire_cache_clear(**_kwargs) -> None:
    _questionnaire_cache.clear()


_round_cache: dict[tuple[int, str], tuple[float, tuple[Period | None, SurveyRound | None]]] = {}


def round_for_collection_cached(*, unit: Unit, code: str | None) -> tuple[Period | None, SurveyRound | None]:
    """round_for_collection kept per process for QUESTIONNAIRE_TTL seconds (the
    questionnaire POST path). Safe to be stale: the web insert checks in the same
    statement that the round is still open (``surveys.services``); a round step
    in this process clears it at once, in other processes within the TTL."""
    key = (unit.pk, (code or "").strip().upper())
    now = time.monotonic()
    hit = _round_cache.get(key)
    if hit is not None and now - hit[0] < QUESTIONNAIRE_TTL:
        return hit[1]
    value = round_for_collection(unit=unit, code=code)
    if len(_round_cache) > 5000:
        _round_cache.clear()
    _round_cache[key] = (now, value)
    return value


def round_cache_clear(**_kwargs) -> None:
    _round_cache.clear()


for _model in (SurveyRound, Period):
    post_save.connect(round_cache_clear, sender=_model, dispatch_uid=f"skm_rcache_save_{_model.__name__}")
    post_delete.connect(round_cache_clear, sender=_model, dispatch_uid=f"skm_rcache_del_{_model.__name__}")


def extra_question_list(*, unit: Unit, active_only: bool = False) -> QuerySet[ExtraQuestion]:
    """The unit's extra questions in questionnaire order (all, or only the active ones)."""
    qs = ExtraQuestion.objects.filter(unit=unit)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("order", "id")


for _model in (Unit, Service, UnsurWording, ExtraQuestion):
    post_save.connect(questionnaire_cache_clear, sender=_model, dispatch_uid=f"skm_qcache_save_{_model.__name__}")
    post_delete.connect(questionnaire_cache_clear, sender=_model, dispatch_uid=f"skm_qcache_del_{_model.__name__}")


def response_counts_by_unit(*, period: Period, unit_ids) -> dict[int, int]:
    """Responses per unit in one GROUP BY."""
    from django.db.models import Count

    rows = (
        Response.objects.filter(period=period, unit_id__in=list(unit_ids))
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["unit_id"]: row["n"] for row in rows}


def unit_page_for_user(*, user, period: Period | None, scope_q: Q | None = None, search_q: Q | None = None):
    """The units a user may read (``Unit.path`` in SQL, no id list), filtered,
    by name, each with ``current_count``: its responses in ``period`` as a
    correlated COUNT, so a page of units is ONE query (plus the paginator's COUNT)."""
    from django.db.models import IntegerField, Subquery, Value
    from django.db.models.functions import Coalesce

    access = user_unit_access(user=user)
    qs = Unit.objects.select_related("parent").filter(access.unit_q()).filter(scope_q or Q()).filter(search_q or Q())
    if period is not None:
        counts = (
            Response.objects.filter(unit_id=OuterRef("pk"), period=period)
            .order_by()
            .values("unit_id")
            .annotate(n=Count("id"))
            .values("n")
        )
        qs = qs.annotate(current_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))
    return qs.order_by("name", "id")


# E-mail backends that deliver nothing: set EMAIL_URL (smtp://...) for "Lupa kata sandi?".
_UNDELIVERED_EMAIL_BACKENDS = ("console", "locmem", "dummy", "filebased")


@dataclass(frozen=True)
class SetupStep:
    """One step of the administrator's first-run checklist, read from the database."""

    key: str  # units | services | users | roles | round | email
    done: bool
    count: int = 0  # what exists (units, users with e-mail, roles, rounds opened)
    missing: int = 0  # what still lacks it (units without jenis layanan, users without e-mail)


@dataclass(frozen=True)
class SetupChecklist:
    steps: tuple[SetupStep, ...]
    first_unit_code: str | None  # where the first round is opened

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)


def setup_checklist() -> SetupChecklist:
    """The first-run steps of README "First run", in order, each ticked from the
    data: active units, a jenis layanan on every active unit, user accounts (not
    administrators) with an e-mail address, roles, a round opened, and an e-mail
    backend that delivers. Six small queries; shown to administrators only."""
    units = Unit.objects.filter(is_active=True)
    unit_count = units.count()
    without_service = units.exclude(services__is_active=True).count()
    users = get_user_model().objects.filter(is_active=True, is_superuser=False)
    with_email = users.exclude(email="").count()
    without_email = users.filter(email="").count()
    roles = UnitRole.objects.count()
    rounds = SurveyRound.objects.exclude(status=SurveyRound.Status.DRAFT).count()
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2] if "." in settings.EMAIL_BACKEND else settings.EMAIL_BACKEND
    email_ok = backend not in _UNDELIVERED_EMAIL_BACKENDS and not settings.DEFAULT_FROM_EMAIL.endswith("@localhost>")
    first_unit = units.order_by("path").values_list("code", flat=True).first()
    return SetupChecklist(
        steps=(
            SetupStep("units", unit_count > 0, unit_count),
            SetupStep(
                "services", unit_count > 0 and without_service == 0, unit_count - without_service, without_service
            ),
            SetupStep("users", with_email > 0 and without_email == 0, with_email, without_email),
            SetupStep("roles", roles > 0, roles),
            SetupStep("round", rounds > 0, rounds),
            SetupStep("email", email_ok),
        ),
        first_unit_code=first_unit,
    )
