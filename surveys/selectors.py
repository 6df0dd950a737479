"""Reads for the surveys app: access scoping and database aggregates.

Access rules:
- superusers (admin) read and write every unit;
- unit staff (UnitRole.STAFF) read and write exactly their units;
- supervisors (UnitRole.SUPERVISOR) read the unit and all of its descendants.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from .ikm import IkmResult, UnsurTally, WeightMode, compute_ikm
from .models import Period, Response, Service, Unit, UnitRole, UnsurWording
from .unsur import DEFAULT_UNSUR, SCORES, UNSUR_CODES, UnsurDefinition


@dataclass(frozen=True)
class UnitAccess:
    """Unit ids a user may read and write; ``None`` means every unit."""

    readable: frozenset[int] | None
    writable: frozenset[int] | None

    def can_read(self, unit_id: int) -> bool:
        return self.readable is None or unit_id in self.readable

    def can_write(self, unit_id: int) -> bool:
        return self.writable is None or unit_id in self.writable

    @property
    def is_admin(self) -> bool:
        return self.writable is None


def unit_subtree_ids(*, root_ids: Iterable[int]) -> set[int]:
    """The roots and all their descendants, one query per tree level."""
    found = set(root_ids)
    frontier = set(found)
    while frontier:
        children = set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= children
        frontier = children
    return found


def user_unit_access(*, user) -> UnitAccess:
    if not user.is_authenticated or not user.is_active:
        return UnitAccess(frozenset(), frozenset())
    if user.is_superuser:
        return UnitAccess(None, None)
    cached = getattr(user, "_skm_unit_access", None)
    if cached is not None:
        return cached
    staff_ids: set[int] = set()
    supervisor_roots: set[int] = set()
    for unit_id, role in UnitRole.objects.filter(user=user).values_list("unit_id", "role"):
        (staff_ids if role == UnitRole.Role.STAFF else supervisor_roots).add(unit_id)
    readable = staff_ids | unit_subtree_ids(root_ids=supervisor_roots)
    access = UnitAccess(frozenset(readable), frozenset(staff_ids))
    user._skm_unit_access = access
    return access


def unit_list_for_user(*, user) -> QuerySet[Unit]:
    access = user_unit_access(user=user)
    qs = Unit.objects.select_related("parent")
    if access.readable is not None:
        qs = qs.filter(id__in=access.readable)
    return qs.order_by("name")


def unit_get_for_user(*, user, code: str) -> tuple[Unit, bool]:
    """The unit and whether the user may write to it; 404 if unknown, 403 if not visible."""
    unit = Unit.objects.select_related("parent").filter(code=code).first()
    if unit is None:
        raise Http404("Unit tidak ditemukan.")
    access = user_unit_access(user=user)
    if not access.can_read(unit.id):
        raise PermissionDenied("Anda tidak memiliki akses ke unit ini.")
    return unit, access.can_write(unit.id)


def unit_get_writable(*, user, code: str) -> Unit:
    unit, can_write = unit_get_for_user(user=user, code=code)
    if not can_write:
        raise PermissionDenied("Anda hanya dapat melihat unit ini, tidak mengubahnya.")
    return unit


def period_get(*, code: str) -> Period:
    period = Period.objects.filter(code=(code or "").strip().upper()).first()
    if period is None:
        raise Http404("Periode tidak ditemukan.")
    return period


def period_latest_with_responses(*, unit: Unit) -> Period | None:
    return Period.objects.filter(responses__unit=unit).order_by("-start_date").distinct().first()


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


def _tally_aggregates() -> dict:
    aggregates = {"respondents": Count("id")}
    for code in UNSUR_CODES:
        f = code.lower()
        aggregates[f"{f}_total"] = Sum(f)
        aggregates[f"{f}_answered"] = Count(f)
        for score in SCORES:
            aggregates[f"{f}_n{score}"] = Count("id", filter=Q(**{f: score}))
    return aggregates


def _row_to_tallies(row: dict) -> tuple[int, list[UnsurTally]]:
    tallies = []
    for code in UNSUR_CODES:
        f = code.lower()
        tallies.append(
            UnsurTally(
                code,
                int(row[f"{f}_total"] or 0),
                int(row[f"{f}_answered"] or 0),
                {score: int(row[f"{f}_n{score}"] or 0) for score in SCORES},
            )
        )
    return int(row["respondents"] or 0), tallies


def response_tallies(
    *, filters: Q | None = None, group_by: str | None = None
) -> dict[object, tuple[int, list[UnsurTally]]]:
    """Totals, answered counts and the 1-4 distribution of all nine unsur in one
    aggregate query, optionally grouped by one column (e.g. "service_id")."""
    qs = Response.objects.all()
    if filters is not None:
        qs = qs.filter(filters)
    if group_by is None:
        return {None: _row_to_tallies(qs.aggregate(**_tally_aggregates()))}
    rows = qs.order_by().values(group_by).annotate(**_tally_aggregates())
    return {row[group_by]: _row_to_tallies(row) for row in rows}


def ikm_for(
    *,
    unit: Unit,
    period: Period,
    service: Service | None = None,
    weight_mode: WeightMode | str = WeightMode.EXACT,
) -> IkmResult:
    """Unit IKM pooling all respondents (or one jenis layanan's) of a period."""
    filters = Q(unit=unit, period=period)
    if service is not None:
        filters &= Q(service=service)
    respondents, tallies = response_tallies(filters=filters)[None]
    names = {u.code: u.name for u in DEFAULT_UNSUR}
    return compute_ikm(tallies, respondents=respondents, weight_mode=weight_mode, names=names)
