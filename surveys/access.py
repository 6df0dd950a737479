"""Who may read and write which unit (the access helpers the views call).

Access rules:
- superusers (admin) read and write every unit;
- unit staff (UnitRole.STAFF) read and write exactly their units;
- supervisors (UnitRole.SUPERVISOR) read the unit and all of its descendants,
  and publish their closed survey rounds (staff never publish their own).

Helpers return the object and whether the user may write, or raise
PermissionDenied (403) / Http404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Unit, UnitRole


@dataclass(frozen=True)
class UnitAccess:
    """Unit ids a user may read, write and publish; ``None`` means every unit."""

    readable: frozenset[int] | None
    writable: frozenset[int] | None
    publishable: frozenset[int] | None = frozenset()

    def can_read(self, unit_id: int) -> bool:
        return self.readable is None or unit_id in self.readable

    def can_write(self, unit_id: int) -> bool:
        return self.writable is None or unit_id in self.writable

    def can_publish(self, unit_id: int) -> bool:
        return self.publishable is None or unit_id in self.publishable

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
        return UnitAccess(None, None, None)
    cached = getattr(user, "_skm_unit_access", None)
    if cached is not None:
        return cached
    staff_ids: set[int] = set()
    supervisor_roots: set[int] = set()
    for unit_id, role in UnitRole.objects.filter(user=user).values_list("unit_id", "role"):
        (staff_ids if role == UnitRole.Role.STAFF else supervisor_roots).add(unit_id)
    supervised = unit_subtree_ids(root_ids=supervisor_roots)
    access = UnitAccess(frozenset(staff_ids | supervised), frozenset(staff_ids), frozenset(supervised))
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


def unit_get_for_round_steps(*, user, code: str) -> tuple[Unit, bool, bool]:
    """The unit, whether the user may open and close its rounds (staff, admin)
    and whether they may publish them (a supervisor over it, admin); 404/403 as
    unit_get_for_user."""
    unit, can_write = unit_get_for_user(user=user, code=code)
    return unit, can_write, user_unit_access(user=user).can_publish(unit.id)


def comparison_parent_options(*, user) -> list[Unit]:
    """Readable units that have readable children: the "induk" filter choices."""
    units = list(unit_list_for_user(user=user))
    parent_ids = {u.parent_id for u in units if u.parent_id}
    return [u for u in units if u.id in parent_ids]
