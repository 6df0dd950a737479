"""The unit filters shared by the supervisor pages (comparison, dashboard, RTL
overview): search by name or code, "under parent unit" and "tree level".

Every filter is SQL on ``Unit.path`` (no id lists). Bad values are ignored with
a Bahasa Indonesia message, never a 500."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from .access import comparison_parent_options
from .models import PATH_WIDTH, Unit

QUERY_MAX = 100


@dataclass
class UnitFilter:
    query: str = ""
    parent: Unit | None = None
    level: int | None = None
    parent_options: list[Unit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def levels(self) -> list[int]:
        """Tree levels that can be chosen: every parent's and its children's."""
        found = {p.depth for p in self.parent_options} | {p.depth + 1 for p in self.parent_options}
        return sorted(found)

    def scope_q(self, prefix: str = "") -> Q:
        """Parent and level (what the chart and the ranking cover)."""
        q = Q()
        if self.parent is not None:
            q &= Q(**{f"{prefix}path__startswith": self.parent.path})
        if self.level is not None:
            q &= Q(**{f"{prefix}path__regex": rf"^([0-9]{{{PATH_WIDTH}}}\.){{{self.level}}}$"})
        return q

    def search_q(self, prefix: str = "") -> Q:
        if not self.query:
            return Q()
        return Q(**{f"{prefix}name__icontains": self.query}) | Q(**{f"{prefix}code__icontains": self.query})

    def as_params(self) -> dict[str, str]:
        params = {}
        if self.query:
            params["q"] = self.query
        if self.parent is not None:
            params["induk"] = self.parent.code
        if self.level is not None:
            params["tingkat"] = str(self.level)
        return params


def unit_filter_from_request(*, user, params) -> UnitFilter:
    f = UnitFilter(query=(params.get("q") or "").strip()[:QUERY_MAX])
    f.parent_options = comparison_parent_options(user=user)
    parent_code = (params.get("induk") or "").strip()
    if parent_code:
        f.parent = next((u for u in f.parent_options if u.code == parent_code), None)
        if f.parent is None:
            f.errors.append(
                _("Unit induk '%(code)s' tidak tersedia untuk Anda; filter induk diabaikan.") % {"code": parent_code}
            )
    raw_level = (params.get("tingkat") or "").strip()
    if raw_level:
        if raw_level.isdigit() and 1 <= int(raw_level) <= 28:
            f.level = int(raw_level)
        else:
            f.errors.append(_("Tingkat harus bilangan bulat 1 atau lebih; filter tingkat diabaikan."))
    return f
