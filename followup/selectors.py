"""Reads for the RTL tracker. Access is always checked with the surveys
selectors (``unit_get_for_user`` / ``user_unit_access``) before these run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, NullIf, Round
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skm.rules import progress
from skm.rules.ikm import IkmResult, parse_weight_mode
from skm.rules.sentences import priority_basis_sentence
from surveys.access import UnitAccess, user_unit_access
from surveys.models import Period, Response, Unit
from surveys.selectors import ikm_for

from .models import ChangeLog, EvidencePhoto, Plan, PlanItem, PlanUnsur, Realisation

SUDAH = Realisation.Status.SUDAH


@dataclass(frozen=True)
class PlanProgress:
    realised: int
    total: int
    overdue: int
    last_realised_on: dt.date | None
    survey_report_date: dt.date | None
    # Realised (Sudah) items without a realisation date: the date is optional,
    # and while any is missing the last realisation is unknown.
    realised_undated: int = 0

    @property
    def percent(self) -> Decimal:
        return progress.percent_realised(self.realised, self.total)

    @property
    def band(self) -> progress.ProgressBand:
        return progress.band_for_percent(self.percent)

    @property
    def band_label(self) -> str:
        return self.band.label

    @property
    def not_realised(self) -> int:
        return self.total - self.realised

    @property
    def months_to_realisation(self) -> int | None:
        """Months from the SKM report to the last realisation; None while unknown
        (no report date, no realisation, or a realised item without its date)."""
        return progress.months_to_realisation(
            self.survey_report_date, self.last_realised_on, undated=self.realised_undated
        )

    @property
    def all_realised(self) -> bool:
        return self.total > 0 and self.realised == self.total

    @property
    def speed_bucket(self) -> int | None:
        # PEKPPP scores how fast *all* recommendations were followed up.
        if not self.all_realised:
            return None
        return progress.speed_bucket(self.months_to_realisation)

    @property
    def speed_label(self) -> str:
        """The PEKPPP speed in words, or what keeps it from being computed."""
        return progress.speed_status(
            realised=self.realised,
            total=self.total,
            report_date=self.survey_report_date,
            last_realised_on=self.last_realised_on,
            undated=self.realised_undated,
        )


@dataclass(frozen=True)
class PriorityBasis:
    """What a plan's priorities are, as the LHTL's prioritisation sentence says it.

    ``lowest`` are the unsur rows that are the lowest by value: the plan holds
    them and every unsur ranked before them (it covers the k lowest with no
    gap). ``added`` are the other unsur rows, chosen by the unit. ``saran`` are
    the rows from respondents' saran (no code). Each tuple is in plan order.
    ``ranks`` maps every answered unsur code to its rank (1 = lowest NRR,
    ties by code), from the result's priority order."""

    lowest: tuple[PlanUnsur, ...]
    added: tuple[PlanUnsur, ...]
    saran: tuple[PlanUnsur, ...]
    ranks: dict[str, int]

    @property
    def lowest_titles(self) -> tuple[str, ...]:
        return tuple(row.title for row in self.lowest)

    @property
    def added_titles(self) -> tuple[str, ...]:
        return tuple(row.title for row in self.added)

    @property
    def n_saran(self) -> int:
        return len(self.saran)

    @property
    def sentence(self) -> str:
        """The clause after "disusun skala prioritas perbaikan" (skm.rules.sentences)."""
        return priority_basis_sentence(lowest=self.lowest_titles, added=self.added_titles, saran=self.n_saran)


def plan_priority_basis(*, plan: Plan, result: IkmResult) -> PriorityBasis:
    """Split the plan's priority rows into the lowest unsur, unsur added by the unit
    and saran topics, ranking unsur by ``result.priority`` (lowest NRR first, ties
    by code; unanswered unsur are never "lowest").

    Uses ``plan.unsur_rows.all()``, so a prefetched plan (``plan_get_for_report``)
    costs no query."""
    rows = sorted(plan.unsur_rows.all(), key=lambda r: (r.order, r.pk or 0))
    answered = [code for code in result.priority if result.by_code(code).nrr_exact is not None]
    ranks = {code: rank for rank, code in enumerate(answered, start=1)}
    in_plan = {row.code for row in rows if row.code}
    covered = 0
    for code in answered:
        if code not in in_plan:
            break
        covered += 1
    lowest_codes = set(answered[:covered])
    return PriorityBasis(
        lowest=tuple(r for r in rows if r.code and r.code in lowest_codes),
        added=tuple(r for r in rows if r.code and r.code not in lowest_codes),
        saran=tuple(r for r in rows if not r.code),
        ranks=ranks,
    )


