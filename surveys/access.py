"""Who may read and write which unit (the access helpers the views call).

Access rules:
- superusers (admin) read and write every unit;
- unit staff (UnitRole.STAFF) read and write exactly their units;
- supervisors (UnitRole.SUPERVISOR) read the unit and all of its descendants,
  and publish their closed survey rounds (staff never publish their own unit's
  round, even when they also supervise it).

Helpers return the object and whether the user may write, or raise
PermissionDenied (403) / Http404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from .models import Unit, UnitRole


class UnitAccess:
    """What a user may read, write and publish.

    ``None`` for ``readable``/``writable`` means every unit (admin). A supervisor's
    scope is held as the materialised paths of the units they supervise
    (``Unit.path``): ``unit_q()`` selects it in SQL (``path LIKE 'prefix%'``)
    without ever listing the subtree's ids. ``readable`` (the id set) is still
    available but costs one query the first time; prefer ``unit_q``."""

    def __init__(
        self,
        *,
        staff_ids: frozenset[int] | None,
        supervisor_paths: tuple[str, ...] = (),
    ):
        self.staff_ids = staff_ids
        self.supervisor_paths = supervisor_paths
        self._readable: frozenset[int] | None = None
        self._checked: dict[int, bool] = {}
        self._publishable: dict[int, bool] = {}

    @property
    def is_admin(self) -> bool:
        return self.staff_ids is None

    @property
    def writable(self) -> frozenset[int] | None:
        return self.staff_ids

    @property
    def reads_anything(self) -> bool:
        return self.is_admin or bool(self.staff_ids) or bool(self.supervisor_paths)

    def unit_q(self, prefix: str = "") -> Q:
        """The readable units as a filter on Unit (``prefix`` reaches Unit from
        another model, e.g. ``"unit__"``). Admin: every unit."""
        if self.is_admin:
            return Q()
        q = Q(**{f"{prefix}id__in": sorted(self.staff_ids)}) if self.staff_ids else Q(pk__in=[])
        for path in self.supervisor_paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    @property
    def readable(self) -> frozenset[int] | None:
        if self.is_admin:
            return None
        if self._readable is None:
            self._readable = frozenset(Unit.objects.filter(self.unit_q()).values_list("id", flat=True))
        return self._readable

    def can_read(self, unit_id: int) -> bool:
        if self.is_admin or unit_id in self.staff_ids:
            return True
        if not self.supervisor_paths:
            return False
        if self._readable is not None:
            return unit_id in self._readable
        if unit_id not in self._checked:
            self._checked[unit_id] = Unit.objects.filter(self.unit_q(), pk=unit_id).exists()
        return self._checked[unit_id]

    def can_write(self, unit_id: int) -> bool:
        return self.is_admin or unit_id in self.staff_ids

    def can_publish(self, unit_id: int) -> bool:
        """Supervisors publish the rounds of the units under them; staff never
        publish their own unit's round, even when a supervisor role of theirs
        (on the same unit or above it) covers it."""
        if self.is_admin:
            return True
        if not self.supervisor_paths or unit_id in self.staff_ids:
            return False
        if unit_id not in self._publishable:
            supervised = Q()
            for path in self.supervisor_paths:
                supervised |= Q(path__startswith=path)
            self._publishable[unit_id] = Unit.objects.filter(supervised, pk=unit_id).exists()
        return self._publishable[unit_id]


def user_unit_access(*, user) -> UnitAccess:
    if not user.is_authenticated or not user.is_active:
        return UnitAccess(staff_ids=frozenset())
    if user.is_superuser:
        return UnitAccess(staff_ids=None)
    cached = getattr(user, "_skm_unit_access", None)
    if cached is not None:
        return cached
    access = unit_access_from_roles(user=user)
    user._skm_unit_access = access
    return access


def unit_access_from_roles(*, user) -> UnitAccess:
    """The units the user's roles (staff, supervisor) give, ignoring superuser
    status: what a notification about "your units" covers."""
    rows = list(UnitRole.objects.filter(user=user).values_list("unit_id", "role", "unit__path"))
    return unit_access_build(
        staff_ids=[unit_id for unit_id, role, _path in rows if role == UnitRole.Role.STAFF],
        supervisor_paths=[path for _id, role, path in rows if role != UnitRole.Role.STAFF],
    )


def unit_access_build(*, staff_ids, supervisor_paths) -> UnitAccess:
    """The UnitAccess of a user's roles: the units they are staff of and the
    paths of the units they supervise (e.g. read with the user in one query,
    see ``skm.api.services.api_token_authenticate``)."""
    paths = set(supervisor_paths)
    # A path under another supervised path adds nothing.
    kept = tuple(p for p in sorted(paths) if not any(p != q and p.startswith(q) for q in paths))
    return UnitAccess(staff_ids=frozenset(staff_ids), supervisor_paths=kept)


def user_unit_access_set(*, user, access: UnitAccess) -> None:
    """Keep ``access`` (built from the user's roles) as what user_unit_access
    answers for this user object (a per-request cache, like its own)."""
    user._skm_unit_access = access


def unit_list_for_user(*, user) -> QuerySet[Unit]:
    access = user_unit_access(user=user)
    return Unit.objects.select_related("parent").filter(access.unit_q()).order_by("name")


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
    """Readable units that have children: the "induk" filter choices, in tree
    order (one query; children of a readable parent are readable too)."""
    access = user_unit_access(user=user)
    has_children = Unit.objects.filter(parent_id=OuterRef("pk"))
    return list(
        Unit.objects.filter(access.unit_q(), Exists(has_children)).only("id", "code", "name", "path").order_by("path")
    )


def comparison_export_default(*, user) -> Unit | None:
    """The unit a comparison export covers when no parent is chosen: the user's
    one supervised unit (or their one unit as staff); None when there are several."""
    access = user_unit_access(user=user)
    if access.is_admin:
        roots = Unit.objects.filter(parent__isnull=True)
    elif access.supervisor_paths:
        roots = Unit.objects.filter(path__in=access.supervisor_paths)
    else:
        roots = Unit.objects.filter(id__in=sorted(access.staff_ids or ()))
    found = list(roots.order_by("path")[:2])
    return found[0] if len(found) == 1 else None
