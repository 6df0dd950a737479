"""The comparison of units (a supervisor's subtree, up to a province): a page of
the ranking, the N best and N worst units and the units per grade band.

It reads the league table alone (``Standing``: one row per unit and period with
its respondents, its exact IKM x 100 per weight mode, its code, name and path,
kept by ``surveys.services_standings``; the stale rows of the period are
recomputed first, so the ranking agrees with the engine to the last digit).
The scope (the units the user may read, the parent and level filters) is the
ORM's filter on the table's own columns; the order is that of its index
(IKM DESC NULLS LAST, lower(name) in code-point order, unit), so the page is
read in index order with running counts (rank, position, position among the
search matches) and the database stops after the page's last row instead of
sorting every unit: four short statements whatever the tree size (totals and
bands, page, best, worst), plus the tallies and labels of the rows shown,
which are then recomputed with ``compute_ikm`` (display values come from the
engine). The same SQL runs on PostgreSQL and SQLite (window functions with
FILTER, NULLS LAST).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Sum

from skm.rules.ikm import BANDS, IkmResult, UnsurTally, WeightMode, compute_ikm
from skm.rules.unsur import UNSUR_CODES

from .access import user_unit_access
from .answers import SKM_CODE
from .models import RESPONDENTS_ITEM, ItemTally, Period, Standing, Unit
from .services_standings import standing_column, standings_refresh, standings_started

PER_PAGE = 50
EXTREMES = 10
GRADES = tuple(b.grade for b in BANDS)

_N = len(UNSUR_CODES)


def _band_sql(col: str, grade: str) -> str:
    """``col`` (IKM x 100, NULL without an IKM) lies in the grade's band: a range,
    cheaper than a CASE on every row."""
    index = GRADES.index(grade)
    low = f"{col} >= {int(BANDS[index].min_converted * 100)}" if index < len(BANDS) - 1 else f"{col} IS NOT NULL"
    if index == 0:
        return low
    return f"{low} AND {col} < {int(BANDS[index - 1].min_converted * 100)}"


def _order(*, reverse: bool = False) -> str:
    """The ranking order (IKM DESC NULLS LAST, name, unit), or its reverse. SQLite
    sorts NULL first ascending and last descending, and accepts no NULLS clause
    in a window; PostgreSQL needs it spelled out to match the index."""
    nulls = connection.vendor == "postgresql"
    if reverse:
        return "ikm100 ASC" + (" NULLS FIRST" if nulls else "") + ", name_key DESC, unit_id DESC"
    return "ikm100 DESC" + (" NULLS LAST" if nulls else "") + ", name_key, unit_id"


# Unit fields as the league table holds them (access and filter Qs are written on Unit).
_ON_STANDING = {"id": "unit_id", "pk": "unit_id", "path": "unit_path", "name": "unit_name", "code": "unit_code"}


@dataclass(frozen=True)
class ComparisonUnitRow:
    unit: Unit
    parent_name: str
    respondents: int
    result: IkmResult
    rank: int | None
    ikm100: int | None  # SQL's exact rounded IKM x 100 (equal to result.ikm x 100)

    @property
    def ikm(self) -> Decimal | None:
        return self.result.ikm

    @property
    def grade(self) -> str | None:
        return self.result.grade

    @property
    def label(self) -> str | None:
        return self.result.label


@dataclass
class ComparisonPage:
    page: Page
    rows: list[ComparisonUnitRow]
    top: list[ComparisonUnitRow]
    bottom: list[ComparisonUnitRow]
    bands: dict[str, int] = field(default_factory=dict)
    total: int = 0  # units after the parent/level/min/grade filters
    with_ikm: int = 0
    matched: int = 0  # of those, units matching the search
    has_answers: bool = True  # False: the period has no answer yet, so no league table


def _on_standing(q: Q) -> Q:
    """A Q on Unit fields rewritten for the league table's copies of them."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_on_standing(child))
        else:
            lookup, value = cast(tuple[str, object], child)
            head, _sep, tail = lookup.partition("__")
            field_name = _ON_STANDING.get(head, f"unit__{head}")
            out.children.append((f"{field_name}__{tail}" if tail else field_name, value))
    return out


@dataclass(frozen=True)
class _Filters:
    """The page's filters as SQL over the scope's rows ``st`` (min and grade are
    validated by the caller, so they are literals; the search is a parameter)."""

    kept: str
    matches: str
    params: list  # of ``matches``


def _filters(*, min_respondents: int, grade: str | None, query: str) -> _Filters:
    kept = f"st.n >= {int(min_respondents)}"
    if grade:
        if grade not in GRADES:
            raise ValueError(grade)
        kept += f" AND {_band_sql('st.ikm100', grade)}"
    if not query:
        return _Filters(kept, "1 = 1", [])
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    matches = "(upper(st.unit_name) LIKE upper(%s) ESCAPE '\\' OR upper(st.unit_code) LIKE upper(%s) ESCAPE '\\')"
    return _Filters(kept, matches, [pattern, pattern])