def plan_priority_basis_now(*, plan: Plan) -> PriorityBasis:
    """``plan_priority_basis`` against the period's current IKM (the plan's weight mode)."""
    result = ikm_for(unit=plan.unit, period=plan.period, weight_mode=parse_weight_mode(plan.weight_mode))
    return plan_priority_basis(plan=plan, result=result)


def _today() -> dt.date:
    return timezone.localdate()


def _progress_aggregates(prefix: str = "", today: dt.date | None = None) -> dict:
    """Count/Max aggregates over a plan's items; ``prefix`` is the path from the queried model.

    No DISTINCT needed: plan -> priorities -> items fans out once per item, and
    the realisation join is one-to-one."""
    today = today or _today()
    items = f"{prefix}unsur_rows__items"
    sudah = Q(**{f"{items}__realisation__status": SUDAH})
    return {
        "n_total": Count(f"{items}"),
        "n_realised": Count(f"{items}", filter=sudah),
        "n_overdue": Count(f"{items}", filter=overdue_q(today=today, prefix=f"{items}__")),
        "last_realised_on": Max(f"{items}__realisation__realised_on", filter=sudah),
        "n_realised_undated": Count(
            f"{items}", filter=sudah & Q(**{f"{items}__realisation__realised_on__isnull": True})
        ),
    }


def plan_progress(*, plan: Plan, today: dt.date | None = None) -> PlanProgress:
    """One aggregate query for a plan's counts."""
    row = Plan.objects.filter(pk=plan.pk).aggregate(**_progress_aggregates(today=today))
    return PlanProgress(
        realised=row["n_realised"] or 0,
        total=row["n_total"] or 0,
        overdue=row["n_overdue"] or 0,
        last_realised_on=row["last_realised_on"],
        survey_report_date=plan.survey_report_date,
        realised_undated=row["n_realised_undated"] or 0,
    )


def plan_public_summary(*, unit: Unit, period: Period) -> PlanProgress | None:
    """Progress of a unit's RTL for the public results page; None without a plan.

    Only counts: no names, no texts."""
    plan = Plan.objects.filter(unit=unit, period=period).first()
    if plan is None:
        return None
    return plan_progress(plan=plan)


def _items_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=PlanItem.objects.select_related("realisation")
        .prefetch_related(Prefetch("photos", queryset=EvidencePhoto.objects.order_by("order", "id")))
        .order_by("order", "id"),
    )


def plan_get_for_report(*, unit: Unit, period: Period) -> Plan | None:
    """The plan with unsur rows, items (schedule), realisations and photos prefetched.

    ``plan.unsur_rows.all()`` are in priority order; for each row ``row.items.all()``
    are numbered ``item.number`` ("1.1"); ``item.schedule_rows`` gives
    (year, (tw1, tw2, tw3, tw4)) rows; ``getattr(item, "realisation", None)`` may be
    None (= Belum, nothing entered); ``item.photos.all()`` in order, ``photo.image`` is the
    file (read it through the storage API: ``photo.image.open("rb")``, never a path). ``plan.progress`` is attached (a PlanProgress)."""
    plan = (
        Plan.objects.select_related("unit", "period")
        .prefetch_related(
            Prefetch(
                "unsur_rows", queryset=PlanUnsur.objects.order_by("order", "id").prefetch_related(_items_prefetch())
            )
        )
        .filter(unit=unit, period=period)
        .first()
    )
    if plan is not None:
        plan.progress = plan_progress(plan=plan)
    return plan


def plan_get_detail(*, plan_id: int) -> Plan:
    plan = (
        Plan.objects.select_related("unit", "period", "finalised_by", "created_by")
        .prefetch_related(
            Prefetch(
                "unsur_rows", queryset=PlanUnsur.objects.order_by("order", "id").prefetch_related(_items_prefetch())
            )
        )
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404("RTL tidak ditemukan.")
    return plan


def plan_get_for_user(*, user, plan_id: int) -> tuple[Plan, bool]:
    """The plan with everything for its page, and whether the user may edit it."""
    plan = Plan.objects.select_related("unit").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("RTL tidak ditemukan.")
    access = user_unit_access(user=user)
    if not access.can_read(plan.unit_id):
        raise PermissionDenied("Anda tidak memiliki akses ke RTL unit ini.")
    return plan_get_detail(plan_id=plan_id), access.can_write(plan.unit_id)


def item_get_for_user(*, user, item_id: int) -> tuple[PlanItem, bool]:
    item = (
        PlanItem.objects.select_related("plan_unsur__plan__unit", "plan_unsur__plan__period", "realisation")
        .prefetch_related(Prefetch("photos", queryset=EvidencePhoto.objects.order_by("order", "id")))
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404("Program/kegiatan tidak ditemukan.")
    access = user_unit_access(user=user)
    unit_id = item.plan_unsur.plan.unit_id
    if not access.can_read(unit_id):
        raise PermissionDenied("Anda tidak memiliki akses ke RTL unit ini.")
    return item, access.can_write(unit_id)


def photo_get_for_user(*, user, photo_id: int) -> EvidencePhoto:
    """A photo only for users who may read its unit; 404 otherwise so ids do not leak."""
    photo = EvidencePhoto.objects.select_related("item__plan_unsur__plan").filter(pk=photo_id).first()
    if photo is None or not user_unit_access(user=user).can_read(photo.item.plan_unsur.plan.unit_id):
        raise Http404("Foto tidak ditemukan.")
    return photo


def plan_list_for_unit(*, unit: Unit) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(unit=unit)
        .select_related("period")
        .annotate(**_progress_aggregates())
        .order_by("-period__start_date")
    )


def changelog_for_item(*, item: PlanItem) -> QuerySet[ChangeLog]:
    return ChangeLog.objects.filter(item_id_ref=item.pk).select_related("user")


def changelog_for_plan(*, plan: Plan) -> QuerySet[ChangeLog]:
    return ChangeLog.objects.filter(plan=plan).select_related("user")


def saran_for_period(*, unit: Unit, period: Period) -> QuerySet[Response]:
    """Respondents' non-empty saran of the period, to draw plan items from (paginate it)."""
    return (
        Response.objects.filter(unit=unit, period=period)
        .exclude(suggestion="")
        .exclude(suggestion__isnull=True)
        .only("id", "number", "suggestion", "submitted_at")
        .order_by("number", "id")
    )


@dataclass(frozen=True)
class OverviewRow:
    unit: Unit
    plan_id: int | None
    status: str | None
    status_label: str
    realised: int
    total: int
    overdue: int
    percent: Decimal | None  # None without a plan
    band_label: str


def _overview_row(unit: Unit, plan: dict | None, labels: dict) -> OverviewRow:
    if plan is None:
        return OverviewRow(unit, None, None, labels[None], 0, 0, 0, None, "")
    percent = progress.percent_realised(plan["n_realised"], plan["n_total"])
    return OverviewRow(
        unit,
        plan["id"],
        plan["status"],
        labels[plan["status"]],
        plan["n_realised"],
        plan["n_total"],
        plan["n_overdue"],
        percent,
        progress.band_for_percent(percent).label,
    )


OVERVIEW_SORTS = ("unit", "status", "persen", "terlambat")


def _overview_queryset(*, user, period: Period, scope_q: Q | None = None, search_q: Q | None = None):
    """The readable active units (selected on ``Unit.path`` in SQL, never an id
    list), each with its plan of the period and the plan's item counts: one
    LEFT JOIN ... GROUP BY unit."""
    access = user_unit_access(user=user)
    plan_items = "plan__unsur_rows__items"
    sudah = Q(**{f"{plan_items}__realisation__status": SUDAH})
    return (
        Unit.objects.filter(is_active=True)
        .filter(access.unit_q())
        .filter(scope_q or Q())
        .filter(search_q or Q())
        .annotate(plan=FilteredRelation("rtl_plans", condition=Q(rtl_plans__period=period)))
        .annotate(
            plan_pk=F("plan__id"),
            plan_status=F("plan__status"),
            parent_name=F("parent__name"),
            n_total=Count(plan_items),
            n_realised=Count(plan_items, filter=sudah),
            n_overdue=Count(plan_items, filter=overdue_q(today=_today(), prefix=f"{plan_items}__")),
        )
        .only("id", "code", "name", "path", "parent_id")
    )


def _overview_order(qs, *, sort: str, descending: bool):
    name = Lower("name").desc() if descending else Lower("name").asc()
    if sort not in OVERVIEW_SORTS or sort == "unit":
        return qs.order_by(name, "id")
    value = {
        "status": F("plan_status"),
        "persen": Coalesce(
            Round(
                ExpressionWrapper(
                    F("n_realised") * Decimal(100) / NullIf(F("n_total"), 0), output_field=DecimalField()
                ),
                2,
            ),
            Value(Decimal(0)),
        ),
        "terlambat": F("n_overdue"),
    }[sort]
    # Units without a plan stay at the bottom in either direction.
    no_plan = Case(When(plan_pk__isnull=True, then=Value(1)), default=Value(0))
    return qs.order_by(no_plan, value.desc() if descending else value.asc(), name, "id")


def _overview_row_from(unit, labels: dict) -> OverviewRow:
    plan = None
    if unit.plan_pk is not None:
        plan = {
            "id": unit.plan_pk,
            "status": unit.plan_status,
            "n_realised": unit.n_realised,
            "n_total": unit.n_total,
            "n_overdue": unit.n_overdue,
        }
    return _overview_row(unit, plan, labels)


def _overview_labels() -> dict:
    labels = {value: str(label) for value, label in Plan.Status.choices}
    labels[None] = str(_("Belum ada RTL"))
    return labels


def plan_overview(
    *,
    user,
    period: Period,
    sort: str = "unit",
    descending: bool = False,
    scope_q: Q | None = None,
    search_q: Q | None = None,
) -> list[OverviewRow]:
    """Every unit the user can read, with its RTL status for the period (one
    query after the roles). The page uses ``plan_overview_page``."""
    qs = _overview_order(
        _overview_queryset(user=user, period=period, scope_q=scope_q, search_q=search_q),
        sort=sort,
        descending=descending,
    )
    labels = _overview_labels()
    return [_overview_row_from(unit, labels) for unit in qs]


@dataclass(frozen=True)
class OverviewTotals:
    units: int
    plans: int
    overdue: int


def plan_overview_page(
    *,
    user,
    period: Period,
    sort: str = "unit",
    descending: bool = False,
    scope_q: Q | None = None,
    search_q: Q | None = None,
    page_number=1,
    per_page: int = 50,
) -> tuple[Page, OverviewTotals]:
    """One page of the overview and the totals over every matching unit.

    Three queries after the roles, whatever the number of units: the plan
    totals (plans, overdue items: one aggregate), the unit COUNT and the page
    (one GROUP BY with LIMIT/OFFSET)."""
    qs = _overview_queryset(user=user, period=period, scope_q=scope_q, search_q=search_q)
    access = user_unit_access(user=user)
    unit_filter = Q(unit__is_active=True) & access.unit_q("unit__")
    for q in (scope_q, search_q):
        if q:
            unit_filter &= _prefixed(q, "unit__")
    plans = Plan.objects.filter(period=period).filter(unit_filter)
    totals_row = plans.aggregate(
        plans=Count("id", distinct=True),
        overdue=Count("unsur_rows__items", filter=overdue_q(today=_today(), prefix="unsur_rows__items__")),
    )
    paginator = Paginator(_overview_order(qs, sort=sort, descending=descending), per_page)
    page = paginator.get_page(page_number)
    totals = OverviewTotals(paginator.count, totals_row["plans"] or 0, totals_row["overdue"] or 0)
    labels = _overview_labels()
    page.object_list = [_overview_row_from(unit, labels) for unit in page.object_list]
    return page, totals


def _prefixed(q: Q, prefix: str) -> Q:
    """The same filter reached from a related model (``path__startswith`` -> ``unit__path__startswith``)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_prefixed(child, prefix))
        else:
            key, value = child
            out.children.append((prefix + key, value))
    return out


def period_list_with_plans(*, user) -> QuerySet[Period]:
    """Survey periods for which at least one readable unit has an RTL, newest first."""
    access = user_unit_access(user=user)
    plans = Plan.objects.order_by().filter(access.unit_q("unit__"))
    return Period.objects.filter(id__in=plans.values("period_id")).order_by("-start_date")


def overdue_q(*, today: dt.date, prefix: str = "") -> Q:
    """The one definition of "terlambat": the last planned quarter has ended
    and the item is not realised (Sudah). ``prefix`` reaches items from a plan."""
    return Q(**{f"{prefix}due_date__lt": today}) & ~Q(**{f"{prefix}realisation__status": SUDAH})


def overdue_item_ids(*, plan: Plan, today: dt.date | None = None) -> set[int]:
    return set(
        PlanItem.objects.filter(overdue_q(today=today or _today()), plan_unsur__plan=plan).values_list("id", flat=True)
    )


def overdue_items_in_scope(*, access: UnitAccess, today: dt.date, limit: int) -> tuple[list[PlanItem], int]:
    """The overdue items ("terlambat", ``overdue_q``) of the units ``access``
    covers, by unit, plan and number, at most ``limit`` of them, and how many
    there are in all."""
    qs = (
        PlanItem.objects.filter(overdue_q(today=today), access.unit_q("plan_unsur__plan__unit__"))
        .select_related("plan_unsur__plan__unit", "plan_unsur__plan__period")
        .order_by(
            "plan_unsur__plan__unit__name",
            "plan_unsur__plan__unit_id",
            "-plan_unsur__plan__period__start_date",
            "plan_unsur__order",
            "order",
            "id",
        )
    )
    items = list(qs[:limit])
    total = len(items) if len(items) < limit else qs.count()
    return items, total