def standings_in_scope(*, user, period: Period, scope_q: Q | None = None) -> QuerySet[Standing]:
    """The league rows of the period (every instrument) of the units the user may
    read, within ``scope_q`` (a Q on Unit fields: parent, level)."""
    access = user_unit_access(user=user)
    return (
        Standing.objects.filter(period=period)
        .filter(_on_standing(access.unit_q()))
        .filter(_on_standing(scope_q or Q()))
    )


def _scope(*, user, period: Period, column: str, scope_q: Q) -> tuple[str, list] | None:
    """The SQL of the scope's SKM league rows (id, unit_id, n, ikm100, name_key,
    unit_name, unit_code); None when the user may read no unit."""
    qs = (
        standings_in_scope(user=user, period=period, scope_q=scope_q)
        .filter(instrument=SKM_CODE)
        .annotate(n=F("respondents"), ikm100=F(column))
        .order_by()
        .values("id", "unit_id", "n", "ikm100", "name_key", "unit_name", "unit_code")
    )
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, list(params)


def _fetch(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _totals(scope: tuple[str, list], f: _Filters) -> dict:
    bands = ", ".join(
        f"count(*) FILTER (WHERE {f.kept} AND {_band_sql('st.ikm100', g)}) AS band_{g.lower()}" for g in GRADES
    )
    sql = (
        f"SELECT count(*) FILTER (WHERE {f.kept}) AS total, "
        f"count(*) FILTER (WHERE {f.kept} AND {f.matches}) AS matched, "
        f"count(st.ikm100) FILTER (WHERE {f.kept}) AS with_ikm, count(st.ikm100) AS all_ikm, {bands} "
        f"FROM ({scope[0]}) st"
    )
    return _fetch(sql, [*f.params, *scope[1]])[0]


def _ordered(
    scope: tuple[str, list], f: _Filters, *, shown: tuple[str, list], after: int, limit: int | None
) -> list[dict]:
    """The scope's rows in ranking order with their running rank (units with an
    IKM so far), position (kept rows so far) and search position (kept matching
    rows so far); only the ``shown`` rows with a search position past ``after``,
    at most ``limit``. Read in index order: it stops after the last row."""
    sql = (
        f"SELECT * FROM (SELECT st.*, count(st.ikm100) OVER w AS rank, "
        f"count(*) FILTER (WHERE {f.kept}) OVER w AS pos, "
        f"count(*) FILTER (WHERE {f.kept} AND {f.matches}) OVER w AS spos, "
        f"CASE WHEN {shown[0]} THEN 1 ELSE 0 END AS shown "
        f"FROM ({scope[0]}) st WINDOW w AS (ORDER BY {_order()} ROWS UNBOUNDED PRECEDING)) x "
        f"WHERE x.shown = 1 AND x.spos > %s ORDER BY {_order()}" + (" LIMIT %s" if limit is not None else "")
    )
    params = [*f.params, *shown[1], *scope[1], after, *([limit] if limit is not None else [])]
    return _fetch(sql, params)


def _worst(scope: tuple[str, list], f: _Filters, *, limit: int) -> list[dict]:
    """The last ``limit`` kept rows with an IKM, worst first, with their running
    counts from the end (rank and position are derived from the totals)."""
    sql = (
        f"SELECT * FROM (SELECT st.*, count(st.ikm100) OVER w AS rrank, "
        f"count(*) FILTER (WHERE {f.kept}) OVER w AS rpos, CASE WHEN {f.kept} THEN 1 ELSE 0 END AS shown "
        f"FROM ({scope[0]}) st WHERE st.ikm100 IS NOT NULL "
        f"WINDOW w AS (ORDER BY {_order(reverse=True)} ROWS UNBOUNDED PRECEDING)) x "
        f"WHERE x.shown = 1 ORDER BY {_order(reverse=True)} LIMIT %s"
    )
    return _fetch(sql, [*scope[1], limit])


def _prepare() -> None:
    """PostgreSQL, for this transaction: read in index order rather than sort the
    whole scope (the planner cannot know the page stops early), and no JIT."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off; SET LOCAL jit = off")


def _tallies(unit_ids: list[int], period_id: int) -> dict[int, dict]:
    rows = (
        ItemTally.objects.filter(period_id=period_id, instrument=SKM_CODE, unit_id__in=unit_ids)
        .values("unit_id", "item")
        .annotate(total=Sum("total"), answered=Sum("answered"))
        .order_by()
    )
    out: dict[int, dict] = {}
    for row in rows:
        record = out.setdefault(row["unit_id"], {})
        if row["item"] != RESPONDENTS_ITEM:
            record[row["item"]] = (int(row["total"] or 0), int(row["answered"] or 0))
    return out


def _rows(records: list[dict], *, period: Period, weight_mode: WeightMode) -> list[ComparisonUnitRow]:
    """The display rows of league records (rank, n and ikm100 set): their tallies
    and labels read once for all, the IKM recomputed by the engine."""
    ids = sorted({r["unit_id"] for r in records})
    tallies = _tallies(ids, period.pk)
    units = {u["id"]: u for u in Unit.objects.filter(pk__in=ids).values("id", "code", "name", "path", "parent__name")}
    out = []
    for record in records:
        unit_id = record["unit_id"]
        items = tallies.get(unit_id, {})
        unsur = [UnsurTally(code, *items.get(i, (0, 0))) for i, code in enumerate(UNSUR_CODES, start=1)]
        result = compute_ikm(unsur, respondents=record["n"], weight_mode=weight_mode)
        label = units.get(unit_id) or {"code": "", "name": "", "path": "", "parent__name": ""}
        unit = Unit(id=unit_id, code=label["code"], name=label["name"], path=label["path"])
        rank = record["rank"] if record["ikm100"] is not None else None
        out.append(ComparisonUnitRow(unit, label["parent__name"] or "", record["n"], result, rank, record["ikm100"]))
    return out


def unit_comparison_page(
    *,
    user,
    period: Period,
    weight_mode: WeightMode,
    scope_q: Q | None = None,
    query: str = "",
    min_respondents: int = 0,
    grade: str | None = None,
    page_number: int = 1,
    per_page: int = PER_PAGE,
    extremes: int = EXTREMES,
) -> ComparisonPage:
    """One page of the ranking plus the top/bottom ``extremes`` and the units per
    grade band. ``scope_q`` is a Q on Unit fields (parent, level)."""
    standings_refresh(period_id=period.pk)
    f = _filters(min_respondents=min_respondents, grade=grade, query=query)
    scope = _scope(user=user, period=period, column=standing_column(weight_mode), scope_q=scope_q or Q())
    empty = {"total": 0, "matched": 0, "with_ikm": 0, "all_ikm": 0, **{f"band_{g.lower()}": 0 for g in GRADES}}
    with transaction.atomic(savepoint=False):
        _prepare()
        totals = _totals(scope, f) if scope else empty
        paginator = Paginator(range(totals["matched"]), per_page)
        number = min(max(page_number, 1), paginator.num_pages)
        page = paginator.page(number)
        records: list[dict] = []
        top: list[dict] = []
        bottom: list[dict] = []
        if scope:
            shown = (f"{f.kept} AND {f.matches}", f.params)
            records = _ordered(scope, f, shown=shown, after=(number - 1) * per_page, limit=per_page)
            with_ikm: tuple[str, list] = (f"{f.kept} AND st.ikm100 IS NOT NULL", [])
            top = _ordered(scope, _Filters(f.kept, "1 = 1", []), shown=with_ikm, after=0, limit=extremes)
            bottom = _worst(scope, f, limit=extremes)
            for record in bottom:
                record["rank"] = totals["all_ikm"] - record["rrank"] + 1
    rows = _rows([*records, *top, *bottom], period=period, weight_mode=weight_mode)
    page.object_list = rows[: len(records)]  # type: ignore[assignment]  # the page's rows, counted by range
    return ComparisonPage(
        page=page,
        rows=rows[: len(records)],
        top=rows[len(records) : len(records) + len(top)],
        bottom=rows[len(records) + len(top) :],
        bands={g: totals[f"band_{g.lower()}"] for g in GRADES},
        total=totals["total"],
        with_ikm=totals["with_ikm"],
        matched=totals["matched"],
        has_answers=bool(totals["total"]) or standings_started(period_id=period.pk),
    )


def unit_comparison_all(
    *,
    user,
    period: Period,
    weight_mode: WeightMode,
    scope_q: Q | None = None,
    min_respondents: int = 0,
    grade: str | None = None,
) -> Iterator[ComparisonUnitRow]:
    """Every unit of the comparison in ranking order (the XLSX export)."""
    standings_refresh(period_id=period.pk)
    f = _filters(min_respondents=min_respondents, grade=grade, query="")
    scope = _scope(user=user, period=period, column=standing_column(weight_mode), scope_q=scope_q or Q())
    if scope is None:
        return
    with transaction.atomic(savepoint=False):
        _prepare()
        records = _ordered(scope, f, shown=(f.kept, []), after=0, limit=None)
    for start in range(0, len(records), 2000):
        yield from _rows(records[start : start + 2000], period=period, weight_mode=weight_mode)
